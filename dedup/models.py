"""Data that crosses module boundaries: articles, matches, clusters, reports."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit


@dataclass(frozen=True, slots=True)
class Article:
    """One news item as read: original text kept exactly, for display and offsets."""

    id: str
    text: str
    title: str = ""
    outlet: str | None = None
    url: str | None = None
    published: str | None = None
    #: Where it was read from: a path, ``path:line`` for JSON Lines, ``path#n`` for feeds.
    source: str = ""
    #: Only a feed's summary, not the full text: sentences it lacks were never there.
    teaser: bool = False

    @property
    def site(self) -> str | None:
        """Whose page template the text was saved from: the outlet, or, for an item that
        names none, its URL's host without ``www.`` (a scraped page's lines that its site
        repeats on every page are found per site)."""
        if self.outlet:
            return self.outlet
        if not self.url:
            return None
        try:
            host = urlsplit(self.url.strip()).hostname
        except ValueError:  # a malformed URL, e.g. an unclosed IPv6 bracket
            return None
        return host.removeprefix("www.") if host else None

    @property
    def published_at(self) -> datetime | None:
        """``published`` as a time in UTC (read as UTC when it names no zone), or None
        when absent or unusable."""
        return parse_timestamp(self.published) if self.published else None


def parse_timestamp(value: str) -> datetime | None:
    """An ISO 8601 time (``Z`` accepted) or an RFC 2822 one (``Wed, 01 Mar 2000
    15:51:00 GMT``, what RSS and e-mail give) in UTC, or None when it is neither (or,
    like 0001-01-01T00:00+14:00, falls outside the years 1 to 9999 in UTC)."""
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        try:
            moment = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
    try:
        return (moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)).astimezone(
            timezone.utc
        )
    except (ValueError, OverflowError):
        return None


#: The source name of items read from standard input.
STDIN_NAME = "<stdin>"


@dataclass(frozen=True, slots=True)
class Notice:
    """An input item read all the same, without a part it could not use, and why."""

    source: str
    message: str


@dataclass(frozen=True, slots=True)
class Skipped:
    """An input item that could not be used, and why."""

    source: str
    reason: str


@dataclass(frozen=True, slots=True)
class Edge:
    """A verified match between two documents (ids in sorted order)."""

    first: str
    second: str
    #: Share of the smaller document's shingles that occur in the larger one.
    containment: float
    #: Shared shingles over all distinct shingles of the two.
    jaccard: float
    #: Number of shingles the two have in common.
    shared_shingles: int


@dataclass(frozen=True, slots=True)
class MemberLineage:
    """What one member did with the cluster's source, and whom it derived from."""

    id: str
    #: The member it copied: the source, another member, or "reconstructed".
    parent: str
    #: Shares of the source's words the member kept (same or edited), rewrote, dropped.
    kept: float
    rewritten: float
    dropped: float
    #: Share of the member's own words (boilerplate left out) that are its additions.
    added: float
    #: What the shares and the member's diff are measured against: the source, or the
    #: wire version it took the most from ("reconstructed" for a reconstructed wire).
    compared_with: str = ""


@dataclass(frozen=True, slots=True)
class Lineage:
    """Where a cluster's copy came from and who derived from whom."""

    #: A member that is wire copy, or "reconstructed" when the wire is not in the batch.
    source: str
    #: The reconstructed wire: the sentences two or more members share, one per line.
    reconstructed_text: str | None
    #: Every member but the source.
    members: tuple[MemberLineage, ...]
    #: The members that are wire copy, the wire's versions in time order; the first is
    #: the source. Empty when the source is reconstructed.
    versions: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Cluster:
    """Documents that rewrite the same copy, linked by verified edges."""

    id: str
    members: tuple[str, ...]
    edges: tuple[Edge, ...]
    #: The most connected member, against which the report compares the others.
    center: str
    lineage: Lineage | None = None


def cluster_ids(clusters: Sequence[Cluster]) -> dict[str, str]:
    """Each clustered document's cluster id."""
    return {member: cluster.id for cluster in clusters for member in cluster.members}


@dataclass(frozen=True, slots=True)
class Credit:
    """One credit of a news agency: where it is (dateline, attribution, caption)."""

    agency: str
    where: str
    #: The line fragment of the original text that carries the credit.
    evidence: str
    #: ``[start, end)`` of the agency's name in the article's text.
    span: tuple[int, int]


@dataclass(frozen=True, slots=True)
class DocumentSummary:
    """What a report says about one document."""

    article: Article
    word_count: int
    #: The agencies it credits; empty when it credits none.
    credits: tuple[Credit, ...] = ()
    #: Lines set aside as web-page boilerplate, as written.
    boilerplate: tuple[str, ...] = ()
    #: Mostly boilerplate with next to nothing left (a cookie wall, paywall or captcha
    #: page): not matched.
    no_article_text: bool = False
    #: Wire copy (its outlet is a news agency, or the user named it): the credit itself,
    #: never "uncredited".
    wire: bool = False


@dataclass(frozen=True, slots=True)
class Report:
    """The result of grouping a batch of articles."""

    documents: tuple[DocumentSummary, ...]
    clusters: tuple[Cluster, ...]
    skipped: tuple[Skipped, ...] = ()
    settings: dict[str, int | float] = field(default_factory=dict)
    #: Verified matches the chaining guard kept out of the clusters, between two clusters
    #: or with a document in none: a follow-up reusing an old story's background, the
    #: second story of a round-up.
    links: tuple[Edge, ...] = ()

    @property
    def unmatched(self) -> tuple[str, ...]:
        """Ids of the documents that are in no cluster, in input order."""
        clustered = {member for cluster in self.clusters for member in cluster.members}
        return tuple(
            summary.article.id for summary in self.documents if summary.article.id not in clustered
        )
