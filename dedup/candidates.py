"""LSH candidate search: which pairs of documents are worth an exact check.

Banding (Indyk & Motwani 1998; Leskovec, Rajaraman & Ullman, *Mining of Massive
Datasets*, ch. 3): a signature of ``bands * rows`` MinHash values is cut into bands;
two documents whose values agree on a whole band are a candidate pair, which happens
with probability ``1 - (1 - J**rows)**bands`` at Jaccard ``J``.

Syndicated rewrites share sentences, not documents: their word 3-gram Jaccard is
0.08-0.20, where bands of two or more rows almost never agree (at J = 0.08, r = 2 and
64 bands find a pair one time in three). So dedup uses one row per band, which finds
a pair at J = 0.08 with 128 permutations with probability 0.99996, and then asks for
``min_band_matches`` agreeing bands, an estimated Jaccard floor that drops the pairs
that share a single stock phrase before the exact check. That floor is a Jaccard, and
a short piece taken from a long wire file has a small Jaccard whatever it took: a
100-word brief sharing 15 3-grams with a 700-word file has J = 0.019, about 2.4
agreeing bands expected, and asking for two lost such pairs three times in ten. So a
pair of very unequal sizes (the larger set at least :data:`LOPSIDED_RATIO` times the
smaller) needs one agreeing band only: there one band stands for the containment that
two bands stand for between equals.

Two implementations give the same buckets: :func:`candidate_pairs` groups a whole
batch with numpy sorts (a 100k-document batch would need 12.8 million dictionary
inserts in datasketch's in-memory LSH, about 50 s and several GB), and
:class:`CandidateIndex` wraps datasketch's :class:`~datasketch.MinHashLSH` for
documents that arrive one at a time.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable

import numpy as np
import numpy.typing as npt

from dedup.signature import SignatureArray, to_datasketch

PairArray = npt.NDArray[np.int64]

_ROW_COMBINE = np.uint64(0x9E3779B97F4A7C15)
#: Sizes this unequal need one agreeing band: two sets of sizes s and 3s whose
#: smaller side is 5 % contained have J = 0.05 s / (4 s - 0.05 s) = 0.0127, 1.6 of 128
#: bands expected, as a pair of equals has at J = 0.0127 (2.5 % contained). On METER,
#: of the pairs that pass the exact check, LSH lost 92 of 2,773 asking two bands of
#: all, 12 with this rule, for 76 % more candidate pairs to check.
LOPSIDED_RATIO = 3


def band_keys(signatures: SignatureArray, bands: int, rows: int) -> npt.NDArray[np.uint64]:
    """One key per (document, band): the band's values folded into a 64-bit number."""
    if signatures.ndim != 2 or signatures.shape[1] != bands * rows:
        raise ValueError(
            f"signatures must have bands * rows = {bands * rows} columns, "
            f"got shape {signatures.shape}"
        )
    grouped = signatures.reshape(signatures.shape[0], bands, rows).astype(np.uint64)
    keys: npt.NDArray[np.uint64] = grouped[:, :, 0].copy()
    if rows == 1:
        return keys
    for row in range(1, rows):
        keys = keys * _ROW_COMBINE + grouped[:, :, row]
    return keys


def candidate_pairs(
    signatures: SignatureArray,
    bands: int,
    rows: int,
    min_band_matches: int = 1,
    star_bucket_size: int | None = None,
    set_sizes: npt.NDArray[np.int64] | None = None,
) -> tuple[PairArray, npt.NDArray[np.int64]]:
    """Pairs of row indexes ``(i, j)``, ``i < j``, that agree on enough bands.

    Args:
        signatures: one MinHash signature per row.
        bands, rows: the banding; ``bands * rows`` must be the signature length.
        min_band_matches: bands a pair must agree on to be returned.
        star_bucket_size: buckets with more documents than this pair each member with
            the bucket's first row only (a star, not every pair); None: no limit.
        set_sizes: each row's shingle count; when given, a pair whose larger set is
            :data:`LOPSIDED_RATIO` times the smaller or more needs one agreeing band.

    Returns:
        The pairs, sorted, as an ``(n, 2)`` array, and how many bands each agrees on.
    """
    if min_band_matches < 1:
        raise ValueError(f"min_band_matches must be at least 1, got {min_band_matches}")
    count = signatures.shape[0]
    keys = band_keys(signatures, bands, rows)
    pair_codes: list[npt.NDArray[np.int64]] = []
    for band in range(bands):
        pair_codes.append(_pairs_sharing_a_key(keys[:, band], count, star_bucket_size))
    codes = np.concatenate(pair_codes) if pair_codes else np.empty(0, dtype=np.int64)
    unique_codes, matches = np.unique(codes, return_counts=True)
    pairs = np.stack((unique_codes // count, unique_codes % count), axis=1)
    keep = matches >= min_band_matches
    if set_sizes is not None and min_band_matches > 1:
        first, second = set_sizes[pairs[:, 0]], set_sizes[pairs[:, 1]]
        keep |= np.maximum(first, second) >= LOPSIDED_RATIO * np.minimum(first, second)
    pairs, matches = pairs[keep], matches[keep]
    return pairs.astype(np.int64), matches.astype(np.int64)


def _pairs_sharing_a_key(
    keys: npt.NDArray[np.uint64], count: int, star_bucket_size: int | None
) -> npt.NDArray[np.int64]:
    """Codes ``i * count + j`` (``i < j``) of the pairs of rows with equal keys."""
    order = np.argsort(keys, kind="stable")
    sorted_keys = keys[order]
    boundaries = np.flatnonzero(np.diff(sorted_keys)) + 1
    starts = np.concatenate(([0], boundaries))
    sizes = np.diff(np.concatenate((starts, [keys.size])))
    shared = sizes >= 2
    large = shared & (sizes > star_bucket_size) if star_bucket_size is not None else shared & False
    small = shared & ~large
    codes = [_all_pairs(order, starts[small], sizes[small], count)]
    if large.any():
        # The stable sort leaves each bucket's rows in increasing order: the first is
        # the smallest, so every pair comes out as (smaller, larger).
        hubs = np.repeat(order[starts[large]], sizes[large] - 1).astype(np.int64)
        positions = np.arange((sizes[large] - 1).sum()) - np.repeat(
            np.cumsum(sizes[large] - 1) - (sizes[large] - 1), sizes[large] - 1
        )
        members = order[np.repeat(starts[large] + 1, sizes[large] - 1) + positions].astype(np.int64)
        codes.append(hubs * count + members)
    return np.concatenate(codes)


def _all_pairs(
    order: npt.NDArray[np.intp],
    starts: npt.NDArray[np.intp],
    sizes: npt.NDArray[np.intp],
    count: int,
) -> npt.NDArray[np.int64]:
    """Codes of every pair inside each bucket (``order[start : start + size]``)."""
    if starts.size == 0:
        return np.empty(0, dtype=np.int64)
    # Lay the buckets' members out one after another; the member at position p of
    # its bucket pairs with the p members before it.
    bucket_offsets = np.cumsum(sizes) - sizes
    member_positions = np.arange(sizes.sum()) - np.repeat(bucket_offsets, sizes)
    member_rows = order[np.repeat(starts, sizes) + member_positions]
    later = np.repeat(member_rows, member_positions)
    pair_offsets = np.arange(member_positions.sum()) - np.repeat(
        np.cumsum(member_positions) - member_positions, member_positions
    )
    earlier = member_rows[
        np.repeat(np.repeat(bucket_offsets, sizes), member_positions) + pair_offsets
    ]
    low = np.minimum(earlier, later).astype(np.int64)
    high = np.maximum(earlier, later).astype(np.int64)
    pair_codes: npt.NDArray[np.int64] = low * count + high
    return pair_codes


class CandidateIndex:
    """datasketch's MinHashLSH with dedup's banding, for documents added one at a time."""

    def __init__(self, num_perm: int, bands: int, rows: int, seed: int) -> None:
        if bands * rows != num_perm:
            raise ValueError(f"bands * rows must equal num_perm ({num_perm}), got {bands * rows}")
        self._seed = seed
        from datasketch import MinHashLSH  # imported here: it imports scipy, 0.9 s

        self._lsh = MinHashLSH(num_perm=num_perm, params=(bands, rows))

    def add(self, key: Hashable, signature: SignatureArray) -> None:
        """Index one document's signature under ``key``."""
        self._lsh.insert(key, to_datasketch(signature, self._seed))

    def add_many(self, items: Iterable[tuple[Hashable, SignatureArray]]) -> None:
        """Index many documents in one datasketch insertion session."""
        with self._lsh.insertion_session() as session:
            for key, signature in items:
                session.insert(key, to_datasketch(signature, self._seed))

    def query(self, signature: SignatureArray) -> list[Hashable]:
        """Keys of indexed documents that agree with ``signature`` on at least one band."""
        return list(self._lsh.query(to_datasketch(signature, self._seed)))
