"""Script- and style-only elements (st.html) that take no room in the page: Streamlit's own words in the page's
language, the file uploaders' drop zones as groups, and the room reserved for charts before they are drawn."""

from __future__ import annotations

import json
import re

import streamlit as st

from provdata.basics.i18n import strings


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


#: Streamlit's own words as the page's language says them, put in place as they appear (one observer per tab).
WORDS_SCRIPT = """<script>(() => {
window.__provdataWords = %s;
const ATTRS = ['aria-label', 'title', 'placeholder'];
const say = (s) => {
  const w = window.__provdataWords, k = s.trim();
  if (!k) return s;
  if (Object.hasOwn(w.exact, k)) return s.replace(k, w.exact[k]);
  for (const [from, to] of w.patterns) {
    const m = k.match(new RegExp(from));
    if (m) return s.replace(k, to.replace('{x}', m[1]) + m[2]);
  }
  return s;
};
const text = (n) => { const v = say(n.nodeValue); if (v !== n.nodeValue) n.nodeValue = v; };
const element = (e) => ATTRS.forEach((a) => {
  const v = e.getAttribute(a);
  if (v) { const w = say(v); if (w !== v) e.setAttribute(a, w); }
});
const fix = (root) => {
  if (root.nodeType === 3) { text(root); return; }
  if (root.nodeType !== 1 || root.closest('script, style, noscript, [data-testid="stIconMaterial"]')) return;
  element(root);
  root.querySelectorAll('[aria-label], [title], [placeholder]').forEach(element);
  const walk = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  while (walk.nextNode()) {
    const n = walk.currentNode;
    if (!n.parentElement.closest('script, style, [data-testid="stIconMaterial"]')) text(n);
  }
};
if (!window.__provdataWordsOn) {
  window.__provdataWordsOn = true;
  new MutationObserver((changes) => changes.forEach((c) => {
    if (c.type === 'childList') c.addedNodes.forEach(fix);
    else if (c.type === 'characterData') text(c.target);
    else element(c.target);
  })).observe(document.body, {childList: true, subtree: true, characterData: true, attributes: true,
                              attributeFilter: ATTRS});
}
fix(document.body);
})();</script>"""


def _pattern(template: str) -> str:
    before, _, after = template.partition("{x}")
    return "^" + re.escape(before) + "(.+?)" + re.escape(after) + "(.*)$"


def page_scripts(lang: str) -> None:
    """The page's language on <html> (Streamlit serves lang="en": screen readers pick the Thai voice, browsers
    the Thai line breaking) and Streamlit's own words in it (:func:`streamlit_words`): one script-only element
    in the sidebar (each element, even an empty one, takes a gap of the sidebar's spacing)."""
    with st.sidebar:
        st.html(
            f"<script>document.documentElement.lang = {lang!r};</script>" + streamlit_words(lang),
            unsafe_allow_javascript=True,
        )


def streamlit_words(lang: str) -> str:
    """Streamlit's own words (its chrome, placeholders, the table and chart toolbars; it has no setting for its
    language) in the page's language: on a Thai page its English is put in Thai as it appears, and back on an
    English page. The words are the locale's [streamlit] section. The script, as HTML."""
    en, th = strings("en"), strings("th")
    keys = [k for k in en if k.startswith("streamlit.")]
    pairs = [(en[k], th[k]) if lang == "th" else (th[k], en[k]) for k in keys]
    words = {
        "exact": {a: b for a, b in pairs if "{x}" not in a},
        "patterns": [[_pattern(a), b] for a, b in pairs if "{x}" in a],
    }
    return WORDS_SCRIPT % json.dumps(words, ensure_ascii=False)
