"""Articles + settings -> report: the stages of grouping, in order.

1. features: set boilerplate lines aside, normalize, tokenize, shingle, sign, find
   agency credits (in worker processes for big batches);
2. candidates: LSH banding over the signatures;
3. verification: exact shingle overlap of every candidate pair;
4. clusters: verified edges grouped with the chaining guard;
5. lineage: each cluster's source or reconstructed wire, parents and shares.
"""

from __future__ import annotations

import os
from collections import Counter, defaultdict, deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timezone
from typing import TypeVar

import numpy as np

from dedup.boilerplate import (
    boilerplate_spans,
    kept_words_text,
    normalized_lines,
    recurring_lines,
)
from dedup.calibrate import Calibration, Truth, sweep
from dedup.candidates import PairArray, candidate_pairs
from dedup.check import Candidate, CheckResult, IndexEntry, IndexLookup, verdict_of, verify
from dedup.cluster import build_clusters
from dedup.credit import candidate_agencies, find_credits
from dedup.diff import Diff, diff_texts
from dedup.lineage import trace_lineage
from dedup.match import MatchThresholds, Overlap, measure_overlap
from dedup.models import Article, Cluster, Credit, DocumentSummary, Edge, Report
from dedup.normalize import tokenize
from dedup.settings import Settings
from dedup.shingle import (
    FoldedArray,
    HashArray,
    fold_to_32_bits,
    shingles_of_word_hashes,
    word_hashes,
)
from dedup.signature import SignatureArray, signatures
from dedup.topic import TopicSimilarity, WordIdArray
from dedup.workers import fork_available, ordered_map

#: Reports progress: (stage name, items done, items in all).
ProgressCallback = Callable[[str, int, int], None]

#: Below this many words left after boilerplate, a mostly-boilerplate page has no article.
_ARTICLE_MIN_WORDS = 40
# Below this many articles, starting worker processes costs more than it saves.
_PARALLEL_MINIMUM = 2_000
_CHUNK_SIZE = 500
# Candidate pairs per job of exact checks, and fewer than this are checked in-process.
_PAIR_CHUNK = 20_000
_PARALLEL_PAIRS = 100_000
# Below this many clusters, lineage is traced in this process.
_PARALLEL_CLUSTERS = 200


@dataclass(frozen=True, slots=True)
class DocumentFeatures:
    """What matching needs of one document; the text itself is not kept."""

    word_count: int
    credits: tuple[Credit, ...]
    #: Lines set aside as web-page boilerplate (spans of the original text).
    boilerplate: tuple[tuple[int, int], ...]
    shingles: HashArray
    #: Distinct word ids (32-bit word hashes) and their counts, for topic similarity.
    word_ids: WordIdArray
    word_counts: WordIdArray
    #: A page that is mostly boilerplate with next to nothing left (a cookie wall, a
    #: paywall, a captcha page): its shingles are left empty so it matches nothing.
    no_article_text: bool = False


def featurize(
    documents: Sequence[tuple[str, frozenset[int]]], shingle_size: int
) -> list[DocumentFeatures]:
    """Features of each (text, its outlet's recurring lines), in order.

    Boilerplate lines are left out of the words, so they never make a match.
    """
    features = []
    for text, recurring in documents:
        lines = normalized_lines(text)
        boilerplate = boilerplate_spans(text, recurring, lines)
        document_words = tokenize(kept_words_text(text, lines, boilerplate))
        nothing_left = bool(boilerplate) and _mostly_boilerplate(
            len(document_words), sum(len(line.split()) for _, line in lines)
        )
        hashes = word_hashes(document_words)
        word_ids, word_counts = np.unique(hashes.astype(np.uint32), return_counts=True)
        agencies = candidate_agencies(document_words)
        credits = find_credits(text, agencies) if agencies else []
        features.append(
            DocumentFeatures(
                word_count=len(document_words),
                credits=tuple(credits),
                boilerplate=tuple(boilerplate),
                shingles=shingles_of_word_hashes(
                    hashes[:0] if nothing_left else hashes, shingle_size
                ),
                word_ids=word_ids,
                word_counts=word_counts.astype(np.uint32),
                no_article_text=nothing_left,
            )
        )
    return features


def _mostly_boilerplate(kept_words: int, all_words: int) -> bool:
    """Fewer than 40 words left, and at least twice as many set aside: what the
    boilerplate left of a cookie wall or a captcha page matched other such pages (a
    wire snap with its slug line set aside keeps most of its words)."""
    return kept_words < _ARTICLE_MIN_WORDS and all_words - kept_words >= 2 * kept_words


def _featurize_and_sign(
    documents: list[tuple[str, frozenset[int]]], shingle_size: int, num_perm: int, seed: int
) -> tuple[list[DocumentFeatures], SignatureArray]:
    features = featurize(documents, shingle_size)
    return features, signatures([f.shingles for f in features], num_perm, seed)


def _sign_for_index(
    documents: list[tuple[str, frozenset[int]]], shingle_size: int, num_perm: int, seed: int
) -> tuple[list[tuple[int, tuple[Credit, ...], FoldedArray]], SignatureArray]:
    """What an index stores of each document, but the article: folded and trimmed in the
    worker, so that the process writing the index does little else."""
    features, signature_rows = _featurize_and_sign(documents, shingle_size, num_perm, seed)
    stored = [(f.word_count, f.credits, fold_to_32_bits(f.shingles)) for f in features]
    return stored, signature_rows


Part = TypeVar("Part", bound=tuple[Sequence[object], SignatureArray])
#: Per outlet, the hashes of the lines that recur in its documents (boilerplate).
OutletLines = Mapping[str, frozenset[int]]


def outlet_lines(articles: Iterable[Article]) -> OutletLines:
    """The lines each outlet repeats across its documents: a first pass over a batch."""
    return recurring_lines((article.outlet, article.text) for article in articles)


def _signed_chunks(
    articles: Iterable[Article],
    total: int,
    recurring: OutletLines,
    settings: Settings,
    sign: Callable[[list[tuple[str, frozenset[int]]], int, int, int], Part],
    workers: int,
    progress: ProgressCallback | None,
    read_ahead: int = 0,
) -> Iterator[tuple[list[Article], Part]]:
    """Each chunk of ``articles`` (``total`` of them) and ``sign`` of it, in order, read
    only as far as the workers need (in worker processes with ``workers`` > 1,
    ``read_ahead`` articles beyond the default window)."""
    in_flight: deque[list[Article]] = deque()

    def jobs() -> Iterator[tuple[list[tuple[str, frozenset[int]]], int, int, int]]:
        for chunk in _chunked(articles, _CHUNK_SIZE):
            in_flight.append(chunk)
            texts = [(a.text, recurring.get(a.outlet or "", frozenset())) for a in chunk]
            yield (texts, settings.shingle_size, settings.num_perm, settings.seed)

    if workers > 1 and total >= _PARALLEL_MINIMUM:
        parts: Iterable[Part] = ordered_map(
            sign, jobs(), workers, read_ahead=read_ahead // _CHUNK_SIZE
        )
    else:
        parts = (sign(*job) for job in jobs())
    done = 0
    for part in parts:
        chunk = in_flight.popleft()
        done += len(chunk)
        if progress is not None:
            progress("signatures", done, max(total, done))
        yield chunk, part


def _chunked(articles: Iterable[Article], size: int) -> Iterator[list[Article]]:
    chunk: list[Article] = []
    for article in articles:
        chunk.append(article)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def iter_features(
    articles: Sequence[Article],
    settings: Settings,
    workers: int = 1,
    progress: ProgressCallback | None = None,
) -> Iterator[tuple[list[DocumentFeatures], SignatureArray]]:
    """Features and MinHash signatures of the articles, a chunk at a time, in order.

    With ``workers`` > 1 the next chunks are computed in worker processes while the
    caller deals with this one.
    """
    chunks = _signed_chunks(
        articles,
        len(articles),
        outlet_lines(articles),
        settings,
        _featurize_and_sign,
        workers,
        progress,
    )
    return (part for _, part in chunks)


def compute_features(
    articles: Sequence[Article],
    settings: Settings,
    workers: int = 1,
    progress: ProgressCallback | None = None,
) -> tuple[list[DocumentFeatures], SignatureArray]:
    """Features and MinHash signatures of every article, using ``workers`` processes."""
    features: list[DocumentFeatures] = []
    signature_parts: list[SignatureArray] = [np.empty((0, settings.num_perm), dtype=np.uint32)]
    for part_features, part_signatures in iter_features(articles, settings, workers, progress):
        features.extend(part_features)
        signature_parts.append(part_signatures)
    return features, np.concatenate(signature_parts)


def index_entries(
    articles: Sequence[Article],
    settings: Settings,
    workers: int = 1,
    progress: ProgressCallback | None = None,
    batch: int = 0,
) -> Iterator[IndexEntry]:
    """What an index stores of each article, lazily (see :func:`stream_index_entries`)."""
    return stream_index_entries(
        articles, len(articles), outlet_lines(articles), settings, workers, progress, batch
    )


def stream_index_entries(
    articles: Iterable[Article],
    total: int,
    recurring: OutletLines,
    settings: Settings,
    workers: int = 1,
    progress: ProgressCallback | None = None,
    batch: int = 0,
) -> Iterator[IndexEntry]:
    """What an index stores of each of ``articles`` (about ``total``; ``recurring`` from
    a first pass, :func:`outlet_lines`), reading them only a ``batch`` ahead of
    ``store.add``: the workers sign the next batch while it writes this one, so they
    never wait for the write (100k documents were indexed in 67 s with 3,000 signed
    ahead, in 45 to 53 s with 10,000 and the workers folding the shingles), and memory
    holds one batch, not every article."""
    parts = _signed_chunks(
        articles, total, recurring, settings, _sign_for_index, workers, progress, batch
    )
    for chunk, (stored, signature_rows) in parts:
        for article, (word_count, credits, folded), signature in zip(
            chunk, stored, signature_rows, strict=True
        ):
            yield article, word_count, credits, signature, folded


def _candidates(signature_rows: SignatureArray, settings: Settings) -> PairArray:
    """Candidate pairs of a batch, with the settings' banding."""
    pairs, _ = candidate_pairs(
        signature_rows,
        settings.lsh_bands,
        settings.lsh_rows,
        settings.min_band_matches,
        settings.star_bucket_size,
    )
    return pairs


def _thresholds(settings: Settings) -> MatchThresholds:
    return MatchThresholds(
        settings.min_containment, settings.min_jaccard, settings.min_shared_shingles
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
    pairs = _candidates(signature_rows, settings)
    thresholds = _thresholds(settings)
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
) -> Callable[[str, str], bool]:
    """``are_related`` for the chaining guard: on the same topic (a TF-IDF model fitted
    only on documents that have edges) and, when both are dated, published within
    ``topic_window_days`` calendar days of each other."""
    involved = sorted({end for edge in edges for end in (edge.first, edge.second)})
    if not involved:
        return lambda first, second: False
    position = {article.id: index for index, article in enumerate(articles)}
    rows = {document: row for row, document in enumerate(involved)}
    model = TopicSimilarity(
        [(features[position[d]].word_ids, features[position[d]].word_counts) for d in involved]
    )
    published = {d: _utc_date(articles[position[d]].published_at) for d in involved}
    days = settings.topic_window_days
    cache: dict[tuple[str, str], bool] = {}

    def are_related(first: str, second: str) -> bool:
        key = (first, second)
        if key not in cache:
            cache[key] = _published_within(published[first], published[second], days) and (
                model.similarity(rows[first], rows[second]) >= settings.min_topic_similarity
            )
        return cache[key]

    return are_related


def _utc_date(moment: datetime | None) -> date | None:
    return moment.astimezone(timezone.utc).date() if moment is not None else None


def _published_within(first: date | None, second: date | None, days: int) -> bool:
    """Whether two publication dates (UTC calendar dates: many sources give no time of
    day) are at most ``days`` apart; 0 days, or a missing date, puts no limit."""
    if not days or first is None or second is None:
        return True
    return abs((first - second).days) <= days


def _trace_cluster(
    cluster: Cluster,
    members: list[Article],
    boilerplate: dict[str, tuple[tuple[int, int], ...]],
    wire_ids: frozenset[str],
) -> Cluster:
    lineage = trace_lineage(members, cluster.center, boilerplate, wire_ids)
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
    if workers > 1 and len(jobs) >= _PARALLEL_CLUSTERS:
        results: Iterable[Cluster] = ordered_map(_trace_cluster, jobs, workers)
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
    are_related = _topic_relation(articles, features, edges, settings)
    clusters: Sequence[Cluster] = build_clusters(edges, are_related)
    if lineage:
        clusters = trace_clusters(clusters, articles, features, wire_ids, workers, progress)
    documents = tuple(
        DocumentSummary(
            article=article,
            word_count=feature.word_count,
            credits=feature.credits,
            boilerplate=tuple(article.text[start:end] for start, end in feature.boilerplate),
            no_article_text=feature.no_article_text,
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
    cluster_of = {member: cluster.id for cluster in clusters for member in cluster.members}
    return tuple(
        edge
        for edge in edges
        if edge.first not in cluster_of or cluster_of[edge.first] != cluster_of.get(edge.second)
    )


def member_diffs(report: Report) -> list[Diff]:
    """The diff of every traced member against its cluster's source, cluster by cluster."""
    texts = {summary.article.id: summary.article.text for summary in report.documents}
    diffs = []
    for cluster in report.clusters:
        if cluster.lineage is None:
            continue
        source = cluster.lineage.source
        source_text = cluster.lineage.reconstructed_text or texts[source]
        for member in cluster.lineage.members:
            diffs.append(diff_texts(source, source_text, member.id, texts[member.id]))
    return diffs


def check_items(
    articles: Sequence[Article],
    index: IndexLookup | None,
    settings: Settings | None = None,
    workers: int = 1,
    progress: ProgressCallback | None = None,
) -> tuple[list[CheckResult], list[IndexEntry]]:
    """Each incoming article's verified matches in ``index`` and among the others.

    Returns the results, and what an index stores of the articles (to add them after).
    """
    settings = settings or Settings()
    workers = workers or (os.cpu_count() or 1)
    features, signature_rows = compute_features(articles, settings, workers, progress)
    thresholds = _thresholds(settings)
    folded = [fold_to_32_bits(feature.shingles) for feature in features]
    pairs = _candidates(signature_rows, settings)
    partners: dict[int, list[int]] = defaultdict(list)
    for first, second in pairs.tolist():
        partners[first].append(second)
        partners[second].append(first)
    results = []
    for number, article in enumerate(articles):
        candidates = [
            Candidate(other.id, "incoming", other.outlet, other.published, folded[j])
            for j in partners[number]
            for other in (articles[j],)
        ]
        if index is not None:
            found = index.candidates(
                signature_rows[number],
                settings.lsh_bands,
                settings.lsh_rows,
                settings.min_band_matches,
                settings.index_bucket_limit,
            )
            candidates += [
                Candidate(d["id"], "index", d["outlet"], d["published"], d["shingles"])
                for d in index.documents(found)
            ]
        matches = verify(article.id, folded[number], candidates, thresholds)
        results.append(
            CheckResult(article, verdict_of(matches), tuple(matches), features[number].credits)
        )
        if progress is not None:
            progress("checks", number + 1, len(articles))
    entries: list[IndexEntry] = [
        (article, feature.word_count, feature.credits, signature, shingles)
        for article, feature, signature, shingles in zip(
            articles, features, signature_rows, folded, strict=True
        )
    ]
    return results, entries


def calibrate(
    articles: Sequence[Article],
    truth: Truth,
    settings: Settings,
    min_precision: float = 0.99,
    workers: int = 1,
    progress: ProgressCallback | None = None,
) -> Calibration:
    """Every candidate pair measured once with no threshold, then the sweep of
    :mod:`dedup.calibrate` over them (``dedup calibrate``)."""
    ids = [article.id for article in articles]
    features, signature_rows = compute_features(articles, settings, workers, progress)
    unfiltered = replace(settings, min_containment=0.0, min_jaccard=0.0, min_shared_shingles=1)
    edges = verified_edges(ids, features, signature_rows, unfiltered, progress, workers)
    return sweep(ids, edges, truth, settings, min_precision)
