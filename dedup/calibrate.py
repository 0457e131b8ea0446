"""Sweeping the exact check's thresholds over a labelled set, for ``dedup calibrate``.

The LSH stage is left as it is (it shapes indexes); every candidate pair it proposes
is measured once, with no threshold (``dedup.pipeline.checking.calibrate``), and each
combination of thresholds is then a mask over those measurements. Figures are
pairwise and before clustering: what the thresholds themselves decide.
"""

from __future__ import annotations

import itertools
import json
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from dedup.errors import InputError
from dedup.models import Edge
from dedup.settings import Settings

#: The thresholds swept, and the values tried for each.
GRID: dict[str, tuple[float, ...]] = {
    "min_containment": (0.05, 0.08, 0.10, 0.12, 0.15, 0.20, 0.25, 0.30, 0.40, 0.50),
    "min_jaccard": (0.0, 0.01, 0.02, 0.05, 0.10),
    "min_shared_shingles": (5, 8, 10, 15, 20, 30, 50),
    "many_shared_shingles": (10, 20, 30, 50, 100, 1000),
}


@dataclass(frozen=True, slots=True)
class Truth:
    """What a labelled set says of pairs of documents.

    Either stories (documents of one story are a positive pair, of two stories a
    negative one) or labelled pairs (1 positive, 0 negative; a pair rated with
    ``overall`` 3 or more, on SemEval's scale of 1 same event to 4 unrelated, is a
    negative, and a lower rating says nothing about copying).
    """

    story: Mapping[str, str]
    pairs: Mapping[frozenset[str], bool]

    def label(self, first: str, second: str) -> bool | None:
        """True, False, or None when the set says nothing of this pair."""
        if self.story:
            if first in self.story and second in self.story:
                return self.story[first] == self.story[second]
            return None
        return self.pairs.get(frozenset((first, second)))

    def positives(self, ids: Sequence[str]) -> int:
        """Positive pairs among ``ids``: what recall is counted against."""
        present = set(ids)
        if self.story:
            sizes = Counter(self.story[i] for i in present if i in self.story)
            return sum(size * (size - 1) // 2 for size in sizes.values())
        return sum(1 for pair, positive in self.pairs.items() if positive and pair <= present)


def truth_from_json(data: Any) -> Truth:
    """A :class:`Truth` from a truth file's JSON: ``{"story": {id: story}}`` or
    ``{"pairs": [{"a": id, "b": id, "label": 0 or 1}]}`` (or ``"overall"`` ratings).

    Raises:
        InputError: neither shape, or a pair without ids or label.
    """
    if isinstance(data, dict) and isinstance(data.get("story"), dict):
        return Truth({str(k): str(v) for k, v in data["story"].items()}, {})
    if isinstance(data, dict) and isinstance(data.get("pairs"), list):
        pairs: dict[frozenset[str], bool] = {}
        for number, pair in enumerate(data["pairs"], 1):
            if not isinstance(pair, dict) or "a" not in pair or "b" not in pair:
                raise InputError(f"pair {number} of the truth file has no 'a' and 'b' ids")
            key = frozenset((str(pair["a"]), str(pair["b"])))
            if "label" in pair:
                if isinstance(pair["label"], str) or pair["label"] not in (0, 1):
                    raise InputError(
                        f"pair {number} of the truth file: 'label' must be 0 or 1 (or false "
                        f"or true), got {json.dumps(pair['label'])}"
                    )
                pairs[key] = pair["label"] == 1
            elif "overall" in pair:
                overall = pair["overall"]
                if isinstance(overall, bool) or not isinstance(overall, (int, float)):
                    raise InputError(
                        f"pair {number} of the truth file: 'overall' must be a number "
                        f"(1 to 4), got {json.dumps(overall)}"
                    )
                if overall >= 3:
                    pairs[key] = False
            else:
                raise InputError(f"pair {number} of the truth file has no 'label' or 'overall'")
        return Truth({}, pairs)
    raise InputError(
        'the truth file must hold {"story": {id: story}} or {"pairs": [{"a", "b", "label"}]}'
    )


@dataclass(frozen=True, slots=True)
class SweepRow:
    """The pairwise figures of one combination of thresholds."""

    thresholds: dict[str, float]
    accepted: int
    true_positives: int
    false_positives: int
    precision: float
    #: None when the set labels no positive pair (only negatives, as SemEval's).
    recall: float | None

    @property
    def f1(self) -> float | None:
        """Harmonic mean of precision and recall."""
        if self.recall is None or self.precision + self.recall == 0:
            return None if self.recall is None else 0.0
        return 2 * self.precision * self.recall / (self.precision + self.recall)


@dataclass(frozen=True, slots=True)
class Calibration:
    """A sweep's rows, the row of the given settings, and the one recommended."""

    documents: int
    candidate_pairs: int
    labelled_candidates: int
    positives: int
    rows: list[SweepRow]
    current: SweepRow
    recommended: SweepRow


def sweep(
    ids: Sequence[str],
    edges: Sequence[Edge],
    truth: Truth,
    settings: Settings,
    min_precision: float = 0.99,
) -> Calibration:
    """Precision and recall of every combination in :data:`GRID` over ``edges`` (every
    candidate pair of the documents ``ids``, measured with no threshold), the row of
    ``settings``, and the one recommended (see :func:`recommend`)."""
    measured = {
        "min_containment": np.array([edge.containment for edge in edges]),
        "min_jaccard": np.array([edge.jaccard for edge in edges]),
        "min_shared_shingles": np.array([edge.shared_shingles for edge in edges]),
    }
    labels = [truth.label(edge.first, edge.second) for edge in edges]
    positive = np.array([label is True for label in labels], dtype=bool)
    negative = np.array([label is False for label in labels], dtype=bool)
    positives = truth.positives(ids)

    def row_for(thresholds: dict[str, float]) -> SweepRow:
        containment = thresholds["min_containment"]
        # Pairs sharing many_shared_shingles need half the containment.
        contained = (measured["min_containment"] >= containment) | (
            (measured["min_containment"] >= containment / 2)
            & (measured["min_shared_shingles"] >= thresholds["many_shared_shingles"])
        )
        accepted = contained & (measured["min_jaccard"] >= thresholds["min_jaccard"])
        accepted &= measured["min_shared_shingles"] >= thresholds["min_shared_shingles"]
        true_positives = int((accepted & positive).sum())
        false_positives = int((accepted & negative).sum())
        judged = true_positives + false_positives
        return SweepRow(
            thresholds=thresholds,
            accepted=int(accepted.sum()),
            true_positives=true_positives,
            false_positives=false_positives,
            precision=true_positives / judged if judged else 1.0,
            recall=true_positives / positives if positives else None,
        )

    rows = [
        row_for(dict(zip(GRID, values, strict=True)))
        for values in itertools.product(*GRID.values())
    ]
    return Calibration(
        documents=len(ids),
        candidate_pairs=len(edges),
        labelled_candidates=int((positive | negative).sum()),
        positives=positives,
        rows=rows,
        current=row_for({name: float(getattr(settings, name)) for name in GRID}),
        recommended=recommend(rows, min_precision),
    )


def recommend(rows: Sequence[SweepRow], min_precision: float) -> SweepRow:
    """Among the rows at least ``min_precision`` precise, the best F1, then the most
    pairs accepted (with only negatives labelled: the loosest thresholds that accept
    none of them); with no row that precise, the most precise. Ties go to the
    strictest thresholds: the same results, with more margin against false matches."""
    precise = [row for row in rows if row.precision >= min_precision]
    if not precise:
        return max(rows, key=lambda row: (row.precision, row.true_positives, _strictness(row)))
    return max(precise, key=lambda row: (row.f1 or 0.0, row.accepted, _strictness(row)))


def _strictness(row: SweepRow) -> tuple[float, ...]:
    return tuple(row.thresholds[name] for name in GRID)
