"""Worker processes never outlive the run that started them (issue 13): a run killed
with SIGKILL, as a CI timeout kills it, leaves no process behind."""

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


def test_sigkill_leaves_no_worker_behind_and_a_second_run_completes(tmp_path: Path) -> None:
    corpus, index = tmp_path / "feed.jsonl", tmp_path / "news.db"
    _write_corpus(corpus, 6000)  # enough for worker processes
    command = [sys.executable, "-m", "dedup", "index", "add", "--workers", "2"]
    command += ["--index", str(index), str(corpus)]
    rng = random.Random(11)
    for delay in sorted(rng.uniform(0.0, 1.0) for _ in range(3)):
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        workers: list[int] = []
        while len(workers) < 2 and time.monotonic() < deadline:
            assert process.poll() is None, "the add finished before its workers started"
            workers = _children(process.pid)
            time.sleep(0.02)
        assert len(workers) >= 2, "no worker processes started"
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait()
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
