"""Streamlit glue: the only part of provdata that imports streamlit.

``cached`` (every st.cache_* decorator, a package with a module per page or area), ``state`` (URL-backed
session state), ``frame`` (the language/era switch and error display), ``nav`` (the page registry),
``widgets`` (URL-backed choices, downloads, charts), ``editors`` (the chain and plan editors), ``scripts``
(script- and style-only elements), ``display`` (the Display blocks of the longer pages), ``upload`` (the
exchange wizard), ``auth`` (sign-in), ``head``/``first``/``assets``/``icons`` (the HTML and files the server
sends first), ``style`` (the app's stylesheet: the focus ring, the phone layout).

May use: every other provdata package (the top layer); pages/ use it and the pure builders.
"""
