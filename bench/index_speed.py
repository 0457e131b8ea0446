"""Index size and speed: build a SQLite index of synthetic documents, then time checks.

Prints the time, documents/s and peak memory of `dedup index add` of the documents as a
JSONL file (a fresh process, as a user runs it), the size and bytes per document, the
median time of one query inside a process (candidates from the LSH bands and the exact
check, the item already signed) on a first and a second pass over 100 items, and
`dedup check` of 1 and of 100 items as fresh processes, as CI runs them.

    python bench/index_speed.py [--docs 100000] [--workers 2]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from memory import peak_megabytes
from syndication_corpus import generate_corpus

from dedup import Article, Settings
from dedup.pipeline import check_items, compute_features
from dedup.store import index_settings, open_index


def _articles(documents: list[dict[str, object]]) -> list[Article]:
    return [
        Article(
            id=str(d["id"]), text=str(d["text"]), title=str(d["title"]), outlet=str(d["outlet"])
        )
        for d in documents
    ]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--index",
        help="a redis:// URL to measure instead of a SQLite file (emptied!), or a SQLite "
        "file to keep; an existing file is measured again without building it",
    )
    arguments = parser.parse_args()
    settings = Settings()
    documents, _ = generate_corpus(arguments.docs + 100, arguments.seed)
    incoming = documents[arguments.docs :]
    with tempfile.TemporaryDirectory() as folder:
        path = arguments.index or str(Path(folder) / "bench.db")
        redis_index = path.startswith("redis://")
        if redis_index:
            import redis

            redis.Redis.from_url(path).flushdb(asynchronous=True)
        build = redis_index or not Path(path).exists()
        build_seconds = build_peak = 0.0
        if build:
            # `dedup index add` of a JSONL file, as a user runs it: reading, signing in
            # workers while the store writes, in a process of its own.
            archive = Path(folder) / "archive.jsonl"
            with archive.open("w", encoding="utf-8") as stream:
                for document in documents[: arguments.docs]:
                    stream.write(json.dumps(document, ensure_ascii=False) + "\n")
            command = [sys.executable, "-m", "dedup", "index", "add", str(archive)]
            command += ["--index", path, "--workers", str(arguments.workers)]
            started = time.perf_counter()
            subprocess.run(command, capture_output=True, check=True)
            build_seconds = time.perf_counter() - started
            # The largest process's peak (the main one: the workers are forked from it).
            build_peak = peak_megabytes(children=True)
        store = open_index(path, index_settings(settings), create=False)
        stats = store.stats()

        queries = _articles(incoming)
        _, signatures = compute_features(queries, settings, 1)
        # The first pass reads the pages each query needs into this process (and from
        # disk, if the system has not cached the file); the second finds them there.
        passes: list[list[float]] = [[], []]
        for timings in passes:
            for number in range(len(queries)):
                started = time.perf_counter()
                found = store.candidates(
                    signatures[number],
                    settings.lsh_bands,
                    settings.lsh_rows,
                    settings.min_band_matches,
                    settings.index_bucket_limit,
                )
                store.documents(found)
                timings.append(time.perf_counter() - started)
        started = time.perf_counter()
        check_items(queries[:1], store, settings, 1)
        one_in_process = time.perf_counter() - started
        store.close()

        incoming_file = Path(folder) / "incoming.jsonl"
        incoming_file.write_text(
            "".join(json.dumps(d, ensure_ascii=False) + "\n" for d in incoming), encoding="utf-8"
        )
        single_file = Path(folder) / "one.jsonl"
        single_file.write_text(json.dumps(incoming[0], ensure_ascii=False) + "\n", encoding="utf-8")
        fresh = {}
        for name, source in (("1 item", single_file), ("100 items", incoming_file)):
            command = [
                sys.executable,
                "-m",
                "dedup",
                "check",
                "--index",
                str(path),
                "--format",
                "json",
                "--fail-on",
                "none",
                str(source),
            ]
            started = time.perf_counter()
            subprocess.run(command, capture_output=True, check=True)
            fresh[name] = time.perf_counter() - started
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", "import dedup.cli"], check=True)
        import_seconds = time.perf_counter() - started

    rate = arguments.docs / build_seconds if build else 0.0
    print(
        f"dedup index add of {arguments.docs} documents: {build_seconds:.1f} s "
        f"({rate:,.0f} docs/s), peak memory {build_peak:,.0f} MB"
        if build
        else f"index of {arguments.docs} documents: reused, not built"
    )
    print(
        f"{'Redis memory' if redis_index else 'size on disk'} {stats['bytes'] / 1e6:,.1f} MB, "
        f"{stats['bytes_per_document']:,} B/document"
    )
    for name, timings in zip(("first pass", "second pass"), passes, strict=True):
        milliseconds = sorted(seconds * 1000 for seconds in timings)
        print(
            f"query in a process (bands, exact-check data), {name} over {len(timings)} items: "
            f"median {statistics.median(milliseconds):.2f} ms, "
            f"90th percentile {milliseconds[len(milliseconds) * 9 // 10]:.2f} ms"
        )
    print(f"check of 1 item in a process, signing included: {one_in_process * 1000:.1f} ms")
    print(
        f"fresh process: import {import_seconds:.2f} s; dedup check of 1 item "
        f"{fresh['1 item']:.2f} s, of 100 items {fresh['100 items']:.2f} s"
    )


if __name__ == "__main__":
    main()
