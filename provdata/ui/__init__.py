"""Streamlit glue: the only part of provdata that imports streamlit.

``cached`` (every st.cache_* decorator), ``state`` (URL-backed session state), ``frame`` (the
language/era switch and error display), ``nav`` (the page registry), ``widgets``, ``upload`` (the exchange
wizard), ``auth`` (sign-in), ``head``/``first``/``assets`` (the HTML and files the server sends first).

May use: every other provdata package (the top layer); pages/ use it and the pure builders.
"""
