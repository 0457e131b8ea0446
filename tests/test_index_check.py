from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from click.testing import CliRunner

from dedup.boilerplate import line_hash
from dedup.cli import index as index_cli
from dedup.cli import main
from dedup.ingest import read_sources
from dedup.pipeline import featurize
from dedup.settings import Settings
from dedup.shingle import fold_to_32_bits
from dedup.store import ADD_BATCH, IndexUnusableError, index_settings, open_index


def _run(*arguments: str) -> Any:
    return CliRunner().invoke(main, list(arguments))


def _seed(seeds_dir: Path, number: str) -> str:
    (path,) = seeds_dir.glob(f"{number}_*.txt")
    return str(path)


@pytest.fixture()
def index_path(location: str, seeds_dir: Path) -> str:
    result = _run(
        "index", "add", "--index", location, _seed(seeds_dir, "000"), _seed(seeds_dir, "003")
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == f"2 added, 0 replaced; 2 documents in {location}"
    return location


def test_stats_and_remove(index_path: str) -> None:
    stats = json.loads(_run("index", "stats", "--index", str(index_path)).stdout)
    assert stats["documents"] == 2 and stats["settings"]["lsh_bands"] == 128
    result = _run("index", "remove", "--index", str(index_path), "003_2171f8ed50ffc6de", "nope")
    assert result.exit_code == 0
    assert result.stdout.strip() == f"1 removed from {index_path}"
    assert result.stderr.strip() == "warning: nope: not in the index"
    assert json.loads(_run("index", "stats", "--index", str(index_path)).stdout)["documents"] == 1


def test_adding_again_replaces(index_path: str, seeds_dir: Path) -> None:
    result = _run("index", "add", "--index", str(index_path), _seed(seeds_dir, "000"))
    assert result.stdout.strip() == f"0 added, 1 replaced; 2 documents in {index_path}"


def _check(index_path: str, *arguments: str) -> tuple[int, dict[str, Any]]:
    result = _run("check", "--index", str(index_path), "--format", "json", *arguments)
    return result.exit_code, json.loads(result.stdout) if result.stdout else {}


def test_verdicts_against_the_index_and_each_other(
    index_path: str, seeds_dir: Path, tmp_path: Path
) -> None:
    copy = tmp_path / "copy-of-003.txt"
    copy.write_text(Path(_seed(seeds_dir, "003")).read_text(encoding="utf-8"), encoding="utf-8")
    code, report = _check(index_path, _seed(seeds_dir, "004"), _seed(seeds_dir, "002"), str(copy))
    assert report["schema"] == "dedup.check/1"
    verdicts = {item["id"][:7]: item["verdict"] for item in report["items"]}
    assert verdicts == {
        "004_018": "syndicated copy",
        "002_4c7": "syndicated copy",
        "copy-of": "exact duplicate",
    }
    matched = {
        item["id"][:3]: {m["id"][:3]: m["where"] for m in item["matches"]}
        for item in report["items"]
    }
    assert matched["004"] == {"000": "index", "002": "incoming"}
    assert code == 1  # --fail-on duplicate: the copy of 003
    assert report["summary"] == {
        "items": 3,
        "new": 0,
        "syndicated copy": 2,
        "exact duplicate": 1,
        "findings": 1,
        "skipped": 0,
    }


@pytest.mark.parametrize(
    ("policy", "code"),
    [("duplicate", 0), ("any", 1), ("uncredited", 0), ("none", 0)],
    ids=["duplicate", "any", "uncredited-but-credited", "none"],
)
def test_fail_on_policies(index_path: str, seeds_dir: Path, policy: str, code: int) -> None:
    # 001 rewrites 000 (in the index) and credits Reuters.
    assert _check(index_path, "--fail-on", policy, _seed(seeds_dir, "001"))[0] == code


def test_uncredited_copy_fails_under_uncredited(location: str, seeds_dir: Path) -> None:
    path = location
    _run("index", "add", "--index", path, _seed(seeds_dir, "004"))
    code, report = _check(path, "--fail-on", "uncredited", _seed(seeds_dir, "000"))
    assert code == 1 and report["items"][0]["credited"] is False


def test_add_after_check_and_no_self_match(index_path: str, seeds_dir: Path) -> None:
    code, _ = _check(index_path, "--add", _seed(seeds_dir, "002"))
    assert code == 0
    assert json.loads(_run("index", "stats", "--index", str(index_path)).stdout)["documents"] == 3
    _, report = _check(index_path, _seed(seeds_dir, "002"))
    assert "002_4c7a1f67f76e96f4" not in {m["id"] for m in report["items"][0]["matches"]}


def test_add_creates_a_missing_index(tmp_path: Path, seeds_dir: Path) -> None:
    index = tmp_path / "cache" / "dedup.db"
    index.parent.mkdir()
    first = _run("check", "--index", str(index), "--add", _seed(seeds_dir, "000"))
    assert first.exit_code == 0, first.output
    assert json.loads(_run("index", "stats", "--index", str(index)).stdout)["documents"] == 1
    # The next run finds it there.
    _, report = _check(str(index), _seed(seeds_dir, "004"))
    assert report["items"][0]["verdict"] == "syndicated copy"


def test_missing_index_exits_3(tmp_path: Path, seeds_dir: Path) -> None:
    result = _run("check", "--index", str(tmp_path / "none.db"), _seed(seeds_dir, "000"))
    assert result.exit_code == 3
    assert (
        result.stderr.strip()
        == f"Error: no index at {tmp_path / 'none.db'}: create it with `dedup index add`"
    )


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("redis://:[bad", "Invalid IPv6 URL"),
        ("redis://127.0.0.1:99999/11", "Port out of range"),
        ("redis://127.0.0.1:6399/abc", "the database must be a number, got 'abc'"),
    ],
)
def test_an_unusable_redis_url_exits_3(url: str, reason: str) -> None:
    pytest.importorskip("redis")
    result = _run("index", "stats", "--index", url)
    assert result.exit_code == 3
    assert result.stderr.startswith(f"Error: {url} is not a usable Redis URL: ")
    assert reason in result.stderr and len(result.stderr.splitlines()) == 1


def test_corrupt_index_exits_3(tmp_path: Path, seeds_dir: Path) -> None:
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"this is not a database" * 100)
    result = _run("check", "--index", str(bad), _seed(seeds_dir, "000"))
    assert result.exit_code == 3
    assert result.stderr.startswith(f"Error: {bad} is not a usable dedup index")


def test_other_settings_are_refused(location: str, seeds_dir: Path) -> None:
    open_index(location, index_settings(Settings(shingle_size=4)), create=True).close()
    result = _run("check", "--index", location, _seed(seeds_dir, "000"))
    assert result.exit_code == 3
    assert "was built with other settings: shingle_size 4 (asked 3)" in result.stderr
    with pytest.raises(IndexUnusableError):
        open_index(location, index_settings(Settings()), create=True)


def test_an_unexpected_failure_exits_2(
    index_path: str, seeds_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def explode(*arguments: object, **keywords: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr("dedup.cli.index.check_items", explode)
    result = _run("check", "--index", str(index_path), _seed(seeds_dir, "000"))
    assert result.exit_code == 2
    assert result.stderr.strip() == "Error: unexpected failure: RuntimeError('boom')"


def _write_corpus(path: Path, prefix: str, count: int) -> None:
    words = "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu".split()
    with path.open("w", encoding="utf-8") as stream:
        for number in range(count):
            text = " ".join(words[(number * 7 + i) % len(words)] + str(i % 13) for i in range(200))
            stream.write(json.dumps({"id": f"{prefix}{number}", "text": text}) + "\n")


def _add_process(index_path: str, corpus: Path) -> subprocess.Popen[bytes]:
    command = [
        sys.executable,
        "-m",
        "dedup",
        "index",
        "add",
        "--workers",
        "1",
        "--index",
        str(index_path),
        str(corpus),
    ]
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _documents(location: str) -> int:
    store = open_index(location, index_settings(Settings()), create=False)
    try:
        return int(store.stats()["documents"])
    finally:
        store.close()


def test_sigkill_during_add_keeps_what_was_committed(index_path: str, tmp_path: Path) -> None:
    corpus = tmp_path / "big.jsonl"
    _write_corpus(corpus, "big", 20_000)
    process = _add_process(index_path, corpus)
    # Kill it once the first batch has committed, while it works on the second.
    deadline = time.monotonic() + 120
    while _documents(index_path) == 2 and time.monotonic() < deadline:
        assert process.poll() is None, "the add finished before it could be killed"
        time.sleep(0.05)
    assert process.poll() is None, "the add finished before it could be killed"
    process.send_signal(signal.SIGKILL)
    process.wait()
    # The two documents added before are there, then whole batches only: nothing of
    # the batch that was being written when the process was killed.
    assert _documents(index_path) == 2 + ADD_BATCH
    # And it is consistent: every band key points at a document, every document has its.
    assert _run("index", "verify", "--index", index_path).exit_code == 0
    if not index_path.startswith("redis://"):
        assert sqlite3.connect(index_path).execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_two_processes_adding_at_once_lose_nothing(index_path: str, tmp_path: Path) -> None:
    first, second = tmp_path / "first.jsonl", tmp_path / "second.jsonl"
    _write_corpus(first, "first", 300)
    _write_corpus(second, "second", 300)
    processes = [_add_process(index_path, first), _add_process(index_path, second)]
    assert [process.wait(timeout=120) for process in processes] == [0, 0]
    stats = json.loads(_run("index", "stats", "--index", str(index_path)).stdout)
    assert stats["documents"] == 602


_TEMPLATE = "Daily Courier: your town, your news\nRead the Daily Courier every morning\n"


def _outlet_feed(seeds_dir: Path) -> str:
    """The seeds as one outlet's JSON Lines, each with the outlet's template lines, which
    only a pass over all of them can tell from the text."""
    rows = [
        {"id": path.stem, "outlet": "Daily Courier", "text": _TEMPLATE + path.read_text("utf-8")}
        for path in sorted(seeds_dir.glob("*.txt"))
    ]
    return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)


def _stored_shingles(location: str) -> dict[str, Any]:
    store = open_index(location, index_settings(Settings()), create=False)
    try:
        count = store.stats()["documents"]
        return {d["id"]: d["shingles"] for d in store.documents(list(range(1, count + 1)))}
    finally:
        store.close()


@pytest.mark.parametrize("from_stdin", [False, True], ids=["file", "stdin"])
def test_index_add_reads_twice_and_leaves_the_outlet_template_out(
    seeds_dir: Path, tmp_path: Path, from_stdin: bool
) -> None:
    lines = _outlet_feed(seeds_dir)
    feed = tmp_path / "courier.jsonl"
    feed.write_text(lines, encoding="utf-8")
    location = str(tmp_path / "courier.db")
    arguments = ["index", "add", "--index", location, "-" if from_stdin else str(feed)]
    result = CliRunner().invoke(main, arguments, input=lines.encode() if from_stdin else None)
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == f"5 added, 0 replaced; 5 documents in {location}"

    stored = _stored_shingles(location)
    template = frozenset(line_hash(line) for line in _TEMPLATE.splitlines())
    for article in read_sources([str(feed)]).articles:
        (with_template,) = featurize([(article.text, frozenset())], 3)
        (without,) = featurize([(article.text, template)], 3)
        assert np.array_equal(stored[article.id], np.sort(fold_to_32_bits(without.shingles)))
        assert len(with_template.shingles) > len(without.shingles)


def test_index_add_writes_nothing_when_an_id_repeats(seeds_dir: Path, tmp_path: Path) -> None:
    lines = _outlet_feed(seeds_dir)
    feed = tmp_path / "twice.jsonl"
    feed.write_text(lines + lines.splitlines(keepends=True)[0], encoding="utf-8")
    location = tmp_path / "twice.db"
    result = _run("index", "add", "--index", str(location), str(feed))
    assert result.exit_code == 2
    assert f"duplicate document id '000_e43f006f387591b2': in {feed}:1 and in {feed}:6" in (
        result.stderr
    )
    assert not location.exists()


def _appending_after_the_first_pass(
    monkeypatch: pytest.MonkeyPatch, feed: Path, line: str, hide_the_change: bool
) -> None:
    """Make the feed grow by ``line`` right after index add's first pass (and, with
    ``hide_the_change``, keep its size and time from telling)."""
    first_pass = index_cli.outlet_lines

    def then_append(articles: Any) -> Any:
        found = first_pass(articles)
        with feed.open("a", encoding="utf-8") as stream:
            stream.write(line)
        return found

    monkeypatch.setattr(index_cli, "outlet_lines", then_append)
    if hide_the_change:
        monkeypatch.setattr(index_cli, "source_state", lambda sources: [])


@pytest.mark.parametrize("hide_the_change", [False, True], ids=["between", "during"])
def test_index_add_refuses_input_that_changes_between_its_passes(
    index_path: str,
    seeds_dir: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    hide_the_change: bool,
) -> None:
    feed = tmp_path / "growing.jsonl"
    feed.write_text(_outlet_feed(seeds_dir), encoding="utf-8")
    extra = json.dumps({"id": "late", "outlet": "Daily Courier", "text": "Late news " * 30})
    _appending_after_the_first_pass(monkeypatch, feed, extra + "\n", hide_the_change)
    result = _run("index", "add", "--index", index_path, str(feed))
    assert result.exit_code == 2
    expected = (
        f"{feed}:6: the input changed while index add read it"
        if hide_the_change
        else f"{feed} changed while index add read it; nothing was written"
    )
    assert expected in result.stderr
    # The index still holds only the fixture's two documents.
    assert set(_stored_shingles(index_path)) == {"000_e43f006f387591b2", "003_2171f8ed50ffc6de"}


def _damage(location: str, kind: str) -> None:
    """Break a two-document index the way a half-finished write would."""
    if location.startswith("redis://"):
        import redis

        client = redis.Redis.from_url(location)
        try:
            if kind == "document gone":
                client.delete(next(iter(client.scan_iter(match="dedup:doc:*"))))
            else:
                key = next(iter(client.scan_iter(match="dedup:band:*")))
                client.srem(key, *client.smembers(key))
        finally:
            client.close()
        return
    connection = sqlite3.connect(location)
    with connection:
        if kind == "document gone":
            connection.execute("DELETE FROM documents WHERE number = 1")
        else:
            first_three = "SELECT key, document FROM bands LIMIT 3"
            connection.execute(f"DELETE FROM bands WHERE (key, document) IN ({first_three})")
    connection.close()


@pytest.mark.parametrize("kind", ["document gone", "band keys gone"])
def test_verify_says_the_index_is_sound_or_what_is_damaged(index_path: str, kind: str) -> None:
    result = _run("index", "verify", "--index", index_path)
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == (
        f"{index_path}: sound, 2 documents; every band key points at a document and every "
        "document has its band keys"
    )
    _damage(index_path, kind)
    result = _run("index", "verify", "--index", index_path)
    assert result.exit_code == 3, result.output
    expected = "point at a document that is not there" if kind == "document gone" else "miss some"
    assert expected in result.stderr and result.stderr.startswith("damaged: ")


def test_one_run_writes_every_format_it_is_asked_for(tmp_path: Path, seeds_dir: Path) -> None:
    index = str(tmp_path / "dedup.db")
    assert _run("index", "add", "--index", index, _seed(seeds_dir, "000")).exit_code == 0
    summary, data, junit = tmp_path / "summary.md", tmp_path / "out" / "r.json", tmp_path / "r.xml"
    result = _run(
        "check", "--index", index, "--add", "--fail-on", "any", "--format", "github",
        "--out", str(summary), "--out", str(data), "--out", str(junit),
        _seed(seeds_dir, "002"), _seed(seeds_dir, "004"),
    )  # fmt: skip
    assert result.exit_code == 1, result.output
    assert result.stdout.startswith("::")  # the annotations, on standard output
    items = {item["id"][:3]: item for item in json.loads(data.read_text())["items"]}
    # What decided this run, not a second run after --add: 004 matched 002 in the batch.
    wheres = {match["id"][:3]: match["where"] for match in items["004"]["matches"]}
    assert wheres == {"000": "index", "002": "incoming"}
    assert "| item | verdict |" in summary.read_text()
    assert junit.read_text().startswith("<?xml")
    bad = _run(
        "check", "--index", index, "--out", str(tmp_path / "x.html"), _seed(seeds_dir, "000")
    )
    assert bad.exit_code == 2 and "must end in .json, .xml, .sarif, .md, .txt" in bad.output
