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
