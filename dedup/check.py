"""Verdicts for incoming items against documents seen before, and the exit policy.

An item's matches are verified with the same exact check as ``dedup report`` (shared
shingles, containment, Jaccard), against candidates from the index's LSH bands and
against the other incoming items. Its verdict:

- ``exact duplicate``: a match with Jaccard at least ``EXACT_DUPLICATE_JACCARD``
  (the same text, give or take a line);
- ``syndicated copy``: any other verified match;
- ``new``: no match.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol, TypeAlias

from dedup.credit import agency_of_outlet
from dedup.match import MatchThresholds, Overlap, measure_overlap
from dedup.models import Article, Credit
from dedup.shingle import FoldedArray, ShingleSet
from dedup.signature import SignatureArray

#: Jaccard at or above which a match is an exact duplicate rather than a rewrite.
EXACT_DUPLICATE_JACCARD = 0.9
#: What ``--fail-on`` may count as a finding.
POLICIES = ("duplicate", "uncredited", "any", "none")
VERDICTS = ("new", "syndicated copy", "exact duplicate")

#: (article, word count, credits, MinHash signature, shingle hashes folded to 32 bits)
#: of one document: what an index stores of it (the exact check at half the size).
IndexEntry: TypeAlias = tuple[Article, int, Sequence[Credit], SignatureArray, FoldedArray]


@dataclass(frozen=True, slots=True)
class CheckMatch:
    """A verified match of an incoming item."""

    id: str
    #: "index" (seen before) or "incoming" (another item of this batch).
    where: str
    outlet: str | None
    published: str | None
    containment: float
    jaccard: float
    shared_shingles: int


@dataclass(frozen=True, slots=True)
class CheckResult:
    """One incoming item: its verdict, matches and credits."""

    article: Article
    verdict: str
    matches: tuple[CheckMatch, ...]
    credits: tuple[Credit, ...]

    @property
    def wire(self) -> bool:
        """Whether the item is wire copy (its outlet is a news agency): the credit itself."""
        return agency_of_outlet(self.article.outlet) is not None

    @property
    def credited(self) -> bool:
        """Whether the item credits an agency, or is the agency's own copy."""
        return bool(self.credits) or self.wire

    @property
    def credit_label(self) -> str:
        """The agencies it credits, "wire" for wire copy, or "uncredited"."""
        if self.wire:
            return "wire"
        return ", ".join(dict.fromkeys(c.agency for c in self.credits)) or "uncredited"


class IndexLookup(Protocol):
    """What checking needs of an index (``dedup.store``)."""

    def candidates(
        self, signature: Any, bands: int, rows: int, minimum: int, bucket_limit: int
    ) -> list[int]: ...

    def documents(self, numbers: Sequence[int]) -> list[dict[str, Any]]: ...


@dataclass(frozen=True, slots=True)
class Candidate:
    """A document an item may match: its id, metadata and (folded) shingles."""

    id: str
    where: str
    outlet: str | None
    published: str | None
    shingles: ShingleSet


def verify(
    item_id: str,
    shingles: ShingleSet,
    candidates: Sequence[Candidate],
    thresholds: MatchThresholds,
) -> list[CheckMatch]:
    """The candidates that pass the exact check, strongest first; the item itself never."""
    matches = []
    # A document both in the index and in the batch is one match, the index's.
    seen_in_index = {c.id for c in candidates if c.where == "index"}
    for candidate in candidates:
        if candidate.id == item_id or (
            candidate.where != "index" and candidate.id in seen_in_index
        ):
            continue
        overlap: Overlap = measure_overlap(shingles, candidate.shingles)
        if thresholds.accept(overlap):
            matches.append(
                CheckMatch(
                    id=candidate.id,
                    where=candidate.where,
                    outlet=candidate.outlet,
                    published=candidate.published,
                    containment=round(overlap.containment, 4),
                    jaccard=round(overlap.jaccard, 4),
                    shared_shingles=overlap.shared,
                )
            )
    return sorted(matches, key=lambda m: (-m.containment, -m.jaccard, m.where, m.id))


def verdict_of(matches: Sequence[CheckMatch]) -> str:
    """``new``, ``syndicated copy`` or ``exact duplicate``."""
    if not matches:
        return "new"
    if any(match.jaccard >= EXACT_DUPLICATE_JACCARD for match in matches):
        return "exact duplicate"
    return "syndicated copy"


def is_finding(result: CheckResult, policy: str) -> bool:
    """Whether ``policy`` (``--fail-on``) counts this result as a finding."""
    if policy not in POLICIES:
        raise ValueError(f"policy must be one of {', '.join(POLICIES)}, got {policy!r}")
    if policy == "none" or result.verdict == "new":
        return False
    if policy == "any":
        return True
    if policy == "duplicate":
        return result.verdict == "exact duplicate"
    return not result.credited  # uncredited
