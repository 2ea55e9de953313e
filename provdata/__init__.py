"""provdata: a decision-support dashboard for Thai provincial statistics.

The core package (everything outside ``provdata.ui``) never imports streamlit: it builds the
warehouse, queries it and shapes data and charts. ``provdata.ui`` is the only Streamlit glue.
"""

__version__ = "0.1.0"
