"""Sentences as normalized words, and how alike two of them are (rapidfuzz).

Two sentences score the larger of the Indel similarity of their word lists
(rapidfuzz's ``fuzz.ratio`` over lists) and the Dice coefficient of their word sets,
which forgives reordered clauses, both 0-100. On the seeds, words separate better than
characters: unrelated Arabic sentences score at most 30 (two outliers, 45 and 46) on
words but up to 62 on characters, because Arabic shares so many letters, while
sentences of two separate translations of one wire story score 41-78.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from rapidfuzz import fuzz, process

from dedup.normalize import normalize_with_offsets, word_spans, words
from dedup.sentences import split_sentences

Span = tuple[int, int]


@dataclass(frozen=True, slots=True)
class Word:
    """A normalized word and its ``[start, end)`` span in the original document."""

    text: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class SentenceWords:
    """A sentence's span in its document and its normalized words."""

    span: Span
    #: The normalized words, what alignment compares.
    texts: tuple[str, ...]
    #: The same words with their spans in the document, when they were mapped back
    #: (empty otherwise: counting and lineage need no offsets).
    words: tuple[Word, ...] = ()

    @property
    def word_offsets(self) -> bool:
        """Whether each word's own span is known (word-level changes need it)."""
        return len(self.words) == len(self.texts)


def sentence_words(text: str, word_offsets: bool = True) -> list[SentenceWords]:
    """The sentences of ``text`` with their normalized words mapped back to ``text``.

    With ``word_offsets=False`` words are not mapped back (a third of the time, and
    no object per word), which is enough for counting and lineage but gives segments
    no word-level changes.
    """
    sentences = []
    for sentence in split_sentences(text):
        span = (sentence.start, sentence.end)
        if not word_offsets:
            sentences.append(SentenceWords(span, tuple(words(text[sentence.start : sentence.end]))))
            continue
        mapped = normalize_with_offsets(text[sentence.start : sentence.end])
        found = []
        for word, start, end in word_spans(mapped.text):
            original_start, original_end = mapped.original_span(start, end)
            found.append(Word(word, sentence.start + original_start, sentence.start + original_end))
        sentences.append(SentenceWords(span, tuple(word.text for word in found), tuple(found)))
    return [sentence for sentence in sentences if sentence.texts]


def texts_of(sentence_group: Sequence[SentenceWords]) -> list[str]:
    return [word for sentence in sentence_group for word in sentence.texts]


def similarity(first: Sequence[str], second: Sequence[str]) -> float:
    """0-100: the larger of word-sequence Indel similarity and word-set Dice."""
    first_set, second_set = set(first), set(second)
    if not first_set and not second_set:
        return 100.0
    dice = 200.0 * len(first_set & second_set) / (len(first_set) + len(second_set))
    return max(float(fuzz.ratio(first, second)), dice)


@dataclass(frozen=True, slots=True)
class SimilarityMatrix:
    """How alike every source sentence is to every derived one (rows: source)."""

    #: ``similarity`` of each pair, 0-100, in double precision: the very value
    #: ``similarity`` gives that pair, so thresholds decide alike on both.
    scores: npt.NDArray[np.float64]
    #: The distinct words each pair shares.
    shared_words: npt.NDArray[np.float32]
    #: The distinct words of each source sentence, and of each derived one.
    source_sizes: npt.NDArray[np.float32]
    derived_sizes: npt.NDArray[np.float32]

    def columns(self, start: int, stop: int) -> SimilarityMatrix:
        """The matrix of the source with derived sentences ``start`` to ``stop`` only."""
        return SimilarityMatrix(
            self.scores[:, start:stop],
            self.shared_words[:, start:stop],
            self.source_sizes,
            self.derived_sizes[start:stop],
        )


def similarity_matrix(source: list[list[str]], derived: list[list[str]]) -> SimilarityMatrix:
    """``similarity`` of every source sentence with every derived one, vectorized.

    Words become small integers first: rapidfuzz compares integers without hashing
    strings, and the shared-word counts are one product of 0/1 matrices whose
    columns are the distinct words.
    """
    vocabulary: dict[str, int] = {}
    source_ids = [[vocabulary.setdefault(word, len(vocabulary)) for word in s] for s in source]
    source_vocabulary = len(vocabulary)
    derived_ids = [[vocabulary.setdefault(word, len(vocabulary)) for word in s] for s in derived]
    sequence = process.cdist(source_ids, derived_ids, scorer=fuzz.ratio, dtype=np.float64)
    # Only words of both sides can be shared: the 0/1 matrices need a column for
    # those alone, which on long documents are a small part of the vocabulary.
    column = np.full(len(vocabulary), -1, dtype=np.intp)
    in_derived = np.fromiter((w for s in derived_ids for w in s), dtype=np.intp)
    both = np.unique(in_derived[in_derived < source_vocabulary])
    column[both] = np.arange(both.size)
    source_matrix = _word_matrix(source_ids, column, both.size)
    derived_matrix = _word_matrix(derived_ids, column, both.size)
    # Counts of 0/1 products are exact in float32.
    shared = source_matrix @ derived_matrix.T
    source_sizes = np.array([len(set(s)) for s in source_ids], dtype=np.float32)
    derived_sizes = np.array([len(set(s)) for s in derived_ids], dtype=np.float32)
    sizes = np.add.outer(source_sizes, derived_sizes)
    dice = np.divide(
        200.0 * shared.astype(np.float64), sizes, out=np.zeros_like(sequence), where=sizes > 0
    )
    return SimilarityMatrix(np.maximum(sequence, dice), shared, source_sizes, derived_sizes)


def _word_matrix(
    sentences: list[list[int]], column: npt.NDArray[np.intp], width: int
) -> npt.NDArray[np.float32]:
    """Row per sentence, ``width`` columns: 1 where the sentence has the word whose
    ``column`` that is (words with column -1 have none)."""
    matrix = np.zeros((len(sentences), width), dtype=np.float32)
    rows = np.repeat(np.arange(len(sentences)), [len(sentence) for sentence in sentences])
    columns = column[np.fromiter((w for s in sentences for w in s), dtype=np.intp, count=rows.size)]
    kept = columns >= 0
    matrix[rows[kept], columns[kept]] = 1.0
    return matrix
