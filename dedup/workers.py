"""Running per-item work in worker processes, in order, with bounded memory."""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any, TypeVar

Result = TypeVar("Result")

#: Jobs in flight per worker, by default: enough to keep every core busy, few enough
#: that a big batch is not pickled into the queue all at once (that doubled peak memory).
_WINDOW = 3


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
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as executor:
        pending: deque[Future[Result]] = deque()
        for job in jobs:
            pending.append(executor.submit(function, *job))
            if len(pending) >= window:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
