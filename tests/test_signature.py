from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
from datasketch import MinHash

from dedup.models import Article
from dedup.normalize import words
from dedup.shingle import shingle_hashes
from dedup.signature import SCHEME, input_hashes, permutations, signatures, to_datasketch


def _shingle_sets(articles: list[Article]) -> list[np.ndarray]:
    return [shingle_hashes(words(article.text), 3) for article in articles]


def test_signatures_equal_datasketch_update_batch(seed_articles: list[Article]) -> None:
    sets = _shingle_sets(seed_articles)
    rows = signatures(sets, num_perm=64, seed=7)
    for row, shingles in zip(rows, sets, strict=True):
        reference = MinHash(num_perm=64, seed=7, hashfunc=int, scheme="affine32")
        reference.update_batch([int(value) for value in input_hashes(shingles)])
        assert np.array_equal(row, reference.hashvalues)


def test_signature_estimates_jaccard(seed_articles: list[Article]) -> None:
    sets = _shingle_sets(seed_articles)
    rows = signatures(sets, num_perm=256, seed=1)
    first, second = sets[2], sets[4]  # 002 and 004, Jaccard about 0.2
    exact = np.intersect1d(first, second).size / np.union1d(first, second).size
    estimate = float((rows[2] == rows[4]).mean())
    assert abs(estimate - exact) < 0.08


def test_empty_set_gives_the_empty_sentinel() -> None:
    rows = signatures([np.empty(0, dtype=np.uint64), shingle_hashes(["a", "b", "c"], 3)], 16, 1)
    assert (rows[0] == 0xFFFFFFFF).all()
    assert not (rows[1] == 0xFFFFFFFF).all()


def test_chunking_does_not_change_results() -> None:
    rng = np.random.default_rng(3)
    sets = [
        np.unique(rng.integers(0, 2**63, size=size, dtype=np.uint64))
        for size in (40_000, 50_000, 3)
    ]
    together = signatures(sets, 32, 1)
    apart = np.vstack([signatures([s], 32, 1) for s in sets])
    assert np.array_equal(together, apart)


def test_to_datasketch_round_trips() -> None:
    row = signatures([shingle_hashes(["x", "y", "z"], 3)], 32, 5)[0]
    sketch = to_datasketch(row, seed=5)
    assert np.array_equal(sketch.hashvalues, row)
    assert sketch.seed == 5


@pytest.mark.parametrize(("num_perm", "seed"), [(128, 1), (64, 7)])
def test_permutations_are_datasketchs_own(num_perm: int, seed: int) -> None:
    a, b = MinHash(num_perm=num_perm, seed=seed, scheme=SCHEME).permutations
    ours = permutations(num_perm, seed)
    assert np.array_equal(ours[0], a) and np.array_equal(ours[1], b)
    assert ours[0].dtype == np.uint32 and (ours[0] % 2 == 1).all()


def test_checking_an_item_does_not_import_datasketch() -> None:
    """datasketch imports scipy (0.9 s): a fresh `dedup check` must not pay for it."""
    code = (
        "import sys; import dedup.cli; from dedup.pipeline import check_items; "
        "from dedup import Article; "
        "check_items([Article(id='a', text='one two three four five')], None); "
        "print('datasketch' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"
