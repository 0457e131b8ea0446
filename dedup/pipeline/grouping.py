"""Stages 2 to 5: candidate pairs, their exact check, clusters and lineage."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import datetime

import numpy as np

from dedup.candidates import PairArray, candidate_pairs
from dedup.cluster import AllRelated, build_clusters
from dedup.diff import Diff, diff_texts
from dedup.errors import TooLongToAlignError
from dedup.lineage import RECONSTRUCTED, is_wire, trace_lineage
from dedup.match import MatchThresholds, Overlap, measure_overlap
from dedup.models import Article, Cluster, DocumentSummary, Edge, Report, cluster_ids
from dedup.pipeline.features import DocumentFeatures, ProgressCallback, compute_features
from dedup.settings import Settings
from dedup.shingle import HashArray
from dedup.signature import SignatureArray
from dedup.topic import TopicSimilarity
from dedup.workers import fork_available, ordered_map

# Candidate pairs per job of exact checks, and fewer than this are checked in-process.
_PAIR_CHUNK = 20_000
_PARALLEL_PAIRS = 100_000
# Below this many clusters, lineage is traced in this process.
_PARALLEL_CLUSTERS = 200
# Pairs of a merge whose topic similarity is computed in one sparse step.
_RELATION_CHUNK = 20_000


def batch_candidates(
    signature_rows: SignatureArray, settings: Settings, features: Sequence[DocumentFeatures]
) -> PairArray:
    """Candidate pairs of a batch, with the settings' banding (and one band enough for
    pairs of very unequal sizes)."""
    pairs, _ = candidate_pairs(
        signature_rows,
        settings.lsh_bands,
        settings.lsh_rows,
        settings.min_band_matches,
        settings.star_bucket_size,
        np.array([feature.shingles.size for feature in features], dtype=np.int64),
    )
    return pairs


def match_thresholds(settings: Settings) -> MatchThresholds:
    return MatchThresholds(
        settings.min_containment,
        settings.min_jaccard,
        settings.min_shared_shingles,
        settings.many_shared_shingles,
    )


def verified_edges(
    ids: Sequence[str],
    features: Sequence[DocumentFeatures],
    signature_rows: SignatureArray,
    settings: Settings,
    progress: ProgressCallback | None = None,
    workers: int = 1,
) -> list[Edge]:
    """Candidate pairs from LSH, kept when the exact check confirms them."""
    pairs = batch_candidates(signature_rows, settings, features)
    thresholds = match_thresholds(settings)
    chunks = [pairs[start : start + _PAIR_CHUNK] for start in range(0, len(pairs), _PAIR_CHUNK)]
    global _SHINGLES
    _SHINGLES = [feature.shingles for feature in features]
    try:
        if workers > 1 and len(pairs) >= _PARALLEL_PAIRS and fork_available():
            # Forked workers inherit the shingle sets; only pair indexes are sent.
            results = ordered_map(
                _accepted_overlaps, ((chunk, thresholds) for chunk in chunks), workers, fork=True
            )
        else:
            results = (_accepted_overlaps(chunk, thresholds) for chunk in chunks)
        edges = []
        checked = 0
        for chunk, accepted in zip(chunks, results, strict=True):
            for (first, second), overlap in accepted:
                low, high = sorted((ids[first], ids[second]))
                edges.append(
                    Edge(
                        first=low,
                        second=high,
                        containment=round(overlap.containment, 4),
                        jaccard=round(overlap.jaccard, 4),
                        shared_shingles=overlap.shared,
                    )
                )
            checked += len(chunk)
            if progress is not None:
                progress("exact checks", checked, len(pairs))
    finally:
        _SHINGLES = []
    return sorted(edges, key=lambda edge: (edge.first, edge.second))


# The shingle sets of the batch being checked, for forked workers to inherit.
_SHINGLES: list[HashArray] = []


def _accepted_overlaps(
    pairs: PairArray, thresholds: MatchThresholds
) -> list[tuple[tuple[int, int], Overlap]]:
    """The pairs of a chunk that pass the exact check, with their overlap."""
    accepted = []
    for first, second in pairs.tolist():
        overlap = measure_overlap(_SHINGLES[first], _SHINGLES[second])
        if thresholds.accept(overlap):
            accepted.append(((first, second), overlap))
    return accepted


def _topic_relation(
    articles: Sequence[Article],
    features: Sequence[DocumentFeatures],
    edges: Sequence[Edge],
    settings: Settings,
) -> AllRelated:
    """``all_related`` for the chaining guard: each pair on the same topic (a TF-IDF
    model fitted only on documents that have edges) and, when both are dated, published
    within ``topic_window_days`` calendar days (UTC dates: many sources give no time)."""
    involved = sorted({end for edge in edges for end in (edge.first, edge.second)})
    position = {article.id: index for index, article in enumerate(articles)}
    rows = {document: row for row, document in enumerate(involved)}
    model = (
        TopicSimilarity(
            [(features[position[d]].word_ids, features[position[d]].word_counts) for d in involved]
        )
        if involved
        else None
    )
    days = settings.topic_window_days
    # Day numbers, -1 for undated (no limit).
    day = np.array(
        [_day_number(articles[position[d]].published_at) for d in involved], dtype=np.int64
    )
    unrelated: set[tuple[str, str]] = set()

    def all_related(pairs: Sequence[tuple[str, str]]) -> bool:
        if model is None or any(pair in unrelated for pair in pairs):
            return False
        for start in range(0, len(pairs), _RELATION_CHUNK):
            chunk = pairs[start : start + _RELATION_CHUNK]
            first = np.fromiter((rows[a] for a, _ in chunk), dtype=np.intp, count=len(chunk))
            second = np.fromiter((rows[b] for _, b in chunk), dtype=np.intp, count=len(chunk))
            related = model.similarities(first, second) >= settings.min_topic_similarity
            if days:
                undated = (day[first] < 0) | (day[second] < 0)
                related &= undated | (np.abs(day[first] - day[second]) <= days)
            if not related.all():
                unrelated.update(chunk[i] for i in np.flatnonzero(~related).tolist())
                return False
        return True

    return all_related


def _day_number(moment: datetime | None) -> int:
    return moment.date().toordinal() if moment is not None else -1


def _trace_cluster(
    cluster: Cluster,
    members: list[Article],
    boilerplate: dict[str, tuple[tuple[int, int], ...]],
    wire_ids: frozenset[str],
) -> Cluster:
    try:
        lineage = trace_lineage(members, cluster.center, boilerplate, wire_ids)
    except TooLongToAlignError:
        return cluster  # not traced (lineage None): the report says so
    return replace(cluster, lineage=lineage)


def trace_clusters(
    clusters: Sequence[Cluster],
    articles: Sequence[Article],
    features: Sequence[DocumentFeatures],
    wire_ids: frozenset[str] = frozenset(),
    workers: int = 1,
    progress: ProgressCallback | None = None,
) -> list[Cluster]:
    """Each cluster with its lineage (source, parents, shares), clusters in parallel."""
    by_id = {
        article.id: (article, feature) for article, feature in zip(articles, features, strict=True)
    }
    jobs = [
        (
            cluster,
            [by_id[member][0] for member in cluster.members],
            {member: by_id[member][1].boilerplate for member in cluster.members},
            wire_ids,
        )
        for cluster in clusters
    ]
    traced: list[Cluster] = []
    if progress is not None:
        progress("lineage", 0, len(jobs))
    if workers > 1 and len(jobs) >= _PARALLEL_CLUSTERS:
        # Every job in flight at once: clusters come biggest first, and with a window
        # the other workers would idle while the first (a story copied 300 times)
        # holds it. The jobs are references to articles the batch holds anyway.
        results: Iterable[Cluster] = ordered_map(
            _trace_cluster, jobs, workers, read_ahead=len(jobs)
        )
    else:
        results = (_trace_cluster(*job) for job in jobs)
    for cluster in results:
        traced.append(cluster)
        if progress is not None:
            progress("lineage", len(traced), len(jobs))
    return traced


def find_duplicates(
    articles: Sequence[Article],
    settings: Settings | None = None,
    workers: int = 1,
    progress: ProgressCallback | None = None,
    lineage: bool = True,
    wire_ids: frozenset[str] = frozenset(),
) -> Report:
    """Group ``articles`` into syndication clusters, and trace each cluster's lineage.

    Args:
        articles: the batch; ids must be distinct.
        settings: matching settings; the defaults when omitted.
        workers: processes for the per-document work (0: one per CPU core).
        progress: called as stages advance, for a progress display.
        lineage: also find each cluster's source, parents and shares (the slower part).
        wire_ids: documents to treat as wire copy whatever their outlet.

    Raises:
        ValueError: when two articles share an id.
    """
    settings = settings or Settings()
    ids = [article.id for article in articles]
    repeated = [document for document, count in Counter(ids).items() if count > 1]
    if repeated:
        raise ValueError(f"article id {repeated[0]!r} occurs more than once")
    if workers < 0:
        raise ValueError(f"workers must be 0 (one per core) or more, got {workers}")
    workers = workers or (os.cpu_count() or 1)

    features, signature_rows = compute_features(articles, settings, workers, progress)
    edges = verified_edges(ids, features, signature_rows, settings, progress, workers)
    all_related = _topic_relation(articles, features, edges, settings)
    # Near copies of one document are near copies of each other: Jaccard distance obeys
    # the triangle inequality, so two edges of Jaccard (1 + J) / 2 to one document leave
    # the pair a Jaccard of J, enough for the exact check.
    floor = max(settings.min_containment, settings.min_jaccard)
    clusters: Sequence[Cluster] = build_clusters(edges, all_related, (1 + floor) / 2)
    if lineage:
        clusters = trace_clusters(clusters, articles, features, wire_ids, workers, progress)
    documents = tuple(
        DocumentSummary(
            article=article,
            word_count=feature.word_count,
            credits=feature.credits,
            boilerplate=tuple(article.text[start:end] for start, end in feature.boilerplate),
            no_article_text=feature.no_article_text,
            wire=is_wire(article, wire_ids),
        )
        for article, feature in zip(articles, features, strict=True)
    )
    return Report(
        documents=documents,
        clusters=tuple(clusters),
        settings=settings.as_dict(),
        links=_links_between_clusters(edges, clusters),
    )


def _links_between_clusters(edges: Sequence[Edge], clusters: Sequence[Cluster]) -> tuple[Edge, ...]:
    """The verified edges that are in no cluster (the chaining guard refused them)."""
    cluster_of = cluster_ids(clusters)
    return tuple(
        edge
        for edge in edges
        if edge.first not in cluster_of or cluster_of[edge.first] != cluster_of.get(edge.second)
    )


def member_diffs(report: Report, clusters: int | None = None) -> list[Diff]:
    """The diff of every traced member against what its shares are measured against
    (the cluster's source, or the wire version it took the most from), cluster by
    cluster; with ``clusters``, of the first that many clusters only (the largest)."""
    if clusters is not None and clusters < 0:
        raise ValueError(f"clusters must be at least 0, got {clusters}")
    texts = {summary.article.id: summary.article.text for summary in report.documents}
    diffs = []
    for cluster in report.clusters[:clusters]:
        if cluster.lineage is None:
            continue
        for member in cluster.lineage.members:
            against = member.compared_with or cluster.lineage.source
            if against == RECONSTRUCTED:
                against_text = cluster.lineage.reconstructed_text or ""
            else:
                against_text = texts[against]
            diffs.append(diff_texts(against, against_text, member.id, texts[member.id]))
    return diffs
