"""How lineage cost grows with cluster size: one story copied 16, 50 and 300 times.

For each size, the synthetic corpus's first story gets that many rewrites (plus its
wire file); `find_duplicates` (what `dedup report` runs) is timed on those documents
with and without lineage, and the difference is divided by the members' sentences:
a cost that stays flat per sentence grows linearly with the cluster, one that grows
with the size is quadratic.

    python bench/lineage_scaling.py [--sizes 16 50 300] [--seed 7]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from syndication_corpus import generate_corpus

from dedup import Article, find_duplicates
from dedup.sentences import split_sentences


def story_members(size: int, seed: int) -> list[Article]:
    """The wire file and ``size`` rewrites of one story, as articles."""
    documents, truth = generate_corpus(size * 3, seed, [size])
    story = truth["story"]
    return [
        Article(id=d["id"], text=d["text"], outlet=d["outlet"], published=d["published"])
        for d in documents
        if story[d["id"]] == "s000001"
    ]


def timed(articles: list[Article], lineage: bool) -> tuple[float, int]:
    """The better of two runs' seconds, and the biggest cluster's size."""
    seconds = []
    for _ in range(2):
        started = time.perf_counter()
        report = find_duplicates(articles, workers=1, lineage=lineage)
        seconds.append(time.perf_counter() - started)
    return min(seconds), max((len(c.members) for c in report.clusters), default=0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[16, 50, 300])
    parser.add_argument("--seed", type=int, default=7)
    arguments = parser.parse_args()
    print("rewrites | members | clustered | sentences | lineage s | ms per sentence")
    for size in arguments.sizes:
        articles = story_members(size, arguments.seed)
        sentences = sum(len(split_sentences(article.text)) for article in articles)
        without, _ = timed(articles, lineage=False)
        with_lineage, clustered = timed(articles, lineage=True)
        cost = max(0.0, with_lineage - without)
        print(
            f"{size} | {len(articles)} | {clustered} | {sentences} | {cost:.2f} | "
            f"{1000 * cost / max(sentences, 1):.2f}"
        )


if __name__ == "__main__":
    main()
