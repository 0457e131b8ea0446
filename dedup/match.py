"""Exact checks of candidate pairs: shared shingles, containment and Jaccard."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from dedup.shingle import ShingleSet


@dataclass(frozen=True, slots=True)
class Overlap:
    """How much two shingle sets have in common."""

    shared: int
    #: Shared shingles over the size of the smaller set: what a rewrite that cut
    #: most of the wire copy still keeps.
    containment: float
    #: Shared shingles over the size of the union.
    jaccard: float


def measure_overlap(first: ShingleSet, second: ShingleSet) -> Overlap:
    """Exact overlap of two sorted, distinct shingle-hash arrays."""
    if first.size == 0 or second.size == 0:
        return Overlap(0, 0.0, 0.0)
    shared = int(np.intersect1d(first, second, assume_unique=True).size)
    smaller = min(first.size, second.size)
    union = first.size + second.size - shared
    return Overlap(shared, shared / smaller, shared / union)


@dataclass(frozen=True, slots=True)
class MatchThresholds:
    """The exact check's thresholds (see :class:`dedup.settings.Settings`)."""

    min_containment: float
    min_jaccard: float
    min_shared_shingles: int
    #: Shared shingles that need only half ``min_containment`` (0: none do).
    many_shared_shingles: int = 0

    def accept(self, overlap: Overlap) -> bool:
        """Whether ``overlap`` is enough to call the two documents a match: enough
        shingles in common, and enough of the smaller side (half as much once they
        share many)."""
        many = 0 < self.many_shared_shingles <= overlap.shared
        needed = self.min_containment / 2 if many else self.min_containment
        contained = overlap.containment >= needed
        return (
            contained
            and overlap.shared >= self.min_shared_shingles
            and overlap.jaccard >= self.min_jaccard
        )
