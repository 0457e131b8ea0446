from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from dedup.match import MatchThresholds, Overlap, measure_overlap

_SETS = st.lists(st.integers(0, 50), max_size=30).map(
    lambda v: np.unique(np.array(v, dtype=np.uint64))
)


def test_overlap_counts() -> None:
    first = np.array([1, 2, 3, 4], dtype=np.uint64)
    second = np.array([3, 4, 5, 6, 7, 8, 9, 10], dtype=np.uint64)
    assert measure_overlap(first, second) == Overlap(shared=2, containment=0.5, jaccard=0.2)


@given(_SETS, _SETS)
def test_overlap_is_symmetric_and_bounded(first: np.ndarray, second: np.ndarray) -> None:
    forward, backward = measure_overlap(first, second), measure_overlap(second, first)
    assert forward == backward
    assert 0.0 <= forward.jaccard <= forward.containment <= 1.0


def test_thresholds_need_all_three() -> None:
    thresholds = MatchThresholds(min_containment=0.1, min_jaccard=0.02, min_shared_shingles=15)
    assert thresholds.accept(Overlap(15, 0.1, 0.02))
    assert not thresholds.accept(Overlap(14, 0.5, 0.5))
    assert not thresholds.accept(Overlap(100, 0.09, 0.5))
    assert not thresholds.accept(Overlap(100, 0.5, 0.01))


def test_many_shared_shingles_need_half_the_containment() -> None:
    thresholds = MatchThresholds(0.10, 0.01, 8, many_shared_shingles=20)
    # 20 of 300 shingles (6.7 %): enough once they are 20, not at 19 of 285.
    assert thresholds.accept(Overlap(shared=20, containment=20 / 300, jaccard=0.03))
    assert not thresholds.accept(Overlap(shared=19, containment=19 / 285, jaccard=0.03))
    # Half, never less.
    assert not thresholds.accept(Overlap(shared=40, containment=0.049, jaccard=0.03))
    assert not MatchThresholds(0.10, 0.01, 8).accept(
        Overlap(shared=40, containment=0.07, jaccard=0.03)
    )
