"""Web-page leftovers: share buttons, read next/previous, comment forms, copyright,
newsletter, cookie and paywall lines. They are no outlet's own reporting, so they are
kept out of matching and out of what a rewrite "added", and shown as boilerplate.

Two ways to find them:

- a pattern list (``dedup/data/boilerplate.json``, easy to extend), matched against
  whole lines after normalization;
- lines that recur in several documents of one outlet (its page template), found
  across a batch by :func:`recurring_lines`. A line that recurs across outlets is
  usually the wire copy itself, the very thing dedup detects, so it never counts.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterable
from functools import lru_cache
from importlib import resources
from typing import Any

from dedup.normalize import normalize

Span = tuple[int, int]

#: A "line" pattern matches a line with at most this many words after the phrase.
_LINE_EXTRA_WORDS = 4
#: An "anywhere" pattern matches lines of at most this many words.
_ANYWHERE_MAX_WORDS = 40
#: The line after a navigation marker ("Read Next") is the linked title if this short.
_LINK_TITLE_MAX_WORDS = 20
#: Recurring lines longer than this are an outlet's stock paragraph, not its template.
_RECURRING_MAX_WORDS = 25


@lru_cache(maxsize=1)
def _patterns() -> dict[str, re.Pattern[str]]:
    """One regular expression per kind of pattern, so a line is tested in one C-level pass."""
    text = resources.files("dedup").joinpath("data/boilerplate.json").read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    compiled = {}
    for kind in ("line", "navigation", "anywhere"):
        phrases = sorted({normalize(phrase) for phrase in data[kind]}, key=len, reverse=True)
        alternatives = "|".join(re.escape(phrase) for phrase in phrases)
        compiled[kind] = re.compile(f"^(?:{alternatives})" if kind != "anywhere" else alternatives)
    return compiled


def lines(text: str) -> list[Span]:
    """Spans of the non-blank lines of ``text``, without their surrounding whitespace."""
    spans = []
    position = 0
    for line in text.splitlines(keepends=True):
        stripped = line.strip()
        if stripped:
            start = position + line.index(stripped[0])
            spans.append((start, start + len(stripped)))
        position += len(line)
    return spans


def _starts_with(normalized: str, pattern: re.Pattern[str], words: int) -> bool:
    match = pattern.match(normalized)
    return match is not None and words <= len(match.group().split()) + _LINE_EXTRA_WORDS


def normalized_lines(text: str) -> list[tuple[Span, str]]:
    """Each non-blank line's span and normalized text: normalizing line by line gives
    the same words as normalizing the whole text, and serves boilerplate too."""
    return [((start, end), normalize(text[start:end])) for start, end in lines(text)]


def boilerplate_spans(
    text: str,
    recurring: frozenset[str] = frozenset(),
    normalized: list[tuple[Span, str]] | None = None,
) -> list[Span]:
    """Spans of the lines of ``text`` that are boilerplate.

    Args:
        text: the article text.
        recurring: normalized lines known to recur in this outlet's other documents.
        normalized: ``normalized_lines(text)``, when the caller has it already.
    """
    patterns = _patterns()
    found: list[Span] = []
    after_marker = False
    for (start, end), line in normalized if normalized is not None else normalized_lines(text):
        words = len(line.split())
        if words > _ANYWHERE_MAX_WORDS:
            after_marker = False  # a long line is reporting, whatever it contains
            continue
        if after_marker and words <= _LINK_TITLE_MAX_WORDS:
            found.append((start, end))
            after_marker = False
            continue
        after_marker = _starts_with(line, patterns["navigation"], words)
        if (
            after_marker
            or _starts_with(line, patterns["line"], words)
            or patterns["anywhere"].search(line)
            or line in recurring
        ):
            found.append((start, end))
    return found


def without_spans(text: str, spans: Iterable[Span]) -> str:
    """``text`` with each span replaced by a line break (for matching, never for display)."""
    pieces = []
    position = 0
    for start, end in sorted(spans):
        pieces.append(text[position:start])
        pieces.append("\n")
        position = end
    pieces.append(text[position:])
    return "".join(pieces)


def recurring_lines(
    documents: Iterable[tuple[str | None, str]], min_documents: int = 3
) -> dict[str, frozenset[str]]:
    """Per outlet, the short lines found in at least ``min_documents`` of its documents
    and in no other outlet's, normalized. Documents without an outlet are left out.

    Lines are compared as written (stripped), which is fast and what a page template
    repeats; only the few that recur are normalized.

    Args:
        documents: (outlet, text) pairs.
        min_documents: how many of one outlet's documents a line must recur in.
    """
    if min_documents < 2:
        raise ValueError(f"min_documents must be at least 2, got {min_documents}")
    outlets_of: dict[str, set[str]] = defaultdict(set)
    count: dict[tuple[str, str], int] = defaultdict(int)
    for outlet, text in documents:
        if not outlet:
            continue
        for line in {line.strip() for line in text.splitlines()}:
            if line and len(line.split()) <= _RECURRING_MAX_WORDS:
                outlets_of[line].add(outlet)
                count[(outlet, line)] += 1
    result: dict[str, set[str]] = defaultdict(set)
    for (outlet, line), documents_with_line in count.items():
        if documents_with_line >= min_documents and len(outlets_of[line]) == 1:
            result[outlet].add(normalize(line))
    return {outlet: frozenset(found) for outlet, found in result.items()}
