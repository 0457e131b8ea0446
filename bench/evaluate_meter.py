"""Grouping quality on METER (courts): PA wire copy and nine UK newspapers.

Reads ../shared/eval/meter-courts at run time (research-only data: never copied into
the repository) and runs `find_duplicates`, the code `dedup report` runs, then prints:
the share of newspaper articles grouped with their own story's PA copy, the share
grouped with any document of another catchline (a catchline recurring on other dates
is not an error), and the pairwise precision of the clusters against catchlines.

    python bench/evaluate_meter.py [SETTING=VALUE ...]    e.g. min_containment=0.12
"""

from __future__ import annotations

import itertools
import json
import sys
import time
from dataclasses import fields
from pathlib import Path

from dedup import Article, Settings, find_duplicates

EVAL = Path(__file__).resolve().parent.parent.parent / "shared" / "eval" / "meter-courts"


def _catchline(story: str) -> str:
    return story.rsplit("/", 1)[-1]


def main() -> None:
    if not (EVAL / "docs.jsonl").exists():
        sys.exit(f"no METER data at {EVAL}")
    types = {field.name: field.type for field in fields(Settings)}
    overrides: dict[str, int | float] = {}
    for argument in sys.argv[1:]:
        name, _, value = argument.partition("=")
        if name not in types:
            sys.exit(f"unknown setting {name!r}; settings: {', '.join(types)}")
        overrides[name] = int(value) if types[name] in ("int", int) else float(value)
    settings = Settings(**overrides)  # type: ignore[arg-type]
    with (EVAL / "docs.jsonl").open(encoding="utf-8") as stream:
        documents = [json.loads(line) for line in stream]
    truth = json.loads((EVAL / "truth.json").read_text(encoding="utf-8"))
    story, wire = truth["story"], set(truth["wire"])
    articles = [Article(id=d["id"], text=d["text"], outlet=d.get("outlet")) for d in documents]
    started = time.perf_counter()
    report = find_duplicates(articles, settings, workers=2, lineage=False)
    seconds = time.perf_counter() - started
    cluster_of = {member: cluster for cluster in report.clusters for member in cluster.members}
    news = [d["id"] for d in documents if d["id"] not in wire]
    with_own_wire = wrong = 0
    for document in news:
        cluster = cluster_of.get(document)
        if cluster is None:
            continue
        others = [m for m in cluster.members if m != document]
        with_own_wire += any(m in wire and story[m] == story[document] for m in others)
        wrong += any(_catchline(story[m]) != _catchline(story[document]) for m in others)
    pairs = [pair for c in report.clusters for pair in itertools.combinations(c.members, 2)]
    right = sum(_catchline(story[a]) == _catchline(story[b]) for a, b in pairs)
    print(f"settings: {overrides or 'defaults'}")
    print(f"newspaper articles: {len(news)}; clusters: {len(report.clusters)}; {seconds:.1f} s")
    print(f"grouped with their own story's PA copy: {with_own_wire / len(news):.3f}")
    print(f"grouped with another catchline: {wrong / len(news):.4f}")
    print(f"pairwise precision against catchlines: {right / max(1, len(pairs)):.3f}")


if __name__ == "__main__":
    main()
