"""Streamlit glue: the only part of provdata that imports streamlit.

``cached`` (every st.cache_* decorator, a package with a module per page or area), ``state`` (URL-backed
session state), ``frame`` (the language/era switch and error display), ``nav`` (the page registry),
``widgets`` (URL-backed choices, downloads, charts), ``editors`` (the chain and plan editors), ``scripts``
(script- and style-only elements) and ``display`` (the Display blocks of the longer pages).
"""
