"""How long `dedup diff --pairs` takes on 1,000 pairs of 3,000-word documents.

Builds a seeded corpus of long wire stories (English and Arabic, from the synthetic
vocabulary in bench/syndication_corpus.py) and one rewrite of each (sentences
dropped, edited, moved, added), writes it with a pairs file to a temporary folder,
and times the real command as a fresh process, printing seconds in all, ms per pair
and documents' words per second.

    python bench/diff_speed.py [--pairs 1000] [--words 3000]
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from syndication_corpus import _edit, _Language, _render


def _long_pair(rng: random.Random, language: _Language, words: int) -> tuple[str, str]:
    topic = rng.randrange(len(language.topics))
    sentences: list[list[str]] = []
    while sum(len(s) for s in sentences) < words:
        sentences.append(language.sentence(rng, topic))
    rewrite = [
        _edit(rng, s, language, topic) if rng.random() < 0.3 else s
        for s in sentences
        if rng.random() < 0.8
    ]
    for _ in range(len(sentences) // 10):
        rewrite.insert(rng.randint(0, len(rewrite)), language.sentence(rng, topic))
    rewrite = rewrite[1:] + rewrite[:1]
    return (
        "\n".join(_render(s, language.code) for s in sentences),
        "\n".join(_render(s, language.code) for s in rewrite),
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--pairs", type=int, default=1_000)
    parser.add_argument("--words", type=int, default=3_000)
    parser.add_argument("--seed", type=int, default=11)
    arguments = parser.parse_args()
    rng = random.Random(arguments.seed)
    languages = [_Language("en", rng, 5_000, 20), _Language("ar", rng, 5_000, 20)]
    with tempfile.TemporaryDirectory() as folder:
        corpus, pairs = Path(folder) / "corpus.jsonl", Path(folder) / "pairs.jsonl"
        total_words = 0
        with corpus.open("w", encoding="utf-8") as documents, pairs.open("w") as pair_lines:
            for number in range(arguments.pairs):
                source, derived = _long_pair(rng, languages[number % 2], arguments.words)
                total_words += len(source.split()) + len(derived.split())
                for suffix, text in (("s", source), ("d", derived)):
                    line = {"id": f"{number}{suffix}", "text": text}
                    documents.write(json.dumps(line, ensure_ascii=False) + "\n")
                pair_lines.write(
                    json.dumps({"source": f"{number}s", "derived": f"{number}d"}) + "\n"
                )
        command = [sys.executable, "-m", "dedup", "diff", "--format", "json"]
        command += ["--corpus", str(corpus), "--pairs", str(pairs)]
        started = time.perf_counter()
        result = subprocess.run(command, capture_output=True, text=True, check=True)
        seconds = time.perf_counter() - started
    diffs = result.stdout.count("\n")
    print(
        f"{diffs} diffs of {arguments.words}-word documents in {seconds:.1f} s as one process: "
        f"{seconds / diffs * 1000:.1f} ms per pair, {total_words / seconds:,.0f} words/s"
    )


if __name__ == "__main__":
    main()
