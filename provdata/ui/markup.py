"""Text from outside the project (URL values, file contents, names and units an admin or planner typed) shown
in Streamlit's Markdown (or, with ``html_text``, in st.html): escaped, so it reads as the characters typed —
never as a link, an image, a colour directive or HTML, even inside ``unsafe_allow_html`` blocks."""

from __future__ import annotations

import html
import re

# CommonMark lets a backslash escape any ASCII punctuation; escaping all of it disables links, images,
# emphasis, HTML tags, Streamlit's :directives[...] and GFM autolinks (their ':' and '.' are escaped too).
_PUNCT = re.compile(r"([!-/:-@\[-`{-~])")


def literal(text: object) -> str:
    """``text`` escaped for Markdown, line breaks kept as spaces (one line of a message)."""
    return _PUNCT.sub(r"\\\1", " ".join(str(text).split()))


def html_text(text: object) -> str:
    """``text`` escaped for HTML (st.html), line breaks kept as spaces."""
    return html.escape(" ".join(str(text).split()))


def code(text: object, limit: int = 120) -> str:
    """``text`` as an inline code span (shown verbatim), shortened to ``limit`` characters."""
    s = " ".join(str(text).split())
    s = s if len(s) <= limit else s[: limit - 1] + "…"
    fence = "`" * (max((len(m) for m in re.findall(r"`+", s)), default=0) + 1)
    return f"{fence} {s} {fence}"
