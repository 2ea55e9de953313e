"""Script- and style-only elements (st.html) that take no room in the page: the presenter's keys, the file
uploaders' drop zones as groups, and the room reserved for charts before they are drawn."""

from __future__ import annotations

import json

import streamlit as st

#: presenter keys → the button they press (a presentation clicker sends PageDown/PageUp or the arrow keys)
SLIDE_KEYS = {"ArrowRight": "next", "PageDown": "next", "ArrowLeft": "prev", "PageUp": "prev",
              "Home": "first", "End": "last"}  # fmt: skip


def slide_keys() -> None:
    """Let the keyboard and a clicker step through the slides: a key presses the page's own ◀ ▶ (or the hidden
    first/last) button, so the slide and its URL change exactly as a click does. One listener per browser tab,
    active only on the presenter page and never while typing in a field; drawn in the (hidden) sidebar so it
    takes no room on the slide. The buttons are drawn a moment after the slide's heading: a key pressed in
    that moment waits up to 3 s for its button instead of being lost."""
    script = (
        "<script>(() => {"
        "if (window.__provdataSlideKeys) return; window.__provdataSlideKeys = true;"
        f"const keys = {json.dumps(SLIDE_KEYS)};"
        "const press = (name, tries) => {"  # the button may not be drawn yet: try again for up to 3 s
        "  const b = document.querySelector('.st-key-' + name + ' button');"
        "  if (b) { if (!b.disabled) b.click(); } else if (tries > 0) setTimeout(() => press(name, tries - 1), 100);"
        "};"
        "document.addEventListener('keydown', (e) => {"
        "  if (!location.pathname.endsWith('/present') || e.altKey || e.ctrlKey || e.metaKey) return;"
        "  const t = e.target;"
        "  if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;"
        "  if (!keys[e.key]) return;"
        "  e.preventDefault(); press(keys[e.key], 30);"
        "});"
        "})();</script>"
    )
    with st.sidebar:
        st.html(script, unsafe_allow_javascript=True)


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
