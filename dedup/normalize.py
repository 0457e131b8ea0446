"""Text for matching: Unicode forms, Arabic orthography, case, punctuation, words.

Normalized text is only ever compared, never shown: the original is kept for display,
and :func:`normalize_with_offsets` maps every normalized character back to the
original characters it came from, so a later highlight lands on the real text.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import regex

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
    # Quranic annotation marks.
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

# Python's re matches exactly the characters str.isspace() accepts, which the
# offset-keeping path relies on.
_WHITESPACE = re.compile(r"\s+")

# Scripts written without spaces between words: each character is a token, so word
# n-grams become character n-grams there.
_UNSPACED = r"\p{Han}\p{Hiragana}\p{Katakana}\p{Thai}\p{Lao}\p{Khmer}\p{Myanmar}\p{Tibetan}"
_WORD = regex.compile(r"[\p{L}\p{M}\p{N}]+")
_HAS_UNSPACED = regex.compile(rf"[{_UNSPACED}]")
_WORD_OR_UNSPACED_CHARACTER = regex.compile(
    rf"[{_UNSPACED}]|[[\p{{L}}\p{{M}}\p{{N}}]--[{_UNSPACED}]]+", flags=regex.VERSION1
)


def _fold(text: str) -> str:
    """Every rule but whitespace folding, in an order that makes the result idempotent.

    The table runs before NFKC so that a removed zero-width or bidi character cannot
    hide a composition, and again after it because NFKC turns presentation forms and
    full-width punctuation into characters the table maps.
    """
    translated = text.translate(_TABLE)
    composed = unicodedata.normalize("NFKC", translated)
    if composed != translated:
        # NFKC produced presentation-form letters or full-width punctuation that the
        # table maps; casefolding never produces such characters.
        composed = unicodedata.normalize("NFKC", composed.translate(_TABLE))
    folded = composed.casefold()
    if not unicodedata.is_normalized("NFKC", folded):
        # Case folding can leave a composable pair (ß + acute -> ss + acute).
        folded = unicodedata.normalize("NFKC", folded)
    return folded


def normalize(text: str) -> str:
    """Return ``text`` as compared for matching.

    NFKC; zero-width and bidi controls removed; case folded; Arabic diacritics and
    tatweel removed, alef, yeh, ta marbuta and hamza carriers unified, Eastern digits
    made ASCII; quotes and dashes unified; every run of whitespace one space.
    """
    return _WHITESPACE.sub(" ", _fold(text)).strip()


def tokenize(normalized: str) -> list[str]:
    """Split normalized text into words: runs of letters, marks and digits in any script."""
    pattern = _WORD_OR_UNSPACED_CHARACTER if _HAS_UNSPACED.search(normalized) else _WORD
    tokens: list[str] = pattern.findall(normalized)
    return tokens


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
