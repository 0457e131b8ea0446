"""Web-page leftovers: share buttons, read next/previous, comment forms, copyright,
newsletter, cookie and paywall lines; and news-agency wire metadata (slug lines,
wire bylines, end markers). They are no outlet's own reporting, so they are
kept out of matching and out of what a rewrite "added", and shown as boilerplate.

Two ways to find them:

- pattern lists, easy to extend: ``dedup/data/boilerplate.json`` (wire metadata as
  regular expressions, language-neutral marks) and one file per language in
  ``dedup/data/chrome/`` (labels, navigation markers, notices by kind), phrases
  matched as whole words after normalization;
- lines that recur in several documents of one outlet or site (its page template),
  found across a batch by :func:`recurring_lines`. A line that recurs across outlets
  is usually the wire copy itself, the very thing dedup detects, so it never counts.
"""

from __future__ import annotations

import json
import re
import unicodedata
from array import array
from collections import defaultdict
from collections.abc import Iterable, Iterator
from functools import lru_cache
from importlib import resources
from typing import Any

import ahocorasick
import numpy as np
import xxhash

from dedup.normalize import UNSPACED, WORD_CHARACTER, normalize, normalize_with_offsets, word_spans
from dedup.sentences import split_sentences

Span = tuple[int, int]

_WORD_CHARACTER = re.compile(WORD_CHARACTER)
_UNSPACED_CHARACTER = re.compile(f"[{UNSPACED}]")

#: A "line" pattern matches a line with at most this many words after the phrase.
_LINE_EXTRA_WORDS = 4
#: An "anywhere" pattern matches lines of at most this many words.
_ANYWHERE_MAX_WORDS = 40
#: The line after a navigation marker ("Read Next") is the linked title if this short.
_LINK_TITLE_MAX_WORDS = 20
#: A wire metadata line (slug, byline, end marker) is at most this many words.
_WIRE_MAX_WORDS = 12
#: Recurring lines longer than this are an outlet's stock paragraph, not its template.
_RECURRING_MAX_WORDS = 25
#: Capitalized words in a row, with no punctuation between them, that make a list
#: (a prose sentence rarely has more than five or six: "Prime Minister Boris Johnson").
_LIST_MIN_NAMES = 12
_TOKEN = re.compile(r"\S+")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[^\W\d_]{2,}")
_LETTERS = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")


#: The kinds of notice an "anywhere" list of a language file sorts its phrases into.
NOTICE_KINDS = (
    "cookies",
    "paywall",
    "login",
    "bot_check",
    "browser",
    "widgets",
    "legal",
    "donation",
    "press_release",
)


def _read_json(name: str) -> dict[str, Any]:
    text = resources.files("dedup").joinpath(f"data/{name}").read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


@lru_cache(maxsize=1)
def chrome_languages() -> dict[str, dict[str, Any]]:
    """Each language's page-chrome phrases (``dedup/data/chrome/<code>.json``), by code."""
    folder = resources.files("dedup").joinpath("data/chrome")
    found = {}
    for entry in sorted(folder.iterdir(), key=lambda entry: entry.name):
        if entry.name.endswith(".json"):
            language = _read_json(f"chrome/{entry.name}")
            found[language["language"]] = language
    return found


@lru_cache(maxsize=1)
def _data() -> dict[str, Any]:
    """The language-neutral patterns with every language's phrases merged in."""
    data = _read_json("boilerplate.json")
    merged: dict[str, Any] = {**data}
    for kind in ("line", "navigation", "anywhere"):
        merged[kind] = list(data[kind])
    for language in chrome_languages().values():
        merged["line"].extend(language["line"])
        merged["navigation"].extend(language["navigation"])
        for phrases in language["anywhere"].values():
            merged["anywhere"].extend(phrases)
    return merged


def _in_spaced_word(character: str) -> bool:
    """Whether ``character`` is part of a word of a script written with spaces."""
    return bool(_WORD_CHARACTER.fullmatch(character)) and not _UNSPACED_CHARACTER.match(character)


def _one_word(first: str, second: str) -> bool:
    """Whether two adjacent characters belong to one word."""
    return _in_spaced_word(first) and _in_spaced_word(second) and _script(first) == _script(second)


@lru_cache(maxsize=4096)
def _script(character: str) -> str:
    """The script of a character as its Unicode name begins (LATIN, ARABIC, ...)."""
    return unicodedata.name(character, "").split(" ", 1)[0]


@lru_cache(maxsize=2)
def _line_phrases(kind: str) -> frozenset[str]:
    """The normalized phrases of a line-start list ("line" or "navigation")."""
    return frozenset(normalize(phrase) for phrase in _data()[kind])


@lru_cache(maxsize=1)
def _patterns() -> dict[str, re.Pattern[str]]:
    """One regular expression per kind of line-start pattern, so a line is tested in
    one C-level pass."""
    data = _data()
    compiled = {}
    for kind in ("line", "navigation"):
        phrases = sorted(_line_phrases(kind), key=len, reverse=True)
        compiled[kind] = re.compile("^(?:" + "|".join(map(re.escape, phrases)) + ")")
    compiled["wire"] = re.compile("|".join(f"(?:{expression})" for expression in data["wire"]))
    return compiled


@lru_cache(maxsize=1)
def _notice_phrases() -> ahocorasick.Automaton:
    """The "anywhere" phrases in one Aho-Corasick automaton: every line is searched for
    all of them in one pass, seven times faster than a regular expression alternation
    (which retries every phrase at every position) and a fifth of all featurizing."""
    automaton = ahocorasick.Automaton()
    for phrase in {normalize(phrase) for phrase in _data()["anywhere"]}:
        automaton.add_word(phrase, len(phrase))
    automaton.make_automaton()
    return automaton


def _notices(line: str) -> Iterator[Span]:
    """Spans of the "anywhere" phrases the normalized ``line`` holds as whole words,
    and of its e-mail addresses: in any language an address is the contact block of
    a press release, an author's box or a form, not the story."""
    for match in _EMAIL.finditer(line):
        yield match.span()
    phrases = _notice_phrases()
    if phrases.kind == ahocorasick.EMPTY:  # an emptied list: searching would raise
        return
    for last, length in phrases.iter(line):
        first = last - length + 1
        starts_word = first == 0 or not _one_word(line[first - 1], line[first])
        ends_word = last + 1 == len(line) or not _one_word(line[last], line[last + 1])
        if starts_word and ends_word:
            yield first, last + 1


def _has_notice(line: str) -> bool:
    """Whether the normalized ``line`` contains an "anywhere" phrase as whole words."""
    return next(_notices(line), None) is not None


def word_count(line: str) -> int:
    """How many words a normalized line holds, for the length limits above. In scripts
    written without spaces (Chinese, Japanese, Thai) two characters count as one word,
    about their average word length."""
    unspaced = len(_UNSPACED_CHARACTER.findall(line))
    if not unspaced:
        return len(line.split())
    return len(_UNSPACED_CHARACTER.sub(" ", line).split()) + (unspaced + 1) // 2


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


def _starts_with(normalized: str, kind: str, words: int) -> bool:
    """Whether the line starts with a phrase of ``kind`` as whole words, and has at
    most a few words more. The regular expression finds the longest phrase in one
    pass; only when that one ends inside a word are the shorter ones tried."""
    match = _patterns()[kind].match(normalized)
    if match is None:
        return False
    end = match.end()
    if end < len(normalized) and _one_word(normalized[end - 1], normalized[end]):
        phrases = _line_phrases(kind)
        ends = [
            length
            for length in range(end - 1, 0, -1)
            if normalized[:length] in phrases
            and not _one_word(normalized[length - 1], normalized[length])
        ]
        if not ends:
            return False
        end = ends[0]
    return words <= word_count(normalized[:end]) + _LINE_EXTRA_WORDS


def normalized_lines(text: str) -> list[tuple[Span, str]]:
    """Each non-blank line's span and normalized text: normalizing line by line gives
    the same words as normalizing the whole text, and serves boilerplate too."""
    return [((start, end), normalize(text[start:end])) for start, end in lines(text)]


def boilerplate_spans(
    text: str,
    recurring: frozenset[int] = frozenset(),
    normalized: list[tuple[Span, str]] | None = None,
) -> list[Span]:
    """Spans of the lines of ``text`` that are boilerplate.

    Args:
        text: the article text.
        recurring: hashes of lines known to recur in this outlet's other documents.
        normalized: ``normalized_lines(text)``, when the caller has it already.
    """
    patterns = _patterns()
    found: list[Span] = []
    after_marker = False
    for (start, end), line in normalized if normalized is not None else normalized_lines(text):
        words = word_count(line)
        if words > _ANYWHERE_MAX_WORDS:
            after_marker = False  # a long line is reporting, but for a notice inside it
            if _has_notice(line):
                found.extend(_notice_sentences(text, start, end))
            found.extend(_name_lists(text, start, end))
            continue
        if after_marker and words <= _LINK_TITLE_MAX_WORDS:
            found.append((start, end))
            after_marker = False
            continue
        after_marker = _starts_with(line, "navigation", words)
        if (
            after_marker
            or _starts_with(line, "line", words)
            or _has_notice(line)
            or (words <= _WIRE_MAX_WORDS and patterns["wire"].match(line))
            or (recurring and line_hash(text[start:end]) in recurring)
        ):
            found.append((start, end))
        elif words >= _LIST_MIN_NAMES:
            found.extend(_name_lists(text, start, end))
    return _merged(found)


def _merged(spans: list[Span]) -> list[Span]:
    """``spans`` in order, overlapping ones joined (a notice inside a list, say)."""
    merged: list[Span] = []
    for start, end in sorted(spans):
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _name_lists(text: str, start: int, end: int) -> list[Span]:
    """Spans of ``text[start:end]`` that are lists of names with nothing between them:
    a menu, a form's choices (countries, sectors), tags, headlines one after another,
    flattened into running text. Prose names people, places and bodies a few at a
    time, with commas, verbs and "and"; ``_LIST_MIN_NAMES`` capitalized words in a
    row with no punctuation, digit or two lowercase words between them are a list.
    Scripts without case (Arabic, Chinese) have no such lists to find."""
    found = []
    run_start = run_end = -1
    names = 0
    lowercase_before = False
    for match in _TOKEN.finditer(text, start, end):
        token = match.group()
        if token[0].isupper() and _LETTERS.fullmatch(token):
            if names == 0:
                run_start = match.start()
            names += 1
            run_end = match.end()
            lowercase_before = False
            continue
        if names and not lowercase_before and token.islower() and len(token) <= 3:
            lowercase_before = _LETTERS.fullmatch(token) is not None
            if lowercase_before:
                continue
        if names >= _LIST_MIN_NAMES:
            found.append((run_start, run_end))
        names, lowercase_before = 0, False
    if names >= _LIST_MIN_NAMES:
        found.append((run_start, run_end))
    return found


def _notice_sentences(text: str, start: int, end: int) -> list[Span]:
    """The short sentences of the long line ``text[start:end]`` holding a notice: pages
    saved as one line (or feeds that join paragraphs) carry their cookie, paywall and
    newsletter notices inside it. In a long stretch with no sentence end (a form, a
    widget or a footer flattened with its labels) the notice is the words around its
    phrase, as many as a notice line may hold."""
    found = []
    for sentence in split_sentences(text[start:end]):
        sentence_start = start + sentence.start
        sentence_text = normalize(text[sentence_start : start + sentence.end])
        if word_count(sentence_text) <= _ANYWHERE_MAX_WORDS:
            if _has_notice(sentence_text):
                found.append((sentence_start, start + sentence.end))
            continue
        mapped = normalize_with_offsets(text[sentence_start : start + sentence.end])
        for first, last in _notice_windows(mapped.text):
            original_start, original_end = mapped.original_span(first, last)
            found.append((sentence_start + original_start, sentence_start + original_end))
    return found


def _notice_windows(sentence: str) -> list[Span]:
    """Spans of the normalized ``sentence``: each notice phrase with half a notice
    line's words on either side, overlapping windows merged."""
    spans = [(first, last) for _, first, last in word_spans(sentence)]
    if not spans:
        return []
    starts = np.array([first for first, _ in spans])
    ends = np.array([last for _, last in spans])
    reach = _ANYWHERE_MAX_WORDS // 2
    windows: list[Span] = []
    for first, last in _notices(sentence):
        first_word = int(np.searchsorted(ends, first, side="right"))
        last_word = int(np.searchsorted(starts, last, side="left")) - 1
        low = max(0, first_word - reach)
        high = min(len(spans) - 1, max(first_word, last_word) + reach)
        window = (spans[low][0], spans[high][1])
        if windows and window[0] <= windows[-1][1]:
            windows[-1] = (windows[-1][0], max(windows[-1][1], window[1]))
        else:
            windows.append(window)
    return windows


def kept_words_text(
    text: str, normalized: list[tuple[Span, str]], boilerplate: Iterable[Span]
) -> str:
    """The normalized text of ``text`` without its boilerplate: whole lines left out,
    and sentences set aside inside a line cut out of it."""
    set_aside = set(boilerplate)
    cut_out: dict[Span, list[Span]] = defaultdict(list)
    for span in set_aside - {line_span for line_span, _ in normalized}:
        for (start, end), _ in normalized:
            if start <= span[0] and span[1] <= end:
                cut_out[start, end].append((span[0] - start, span[1] - start))
    pieces: list[str] = []
    for (start, end), normalized_line in normalized:
        if (start, end) in set_aside:
            continue
        if (start, end) in cut_out:
            normalized_line = normalize(without_spans(text[start:end], cut_out[start, end]))
        pieces.append(normalized_line)
    return " ".join(pieces)


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


def line_hash(line: str) -> int:
    """The 64-bit hash of a line as written (stripped), by which recurring lines are known."""
    return xxhash.xxh64_intdigest(line.strip().encode())


def recurring_lines(
    documents: Iterable[tuple[str | None, str]], min_documents: int = 3
) -> dict[str, frozenset[int]]:
    """Per outlet, the short lines found in at least ``min_documents`` of its documents
    and in no other outlet's, as :func:`line_hash` values. Documents without an outlet
    are left out.

    Lines are compared as written, which is what a page template repeats, and counted
    as hashes in numpy arrays: a 100k-document batch has millions of distinct lines.

    Args:
        documents: (outlet, text) pairs.
        min_documents: how many of one outlet's documents a line must recur in.
    """
    if min_documents < 2:
        raise ValueError(f"min_documents must be at least 2, got {min_documents}")
    outlet_numbers: dict[str, int] = {}
    # Typed arrays, not lists: a million documents have tens of millions of lines.
    hashes = array("Q")
    owners = array("q")
    for outlet, text in documents:
        if not outlet:
            continue
        number = outlet_numbers.setdefault(outlet, len(outlet_numbers))
        seen = {
            line_hash(line)
            for line in text.splitlines()
            if line.strip() and line.count(" ") < _RECURRING_MAX_WORDS
        }
        hashes.extend(seen)
        owners.extend([number] * len(seen))
    if not hashes:
        return {}
    line_array = np.frombuffer(hashes, dtype=np.uint64)
    owner_array = np.frombuffer(owners, dtype=np.int64)
    order = np.lexsort((owner_array, line_array))
    line_array, owner_array = line_array[order], owner_array[order]
    # Runs of one (line, outlet): how many of that outlet's documents have the line.
    starts = np.flatnonzero(
        np.concatenate(([True], (np.diff(line_array) != 0) | (np.diff(owner_array) != 0)))
    )
    counts = np.diff(np.concatenate((starts, [line_array.size])))
    run_lines, run_owners = line_array[starts], owner_array[starts]
    # A line is the outlet's own when its line has no run for another outlet.
    outlets_per_line = np.unique(run_lines, return_counts=True)
    single_outlet = set(outlets_per_line[0][outlets_per_line[1] == 1].tolist())
    names = {number: outlet for outlet, number in outlet_numbers.items()}
    result: dict[str, set[int]] = defaultdict(set)
    for line, owner, count in zip(
        run_lines.tolist(), run_owners.tolist(), counts.tolist(), strict=True
    ):
        if count >= min_documents and line in single_outlet:
            result[names[owner]].add(line)
    return {outlet: frozenset(found) for outlet, found in result.items()}
