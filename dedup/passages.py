"""Passages reused with their words shuffled across sentence boundaries.

After sentence alignment, the words of a passage shuffled across its sentence
boundaries (AraPlagDet's word and phrase shuffling) sit in derived sentences that
each score 16-40 against any single source sentence, while the word bags of the
whole passage and its source agree to 99-100. This pass finds such runs of derived
sentences and the window of consecutive source sentences that holds them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class PassageThresholds:
    """See :class:`dedup.align.AlignmentSettings` (``passage_*``, ``min_passage_words``)."""

    #: Share of each derived sentence's distinct words the source window must hold.
    containment: float
    #: Dice (0-100) of the word multisets of the derived run and its source window.
    dice: float
    #: Words a derived run needs, so chance overlap of function words is no passage.
    min_words: int


def _unmatched_runs(count: int, used: set[int]) -> list[range]:
    """Maximal runs of consecutive indexes below ``count`` that are not in ``used``."""
    runs, start = [], 0
    for index in [*sorted(used), count]:
        if index > start:
            runs.append(range(start, index))
        start = max(start, index + 1)
    return runs


def match_passages(
    source_words: Sequence[list[str]],
    derived_words: Sequence[list[str]],
    close: set[int],
    thresholds: PassageThresholds,
) -> list[tuple[list[int], list[int]]]:
    """Runs of derived sentences (not in ``close``, those already matched closely) that
    a window of source sentences holds, as (source indexes, derived indexes).

    Candidates are runs of derived sentences each with ``containment`` of its distinct
    words in the source; each is paired with the source window whose word multiset is
    nearest (Dice), which the size penalty of Dice keeps from being a whole long
    source. Source sentences may serve several passages, as a derived document may
    reuse one source passage twice.
    """
    vocabulary = {word for sentence in source_words for word in sentence}
    not_held = {
        j
        for j, sentence in enumerate(derived_words)
        if j in close or not _held(sentence, vocabulary, thresholds.containment)
    }
    candidates = _unmatched_runs(len(derived_words), not_held)
    passages: list[tuple[list[int], list[int]]] = []
    while candidates:
        run = candidates.pop(0)
        found = _passage(run, range(len(source_words)), source_words, derived_words, thresholds)
        if found is None:
            continue
        source_window, derived_window = found
        passages.append((list(source_window), list(derived_window)))
        candidates[:0] = [
            part
            for part in (
                range(run.start, derived_window.start),
                range(derived_window.stop, run.stop),
            )
            if part
        ]
    return passages


def _held(sentence: Sequence[str], vocabulary: set[str], containment: float) -> bool:
    """Whether ``vocabulary`` holds at least ``containment`` of the sentence's distinct words."""
    distinct = set(sentence)
    return len(distinct & vocabulary) >= containment * len(distinct)


def _passage(
    derived_run: range,
    source_run: range,
    source_words: Sequence[list[str]],
    derived_words: Sequence[list[str]],
    thresholds: PassageThresholds,
) -> tuple[range, range] | None:
    """The source window nearest ``derived_run`` and the part of the run it holds, or
    None when they miss the passage thresholds. Derived sentences at either end that
    the window does not hold (another passage, or unrelated text) are trimmed off."""
    while derived_run:
        bag = Counter(word for j in derived_run for word in derived_words[j])
        size = sum(bag.values())
        if size < thresholds.min_words:
            return None
        dice, window = _nearest_window(bag, size, source_run, source_words)
        vocabulary = {word for i in window for word in source_words[i]}
        held = [_held(derived_words[j], vocabulary, thresholds.containment) for j in derived_run]
        if all(held):
            return (window, derived_run) if dice >= thresholds.dice else None
        if held[0] and held[-1]:
            return None
        first = held.index(True) if any(held) else len(held)
        last = len(held) - held[::-1].index(True) if any(held) else first
        derived_run = derived_run[first:last]
    return None


def _nearest_window(
    bag: Counter[str], size: int, source_run: range, source_words: Sequence[list[str]]
) -> tuple[float, range]:
    """The run of consecutive source sentences whose word multiset has the highest Dice
    (0-100) with ``bag`` of ``size`` words."""
    best_dice, best_window = 0.0, source_run[:0]
    for first in source_run:
        if not any(word in bag for word in source_words[first]):
            continue
        window: Counter[str] = Counter()
        shared = length = 0
        for last in range(first, source_run.stop):
            for word in source_words[last]:
                if window[word] < bag[word]:
                    shared += 1
                window[word] += 1
            length += len(source_words[last])
            dice = 200.0 * shared / (size + length)
            if dice > best_dice:
                best_dice, best_window = dice, range(first, last + 1)
            if 200.0 * size / (size + length) <= best_dice:
                break  # a longer window cannot beat it: at most ``size`` words are shared
    return best_dice, best_window
