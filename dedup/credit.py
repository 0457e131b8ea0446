"""Whether an article credits a news agency, and where: dateline, attribution, caption.

Agency names come from a data file (``dedup/data/agencies.json``) so that adding one is
a one-line change. Each name becomes a pattern over the original text that accepts
the spellings normalization would fold (any case; أ إ آ ا, ى ي, ة ه, ؤ و, ئ ي;
diacritics and tatweel anywhere) and the one-letter Arabic prefixes و ف ب ل
(``لرويترز``: "told Reuters"), so matches carry their real offsets without an offset
map. Acronyms such as ``AP`` are matched case-sensitively, so the word "ap" is none.

A name counts as a credit when its context says so:

- dateline: on its own line near the start, in the forms ``(Reuters) -``,
  ``LONDON (Reuters) -``, ``موسكو-رويترز``, ``(رويترز) –``;
- attribution: after "according to", "told", "reported", "حسب", "وفق", "نقلا عن",
  "ذكرت", "وكالة", "مراسل" ... or before "reported", "said";
- caption: ``via REUTERS``, ``REUTERS/Name``, "Photo: AP", "صورة: رويترز".

Anything else is a mention (a story about the agency), not a credit.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from functools import lru_cache
from importlib import resources
from typing import Any

from dedup.models import Credit
from dedup.normalize import normalize, words

#: How far from the start of the text a dateline may sit (characters): scraped pages
#: put captions and share buttons before it.
DATELINE_WINDOW = 1_000
_CONTEXT = 48

_ATTRIBUTION_BEFORE = re.compile(
    r"(according to|told|reported by|quoted by|cited by|citing|quoting|reports? from|"
    r"said|says|by|حسب|بحسب|وحسب|وفق|وفقا|ووفقا|نقلا عن|ونقلا عن|نقلت|ونقلت|ذكرت|وذكرت|"
    r"قالت|وقالت|افادت|واوردت|اوردت|لوكاله|وكاله|مراسل|لمراسل|ومراسل)\W*"
    r"(the\W*)?(news agency\W*|agency\W*|الانباء\W*)?$"
)
_ATTRIBUTION_AFTER = re.compile(r"^\W*(reported|reports|said|says|quoted|cited)\b")
_CAPTION_BEFORE = re.compile(r"(via|photo|picture|credit|image|صوره|الصوره|تصوير)\W*$")
_CAPTION_AFTER = re.compile(r"^/")
# On the name's own line: an optional place name, then a dash or an opening bracket
# before the name; a closing bracket, then a dash, a colon or the line's end after it.
_DATELINE_BEFORE = re.compile(
    r"^[^\S\n]*(?:[^\W\d][\w.']*(?:[^\S\n]+[^\W\d][\w.']*){0,2})?[^\S\n]*[-–—(\[][^\S\n]*$"
)
_DATELINE_AFTER = re.compile(r"^[)\]]?[^\S\n]*(?:[-–—:]|$)", re.MULTILINE)

_MARKS = "[\u064b-\u065f\u0670\u0640]*"
_VARIANTS = {"ا": "[اأإآٱ]", "ي": "[يىئی]", "ه": "[هة]", "و": "[وؤ]", "ك": "[كک]"}


def _name_pattern(name: str) -> str:
    """A pattern for ``name`` that accepts every spelling normalization folds together."""
    parts = []
    for character in normalize(name):
        if character == " ":
            parts.append(r"[\s.]*")
        elif character in _VARIANTS:
            parts.append(_VARIANTS[character] + _MARKS)
        else:
            parts.append(re.escape(character) + _MARKS)
    return "".join(parts)


@lru_cache(maxsize=1)
def _agencies() -> list[dict[str, Any]]:
    """The entries of the agencies data file."""
    text = resources.files("dedup").joinpath("data/agencies.json").read_text(encoding="utf-8")
    entries: list[dict[str, Any]] = json.loads(text)["agencies"]
    return entries


@lru_cache(maxsize=1)
def _agency_patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """Each agency's name and one pattern for all its names and acronyms."""
    compiled = []
    for entry in _agencies():
        alternatives = [
            f"(?i:{_name_pattern(name)})" for name in sorted(entry["names"], key=len, reverse=True)
        ]
        alternatives += [re.escape(acronym) for acronym in entry["acronyms"]]
        pattern = re.compile(
            r"(?<![\w/.])(?P<prefix>[وفبل]{0,2})(?P<name>" + "|".join(alternatives) + r")(?!\w)"
        )
        compiled.append((entry["agency"], pattern))
    return tuple(compiled)


@lru_cache(maxsize=1)
def _agency_words() -> dict[str, frozenset[int]]:
    """Normalized first words of every name and acronym, with Arabic one- and two-letter
    prefixes, and the agencies (by position) they may start."""
    found: dict[str, set[int]] = {}
    prefixes = ["", *"وفبل", *(a + b for a in "وفبل" for b in "وفبل")]
    for number, entry in enumerate(_agencies()):
        for name in [*entry["names"], *entry["acronyms"]]:
            for word in words(name)[:1]:
                for prefix in prefixes:
                    found.setdefault(prefix + word, set()).add(number)
    return {word: frozenset(agencies) for word, agencies in found.items()}


def candidate_agencies(document_words: Iterable[str]) -> frozenset[int]:
    """The agencies a document may credit, from its normalized words: a cheap pre-check
    (a set lookup per distinct word) before :func:`find_credits` scans the text."""
    table = _agency_words()
    found: set[int] = set()
    for word in set(document_words):
        if word in table:
            found |= table[word]
    return frozenset(found)


@lru_cache(maxsize=1)
def _outlet_aliases() -> dict[str, str]:
    aliases = {}
    for entry in _agencies():
        outlet_names = entry.get("outlets", [])
        for alias in [entry["agency"], *entry["names"], *entry["acronyms"], *outlet_names]:
            aliases[normalize(alias)] = entry["agency"]
    return aliases


def agency_of_outlet(outlet: str | None) -> str | None:
    """The agency an outlet name stands for ("Reuters", "رويترز", "AP"), if it is one."""
    return _outlet_aliases().get(normalize(outlet)) if outlet else None


def agency_names() -> tuple[str, ...]:
    """The agencies dedup knows, in the data file's order."""
    return tuple(name for name, _ in _agency_patterns())


def find_credits(text: str, agencies: Iterable[int] | None = None) -> list[Credit]:
    """Every agency ``text`` credits, once per kind of place, in text order.

    Args:
        text: the article text.
        agencies: only these agencies (positions, from :func:`candidate_agencies`).
    """
    patterns = _agency_patterns()
    chosen = range(len(patterns)) if agencies is None else sorted(agencies)
    found: dict[tuple[str, str], Credit] = {}
    for number in chosen:
        agency, pattern = patterns[number]
        for match in pattern.finditer(text):
            start, end = match.span("name")
            if match.group("prefix") and not _is_arabic(text[start:end]):
                continue  # a Latin name glued to Arabic letters is another word
            prefix = match.group("prefix")
            where = "attribution" if "ل" in prefix else _classify(text, start, end)
            if where is None:
                continue
            credit = Credit(agency, where, _evidence(text, match.start(), end), (start, end))
            found.setdefault((agency, where), credit)
    return sorted(found.values(), key=lambda credit: (credit.span, credit.agency))


def _is_arabic(word: str) -> bool:
    return any("\u0600" <= character <= "\u06ff" for character in word)


def _classify(text: str, start: int, end: int) -> str | None:
    before = normalize(text[max(0, start - _CONTEXT) : start])
    after = normalize(text[end : end + _CONTEXT])
    if _CAPTION_BEFORE.search(before) or _CAPTION_AFTER.match(after):
        return "caption"
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end == -1 else line_end
    if (
        start < DATELINE_WINDOW
        and _DATELINE_BEFORE.match(text[line_start:start])
        and _DATELINE_AFTER.match(text[end:line_end])
    ):
        return "dateline"
    if _ATTRIBUTION_BEFORE.search(before) or _ATTRIBUTION_AFTER.match(after):
        return "attribution"
    return None


def _evidence(text: str, start: int, end: int) -> str:
    """The name with up to four words before it and two after, on its own line."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end == -1 else line_end
    left = start
    for _ in range(4):
        previous = text.rfind(" ", line_start, max(line_start, left - 1))
        left = line_start if previous == -1 else previous + 1
    right = end
    for _ in range(2):
        following = text.find(" ", min(line_end, right + 1), line_end)
        right = line_end if following == -1 else following
    return text[left:right].strip()
