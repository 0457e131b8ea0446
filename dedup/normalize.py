"""Text for matching: Unicode forms, Arabic orthography, case, punctuation, words.

Normalized text is only ever compared, never shown: the original is kept for display,
and :func:`normalize_with_offsets` maps every normalized character back to the
original characters it came from, so a later highlight lands on the real text.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

#: Bump when any rule below changes: signatures and indexes built with another
#: version would silently stop matching.
NORMALIZATION_VERSION = 1

_REMOVED = (
    # Zero-width and joiners, bidi marks, embeddings, overrides and isolates,
    # word joiner and invisible operators, BOM, soft hyphen, Arabic letter mark.
    "\u200b\u200c\u200d\u200e\u200f"
    "\u202a\u202b\u202c\u202d\u202e"
    "\u2060\u2061\u2062\u2063\u2064"
    "\u2066\u2067\u2068\u2069"
    "\ufeff\u00ad\u061c\u180e"
    # Arabic tashkeel (fathatan .. sukun), maddah and hamza above/below, the other
    # Arabic combining marks, and the dagger (superscript) alef.
    + "".join(chr(code) for code in range(0x064B, 0x0660))
    + "\u0670"
    # Honorific and Quranic annotation marks.
    + "".join(chr(code) for code in range(0x0610, 0x061B))
    + "".join(chr(code) for code in range(0x06D6, 0x06EE) if code not in (0x06DD, 0x06DE, 0x06E9))
    # Tatweel (kashida): stretches a word, never changes it.
    + "\u0640"
)

_REPLACED: dict[str, str] = {
    # Alef with hamza above/below, with madda, wasla, wavy hamza forms -> bare alef.
    "أ": "ا",
    "إ": "ا",
    "آ": "ا",
    "ٱ": "ا",
    "ٲ": "ا",
    "ٳ": "ا",
    # Alef maqsura and Farsi yeh -> yeh; keheh -> kaf (Persian-keyboard Arabic).
    "ى": "ي",
    "ی": "ي",
    "ک": "ك",
    # Ta marbuta -> ha: the two are written interchangeably at word ends.
    "ة": "ه",
    # Hamza on waw / on yeh -> the bare carrier.
    "ؤ": "و",
    "ئ": "ي",
    # Quotation marks -> ASCII.
    "“": '"',
    "”": '"',
    "„": '"',
    "‟": '"',
    "«": '"',
    "»": '"',
    "″": '"',
    "‘": "'",
    "’": "'",
    "‚": "'",
    "‛": "'",
    "‹": "'",
    "›": "'",
    "′": "'",
    "`": "'",
    "´": "'",
    # The underscore joins words in \\w; here it separates them like other punctuation.
    "_": " ",
    # Dashes and minus signs -> hyphen-minus.
    "‐": "-",
    "‑": "-",
    "‒": "-",
    "–": "-",
    "—": "-",
    "―": "-",
    "−": "-",
    "⁃": "-",
    "﹘": "-",
    "﹣": "-",
    "－": "-",
}
# Ellipses, common in news, would send a whole text down NFKC's slow path.
_REPLACED["…"] = "..."
_REPLACED["‥"] = ".."
# Space characters -> a plain space (NFKC would do it, but slowly; see _fold).
for (
    _space
) in "\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000":
    _REPLACED[_space] = " "
# Arabic-Indic and Extended Arabic-Indic (Persian, Urdu) digits -> ASCII digits.
for _digit in range(10):
    _REPLACED[chr(0x0660 + _digit)] = str(_digit)
    _REPLACED[chr(0x06F0 + _digit)] = str(_digit)

_TABLE: dict[int, str | int | None] = {ord(character): None for character in _REMOVED}
_TABLE.update({ord(source): target for source, target in _REPLACED.items()})
# str.translate raises and catches a LookupError for every character missing from
# the table, which made it the slowest step; identity entries for the common blocks
# (Latin, Greek, Cyrillic, Hebrew, Arabic, punctuation) halve its cost.
for _code in (*range(0x0000, 0x3000), *range(0xFB00, 0x10000)):
    _TABLE.setdefault(_code, _code)

# Scripts written without spaces between words: each character is a token, so word
# n-grams become character n-grams there. (Thai, Lao, Tibetan, Myanmar, Khmer, kana,
# CJK ideographs and their extensions.)
UNSPACED = (
    "\u0e00-\u0fff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u31f0-\u31ff"
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
)


def _combining_mark_ranges() -> str:
    """A character class body of every combining mark (category M) in the BMP.

    Words in Indic and other scripts carry vowel signs and viramas (marks) inside
    them; ``\\w`` alone would cut the words there.
    """
    ranges: list[str] = []
    start: int | None = None
    for code in range(0x10001):
        is_mark = code < 0x10000 and unicodedata.category(chr(code)).startswith("M")
        if is_mark and start is None:
            start = code
        elif not is_mark and start is not None:
            ranges.append(f"{chr(start)}-{chr(code - 1)}")
            start = None
    return "".join(ranges)


# Python's \w is letters and digits (Unicode categories L and N) plus the underscore,
# which the table turns into a space.
WORD_CHARACTER = rf"[\w{_combining_mark_ranges()}]"
_WORD = re.compile(rf"{WORD_CHARACTER}+")
_HAS_UNSPACED = re.compile(f"[{UNSPACED}]")
_WORD_OR_UNSPACED_CHARACTER = re.compile(rf"[{UNSPACED}]|(?:(?![{UNSPACED}]){WORD_CHARACTER})+")


def _fold(text: str) -> str:
    """Every rule but whitespace folding, in an order that makes the result idempotent.

    The table runs first, so that typical text (whose only non-NFKC characters are
    no-break and other spaces, which the table maps) takes NFKC's fast path: its
    slow path costs twice the rest of normalization. When NFKC does change the text
    (presentation forms, full-width punctuation) the table runs again on the result.
    Removing a character or case folding can leave a pair that NFKC composes (e,
    ZWSP, acute; ß and acute), so NFKC runs again whenever the text is not in normal
    form.
    """
    translated = text.translate(_TABLE)
    folded = unicodedata.normalize("NFKC", translated)
    if folded != translated:
        folded = folded.translate(_TABLE)
        if not unicodedata.is_normalized("NFKC", folded):
            folded = unicodedata.normalize("NFKC", folded)
    folded = folded.casefold()
    if not unicodedata.is_normalized("NFKC", folded):
        folded = unicodedata.normalize("NFKC", folded)
    return folded


def normalize(text: str) -> str:
    """Return ``text`` as compared for matching.

    NFKC; zero-width and bidi controls removed; case folded; Arabic diacritics and
    tatweel removed, alef, yeh, ta marbuta and hamza carriers unified, Eastern digits
    made ASCII; quotes and dashes unified; every run of whitespace one space.
    """
    return " ".join(_fold(text).split())


def tokenize(normalized: str) -> list[str]:
    """Split normalized text into words: runs of letters, marks and digits in any script."""
    pattern = _WORD_OR_UNSPACED_CHARACTER if _HAS_UNSPACED.search(normalized) else _WORD
    tokens: list[str] = pattern.findall(normalized)
    return tokens


def word_spans(normalized: str) -> list[tuple[str, int, int]]:
    """Each word of normalized text with its ``[start, end)`` span in that text."""
    pattern = _WORD_OR_UNSPACED_CHARACTER if _HAS_UNSPACED.search(normalized) else _WORD
    return [(match.group(), match.start(), match.end()) for match in pattern.finditer(normalized)]


def words(text: str) -> list[str]:
    """The normalized words of ``text``."""
    return tokenize(normalize(text))


@dataclass(frozen=True, slots=True)
class NormalizedText:
    """Normalized text with, for each of its characters, the original span it came from."""

    text: str
    #: ``starts[i]``, ``ends[i]``: the ``[start, end)`` span of the original text
    #: that normalized character ``i`` came from.
    starts: tuple[int, ...]
    ends: tuple[int, ...]

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a ``[start, end)`` span of normalized text to the original text."""
        if not 0 <= start < end <= len(self.text):
            raise ValueError(f"span [{start}, {end}) is not inside 0..{len(self.text)}")
        return self.starts[start], max(self.ends[start:end])


def normalize_with_offsets(text: str) -> NormalizedText:
    """Normalize ``text`` exactly as :func:`normalize` does, keeping an offset map.

    Characters are normalized a grapheme-like segment at a time (a base character
    and the combining marks after it), which NFKC treats independently in all but
    rare cases (Hangul jamo, for one). When the segments do not add up to the
    whole-text result, whitespace-separated runs are used, and then the whole text.
    """
    expected = normalize(text)
    for segments in (_mark_segments(text), _run_segments(text), [(0, len(text))]):
        mapped = _normalize_segments(text, segments)
        if mapped.text == expected:
            return mapped
    raise AssertionError("normalizing the whole text as one segment must match normalize()")


def _mark_segments(text: str) -> list[tuple[int, int]]:
    """Spans of one character plus the combining (non-starter) characters after it."""
    segments: list[tuple[int, int]] = []
    start = 0
    for index in range(1, len(text) + 1):
        if index == len(text) or unicodedata.combining(text[index]) == 0:
            segments.append((start, index))
            start = index
    return [segment for segment in segments if segment[0] < segment[1]]


def _run_segments(text: str) -> list[tuple[int, int]]:
    """Spans of whitespace runs and of the text between them."""
    return [match.span() for match in re.finditer(r"\s+|\S+", text)]


def _normalize_segments(text: str, segments: list[tuple[int, int]]) -> NormalizedText:
    characters: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for start, end in segments:
        for character in _fold(text[start:end]):
            if character.isspace():
                # A whitespace run folds to one space, and none at the start.
                if not characters or characters[-1] == " ":
                    continue
                character = " "
            characters.append(character)
            starts.append(start)
            ends.append(end)
    if characters and characters[-1] == " ":
        characters.pop()
        starts.pop()
        ends.pop()
    return NormalizedText("".join(characters), tuple(starts), tuple(ends))
