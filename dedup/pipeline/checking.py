"""Checking incoming items against an index, and calibrating thresholds on a labelled set."""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace

from dedup.calibrate import Calibration, Truth, sweep
from dedup.check import Candidate, CheckResult, IndexEntry, IndexLookup, verdict_of, verify
from dedup.models import Article
from dedup.pipeline.features import ProgressCallback, compute_features
from dedup.pipeline.grouping import batch_candidates, match_thresholds, verified_edges
from dedup.settings import Settings
from dedup.shingle import fold_to_32_bits


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
    thresholds = match_thresholds(settings)
    folded = [fold_to_32_bits(feature.shingles) for feature in features]
    pairs = batch_candidates(signature_rows, settings, features)
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
