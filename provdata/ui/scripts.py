"""Script- and style-only elements (st.html) that take no room in the page: the file uploaders' drop zones
as groups, and the room reserved for charts before they are drawn."""

from __future__ import annotations

import streamlit as st


def upload_drop_zones_as_groups() -> None:
    """Streamlit draws a file uploader's drop zone as ``<section role="presentation" aria-label=… tabindex=-1>``:
    a named, focusable element cannot be "presentation" (axe: presentation-role-conflict). The zone is a group
    named by the uploader's label, holding its Browse button; one observer per browser tab keeps every drop zone
    drawn later so. A script-only element in the sidebar, so it takes no room in the page."""
    script = (
        "<script>(() => {"
        "if (window.__provdataDropZones) return; window.__provdataDropZones = true;"
        "const fix = () => document.querySelectorAll("
        '  \'[data-testid="stFileUploaderDropzone"][role="presentation"]\').forEach('
        "  (z) => z.setAttribute('role', 'group'));"
        "fix();"
        "new MutationObserver(fix).observe(document.body, {childList: true, subtree: true,"
        "  attributes: true, attributeFilter: ['role']});"
        "})();</script>"
    )
    with st.sidebar:
        st.html(script, unsafe_allow_javascript=True)


def reserve_chart_space(heights: dict[str, int]) -> None:
    """Keep each chart's room from its first paint: {key prefix: height in px} of charts (or of containers
    holding a picture) drawn with that key.

    A Vega chart's element, or a picture's, is empty until its code has loaded and drawn it, so the cards and
    text below it jump down (layout shift, Lighthouse CLS). A style-only st.html takes no room in the page.
    """
    rules = " ".join(f'[class*="st-key-{prefix}"] {{min-height: {px}px;}}' for prefix, px in heights.items())
    st.html(f"<style>{rules}</style>")
