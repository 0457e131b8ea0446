"""A stopped run leaves nothing behind (issue 13): killed with SIGKILL, as a CI timeout
kills it, no worker process outlives it; stopped with SIGTERM or Ctrl-C, it says what
it kept and exits 128 + the signal; a closed pipe ends it quietly."""

from __future__ import annotations

import json
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from dedup.settings import Settings
from dedup.store import index_settings, open_index

PROC = Path("/proc")
pytestmark = pytest.mark.skipif(not PROC.is_dir(), reason="needs /proc to see processes")


def _parent_and_state(pid: int) -> tuple[int, str] | None:
    """The parent pid and state letter of a process, or None when it is gone."""
    try:
        stat = (PROC / str(pid) / "stat").read_text()
    except OSError:
        return None
    fields = stat.rsplit(")", 1)[1].split()
    return int(fields[1]), fields[0]


def _children(pid: int) -> list[int]:
    children = []
    for entry in PROC.iterdir():
        if entry.name.isdigit():
            found = _parent_and_state(int(entry.name))
            if found is not None and found[0] == pid:
                children.append(int(entry.name))
    return children


def _running(pid: int) -> bool:
    found = _parent_and_state(pid)
    return found is not None and found[1] != "Z"  # a zombie has exited


def _write_corpus(path: Path, count: int) -> None:
    rng = random.Random(5)
    vocabulary = [f"w{n}" for n in range(3000)]
    with path.open("w", encoding="utf-8") as stream:
        for number in range(count):
            text = " ".join(rng.choice(vocabulary) for _ in range(150))
            stream.write(json.dumps({"id": f"doc{number}", "text": text}) + "\n")


def _documents(index: Path) -> int:
    store = open_index(str(index), index_settings(Settings()), create=False)
    try:
        return int(store.stats()["documents"])
    finally:
        store.close()


def _stopped_stderr(process: subprocess.Popen[str]) -> str:
    """The standard error of a run just sent a stop; a run that does not stop within
    30 s is killed (so that no test leaves it behind) and fails the test."""
    try:
        return process.communicate(timeout=30)[1]
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        raise AssertionError("the run did not stop within 30 s") from None


def _start_and_wait_for_workers(command: list[str]) -> tuple[subprocess.Popen[str], list[int]]:
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    workers: list[int] = []
    while len(workers) < 2 and time.monotonic() < deadline:
        assert process.poll() is None, "the run finished before its workers started"
        workers = _children(process.pid)
        time.sleep(0.02)
    assert len(workers) >= 2, "no worker processes started"
    return process, workers


def test_sigkill_leaves_no_worker_behind_and_a_second_run_completes(tmp_path: Path) -> None:
    corpus, index = tmp_path / "feed.jsonl", tmp_path / "news.db"
    _write_corpus(corpus, 6000)  # enough for worker processes
    command = [sys.executable, "-m", "dedup", "index", "add", "--workers", "2"]
    command += ["--index", str(index), str(corpus)]
    rng = random.Random(11)
    for delay in sorted(rng.uniform(0.0, 1.0) for _ in range(3)):
        process, workers = _start_and_wait_for_workers(command)
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.communicate()
        deadline = time.monotonic() + 5
        while any(map(_running, workers)) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not [pid for pid in workers if _running(pid)], f"killed after {delay:.2f} s"
    # What was committed is there, and a run to the end adds the rest.
    if index.exists():
        assert _documents(index) <= 6000
    finished = subprocess.run(command, capture_output=True, check=False)
    assert finished.returncode == 0, finished.stderr
    assert _documents(index) == 6000


@pytest.mark.parametrize(
    ("stop", "code"), [(signal.SIGTERM, 143), (signal.SIGINT, 130)], ids=["sigterm", "sigint"]
)
def test_a_stopped_index_add_says_what_it_kept_and_exits_128_plus_the_signal(
    tmp_path: Path, stop: signal.Signals, code: int
) -> None:
    corpus, index = tmp_path / "feed.jsonl", tmp_path / "news.db"
    _write_corpus(corpus, 6000)
    command = [sys.executable, "-m", "dedup", "index", "add", "--workers", "2"]
    command += ["--index", str(index), str(corpus)]
    rng = random.Random(int(stop))
    process, workers = _start_and_wait_for_workers(command)
    time.sleep(rng.uniform(0.0, 0.5))
    started = time.monotonic()
    process.send_signal(stop)
    stderr = _stopped_stderr(process)
    assert time.monotonic() - started < 3, "the stop took too long"
    assert process.returncode == code, stderr
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert lines[-1].startswith(f"stopped by {stop.name}: ")
    assert "run again to add the rest" in lines[-1] and "Traceback" not in stderr
    time.sleep(0.5)
    assert not [pid for pid in workers if _running(pid)]
    # Whole batches only (a batch is 10,000 documents, more than this run has).
    assert _documents(index) in (0, 6000)
    assert subprocess.run(command, capture_output=True, check=False).returncode == 0
    assert _documents(index) == 6000


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT], ids=["sigterm", "sigint"])
def test_a_stopped_report_leaves_no_partial_output_file(
    tmp_path: Path, stop: signal.Signals
) -> None:
    corpus, out = tmp_path / "feed.jsonl", tmp_path / "out" / "report.json"
    _write_corpus(corpus, 6000)
    command = [sys.executable, "-m", "dedup", "report", "--workers", "2", "--out", str(out)]
    process, workers = _start_and_wait_for_workers([*command, str(corpus)])
    started = time.monotonic()
    process.send_signal(stop)
    stderr = _stopped_stderr(process)
    assert time.monotonic() - started < 3, "the stop took too long"
    assert process.returncode == 128 + stop, stderr
    assert stderr.strip().splitlines()[-1].startswith(f"stopped by {stop.name}: ")
    time.sleep(0.5)
    assert not [pid for pid in workers if _running(pid)]
    assert not out.exists() and not list(tmp_path.glob("out/.report.json.*"))


def test_a_closed_pipe_ends_the_report_quietly(tmp_path: Path) -> None:
    corpus = tmp_path / "feed.jsonl"
    _write_corpus(corpus, 3000)  # a report far bigger than a pipe's buffer
    command = [sys.executable, "-m", "dedup", "report", "--format", "json", str(corpus)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert process.stdout is not None and process.stderr is not None
    assert process.stdout.readline().strip() == "{"  # what `| head -1` reads
    process.stdout.close()
    stderr = process.stderr.read()
    process.stderr.close()
    # Quiet: no traceback, no "Exception ignored"; 141 (SIGPIPE) when the pipe closed
    # mid-write, 0 when the last write had gone into the pipe already.
    assert process.wait(timeout=60) in (0, 128 + signal.SIGPIPE)
    assert stderr.strip() == ""


def _labelled_corpus(tmp_path: Path, count: int) -> tuple[Path, Path]:
    corpus, truth = tmp_path / "feed.jsonl", tmp_path / "truth.json"
    _write_corpus(corpus, count)
    truth.write_text(json.dumps({"story": {f"doc{n}": f"s{n}" for n in range(count)}}))
    return corpus, truth


@pytest.mark.parametrize("command_name", ["check --add", "calibrate", "diff --pairs"])
def test_every_long_command_stops_on_sigterm_with_143(tmp_path: Path, command_name: str) -> None:
    corpus, truth = _labelled_corpus(tmp_path, 6000)
    dedup = [sys.executable, "-m", "dedup"]
    if command_name == "check --add":
        command = [*dedup, "check", "--add", "--workers", "2", "--index", str(tmp_path / "i.db")]
        command += [str(corpus)]
    elif command_name == "calibrate":
        command = [*dedup, "calibrate", "--workers", "2", "--truth", str(truth), str(corpus)]
    else:
        pairs = tmp_path / "pairs.jsonl"
        pairs.write_text(
            "".join(
                json.dumps({"source": f"doc{n}", "derived": f"doc{n + 1}"}) + "\n"
                for n in range(5999)
            )
        )
        command = [*dedup, "diff", "--corpus", str(corpus), "--pairs", str(pairs)]
        command += ["--format", "json"]
    if command_name == "diff --pairs":
        process = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        assert process.stdout is not None
        process.stdout.readline()  # the first diff is out: the run is in its work
    else:
        process, _ = _start_and_wait_for_workers(command)
    assert process.poll() is None, "the run finished before it could be stopped"
    started = time.monotonic()
    process.send_signal(signal.SIGTERM)
    stderr = _stopped_stderr(process)
    assert time.monotonic() - started < 3, "the stop took too long"
    assert process.returncode == 143, stderr
    assert stderr.strip().splitlines()[-1].startswith("stopped by SIGTERM: ")
    assert "Traceback" not in stderr
