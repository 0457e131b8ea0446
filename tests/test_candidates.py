from __future__ import annotations

import itertools

import numpy as np
import pytest

from dedup.candidates import CandidateIndex, candidate_pairs


def _brute_force(rows: np.ndarray, bands: int, width: int) -> dict[tuple[int, int], int]:
    found = {}
    for i, j in itertools.combinations(range(rows.shape[0]), 2):
        agreeing = sum(
            bool(
                (rows[i, b * width : (b + 1) * width] == rows[j, b * width : (b + 1) * width]).all()
            )
            for b in range(bands)
        )
        if agreeing:
            found[(i, j)] = agreeing
    return found


@pytest.mark.parametrize(("bands", "rows"), [(12, 1), (6, 2), (4, 3)], ids=["r1", "r2", "r3"])
def test_candidate_pairs_equal_brute_force(bands: int, rows: int) -> None:
    signatures = np.random.default_rng(0).integers(0, 4, size=(40, bands * rows)).astype(np.uint32)
    pairs, matches = candidate_pairs(signatures, bands, rows)
    got = {(int(i), int(j)): int(m) for (i, j), m in zip(pairs, matches, strict=True)}
    assert got == _brute_force(signatures, bands, rows)


def test_min_band_matches_and_bucket_cap() -> None:
    signatures = np.array([[1, 2, 3, 9], [1, 2, 4, 8], [1, 5, 6, 7], [1, 0, 0, 0]], dtype=np.uint32)
    pairs, matches = candidate_pairs(signatures, 4, 1, min_band_matches=2)
    assert pairs.tolist() == [[0, 1]] and matches.tolist() == [2]
    # Column 0 puts all four in one bucket: above 3 it is a star around row 0, so (0, 1)
    # also agrees on column 1, and no pair without row 0 comes from column 0.
    pairs, matches = candidate_pairs(signatures, 4, 1, star_bucket_size=3)
    assert pairs.tolist() == [[0, 1], [0, 2], [0, 3]]
    assert matches.tolist() == [2, 1, 1]


def test_matches_datasketch_minhash_lsh() -> None:
    signatures = np.random.default_rng(1).integers(0, 6, size=(50, 16)).astype(np.uint32)
    index = CandidateIndex(num_perm=16, bands=8, rows=2, seed=1)
    index.add_many((number, row) for number, row in enumerate(signatures))
    from_datasketch = {
        (min(i, j), max(i, j))
        for i, row in enumerate(signatures)
        for j in index.query(row)
        if j != i
    }
    pairs, _ = candidate_pairs(signatures, 8, 2)
    assert {(int(i), int(j)) for i, j in pairs} == from_datasketch


def test_rejects_a_wrong_signature_width() -> None:
    with pytest.raises(ValueError, match=r"bands \* rows = 6 columns, got shape \(2, 4\)"):
        candidate_pairs(np.zeros((2, 4), dtype=np.uint32), 3, 2)


def test_unequal_sizes_need_one_agreeing_band() -> None:
    # Rows 0 and 1 agree on one band of four; so do rows 2 and 3.
    signatures = np.array(
        [[1, 2, 3, 4], [1, 9, 9, 9], [5, 6, 7, 8], [5, 10, 11, 12]], dtype=np.uint32
    )
    pairs, _ = candidate_pairs(signatures, 4, 1, min_band_matches=2)
    assert pairs.tolist() == []
    # A brief of 100 shingles and a wire file of 300 are unequal enough; 100 and 299 not.
    sizes = np.array([100, 300, 100, 299], dtype=np.int64)
    pairs, matches = candidate_pairs(signatures, 4, 1, min_band_matches=2, set_sizes=sizes)
    assert pairs.tolist() == [[0, 1]] and matches.tolist() == [1]
