"""``python -m provdata``: the command line (provdata/cli/main.py)."""

import sys

from provdata.cli.main import main

if __name__ == "__main__":
    sys.exit(main())
