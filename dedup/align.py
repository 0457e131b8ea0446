"""Sentence alignment of two versions of a story, with word-level changes (rapidfuzz).

Sentences are compared as normalized words (:mod:`dedup.similarity`).

1. Pairs scoring at least ``rewritten_threshold`` are matched greedily, best first.
2. Among the sentences left, one sentence and a run of two to ``max_run`` consecutive
   sentences on the other side are matched the same way: a paraphrase that splits a
   long sentence in two or three leaves pieces that each score 20-35 against the
   whole, which together score as the rewrite they are (45-80 on AraPlagDet's manual
   paraphrases); a merge is the same seen from the other side.
3. An unmatched sentence next to a matched one joins it when the two together match
   better (a sentence split in two, or two merged into one, is one alignment).
4. A run of unmatched derived sentences whose words a window of source sentences
   holds is one ``rewritten`` passage: the words of a passage shuffled across
   its sentence boundaries (AraPlagDet's word and phrase shuffling) end up in derived
   sentences that each score 16-40 against any single source sentence, while the
   passage's word bags agree to 99-100.
5. Each match is ``same`` (equal words), ``edited`` (score at least
   ``edited_threshold``) or ``rewritten``; matches outside the longest run that keeps
   the source's order are ``moved``; the rest is ``added`` or ``dropped``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from rapidfuzz.distance import Levenshtein

from dedup.errors import TooLongToAlignError
from dedup.passages import PassageThresholds, match_passages
from dedup.similarity import (
    SentenceWords,
    SimilarityMatrix,
    Span,
    similarity,
    similarity_matrix,
)

#: Sentences a document may have for alignment: its time and memory grow with the
#: product of the two counts (two documents of 5,000 copies of one sentence took 4.6 GB).
MAX_ALIGNED_SENTENCES = 2_000


@dataclass(frozen=True, slots=True)
class AlignmentSettings:
    """Thresholds of the aligner, on the 0-100 word-level similarity."""

    #: At or above: an ``edited`` sentence (a few words changed). Near-verbatim copies
    #: on the seeds score 80-94; separate translations of one sentence at most 78.
    edited_threshold: float = 80.0
    #: At or above: the same sentence ``rewritten``. Unrelated sentences on the seeds
    #: score at most 29 (one outlier, 46); translations 40-78.
    rewritten_threshold: float = 40.0
    #: A match must also share this many distinct words (or be the same two or more
    #: words), so two short sentences that share "said on Tuesday" are not one, nor are
    #: two one-word lines such as "إلخ." (etc.), which marked 2 in 300 unrelated
    #: AraPlagDet pairs.
    min_shared_words: int = 3
    #: How much better a split or merge must score than the single sentence it extends.
    join_gain: float = 5.0
    #: Second pass: the longest run of consecutive sentences matched with one sentence
    #: of the other side (1 turns the pass off). Two, Gale and Church's 1-2 and 2-1
    #: beads; a third piece then joins in step 3 when it adds ``join_gain``. Three
    #: found a little more of AraPlagDet's paraphrases (recall 0.780, not 0.763) and
    #: marked more of the text around them (precision 0.978, not 0.979).
    max_run: int = 2
    #: Passage pass: each derived sentence of a passage has at least this share of its
    #: distinct words in the source window. Shuffled passages have 1.0; 98% of unrelated
    #: AraPlagDet sentences less than 0.8, nearly all the rest are a few words long.
    passage_containment: float = 0.9
    #: Passage pass: at least this Dice (0-100) of the word multisets of the derived run
    #: and its best source window (shuffled passages score 95-100).
    passage_threshold: float = 60.0
    #: Passage pass: at least this many words in the derived run, so that chance overlap
    #: of function words in unrelated text is not a passage.
    min_passage_words: int = 30

    def __post_init__(self) -> None:
        if not 0 <= self.rewritten_threshold <= self.edited_threshold <= 100:
            raise ValueError(
                "thresholds must satisfy 0 <= rewritten_threshold <= edited_threshold <= 100, "
                f"got {self.rewritten_threshold} and {self.edited_threshold}"
            )
        if self.min_shared_words < 1:
            raise ValueError(f"min_shared_words must be at least 1, got {self.min_shared_words}")
        if self.max_run < 1:
            raise ValueError(f"max_run must be at least 1, got {self.max_run}")
        if not 0 < self.passage_containment <= 1:
            raise ValueError(
                f"passage_containment must be in (0, 1], got {self.passage_containment}"
            )
        if not 0 < self.passage_threshold <= 100:
            raise ValueError(f"passage_threshold must be in (0, 100], got {self.passage_threshold}")
        if self.min_passage_words < 1:
            raise ValueError(f"min_passage_words must be at least 1, got {self.min_passage_words}")


@dataclass(frozen=True, slots=True)
class WordChange:
    """Words replaced, deleted or inserted inside an aligned pair (original offsets)."""

    operation: str  # "replace", "delete" or "insert"
    source_span: Span | None
    derived_span: Span | None


@dataclass(frozen=True, slots=True)
class Segment:
    """One line of the diff: aligned sentences, or a sentence on one side only."""

    #: same, edited, rewritten, moved, added, dropped, or boilerplate (web-page
    #: leftovers on either side, never aligned).
    operation: str
    #: 0-100 word-level similarity (100 for same, 0 for added and dropped).
    score: float
    source_sentences: tuple[int, ...]
    derived_sentences: tuple[int, ...]
    source_span: Span | None
    derived_span: Span | None
    #: For matches, how close the words are (same, edited, rewritten), moved or not.
    match: str | None = None
    changes: tuple[WordChange, ...] = ()


#: Each sentence of a document as its list of normalized words.
Words = Sequence[list[str]]
#: Aligned sentences, (source indexes, derived indexes), each in order.
Group = tuple[list[int], list[int]]


def _joined(sentences: Words, indexes: Sequence[int]) -> list[str]:
    return [word for index in indexes for word in sentences[index]]


def _score(
    source: Words, derived: Words, group: Group, matrix: SimilarityMatrix | None = None
) -> float:
    """``similarity`` of the group's words; a single pair's is read off ``matrix``."""
    if matrix is not None and len(group[0]) == 1 and len(group[1]) == 1:
        return float(matrix.scores[group[0][0], group[1][0]])
    return similarity(_joined(source, group[0]), _joined(derived, group[1]))


def align(
    source: Sequence[SentenceWords],
    derived: Sequence[SentenceWords],
    settings: AlignmentSettings | None = None,
    matrix: SimilarityMatrix | None = None,
) -> list[Segment]:
    """Align two documents' sentences; segments come in the derived document's order,
    each dropped sentence after the segment that holds the source sentence before it.

    ``matrix``: their sentences' similarity when the caller has it already.
    """
    settings = settings or AlignmentSettings()
    longest = max(len(source), len(derived))
    if longest > MAX_ALIGNED_SENTENCES:
        raise TooLongToAlignError(
            f"{longest:,} sentences: sentence alignment takes documents of up to "
            f"{MAX_ALIGNED_SENTENCES:,} (a long news feature has a few hundred)"
        )
    source_words = [list(sentence.texts) for sentence in source]
    derived_words = [list(sentence.texts) for sentence in derived]
    groups: list[Group] = []
    if source and derived:
        if matrix is None:
            matrix = similarity_matrix(source_words, derived_words)
        groups = [
            ([i], [j]) for i, j in _match_pairs(matrix, source_words, derived_words, settings)
        ]
        groups += _match_runs(groups, matrix, source_words, derived_words, settings)
    groups = _join_neighbours(sorted(groups), source_words, derived_words, settings, matrix)
    passages = _match_passages(groups, source_words, derived_words, settings, matrix)
    claimed = {j for _, derived_group in passages for j in derived_group}
    groups = [group for group in groups if claimed.isdisjoint(group[1])]
    return _segments(
        [*groups, *passages],
        source,
        derived,
        (source_words, derived_words),
        settings,
        len(groups),
        matrix,
    )


def _match_pairs(
    matrix: SimilarityMatrix, source: Words, derived: Words, settings: AlignmentSettings
) -> list[tuple[int, int]]:
    """Greedy one-to-one matching, best score first (ties by position), in source order."""
    rows, columns = np.nonzero(matrix.scores >= settings.rewritten_threshold)
    ranked = sorted(
        (-round(float(matrix.scores[i, j]), 3), int(i), int(j))
        for i, j in zip(rows, columns, strict=True)
    )
    matched: dict[int, int] = {}
    taken: set[int] = set()
    for _, i, j in ranked:
        if i in matched or j in taken:
            continue
        if matrix.shared_words[i, j] < settings.min_shared_words and (
            len(source[i]) < 2 or source[i] != derived[j]
        ):
            continue
        matched[i] = j
        taken.add(j)
    return sorted(matched.items())


def _match_runs(
    groups: list[Group],
    matrix: SimilarityMatrix,
    source: Words,
    derived: Words,
    settings: AlignmentSettings,
) -> list[Group]:
    """Greedy matching, best score first, of one sentence with a run of 2 to ``max_run``
    consecutive sentences on the other side, among the sentences no group holds (the
    1-2 and 2-1 beads of Gale and Church, "A Program for Aligning Sentences in
    Bilingual Corpora", 1993, scored on words).

    A run is held to the thresholds of a pair, and each of its sentences must share
    ``min_shared_words`` with the one sentence, as a pair must: it is pieces of that
    sentence, not a pair padded with neighbours. On the 587 unrelated document pairs
    of AraPlagDet, the 286k runs of two that qualify score at most 31 (99.99th
    percentile 24), less than single pairs (at most 47, 99.99th percentile 30), so
    ``rewritten_threshold`` holds for them as it is; without the rule on every
    sentence, 1.9M runs qualify and four reach 40-50. Runs are looked for by their
    word sets: only those whose Dice could reach ``rewritten_threshold`` are scored.
    """
    free_source = np.ones(len(source), dtype=bool)
    free_derived = np.ones(len(derived), dtype=bool)
    for source_group, derived_group in groups:
        free_source[source_group] = False
        free_derived[derived_group] = False
    # Which free sentence shares enough words with which free sentence of the other side.
    enough = (matrix.shared_words >= settings.min_shared_words) & np.outer(
        free_source, free_derived
    )
    if not enough.any():
        return []
    ranked: list[tuple[float, list[int], list[int]]] = []
    for run_side, shared, pairs, one_sizes, runs_are_source in (
        (source, matrix.shared_words, enough, matrix.derived_sizes, True),
        (derived, matrix.shared_words.T, enough.T, matrix.source_sizes, False),
    ):
        able = pairs.any(axis=1)
        for length in range(2, settings.max_run + 1):
            # Runs whose every sentence shares enough words with some sentence ...
            starts = len(run_side) - length + 1
            if starts < 1:
                continue
            promising = np.logical_and.reduce([able[k : k + starts] for k in range(length)])
            first = np.nonzero(promising)[0]
            if not first.size:
                continue
            runs = first[:, None] + np.arange(length)
            # ... and the sentences of the other side each of them shares enough with,
            # when the run's Dice could reach the threshold: a run shares at most what
            # its sentences share.
            every_piece = pairs[runs].all(axis=1)
            most_shared = np.minimum(shared[runs].sum(axis=1), one_sizes)
            run_sizes = np.array([len(set(_joined(run_side, run))) for run in runs])
            dice_bound = 200.0 * most_shared / np.add.outer(run_sizes, one_sizes)
            reachable = every_piece & (dice_bound >= settings.rewritten_threshold)
            for row, one in zip(*np.nonzero(reachable), strict=True):
                run = [int(index) for index in runs[row]]
                group = (run, [int(one)]) if runs_are_source else ([int(one)], run)
                score = _score(source, derived, group)
                if score >= settings.rewritten_threshold:
                    ranked.append((-round(score, 3), *group))
    matched: list[Group] = []
    taken_source: set[int] = set()
    taken_derived: set[int] = set()
    for _, source_group, derived_group in sorted(ranked):
        if taken_source.isdisjoint(source_group) and taken_derived.isdisjoint(derived_group):
            matched.append((source_group, derived_group))
            taken_source.update(source_group)
            taken_derived.update(derived_group)
    return matched


def _join_neighbours(
    groups: list[Group],
    source: Words,
    derived: Words,
    settings: AlignmentSettings,
    matrix: SimilarityMatrix | None,
) -> list[Group]:
    """Grow each group with unmatched neighbours that make it score better."""
    used_source = {i for group in groups for i in group[0]}
    used_derived = {j for group in groups for j in group[1]}
    for source_group, derived_group in groups:
        for side, used, count in (
            (derived_group, used_derived, len(derived)),
            (source_group, used_source, len(source)),
        ):
            grew = True
            while grew:
                grew = False
                current = _score(source, derived, (source_group, derived_group), matrix)
                for candidate in (side[0] - 1, side[-1] + 1):
                    if not 0 <= candidate < count or candidate in used:
                        continue
                    trial = sorted([*side, candidate])
                    trial_source = trial if side is source_group else source_group
                    trial_derived = trial if side is derived_group else derived_group
                    score = _score(source, derived, (trial_source, trial_derived))
                    if score >= current + settings.join_gain:
                        side[:] = trial
                        used.add(candidate)
                        grew = True
                        break
    return groups


def _match_passages(
    groups: list[Group],
    source: Words,
    derived: Words,
    settings: AlignmentSettings,
    matrix: SimilarityMatrix | None,
) -> list[Group]:
    """Second pass (:mod:`dedup.passages`) over the derived sentences not matched
    closely. Sentences of ``rewritten`` groups count as unmatched: inside a shuffled
    passage a derived sentence often meets one source sentence at 40-50 by chance,
    which would cut the passage in two; the caller drops the groups whose derived
    sentences a passage claims."""
    close = {
        j
        for group in groups
        if _score(source, derived, group, matrix) >= settings.edited_threshold
        for j in group[1]
    }
    return match_passages(
        source,
        derived,
        close,
        PassageThresholds(
            settings.passage_containment, settings.passage_threshold, settings.min_passage_words
        ),
    )


def _segments(
    groups: list[Group],
    source: Sequence[SentenceWords],
    derived: Sequence[SentenceWords],
    words: tuple[Words, Words],
    settings: AlignmentSettings,
    sentence_groups: int,
    matrix: SimilarityMatrix | None,
) -> list[Segment]:
    """Segments of ``groups``; those from ``sentence_groups`` on are passages, which are
    ``rewritten`` unless their words are equal (their order is not the source's)."""
    in_order = _longest_ordered_run(groups)
    by_derived: dict[int, Segment] = {}
    for number, (source_group, derived_group) in enumerate(groups):
        source_part = [source[i] for i in source_group]
        derived_part = [derived[j] for j in derived_group]
        score = _score(*words, (source_group, derived_group), matrix)
        if _joined(words[0], source_group) == _joined(words[1], derived_group):
            match = "same"
        elif score >= settings.edited_threshold and number < sentence_groups:
            match = "edited"
        else:
            match = "rewritten"
        by_derived[derived_group[0]] = Segment(
            operation=match if number in in_order else "moved",
            score=round(score, 1),
            source_sentences=tuple(source_group),
            derived_sentences=tuple(derived_group),
            source_span=_cover(source_part),
            derived_span=_cover(derived_part),
            match=match,
            changes=_word_changes(source_part, derived_part),
        )
    matched_derived = {j for _, derived_group in groups for j in derived_group}
    matched_source = {i for source_group, _ in groups for i in source_group}
    ordered: list[Segment] = []
    for j, sentence in enumerate(derived):
        if j in by_derived:
            ordered.append(by_derived[j])
        elif j not in matched_derived:
            ordered.append(Segment("added", 0.0, (), (j,), None, sentence.span))
    dropped = {
        i: Segment("dropped", 0.0, (i,), (), sentence.span, None)
        for i, sentence in enumerate(source)
        if i not in matched_source
    }
    return _with_dropped(ordered, dropped)


def _with_dropped(ordered: list[Segment], dropped: dict[int, Segment]) -> list[Segment]:
    """``ordered`` with each dropped source sentence right after the source sentence
    before it: after the first segment holding that one, or after it when it was
    dropped too (the first source sentence goes first). So a run of dropped sentences
    keeps the source's order, and runs after the same segment come latest first."""
    first_holder: dict[int, int] = {}
    for position, segment in enumerate(ordered):
        for i in segment.source_sentences:
            first_holder.setdefault(i, position)
    runs_after: dict[int, list[int]] = defaultdict(list)
    for i in sorted(dropped):
        if i - 1 not in dropped:
            runs_after[first_holder.get(i - 1, -1)].append(i)
    result = _dropped_runs(runs_after[-1], dropped)
    for position, segment in enumerate(ordered):
        result.append(segment)
        result += _dropped_runs(runs_after[position], dropped)
    return result


def _dropped_runs(starts: list[int], dropped: dict[int, Segment]) -> list[Segment]:
    """The runs of dropped sentences from each of ``starts``, the last start first."""
    segments = []
    for i in reversed(starts):
        while i in dropped:
            segments.append(dropped[i])
            i += 1
    return segments


def _longest_ordered_run(groups: list[Group]) -> set[int]:
    """Indexes of groups in the longest run whose source order follows the derived order."""
    order = sorted(range(len(groups)), key=lambda n: groups[n][1][0])
    keys = [groups[n][0][0] for n in order]
    best_length = [1] * len(keys)
    previous = [-1] * len(keys)
    for b in range(len(keys)):
        for a in range(b):
            if keys[a] < keys[b] and best_length[a] + 1 > best_length[b]:
                best_length[b], previous[b] = best_length[a] + 1, a
    if not keys:
        return set()
    end = max(range(len(keys)), key=lambda n: (best_length[n], -n))
    run = set()
    while end != -1:
        run.add(order[end])
        end = previous[end]
    return run


def _cover(sentences: Sequence[SentenceWords]) -> Span:
    return sentences[0].span[0], sentences[-1].span[1]


def _word_changes(
    source: Sequence[SentenceWords], derived: Sequence[SentenceWords]
) -> tuple[WordChange, ...]:
    if not all(sentence.word_offsets for sentence in (*source, *derived)):
        return ()
    source_words = [word for sentence in source for word in sentence.words]
    derived_words = [word for sentence in derived for word in sentence.words]
    changes = []
    for opcode in Levenshtein.opcodes(
        [w.text for w in source_words], [w.text for w in derived_words]
    ):
        if opcode.tag == "equal":
            continue
        source_span = (
            (source_words[opcode.src_start].start, source_words[opcode.src_end - 1].end)
            if opcode.src_end > opcode.src_start
            else None
        )
        derived_span = (
            (derived_words[opcode.dest_start].start, derived_words[opcode.dest_end - 1].end)
            if opcode.dest_end > opcode.dest_start
            else None
        )
        changes.append(WordChange(opcode.tag, source_span, derived_span))
    return tuple(changes)
