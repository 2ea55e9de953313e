import os

import streamlit as st
from pyinstrument import Profiler

from provdata.ui import state
from provdata.ui.nav import navigation_pages

state.seed_language()
st.set_page_config(page_title="x", layout="wide")
p = Profiler(interval=0.001)
p.start()
st.navigation(navigation_pages(state.lang())).run()
p.stop()
with open(f"/work/scratch/prof_{os.environ.get('PROF_PAGE', 'x')}.txt", "a") as fh:
    fh.write(p.output_text(unicode=False, color=False, show_all=False))
