"""What a user runs: `dedup report FILE --format json`, timed as a command, by stage.

For each corpus (the synthetic 10k, and 10k whose first stories are copied 16, 50 and
300 times) the seeded JSON Lines file is written once, then, each in a fresh process:

- `dedup report FILE --format json` (lineage on, the default) and `--no-lineage`,
  wall seconds and peak memory (the largest process of the run, workers included);
- the plain datasketch recipe (bench/plain_recipe.py) reading the same file;
- the same report in this process with a clock on each stage: read, featurize (the
  signatures), candidates (LSH), exact check, clusters, lineage, render.

Ratios are against the plain recipe measured in the same run.

    python bench/report_speed.py [--documents 10000] [--workers 2] [--seed 7]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from plain_recipe import plain_groups, plain_sketches
from syndication_corpus import generate_corpus

from dedup import find_duplicates
from dedup.ingest import read_sources
from dedup.render.json import render_json

STAGES = ("read", "featurize", "candidates", "exact check", "clusters", "lineage", "render")
#: What each progress stage of find_duplicates is called here.
_PROGRESS_STAGES = {"signatures": "featurize", "exact checks": "exact check", "lineage": "lineage"}


def write_corpus(path: Path, documents: int, seed: int, big_clusters: list[int]) -> None:
    corpus, _ = generate_corpus(documents, seed, big_clusters)
    with path.open("w", encoding="utf-8") as stream:
        for document in corpus:
            stream.write(json.dumps(document, ensure_ascii=False) + "\n")


def timed_command(arguments: list[str]) -> tuple[float, float]:
    """Wall seconds, and the peak MB of the largest process the command ran (read by
    a fresh parent, whose children are that command and its workers alone)."""
    started = time.perf_counter()
    output = subprocess.run(
        [sys.executable, __file__, "--peak-of", json.dumps(arguments)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return time.perf_counter() - started, float(output) / 1024


def _run_for_peak(arguments: list[str]) -> None:
    subprocess.run(arguments, check=True, stdout=subprocess.DEVNULL)
    print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)


def stage_seconds(path: Path, workers: int) -> dict[str, float]:
    """Each stage's wall seconds in one in-process report (lineage on).

    A stage runs from the first progress call of its kind to the first call of the
    next; the stages without progress calls (candidates, clusters) are the gaps
    before the exact checks and before lineage."""
    marks: dict[str, float] = {}

    def progress(stage: str, done: int, total: int) -> None:
        name = _PROGRESS_STAGES.get(stage, stage)
        now = time.perf_counter()
        marks.setdefault(f"{name} start", now)
        marks[f"{name} end"] = now

    started = time.perf_counter()
    read = read_sources([str(path)])
    read_end = time.perf_counter()
    report = find_duplicates(read.articles, workers=workers, progress=progress)
    found = time.perf_counter()
    render_json(report)
    rendered = time.perf_counter()
    featurize_end = marks.get("featurize end", read_end)
    check_start = marks.get("exact check start", featurize_end)
    check_end = marks.get("exact check end", check_start)
    lineage_start = marks.get("lineage start", found)
    return {
        "read": read_end - started,
        "featurize": featurize_end - read_end,
        "candidates": check_start - featurize_end,
        "exact check": check_end - check_start,
        "clusters": lineage_start - check_end,
        "lineage": found - lineage_start,
        "render": rendered - found,
    }


def plain_recipe_on(path: Path) -> None:
    """The plain recipe on a JSON Lines file, as a command would run it."""
    documents = [json.loads(line) for line in path.open(encoding="utf-8")]
    plain_groups([d["id"] for d in documents], plain_sketches([d["text"] for d in documents]))


def measure(path: Path, workers: int) -> dict[str, object]:
    dedup = [sys.executable, "-m", "dedup", "report", str(path), "--format", "json"]
    dedup += ["--no-progress", "--workers", str(workers)]
    with_lineage, peak = timed_command(dedup)
    without, peak_without = timed_command([*dedup, "--no-lineage"])
    plain, plain_peak = timed_command([sys.executable, __file__, "--plain", str(path)])
    stages = json.loads(
        subprocess.run(
            [sys.executable, __file__, "--stages", str(path), "--workers", str(workers)],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    )
    return {
        "with lineage": with_lineage,
        "no lineage": without,
        "plain": plain,
        "peak": peak,
        "peak no lineage": peak_without,
        "plain peak": plain_peak,
        "stages": stages,
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--documents", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--plain", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--stages", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--peak-of", help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.peak_of:
        _run_for_peak(json.loads(arguments.peak_of))
        return
    if arguments.plain:
        plain_recipe_on(arguments.plain)
        return
    if arguments.stages:
        print(json.dumps(stage_seconds(arguments.stages, arguments.workers)))
        return

    corpora = {"synthetic": [], "big clusters 16/50/300": [16, 50, 300]}
    print(
        "corpus | docs | report s (lineage) | --no-lineage s | plain recipe s | "
        "x plain | peak MB (lineage / none / plain) | " + " | ".join(f"{s} %" for s in STAGES)
    )
    with tempfile.TemporaryDirectory() as folder:
        for name, big in corpora.items():
            path = Path(folder) / f"{name.split()[0]}.jsonl"
            write_corpus(path, arguments.documents, arguments.seed, big)
            print(f"measuring {name} ...", file=sys.stderr)
            row = measure(path, arguments.workers)
            stages = row["stages"]
            assert isinstance(stages, dict)
            total = sum(stages.values()) or 1.0
            shares = " | ".join(f"{100 * stages[s] / total:.0f}" for s in STAGES)
            print(
                f"{name} | {arguments.documents} | {row['with lineage']:.2f} | "
                f"{row['no lineage']:.2f} | {row['plain']:.2f} | "
                f"{row['plain'] / row['with lineage']:.1f} | "  # type: ignore[operator]
                f"{row['peak']:.0f} / {row['peak no lineage']:.0f} / {row['plain peak']:.0f} | "
                f"{shares}",
                flush=True,
            )


if __name__ == "__main__":
    main()
