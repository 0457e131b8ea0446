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
    words: tuple[Word, ...]
    #: Whether each word's span is its own (else it is the sentence's).
    word_offsets: bool = True


def sentence_words(text: str, word_offsets: bool = True) -> list[SentenceWords]:
    """The sentences of ``text`` with their normalized words mapped back to ``text``.

    With ``word_offsets=False`` words are not mapped back (a third of the time; each
    word's span is then its sentence's), which is enough for counting and lineage but
    gives segments no word-level changes.
    """
    sentences = []
    for sentence in split_sentences(text):
        if not word_offsets:
            found_words = words(text[sentence.start : sentence.end])
            sentences.append(
                SentenceWords(
                    (sentence.start, sentence.end),
                    tuple(Word(word, sentence.start, sentence.end) for word in found_words),
                    word_offsets=False,
                )
            )
            continue
        mapped = normalize_with_offsets(text[sentence.start : sentence.end])
        found = []
        for word, start, end in word_spans(mapped.text):
            original_start, original_end = mapped.original_span(start, end)
            found.append(Word(word, sentence.start + original_start, sentence.start + original_end))
        sentences.append(SentenceWords((sentence.start, sentence.end), tuple(found)))
    return [sentence for sentence in sentences if sentence.words]


def texts_of(sentence_group: Sequence[SentenceWords]) -> list[str]:
    return [word.text for sentence in sentence_group for word in sentence.words]


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

    #: ``similarity`` of each pair, 0-100.
    scores: npt.NDArray[np.float32]
    #: The distinct words each pair shares.
    shared_words: npt.NDArray[np.float32]
    #: The distinct words of each source sentence, and of each derived one.
    source_sizes: npt.NDArray[np.float32]
    derived_sizes: npt.NDArray[np.float32]


def similarity_matrix(source: list[list[str]], derived: list[list[str]]) -> SimilarityMatrix:
    """``similarity`` of every source sentence with every derived one, vectorized."""
    sequence = process.cdist(source, derived, scorer=fuzz.ratio, dtype=np.float32)
    source_sets = [set(sentence) for sentence in source]
    derived_sets = [set(sentence) for sentence in derived]
    # Only words of both sides can be shared: the one-hot matrices need no column for
    # the others, which on long documents are most of them. (Column order does not
    # matter: the products are counts, exact in float32.)
    both = set().union(*source_sets) & set().union(*derived_sets)
    vocabulary = {word: column for column, word in enumerate(both)}
    source_matrix = np.zeros((len(source), len(vocabulary)), dtype=np.float32)
    derived_matrix = np.zeros((len(derived), len(vocabulary)), dtype=np.float32)
    for matrix, sets in ((source_matrix, source_sets), (derived_matrix, derived_sets)):
        for row, word_set in enumerate(sets):
            matrix[row, [vocabulary[word] for word in word_set & both]] = 1.0
    shared = source_matrix @ derived_matrix.T
    source_sizes = np.array([len(word_set) for word_set in source_sets], dtype=np.float32)
    derived_sizes = np.array([len(word_set) for word_set in derived_sets], dtype=np.float32)
    sizes = np.add.outer(source_sizes, derived_sizes)
    dice = np.divide(200.0 * shared, sizes, out=np.zeros_like(shared), where=sizes > 0)
    return SimilarityMatrix(np.maximum(sequence, dice), shared, source_sizes, derived_sizes)
