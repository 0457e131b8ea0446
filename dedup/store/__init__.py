"""Persistent indexes of documents seen before (SQLite now; one interface for more)."""

from __future__ import annotations

from importlib.metadata import version
from pathlib import Path
from typing import Any

from dedup.check import IndexEntry
from dedup.settings import Settings
from dedup.signature import SCHEME
from dedup.store.layout import ADD_BATCH, SCHEMA_VERSION, IndexUnusableError
from dedup.store.sqlite import SqliteIndex

__all__ = [
    "ADD_BATCH",
    "IndexEntry",
    "IndexUnusableError",
    "SqliteIndex",
    "index_settings",
    "open_index",
]


def open_index(location: str, settings: dict[str, Any], create: bool) -> Any:
    """The index at ``location``: a ``redis://`` URL, or a SQLite file path."""
    if location.startswith(("redis://", "rediss://", "unix://")):
        from dedup.store.redis import RedisIndex

        return RedisIndex.open(location, settings, create)
    return SqliteIndex.open(Path(location), settings, create)


def index_settings(settings: Settings) -> dict[str, Any]:
    """Every setting that shapes an index: with any other, each query would miss.

    The datasketch major version is among them (2.x hashes differ from 1.x); the
    thresholds of the exact check are not (they can change between checks).
    """
    return {
        "normalization_version": settings.as_dict()["normalization_version"],
        "shingle_size": settings.shingle_size,
        "minhash_scheme": SCHEME,
        "num_perm": settings.num_perm,
        "seed": settings.seed,
        "lsh_bands": settings.lsh_bands,
        "lsh_rows": settings.lsh_rows,
        # Read from the installed metadata: importing datasketch costs 0.9 s (scipy).
        "datasketch_major": int(version("datasketch").split(".")[0]),
        "index_schema": SCHEMA_VERSION,
    }
