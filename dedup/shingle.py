"""Word n-grams (shingles) and their 64-bit hashes, each word hashed once."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import xxhash

HashArray = npt.NDArray[np.uint64]
#: A sorted, distinct set of shingle hashes: 64-bit, or folded to 32 bits for an index.
ShingleSet = npt.NDArray[np.uint64] | npt.NDArray[np.uint32]
#: Shingle hashes folded to 32 bits, distinct and sorted (:func:`fold_to_32_bits`).
FoldedArray = npt.NDArray[np.uint32]

# Odd 64-bit constants (from splitmix64) that combine word hashes into a shingle hash
# and then mix it; arithmetic wraps modulo 2**64 in numpy's uint64.
_COMBINE = np.uint64(0x9E3779B97F4A7C15)
_MIX_1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX_2 = np.uint64(0x94D049BB133111EB)


def word_hashes(words: list[str]) -> HashArray:
    """xxh64 of each word's UTF-8 bytes: stable across processes and machines."""
    return np.fromiter(
        map(xxhash.xxh64_intdigest, map(str.encode, words)), dtype=np.uint64, count=len(words)
    )


def shingle_hashes(words: list[str], size: int) -> HashArray:
    """Sorted, distinct hashes of the ``size``-word shingles of ``words``.

    A text shorter than ``size`` words is one shingle of all its words, so that a
    short item still has something to match on. No words give an empty array.
    """
    return shingles_of_word_hashes(word_hashes(words), size)


def shingles_of_word_hashes(hashes: HashArray, size: int) -> HashArray:
    """:func:`shingle_hashes` from the words' :func:`word_hashes`, for a caller that
    needs those too (each word is hashed once)."""
    if size < 1:
        raise ValueError(f"shingle size must be at least 1, got {size}")
    if hashes.size == 0:
        return hashes
    width = min(size, hashes.size)
    count = hashes.size - width + 1
    combined = hashes[:count].copy()
    for offset in range(1, width):
        combined = combined * _COMBINE + hashes[offset : offset + count]
    return np.unique(_mix(combined))


def _mix(values: HashArray) -> HashArray:
    """splitmix64's finalizer: every input bit reaches every output bit."""
    values = values ^ (values >> np.uint64(30))
    values = values * _MIX_1
    values = values ^ (values >> np.uint64(27))
    values = values * _MIX_2
    mixed: HashArray = values ^ (values >> np.uint64(31))
    return mixed


def fold_to_32_bits(shingles: HashArray) -> FoldedArray:
    """Shingle hashes folded to 32 bits (the two halves xored), distinct and sorted: what
    an index stores for the exact check, at half the size; the overlap of two folded
    sets differs from the 64-bit one only by collisions (about one in 10 million pairs
    of shingles)."""
    folded: FoldedArray = np.unique(((shingles >> np.uint64(32)) ^ shingles).astype(np.uint32))
    return folded
