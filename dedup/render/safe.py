"""Making untrusted article text safe to show in a terminal or an HTML page."""

from __future__ import annotations

import html
import unicodedata
from urllib.parse import urlsplit

# Bidi embeddings, overrides and isolates reorder whatever follows them on screen
# (the "Trojan Source" trick); they are removed along with control characters.
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def printable(text: str, *, strip: bool = True) -> str:
    """``text`` on one line, without control characters or bidi overrides.

    Line breaks and tabs become spaces and runs of spaces one space; every other
    character of category Cc (escape sequences start with one) and the bidi controls
    are dropped. With ``strip=False`` a leading or trailing space is kept, for pieces
    of a line printed one after another.
    """
    cleaned = []
    for character in text:
        if character in "\t\n\r\x0b\x0c\x85\u2028\u2029":
            cleaned.append(" ")
        elif character in _BIDI_CONTROLS or unicodedata.category(character) == "Cc":
            continue
        else:
            cleaned.append(character)
    joined = "".join(cleaned)
    folded = " ".join(joined.split())
    if strip or not joined:
        return folded
    if not folded:
        return " "
    return (" " if joined[0].isspace() else "") + folded + (" " if joined[-1].isspace() else "")


def html_text(text: str, *, strip: bool = True) -> str:
    """Untrusted ``text`` as HTML character data or a quoted attribute value: control
    characters and bidi overrides removed as by :func:`printable`, then ``& < > " '``
    escaped, so it can never close a tag, open one or leave an attribute."""
    return html.escape(printable(text, strip=strip), quote=True)


def http_url(url: str | None) -> str | None:
    """``url`` when it is an absolute http(s) URL, safe to link to; else None.

    Anything else (``javascript:``, ``data:``, a relative path) is shown as text, never
    linked: a report page must not run or fetch what an article names.
    """
    if not url:
        return None
    cleaned = printable(url)
    try:
        parts = urlsplit(cleaned)
    except ValueError:  # a malformed URL, e.g. an unclosed IPv6 bracket
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return cleaned
