"""MinHash signatures of shingle sets, computed many at a time.

The scheme is datasketch's ``affine32`` (datasketch >= 2.0): each 32-bit input hash
is mixed with the MurmurHash3 finalizer, then permutation ``k`` maps it to
``a_k * h + b_k mod 2**32`` and the signature keeps the minimum per permutation
(Broder 1997). The permutations come from datasketch itself, so a signature here is
the same array ``datasketch.MinHash.update_batch`` produces for the same 32-bit
hashes, and can be handed to datasketch's LSH; the difference is that a whole batch
of documents is permuted in one numpy operation instead of one sketch at a time.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from dedup.shingle import HashArray

if TYPE_CHECKING:
    from datasketch import LeanMinHash

SignatureArray = npt.NDArray[np.uint32]

#: The datasketch permutation scheme, recorded with every index that stores signatures.
SCHEME = "affine32"
_EMPTY = np.uint32(0xFFFFFFFF)
# Rows of the (shingles x permutations) product computed at once: about one document,
# so the product stays in the CPU cache (65,536 rows ran five times slower).
_CHUNK_ROWS = 512


@lru_cache(maxsize=8)
def permutations(num_perm: int, seed: int) -> tuple[SignatureArray, SignatureArray]:
    """datasketch's ``a`` and ``b`` permutation parameters for ``num_perm`` and ``seed``.

    Drawn as datasketch 2.x draws them for affine32 (numpy's ``RandomState(seed)``: odd
    32-bit multipliers, then 32-bit offsets; a test compares them with datasketch's),
    so that ``dedup check`` need not import datasketch, which imports scipy: 0.9 s of
    the 1.5 s a fresh process took to start.
    """
    generator = np.random.RandomState(seed)
    a = generator.randint(0, 1 << 31, num_perm, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = generator.randint(0, 1 << 32, num_perm, dtype=np.uint32)
    return a, b


def input_hashes(shingles: HashArray) -> SignatureArray:
    """The 32-bit values fed to MinHash: the two halves of each 64-bit shingle hash xored."""
    folded: SignatureArray = ((shingles >> np.uint64(32)) ^ shingles).astype(np.uint32)
    return folded


def signatures(shingle_sets: list[HashArray], num_perm: int, seed: int) -> SignatureArray:
    """One MinHash signature row per shingle set (an empty set gives all ``2**32 - 1``)."""
    a, b = permutations(num_perm, seed)
    result = np.full((len(shingle_sets), num_perm), _EMPTY, dtype=np.uint32)
    start = 0
    while start < len(shingle_sets):
        stop, rows = start, 0
        while stop < len(shingle_sets) and (
            rows == 0 or rows + shingle_sets[stop].size <= _CHUNK_ROWS
        ):
            rows += shingle_sets[stop].size
            stop += 1
        _sign_chunk(shingle_sets[start:stop], a, b, result[start:stop])
        start = stop
    return result


def _sign_chunk(
    shingle_sets: list[HashArray],
    a: SignatureArray,
    b: SignatureArray,
    out: SignatureArray,
) -> None:
    sizes = np.fromiter((s.size for s in shingle_sets), dtype=np.int64, count=len(shingle_sets))
    filled = sizes > 0
    if not filled.any():
        return
    values = _fmix32(input_hashes(np.concatenate(shingle_sets)))
    permuted = values[:, None] * a[None, :] + b[None, :]
    starts = np.concatenate(([0], np.cumsum(sizes)[:-1]))[filled]
    out[filled] = np.minimum.reduceat(permuted, starts, axis=0)


def _fmix32(values: SignatureArray) -> SignatureArray:
    """MurmurHash3's 32-bit finalizer, as datasketch applies it before permuting."""
    values = values ^ (values >> np.uint32(16))
    values = values * np.uint32(0x85EBCA6B)
    values = values ^ (values >> np.uint32(13))
    values = values * np.uint32(0xC2B2AE35)
    mixed: SignatureArray = values ^ (values >> np.uint32(16))
    return mixed


def to_datasketch(signature: SignatureArray, seed: int) -> LeanMinHash:
    """A datasketch sketch holding ``signature``, for datasketch's LSH and storage."""
    from datasketch import LeanMinHash

    return LeanMinHash(seed=seed, hashvalues=signature, scheme=SCHEME)
