"""Making untrusted article text safe to show in a terminal."""

from __future__ import annotations

import unicodedata

# Bidi embeddings, overrides and isolates reorder whatever follows them on screen
# (the "Trojan Source" trick); they are removed along with control characters.
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def printable(text: str) -> str:
    """``text`` on one line, without control characters or bidi overrides.

    Line breaks and tabs become spaces; every other character of category Cc (escape
    sequences start with one) and the bidi controls are dropped.
    """
    cleaned = []
    for character in text:
        if character in "\t\n\r\x0b\x0c\x85\u2028\u2029":
            cleaned.append(" ")
        elif character in _BIDI_CONTROLS or unicodedata.category(character) == "Cc":
            continue
        else:
            cleaned.append(character)
    return " ".join("".join(cleaned).split())
