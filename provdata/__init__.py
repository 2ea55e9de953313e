"""provdata: a decision-support dashboard for Thai provincial statistics.

The core package (everything outside ``provdata.ui``) never imports streamlit: it builds the
warehouse, queries it and shapes data and charts. ``provdata.ui`` is the only Streamlit glue.
"""

import pandas as _pd

__version__ = "0.1.0"

# pandas 3 keeps text columns in Arrow arrays by default. The pages filter and index small frames many times
# per run, and on Arrow-backed text every ``take`` goes through pyarrow compute: with 25 concurrent sessions
# that was a quarter of the server's time (py-spy; docs/deployment.md). Python-backed storage keeps the same
# ``str`` dtype and values, with numpy's fast take. Set once, for the app, the CLI and the tests alike.
_pd.set_option("mode.string_storage", "python")
