"""The app and its HTTP API in one server: ``streamlit run server.py`` (what ``make run`` starts).

``st.App`` serves app.py as usual and mounts the API routes of provdata/api.py under /api/v1.
"""

import streamlit as st

from provdata.api import routes

app = st.App("app.py", routes=routes())
