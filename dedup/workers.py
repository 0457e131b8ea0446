"""Running per-item work in worker processes, in order, with bounded memory.

A worker never outlives the run that started it: whatever ends the parent (a CI
timeout's SIGKILL included, where no cleanup code runs), each worker notices within a
fraction of a second that its parent is gone and exits. Without this, a killed
``dedup index add`` left its two workers sleeping under init for as long as the
machine ran.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any, TypeVar

Result = TypeVar("Result")

#: Jobs in flight per worker, by default: enough to keep every core busy, few enough
#: that a big batch is not pickled into the queue all at once (that doubled peak memory).
_WINDOW = 3


#: How often a worker checks that its parent is still there, in seconds.
_PARENT_CHECK_SECONDS = 0.2


def _exit_with_parent() -> None:
    """Worker initializer: exit at once when the worker's parent changes (it died and
    the worker was handed to init or a subreaper). A thread polls ``os.getppid``,
    which works on every POSIX system and for every way to die; prctl's parent-death
    signal would tie it to Linux and to the thread that started the worker. The
    parent is whoever started the worker (the run itself, or a fork server)."""
    parent = os.getppid()
    # The run stops its workers: SIGTERM kills a worker outright, and Ctrl-C, which
    # the terminal sends the whole process group, is the parent's to handle.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)

    def watch() -> None:
        while True:
            if os.getppid() != parent:
                os._exit(1)  # no cleanup: the parent's work is gone anyway
            threading.Event().wait(_PARENT_CHECK_SECONDS)

    threading.Thread(target=watch, name="dedup-parent-watch", daemon=True).start()


def fork_available() -> bool:
    """Whether workers can be forked, inheriting the parent's data without pickling it."""
    return "fork" in multiprocessing.get_all_start_methods()


def ordered_map(
    function: Callable[..., Result],
    jobs: Iterable[tuple[Any, ...]],
    workers: int,
    fork: bool = False,
    read_ahead: int = 0,
) -> Iterator[Result]:
    """``function(*job)`` for each job, in order, in ``workers`` processes.

    Args:
        function: a module-level function (it is pickled by name).
        jobs: argument tuples.
        workers: processes to use.
        fork: fork the workers, so they see data the parent set up in module globals.
        read_ahead: jobs to keep in flight beyond the default window, for a caller
            that spends a while on some results (the workers go on meanwhile).
    """
    window = workers * _WINDOW + read_ahead
    context = multiprocessing.get_context("fork") if fork else None
    executor = ProcessPoolExecutor(
        max_workers=workers, mp_context=context, initializer=_exit_with_parent
    )
    finished = False
    try:
        pending: deque[Future[Result]] = deque()
        for job in jobs:
            pending.append(executor.submit(function, *job))
            if len(pending) >= window:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
        finished = True
    finally:
        if finished:
            executor.shutdown(wait=True)
        else:
            # Stopped, failed or abandoned: the work in flight is not wanted, and
            # waiting for it would keep a stopped run alive for seconds.
            _stop_workers(executor)


def _stop_workers(executor: ProcessPoolExecutor) -> None:
    """Shut ``executor`` down without waiting for its jobs, its workers terminated."""
    # The pool's processes (a private attribute: absent, the workers' parent watch
    # still ends them once this process exits).
    workers = list((getattr(executor, "_processes", None) or {}).values())
    for worker in workers:
        worker.terminate()
    # Never wait here: a stop can land while the pool is still starting a worker, and
    # waiting for its manager then could hang the run that was asked to stop.
    executor.shutdown(wait=False, cancel_futures=True)
