from __future__ import annotations

import numpy as np
import pytest

from dedup.shingle import shingle_hashes, word_hashes


def test_word_hashes_are_xxh64_of_utf8() -> None:
    import xxhash

    # Stable across processes and machines, unlike Python's salted hash().
    assert word_hashes(["رويترز", "reuters"]).tolist() == [
        xxhash.xxh64_intdigest("رويترز".encode()),
        xxhash.xxh64_intdigest(b"reuters"),
    ]


def test_shingles_are_sorted_distinct_and_counted_by_window() -> None:
    tokens = ["the", "cat", "sat", "on", "the", "mat", "the", "cat", "sat"]
    hashes = shingle_hashes(tokens, 3)
    assert hashes.dtype == np.uint64
    assert hashes.tolist() == sorted(set(hashes.tolist()))
    # 7 windows, "the cat sat" twice.
    assert hashes.size == 6


def test_shingle_order_matters() -> None:
    assert set(shingle_hashes(["a", "b", "c"], 3).tolist()) != set(
        shingle_hashes(["c", "b", "a"], 3).tolist()
    )


@pytest.mark.parametrize(
    ("tokens", "size", "count"),
    [([], 3, 0), (["one"], 3, 1), (["one", "two"], 3, 1), (["a", "b", "c", "d"], 1, 4)],
    ids=["empty", "shorter-than-size", "two-words", "unigrams"],
)
def test_short_texts(tokens: list[str], size: int, count: int) -> None:
    assert shingle_hashes(tokens, size).size == count


def test_shingle_size_must_be_positive() -> None:
    with pytest.raises(ValueError, match="shingle size must be at least 1, got 0"):
        shingle_hashes(["a"], 0)
