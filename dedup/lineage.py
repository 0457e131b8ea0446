"""A cluster's source (or its reconstructed wire), who derived from whom, and what
each member kept, rewrote, dropped and added.

Source: the members that are wire copy (their outlet is a known agency, or the user
named them). Several are the wire's versions of one story (a snap, leads, a background
take, updates): the source is the story, its versions in time order, and each other
member's parent is the version it took the most of its text from. When the wire is
not in the batch (the seeds' case) it is reconstructed: the sentences that two or more
members share, aligned, in the order most members give them.

Lineage: every member derives from the source unless it carries what another member
added to it. When B holds sentences that A added to the wire (matched as same or
edited, ten words or more), B copied A, not the wire: the earlier published of the
two is the parent, or, with no times, the one whose additions the other holds more
completely. Each member keeps its strongest such parent, without cycles.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone

import numpy as np

from dedup.align import AlignmentSettings, Segment, align
from dedup.credit import agency_of_outlet
from dedup.models import Article, Lineage, MemberLineage
from dedup.similarity import SentenceWords, SimilarityMatrix, sentence_words, similarity_matrix

RECONSTRUCTED = "reconstructed"
#: Shared additions need this many words before they say B copied A.
MIN_SHARED_ADDITION_WORDS = 10

Span = tuple[int, int]


@dataclass(frozen=True, slots=True)
class _Document:
    article: Article
    sentences: list[SentenceWords]

    @property
    def word_count(self) -> int:
        return sum(len(sentence.texts) for sentence in self.sentences)


def _document(article: Article, boilerplate: Sequence[Span]) -> _Document:
    """The article's sentences, those inside boilerplate lines left out."""
    sentences = [
        sentence
        for sentence in sentence_words(article.text, word_offsets=False)
        if not any(
            start <= sentence.span[0] and sentence.span[1] <= end for start, end in boilerplate
        )
    ]
    return _Document(article, sentences)


def is_wire(article: Article, wire_ids: frozenset[str] = frozenset()) -> bool:
    """Whether ``article`` is wire copy: its outlet is an agency, or the user said so."""
    return article.id in wire_ids or agency_of_outlet(article.outlet) is not None


def wire_versions(
    members: Sequence[Article], center: str, wire_ids: frozenset[str] = frozenset()
) -> list[str]:
    """The members that are wire copy, the wire's versions in time order (undated
    ones last, the most connected member first, then by id)."""
    far_future = datetime.max.replace(tzinfo=timezone.utc)
    wires = [m for m in members if is_wire(m, wire_ids)]
    wires.sort(key=lambda m: (m.published_at or far_future, m.id != center, m.id))
    return [m.id for m in wires]


def choose_source(
    members: Sequence[Article], center: str, wire_ids: frozenset[str] = frozenset()
) -> str | None:
    """The member that is wire copy (its first version), or None when none is."""
    versions = wire_versions(members, center, wire_ids)
    return versions[0] if versions else None


def reconstruct_wire(
    documents: Sequence[_Document], settings: AlignmentSettings
) -> tuple[str, list[SentenceWords]]:
    """The sentences two or more documents share, in the order most of them give them.

    The first document seeds the candidate sentences; each other document is aligned
    with the candidates, confirming the ones it matches and adding the ones it does
    not. Each kept sentence is written as the document that first had it wrote it.
    """
    candidates: list[SentenceWords] = []
    texts: list[str] = []
    positions: list[list[float]] = []
    for document in documents:
        count = max(1, len(document.sentences))
        matched: set[int] = set()
        for segment in align(candidates, document.sentences, settings):
            if segment.match is None or not segment.source_sentences:
                continue
            where = segment.derived_sentences[0] / count
            for candidate in segment.source_sentences:
                positions[candidate].append(where)
            matched.update(segment.derived_sentences)
        for index, sentence in enumerate(document.sentences):
            if index not in matched:
                candidates.append(sentence)
                texts.append(document.article.text[slice(*sentence.span)])
                positions.append([index / count])
    kept = [n for n in range(len(candidates)) if len(positions[n]) >= 2]
    kept.sort(key=lambda n: (statistics.median(positions[n]), n))
    return "\n".join(texts[n] for n in kept), [candidates[n] for n in kept]


def _share(segments: Sequence[Segment], source: Sequence[SentenceWords]) -> dict[str, float]:
    total = sum(len(sentence.texts) for sentence in source) or 1
    words = {"kept": 0, "rewritten": 0, "dropped": 0}
    for segment in segments:
        size = sum(len(source[i].texts) for i in segment.source_sentences)
        if segment.operation == "dropped":
            words["dropped"] += size
        elif segment.match in ("same", "edited"):
            words["kept"] += size
        elif segment.match == "rewritten":
            words["rewritten"] += size
    return {name: round(count / total, 3) for name, count in words.items()}


def _taken_words(segments: Sequence[Segment], derived: Sequence[SentenceWords]) -> int:
    """Words of the derived document matched to a source sentence (kept, edited,
    rewritten or moved): how much of its text it took from that source."""
    return sum(
        len(derived[j].texts)
        for segment in segments
        if segment.match is not None
        for j in segment.derived_sentences
    )


def _added_share(
    segments: Sequence[Segment],
    derived: Sequence[SentenceWords],
    from_elsewhere: set[int] | frozenset[int] = frozenset(),
) -> float:
    """Share of the derived document's words that are its own: added, and in no other
    version of the wire (``from_elsewhere``: sentence indexes)."""
    total = sum(len(sentence.texts) for sentence in derived) or 1
    added = sum(
        len(derived[j].texts)
        for segment in segments
        if segment.operation == "added"
        for j in segment.derived_sentences
        if j not in from_elsewhere
    )
    return round(added / total, 3)


def trace_lineage(
    members: Sequence[Article],
    center: str,
    boilerplate: Mapping[str, Sequence[Span]] | None = None,
    wire_ids: frozenset[str] = frozenset(),
    settings: AlignmentSettings | None = None,
) -> Lineage:
    """Source, reconstructed wire when needed, parents and shares for one cluster."""
    settings = settings or AlignmentSettings()
    boilerplate = boilerplate or {}
    documents = {m.id: _document(m, boilerplate.get(m.id, ())) for m in members}
    versions = wire_versions(members, center, wire_ids)
    reconstructed_text = None
    if not versions:
        order = sorted(documents, key=lambda d: (d != center, d))
        reconstructed_text, source_sentences = reconstruct_wire(
            [documents[d] for d in order], settings
        )
        source_name = RECONSTRUCTED
        sources = {RECONSTRUCTED: source_sentences}
    else:
        source_name = versions[0]
        sources = {version: documents[version].sentences for version in versions}

    derived = sorted(d for d in documents if d != source_name)
    segments: dict[str, list[Segment]] = {}
    parent_version: dict[str, str] = {}
    # Per member, its sentences some version holds: taken from the wire, not added.
    from_wire: dict[str, set[int]] = {}
    for d in derived:
        # A later version derives from the first; any other member from the version it
        # took the most of its text from (the earlier one on a tie).
        candidates = [source_name] if d in sources else [v for v in sources if v != d]
        best = -1
        from_wire[d] = set()
        for candidate in candidates:
            aligned = align(sources[candidate], documents[d].sentences, settings)
            taken = _taken_words(aligned, documents[d].sentences)
            from_wire[d].update(j for s in aligned if s.match for j in s.derived_sentences)
            if taken > best:
                best, segments[d], parent_version[d] = taken, aligned, candidate
    additions = {
        d: [
            documents[d].sentences[j]
            for segment in segments[d]
            if segment.operation == "added"
            for j in segment.derived_sentences
            if j not in from_wire[d]
        ]
        for d in derived
    }
    copies = [d for d in derived if d not in sources]
    parents = _parents(copies, additions, {m.id: m.published_at for m in members}, settings)
    return Lineage(
        source=source_name,
        reconstructed_text=reconstructed_text,
        members=tuple(
            MemberLineage(
                id=d,
                parent=parents.get(d, parent_version[d]),
                added=_added_share(segments[d], documents[d].sentences, from_wire[d]),
                **_share(segments[d], sources[parent_version[d]]),
                compared_with=parent_version[d],
            )
            for d in derived
        ),
        versions=tuple(versions),
    )


def _parents(
    members: Sequence[str],
    additions: Mapping[str, list[SentenceWords]],
    published: Mapping[str, datetime | None],
    settings: AlignmentSettings,
) -> dict[str, str]:
    """For members that copied another member's additions: that member."""
    links: list[tuple[int, str, str]] = []  # (shared words, parent, child)
    for first, second, matrix in _pairs_that_may_share(members, additions, settings):
        shared = sum(
            sum(len(additions[second][j].texts) for j in segment.derived_sentences)
            for segment in align(additions[first], additions[second], settings, matrix)
            if segment.match in ("same", "edited")
        )
        if shared < MIN_SHARED_ADDITION_WORDS:
            continue
        parent, child = _direction(first, second, additions, published)
        links.append((shared, parent, child))
    chosen: dict[str, str] = {}
    for _, parent, child in sorted(links, key=lambda link: (-link[0], link[1], link[2])):
        if child in chosen or _is_ancestor(child, parent, chosen):
            continue
        chosen[child] = parent
    return chosen


def _pairs_that_may_share(
    members: Sequence[str],
    additions: Mapping[str, list[SentenceWords]],
    settings: AlignmentSettings,
) -> Iterator[tuple[str, str, SimilarityMatrix]]:
    """The pairs of members (in ``members`` order) whose additions may share a
    sentence, each with the similarity of their additions: one matrix of a member's
    additions against those of every later member, instead of a matrix per pair.

    The aligner's groups grow from a sentence pair that scores
    ``rewritten_threshold`` and shares ``min_shared_words`` (or is the same two or
    more words), or from a run of up to ``max_run`` sentences against one. A run
    that ends same or edited scores ``edited_threshold``, and Dice and Indel both
    split over its pieces (its shared words or common subsequence are the sum of
    theirs), so one piece scores ``edited_threshold / max_run``. A pair with no
    sentence pair that close is skipped: of the 45,000 pairs of a 300-member cluster
    of unrelated additions, all but a few. What this can miss: an addition that one
    member copied and split into more than ``max_run`` sentences, and a shuffled
    passage of the very same words.
    """
    floor = min(settings.rewritten_threshold, settings.edited_threshold / settings.max_run)
    for number, first in enumerate(members):
        later = [m for m in members[number + 1 :] if additions[m]]
        if not additions[first] or not later:
            continue
        bounds = np.cumsum([0] + [len(additions[m]) for m in later])
        block = similarity_matrix(
            [list(s.texts) for s in additions[first]],
            [list(s.texts) for m in later for s in additions[m]],
        )
        close = (block.scores >= floor) & (
            (block.shared_words >= settings.min_shared_words) | (block.scores >= 100)
        )
        holders = np.searchsorted(bounds, np.nonzero(close.any(axis=0))[0], side="right") - 1
        for index in np.unique(holders):
            yield first, later[index], block.columns(int(bounds[index]), int(bounds[index + 1]))


def _direction(
    first: str,
    second: str,
    additions: Mapping[str, list[SentenceWords]],
    published: Mapping[str, datetime | None],
) -> tuple[str, str]:
    """(parent, child): the earlier published, or the one with fewer additions of its own."""
    first_time, second_time = published.get(first), published.get(second)
    if first_time and second_time and first_time != second_time:
        return (first, second) if first_time < second_time else (second, first)
    first_words = sum(len(s.texts) for s in additions[first])
    second_words = sum(len(s.texts) for s in additions[second])
    # A copy holds its parent's additions and adds its own: the parent has fewer.
    if first_words != second_words:
        return (first, second) if first_words < second_words else (second, first)
    return (first, second) if first < second else (second, first)


def _is_ancestor(candidate: str, document: str, parents: Mapping[str, str]) -> bool:
    """Whether ``candidate`` is ``document`` or one of its ancestors."""
    while True:
        if document == candidate:
            return True
        if document not in parents:
            return False
        document = parents[document]
