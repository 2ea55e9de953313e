"""The floor of a first load: the least a Streamlit page can be, measured beside provdata's pages.

`streamlit run bench/floor_app.py` serves a heading and a paragraph; with ``?map=1`` also one polygon in a
pydeck map without a basemap (as provdata's map). bench/bench_lighthouse.py runs Lighthouse and the map's
first-draw timer on it through the same nginx, on the same machine, in the same minutes as on provdata's
profile and map: what no page drawn by Streamlit alone can beat here (provdata's first view, drawn by the server
into the HTML, comes before it). Placeholder text, no figures.
"""

import pydeck as pdk
import streamlit as st

st.set_page_config(page_title="floor", layout="wide")
st.title("จังหวัดตัวอย่าง — a heading")
st.write("ข้อความตัวอย่างสำหรับวัดเวลา (placeholder text for the timing). " * 8)
if st.query_params.get("map") == "1":
    square = [[[100.0, 13.0], [101.0, 13.0], [101.0, 14.0], [100.0, 14.0], [100.0, 13.0]]]
    feature = {"type": "Feature", "properties": {}, "geometry": {"type": "Polygon", "coordinates": square}}
    layer = pdk.Layer(
        "GeoJsonLayer", data={"type": "FeatureCollection", "features": [feature]}, filled=True,
        get_fill_color=[44, 127, 184],
    )  # fmt: skip
    view = pdk.ViewState(longitude=100.5, latitude=13.5, zoom=6)
    st.pydeck_chart(pdk.Deck(layers=[layer], map_provider=None, initial_view_state=view), height=620)
