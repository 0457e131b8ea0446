"""Sentence splitting for news in Arabic and Latin scripts, as spans of the original text.

Line breaks always end a sentence (news paragraphs are lines), and no sentence spans
two paragraphs. Inside a line, a sentence ends after ``.`` ``!`` ``?`` ``؟`` ``…``
``؛`` (and runs of them), or after the Chinese and Japanese ``。`` ``！`` ``？`` even
with no space after them, together with any closing quotes or brackets after them,
when the next sentence starts: after whitespace, or straight after a period when an
Arabic word or a capitalized Latin word follows (``موضوعية.وقال``, a missing space
that rewritten copy is full of). A period does not end a sentence inside a number
(``2.5``), after an initial (``J. Smith``, ``U.S.``) or after a common abbreviation
(``Mr.``, ``Gen.``, ``Jan.``).

Spans index the text exactly as given, so a sentence can be highlighted in place.
pysbd cuts Arabic at every comma and colon, and NLTK's punkt needs a data download and
knows no Arabic, hence a small splitter of our own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: Chinese and Japanese full stops and marks end a sentence with no space after them
#: (the scripts use none).
_CJK_TERMINATORS = "。！？｡"
_TERMINATORS = ".!?؟…؛" + _CJK_TERMINATORS
_CLOSERS = "\"'”’»)]}›」』）】》〉"
_ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof sr jr st mt gen col lt capt sgt maj adm gov sen rep rev hon
    pres supt insp det cllr inc ltd co corp plc llc bros dept univ assn est approx
    vs etc al no nos vol pp fig jan feb mar apr jun jul aug sep sept oct nov dec
    mon tue tues wed thu thur thurs fri sat sun""".split()
)

_PARAGRAPH = re.compile(r"[^\r\n\u2028\u2029\x0b\x0c\x85]+")
# A run of terminators, the closers after it, then the whitespace before the next
# sentence (or nothing, when a word follows straight away).
_BOUNDARY = re.compile(rf"[{re.escape(_TERMINATORS)}]+[{re.escape(_CLOSERS)}]*\s*")
_ARABIC_LETTER = re.compile(r"[\u0621-\u064a\u066e-\u06d3\u06fa-\u06ff]")


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence: ``text[start:end]`` of the original, and its paragraph's number."""

    start: int
    end: int
    paragraph: int


def split_sentences(text: str) -> list[Sentence]:
    """The sentences of ``text``, in order, without surrounding whitespace."""
    sentences: list[Sentence] = []
    paragraph = 0
    for line in _PARAGRAPH.finditer(text):
        if not line.group().strip():
            continue
        start = line.start()
        for boundary in _BOUNDARY.finditer(text, line.start(), line.end()):
            if _ends_sentence(text, boundary, line.end()):
                _append(sentences, text, start, boundary.end(), paragraph)
                start = boundary.end()
        _append(sentences, text, start, line.end(), paragraph)
        paragraph += 1
    return sentences


def _append(sentences: list[Sentence], text: str, start: int, end: int, paragraph: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start < end and any(character.isalnum() for character in text[start:end]):
        sentences.append(Sentence(start, end, paragraph))
    elif sentences and start < end and sentences[-1].paragraph == paragraph:
        # Stray punctuation (a closing quote on its own) stays with its sentence.
        previous = sentences.pop()
        sentences.append(Sentence(previous.start, end, paragraph))


def _ends_sentence(text: str, boundary: re.Match[str], line_end: int) -> bool:
    after = boundary.end()
    if after >= line_end:
        return False  # the end of the line ends the sentence anyway
    marks = boundary.group().rstrip()
    spaced = boundary.group() != marks
    following = text[after]
    if any(mark in _CJK_TERMINATORS for mark in marks):
        return True
    if marks.rstrip(_CLOSERS) != ".":
        # ! ? ؟ … ؛ and runs such as "..." end a sentence before a space; glued to the
        # next word they do only when it is Arabic or capitalized.
        return spaced or _starts_new_word(following)
    word = _word_before(text, boundary.start())
    if following.isdigit() and not spaced:
        return False  # 2.5, 1.000.000
    if len(word) == 1 and word.isalpha():
        return False  # an initial: J. Smith, U.S., S.A.
    if word.casefold() in _ABBREVIATIONS:
        return False
    if spaced:
        return not following.islower()
    return _starts_new_word(following) and len(word) >= 2


def _starts_new_word(character: str) -> bool:
    return bool(_ARABIC_LETTER.match(character)) or character.isupper()


def _word_before(text: str, position: int) -> str:
    start = position
    while start > 0 and text[start - 1].isalnum():
        start -= 1
    return text[start:position]
