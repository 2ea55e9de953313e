"""The app's own stylesheet, served in every page's ``<head>`` (provdata/ui/head.py), so it holds from the first
paint: the focus ring, and what a phone (390 px wide) needs.

- **Focus ring** (WCAG 2.2 focus appearance): every control a keyboard reaches is outlined 3 px in dark blue
  (#1f4e99: 8.1:1 on white, 7.2:1 on the sidebar's grey) with a 2 px gap, instead of Streamlit's faint grey or
  red shadow. Streamlit's text fields, select boxes, radios, checkboxes and toggles hide their real ``<input>``
  inside a drawn box: the box gets the ring while its input has the focus. A chart's toolbar (full screen) is
  shown while the keyboard is in it (Streamlit shows it on hover only).
- **The chart's chain**: on a wide screen each issue's graph, on a phone its list (provdata/ui/display/chart.py);
  the list stays in the page for screen readers on a wide screen too (visually hidden, not ``display: none``).
- **The map picture's room** (its height) from the first paint: on a phone the captions under it otherwise
  moved by its height once it was decoded (Lighthouse mobile CLS 0.09).
- **Wide things scroll in their own box** on a phone, never the page: the compare heatmap keeps readable score
  cells and scrolls sideways; code in messages (a file's path) wraps.
"""

from __future__ import annotations

from provdata.views.maps import PICTURE_HEIGHT

#: the focus ring's colour and width (tests/browser/test_browser_phone.py reads them back from a focused control)
FOCUS_COLOUR, FOCUS_WIDTH = "#1f4e99", 3
#: below this width Streamlit stacks columns: the phone layout
PHONE = 640

_RING = f"outline: {FOCUS_WIDTH}px solid {FOCUS_COLOUR} !important; outline-offset: 2px !important;"
_CONTROLS = (
    "button, a[href], summary, [role='button'], [role='tab'], [role='slider'], [role='link'], "
    "[tabindex]:not([tabindex='-1'], input, textarea)"
)
#: a text field, select box or number field: its <input> sits in a drawn box that clips it (overflow: hidden)
_FIELD = ":is(input:not([type='radio'], [type='checkbox']), textarea)"
_HIDDEN = (  # !important: Streamlit's own styles of a block come later in the page, with the same weight
    "position: absolute !important; width: 1px !important; height: 1px !important; overflow: hidden !important; "
    "clip-path: inset(50%) !important; white-space: nowrap !important;"
)

CSS = (
    f":is({_CONTROLS}):focus-visible {{{_RING}}} "
    f"{_FIELD}:focus, input:focus {{outline: none !important;}} "
    f"div:has(> {_FIELD}:focus) {{{_RING}}} "
    "label:has(input:is([type='radio'], [type='checkbox']):focus-visible) "
    f"{{{_RING} border-radius: 4px;}} "
    # a heading's link and other controls Streamlit shows only on hover
    f":is({_CONTROLS}):focus-visible {{opacity: 1 !important;}} "
    # the map's picture keeps its room from the first paint, not only once the page's own style has come
    f".st-key-map_picture {{min-height: {PICTURE_HEIGHT}px !important;}} "
    # a chart's or table's toolbar (full screen, download, search) shows while a key has moved into it
    "[data-testid='stElementToolbar']:has(:focus-visible) {opacity: 1 !important;} "
    f"@media (min-width: {PHONE + 1}px) {{[class*='st-key-chart_list_'] {{{_HIDDEN}}}}} "
    f"@media (max-width: {PHONE}px) {{"
    "[class*='st-key-chart_graph_'] {display: none !important;} "
    ".st-key-compare_heatmap_box {overflow-x: auto !important; max-width: 100%;} "
    "[data-testid='stMarkdownContainer'] code, [data-testid='stAlert'] code "
    "{white-space: pre-wrap; overflow-wrap: anywhere;}"
    "}"
)
