"""Speed, memory and pairwise quality of `dedup report` on synthetic corpora.

For each corpus size (10k and 100k documents by default) a fresh process generates
the seeded synthetic corpus (bench/syndication_corpus.py), then times the signature stage and
the whole report (the same `find_duplicates` the CLI runs), and reports peak memory and
pairwise precision and recall against the generator's ground truth. On the 10k corpus
the plain datasketch recipe (MinHash with one update() per word 5-gram, MinHashLSH at
threshold 0.5, connected components) is measured in the same run as the baseline.

    python bench/speed.py [--sizes 10000 100000] [--workers 2] [--no-baseline]
"""

from __future__ import annotations

import argparse
import itertools
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from memory import peak_megabytes
from plain_recipe import plain_groups, plain_sketches
from syndication_corpus import generate_corpus

from dedup import Article, Settings, find_duplicates
from dedup.pipeline import compute_features


def _articles(documents: list[dict[str, Any]]) -> list[Article]:
    return [
        Article(
            id=d["id"],
            text=d["text"],
            title=d.get("title", ""),
            outlet=d.get("outlet"),
            published=d.get("published"),
        )
        for d in documents
    ]


def _pairs(groups: list[list[str]]) -> set[tuple[str, str]]:
    return {
        (a, b) if a < b else (b, a) for group in groups for a, b in itertools.combinations(group, 2)
    }


def _true_groups(truth: dict[str, Any]) -> list[list[str]]:
    stories: dict[str, list[str]] = {}
    for document, story in truth["story"].items():
        stories.setdefault(story, []).append(document)
    return [members for members in stories.values() if len(members) >= 2]


def _quality(predicted: set[tuple[str, str]], true: set[tuple[str, str]]) -> dict[str, float]:
    hits = len(predicted & true)
    return {
        "precision": hits / len(predicted) if predicted else 1.0,
        "recall": hits / len(true) if true else 1.0,
        "predicted_pairs": len(predicted),
        "true_pairs": len(true),
    }


def _peak_mb() -> dict[str, float]:
    own, children = peak_megabytes(), peak_megabytes(children=True)
    return {"peak_mb_main": round(own, 1), "peak_mb_worker": round(children, 1)}


def measure_dedup(size: int, workers: int, seed: int) -> dict[str, Any]:
    """One corpus size, in this process."""
    documents, truth = generate_corpus(size, seed)
    articles = _articles(documents)
    del documents
    settings = Settings()

    started = time.perf_counter()
    single_count = min(2_000, size)
    compute_features(articles[:single_count], settings, workers=1)
    one_core = single_count / (time.perf_counter() - started)

    started = time.perf_counter()
    compute_features(articles, settings, workers=workers)
    signature_seconds = time.perf_counter() - started

    started = time.perf_counter()
    report = find_duplicates(articles, settings, workers=workers, lineage=False)
    report_seconds = time.perf_counter() - started
    lineage_seconds = None
    if size <= 10_000:
        started = time.perf_counter()
        find_duplicates(articles, settings, workers=workers, lineage=True)
        lineage_seconds = round(time.perf_counter() - started, 2)

    predicted = _pairs([list(c.members) for c in report.clusters])
    return {
        "recipe": "dedup",
        "documents": size,
        "signature_docs_per_s_one_core": round(one_core),
        "signature_docs_per_s": round(size / signature_seconds),
        "report_seconds": round(report_seconds, 2),
        "report_docs_per_s": round(size / report_seconds),
        "report_with_lineage_seconds": lineage_seconds,
        "clusters": len(report.clusters),
        **_quality(predicted, _pairs(_true_groups(truth))),
        **_peak_mb(),
    }


def measure_plain_recipe(size: int, seed: int) -> dict[str, Any]:
    """The plain datasketch recipe, as its README shows it, on the same corpus."""
    documents, truth = generate_corpus(size, seed)
    started = time.perf_counter()
    sketches = plain_sketches([document["text"] for document in documents])
    signature_seconds = time.perf_counter() - started
    groups = plain_groups([document["id"] for document in documents], sketches)
    report_seconds = time.perf_counter() - started
    predicted = _pairs(groups)
    return {
        "recipe": "plain datasketch",
        "documents": size,
        "signature_docs_per_s_one_core": round(size / signature_seconds),
        "signature_docs_per_s": round(size / signature_seconds),
        "report_seconds": round(report_seconds, 2),
        "report_docs_per_s": round(size / report_seconds),
        "report_with_lineage_seconds": None,
        "clusters": len(groups),
        **_quality(predicted, _pairs(_true_groups(truth))),
        **_peak_mb(),
    }


def _in_fresh_process(arguments: list[str]) -> dict[str, Any]:
    """Run one measurement in a new interpreter, so its peak memory is its own."""
    output = subprocess.run(
        [sys.executable, __file__, *arguments], capture_output=True, text=True, check=True
    ).stdout
    result: dict[str, Any] = json.loads(output.strip().splitlines()[-1])
    return result


def _print_table(rows: list[dict[str, Any]]) -> None:
    columns = [
        ("recipe", "recipe"),
        ("documents", "docs"),
        ("signature_docs_per_s_one_core", "sig docs/s 1 core"),
        ("signature_docs_per_s", "sig docs/s"),
        ("report_seconds", "report s"),
        ("report_docs_per_s", "report docs/s"),
        ("report_with_lineage_seconds", "with lineage s"),
        ("precision", "precision"),
        ("recall", "recall"),
        ("peak_mb_main", "peak MB main"),
        ("peak_mb_worker", "peak MB worker"),
    ]
    print(" | ".join(title for _, title in columns))
    for row in rows:
        cells = []
        for key, _ in columns:
            value = row[key]
            cells.append(
                f"{value:.3f}"
                if isinstance(value, float) and key in ("precision", "recall")
                else str(value)
            )
        print(" | ".join(cells))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument("--one", choices=["dedup", "plain"], help=argparse.SUPPRESS)
    arguments = parser.parse_args()

    if arguments.one == "dedup":
        print(json.dumps(measure_dedup(arguments.sizes[0], arguments.workers, arguments.seed)))
        return
    if arguments.one == "plain":
        print(json.dumps(measure_plain_recipe(arguments.sizes[0], arguments.seed)))
        return

    rows = []
    for size in arguments.sizes:
        print(f"measuring dedup on {size} documents ...", file=sys.stderr)
        rows.append(
            _in_fresh_process(
                [
                    "--one",
                    "dedup",
                    "--sizes",
                    str(size),
                    "--workers",
                    str(arguments.workers),
                    "--seed",
                    str(arguments.seed),
                ]
            )
        )
    baseline_size = min(arguments.sizes)
    if not arguments.no_baseline:
        print(
            f"measuring the plain datasketch recipe on {baseline_size} documents ...",
            file=sys.stderr,
        )
        rows.append(
            _in_fresh_process(
                ["--one", "plain", "--sizes", str(baseline_size), "--seed", str(arguments.seed)]
            )
        )
    _print_table(rows)
    if not arguments.no_baseline:
        ours = next(r for r in rows if r["documents"] == baseline_size and r["recipe"] == "dedup")
        plain = rows[-1]
        per_core = ours["signature_docs_per_s_one_core"] / plain["signature_docs_per_s_one_core"]
        print(
            f"\nratios at {baseline_size} documents, dedup / plain recipe: signatures per core "
            f"{per_core:.1f}x, "
            f"whole report {plain['report_seconds'] / ours['report_seconds']:.1f}x faster, "
            f"recall {ours['recall']:.3f} vs {plain['recall']:.3f}, "
            f"precision {ours['precision']:.3f} vs {plain['precision']:.3f}"
        )


if __name__ == "__main__":
    main()
