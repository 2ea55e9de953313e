"""Streamlit glue: the only part of provdata that imports streamlit.

``cached`` (every st.cache_* decorator), ``state`` (URL-backed session state), ``frame`` (the
language/era switch and error display), ``nav`` (the page registry) and ``widgets``.
"""
