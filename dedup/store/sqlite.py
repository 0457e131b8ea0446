"""A persistent index of documents in one SQLite file.

What the check needs and nothing else: metadata, the document's shingle hashes folded
to 32 bits (the exact check; 1.3 KB for a 330-word article) and one row per LSH band
in a WITHOUT ROWID table keyed by the band's key, so a query is one indexed ``IN``
lookup. Every setting that shapes the index is recorded in it and checked on open;
nothing is ever unpickled (a pickle runs code). Writes are transactions in WAL mode: a
process killed during ``add`` leaves every batch that committed, and two writers wait
for each other (``busy_timeout``) instead of failing.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from dedup.check import IndexEntry
from dedup.signature import SignatureArray
from dedup.store.layout import (
    ADD_BATCH,
    SCHEMA_VERSION,
    IndexUnusableError,
    band_keys,
    batches,
    credits_json,
    last_of_each_id,
    refuse_unusable,
    stored_signature,
)

_BUSY_TIMEOUT_MS = 60_000
# Pages of 8 KiB hold five documents' rows where 4 KiB pages held two and wasted a
# third of each page (3.7 KB a document instead of 4.7 KB, with the other changes).
_PAGE_SIZE = 8192
# As much of the file as SQLite will map (builds cap it, commonly at 2 GiB).
_MMAP_BYTES = 1 << 36
# A batch of an add is at least this share of the index (see ``batch_size``).
_BATCH_SHARE = 20
# Ids looked up in one statement (SQLite allowed 999 parameters before 3.32).
_IDS_PER_QUERY = 900
# Band buckets per compound SELECT (SQLite allows 500 terms by default).
_TERMS = 250

NumberArray = npt.NDArray[np.int64]


_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    """CREATE TABLE IF NOT EXISTS documents (
        number INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        title TEXT, outlet TEXT, url TEXT, published TEXT, source TEXT,
        word_count INTEGER NOT NULL,
        credits TEXT NOT NULL,
        shingles BLOB NOT NULL
    )""",
    """CREATE TABLE IF NOT EXISTS bands (
        key INTEGER NOT NULL,
        document INTEGER NOT NULL,
        PRIMARY KEY (key, document)
    ) WITHOUT ROWID""",
)


class SqliteIndex:
    """Documents seen before, for ``dedup check``: open with :meth:`open`."""

    def __init__(self, connection: sqlite3.Connection, path: Path, settings: dict[str, Any]):
        self._connection = connection
        self.path = path
        self.settings = settings

    @classmethod
    def open(cls, path: Path, settings: dict[str, Any], create: bool) -> SqliteIndex:
        """Open (or with ``create``, create) the index at ``path`` for ``settings``.

        Raises:
            IndexUnusableError: no index there (and not ``create``), not an index, another
                schema version, or other settings.
        """
        if not path.exists() and not create:
            raise IndexUnusableError(f"no index at {path}: create it with `dedup index add`")
        try:
            connection = sqlite3.connect(
                path, timeout=_BUSY_TIMEOUT_MS / 1000, isolation_level=None
            )
            connection.execute(f"PRAGMA busy_timeout = {_BUSY_TIMEOUT_MS}")
            connection.execute(f"PRAGMA page_size = {_PAGE_SIZE}")  # a new file only
            connection.execute("PRAGMA journal_mode = WAL")
            connection.execute("PRAGMA synchronous = NORMAL")
            connection.execute("PRAGMA cache_size = -262144")  # 256 MiB of page cache
            # Reads through a memory map: a query's 128 band lookups land on random
            # pages, and a read from the map costs no system call.
            connection.execute(f"PRAGMA mmap_size = {_MMAP_BYTES}")
            index = cls(connection, path, settings)
            index._prepare(create)
        except sqlite3.DatabaseError as error:
            raise IndexUnusableError(f"{path} is not a usable dedup index: {error}") from error
        return index

    def _prepare(self, create: bool) -> None:
        tables = {row[0] for row in self._connection.execute("SELECT name FROM sqlite_master")}
        if "meta" not in tables:
            if not create:
                raise IndexUnusableError(f"{self.path} is not a dedup index (no meta table)")
            with self._transaction():
                for statement in _SCHEMA:
                    self._connection.execute(statement)
                self._connection.execute(
                    "INSERT OR IGNORE INTO meta VALUES ('schema_version', ?), ('settings', ?)",
                    (str(SCHEMA_VERSION), json.dumps(self.settings, sort_keys=True)),
                )
        meta = dict(self._connection.execute("SELECT key, value FROM meta"))
        refuse_unusable(
            str(self.path),
            meta.get("schema_version"),
            json.loads(meta.get("settings", "{}")),
            self.settings,
        )

    def _transaction(self) -> _Transaction:
        return _Transaction(self._connection)

    def batch_size(self) -> int:
        """Documents ``add`` commits together: ``ADD_BATCH``, or a twentieth of the index
        when that is more. Band keys are random, so a batch dirties most pages of a big
        bands table whatever its size: `dedup index add` of 50k documents to an index of
        1M took 47.5 s in batches of 10k, 37.5 s in one."""
        (last,) = self._connection.execute(
            "SELECT COALESCE(MAX(number), 0) FROM documents"
        ).fetchone()
        return max(ADD_BATCH, int(last) // _BATCH_SHARE)

    def add(self, entries: Iterable[IndexEntry], bands: int, rows: int) -> tuple[int, int]:
        """Add (or replace, by id) documents: (added, replaced).

        ``entries`` may be a generator: it is consumed a batch (:meth:`batch_size`) at a
        time, each batch one transaction, so signing the next documents can go on in
        worker processes while this one writes.
        """
        added = replaced = 0
        for batch in batches(entries, self.batch_size()):
            with self._transaction():
                batch_added, batch_replaced = self._add_batch(batch, bands, rows)
            added += batch_added
            replaced += batch_replaced
        return added, replaced

    def _add_batch(self, batch: list[IndexEntry], bands: int, rows: int) -> tuple[int, int]:
        # The last of two entries with one id wins, as if they had been added in turn.
        kept = last_of_each_id(batch)
        existing = self._numbers_of([article.id for article, *_ in kept])
        self._delete_numbers(list(existing.values()))
        (first,) = self._connection.execute(
            "SELECT COALESCE(MAX(number), 0) + 1 FROM documents"
        ).fetchone()
        numbers = np.arange(first, first + len(kept), dtype=np.int64)
        self._connection.executemany(
            "INSERT INTO documents (number, id, title, outlet, url, published, source,"
            " word_count, credits, shingles) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                (
                    number,
                    article.id,
                    article.title,
                    article.outlet,
                    article.url,
                    article.published,
                    article.source,
                    word_count,
                    credits_json(credits),
                    folded.astype("<u4").tobytes(),
                )
                for number, (article, word_count, credits, _, folded) in zip(
                    numbers.tolist(), kept, strict=True
                )
            ),
        )
        self._insert_bands(np.stack([entry[3] for entry in kept]), numbers, bands, rows)
        return len(kept) - len(existing), len(batch) - len(kept) + len(existing)

    def _numbers_of(self, ids: Sequence[str]) -> dict[str, int]:
        """The numbers of those of ``ids`` that are in the index."""
        found: dict[str, int] = {}
        for start in range(0, len(ids), _IDS_PER_QUERY):
            chunk = ids[start : start + _IDS_PER_QUERY]
            placeholders = ",".join("?" * len(chunk))
            found.update(
                self._connection.execute(
                    f"SELECT id, number FROM documents WHERE id IN ({placeholders})", chunk
                )
            )
        return found

    def _insert_bands(
        self, signature_rows: SignatureArray, numbers: NumberArray, bands: int, rows: int
    ) -> None:
        keys = band_keys(signature_rows, bands, rows).ravel()
        documents = np.repeat(numbers, bands)
        # In key order, the B-tree fills page by page instead of at random places:
        # building an index of 100k documents went from 120 s to 72 s.
        order = np.lexsort((documents, keys))
        self._connection.executemany(
            "INSERT OR IGNORE INTO bands VALUES (?, ?)",
            zip(keys[order].tolist(), documents[order].tolist(), strict=True),
        )

    def _delete_numbers(self, numbers: Sequence[int]) -> None:
        for number in numbers:
            row = self._connection.execute(
                "SELECT shingles FROM documents WHERE number = ?", (number,)
            ).fetchone()
            if row is None:
                continue
            signature = stored_signature(np.frombuffer(row[0], dtype="<u4"), self.settings)
            keys = band_keys(
                signature, int(self.settings["lsh_bands"]), int(self.settings["lsh_rows"])
            )
            self._connection.executemany(
                "DELETE FROM bands WHERE key = ? AND document = ?",
                [(key, number) for key in keys.ravel().tolist()],
            )
            self._connection.execute("DELETE FROM documents WHERE number = ?", (number,))

    def remove(self, ids: Iterable[str]) -> list[str]:
        """Remove documents by id, in one transaction; returns the ids that were there."""
        removed = []
        with self._transaction():
            for document in ids:
                row = self._connection.execute(
                    "SELECT number FROM documents WHERE id = ?", (document,)
                ).fetchone()
                if row is not None:
                    self._delete_numbers([row[0]])
                    removed.append(document)
        return removed

    def candidates(
        self, signature: SignatureArray, bands: int, rows: int, minimum: int, bucket_limit: int
    ) -> list[int]:
        """Numbers of indexed documents agreeing with ``signature`` on ``minimum`` bands,
        counting at most the first ``bucket_limit`` documents of each band's bucket."""
        keys = band_keys(signature, bands, rows).ravel().tolist()
        return [
            row[0]
            for row in self._connection.execute(
                _candidates_statement(len(keys)), (*keys, bucket_limit, minimum)
            )
        ]

    def documents(self, numbers: Sequence[int]) -> list[dict[str, Any]]:
        """Metadata and folded shingles of the given documents."""
        found: list[dict[str, Any]] = []
        for start in range(0, len(numbers), _IDS_PER_QUERY):
            chunk = list(numbers[start : start + _IDS_PER_QUERY])
            placeholders = ",".join("?" * len(chunk))
            rows = self._connection.execute(
                "SELECT id, title, outlet, url, published, source, word_count, credits, shingles"
                f" FROM documents WHERE number IN ({placeholders}) ORDER BY number",
                chunk,
            )
            found.extend(
                {
                    "id": row[0],
                    "title": row[1],
                    "outlet": row[2],
                    "url": row[3],
                    "published": row[4],
                    "source": row[5],
                    "word_count": row[6],
                    "credits": json.loads(row[7]),
                    "shingles": np.frombuffer(row[8], dtype="<u4").astype(np.uint32),
                }
                for row in rows
            )
        return found

    def verify(self) -> list[str]:
        """What is damaged, one line a kind of damage (empty when the index is sound):
        SQLite's own integrity check, band rows naming a document that is not there,
        documents missing some of their band rows (their signature is computed again
        from the stored shingles)."""
        problems = [
            f"SQLite integrity check: {row[0]}"
            for row in self._connection.execute("PRAGMA integrity_check")
            if row[0] != "ok"
        ]
        (orphans,) = self._connection.execute(
            "SELECT COUNT(*) FROM bands WHERE document NOT IN (SELECT number FROM documents)"
        ).fetchone()
        if orphans:
            problems.append(f"{orphans:,} band keys point at a document that is not there")
        bands, rows = int(self.settings["lsh_bands"]), int(self.settings["lsh_rows"])
        incomplete = []
        # Band rows each document has, in one pass: a row per (key, document), so a
        # document with fewer than its distinct keys misses some.
        held = dict(
            self._connection.execute("SELECT document, COUNT(*) FROM bands GROUP BY document")
        )
        for number, identifier, shingles in self._connection.execute(
            "SELECT number, id, shingles FROM documents ORDER BY number"
        ):
            signature = stored_signature(np.frombuffer(shingles, dtype="<u4"), self.settings)
            if held.get(number, 0) < len(set(band_keys(signature, bands, rows).ravel().tolist())):
                incomplete.append(identifier)
        if incomplete:
            problems.append(
                f"{len(incomplete):,} documents miss some of their band keys (first: "
                f"{incomplete[0]!r}); dedup check cannot find them through those bands"
            )
        return problems

    def stats(self) -> dict[str, Any]:
        """Document count, file size, bytes per document, and the recorded settings."""
        count = self._connection.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
        # Fold the write-ahead log into the file, so the size is the index's own.
        self._connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        size = self.path.stat().st_size
        wal = self.path.with_name(self.path.name + "-wal")
        size += wal.stat().st_size if wal.exists() else 0
        return {
            "documents": count,
            "bytes": size,
            "bytes_per_document": round(size / count) if count else None,
            "schema_version": SCHEMA_VERSION,
            "settings": self.settings,
        }

    def close(self) -> None:
        """Close the connection."""
        self._connection.close()


@lru_cache(maxsize=4)
def _candidates_statement(keys: int) -> str:
    """One statement for a query's band keys: each key's bucket read in document order
    up to the limit (the last parameter but one), then counted per document."""
    limit, minimum = keys + 1, keys + 2
    buckets = [
        f"SELECT * FROM (SELECT document FROM bands WHERE key = ?{number} "
        f"ORDER BY document LIMIT ?{limit})"
        for number in range(1, keys + 1)
    ]
    # A compound SELECT may have at most 500 terms: more bands go in nested groups.
    groups = " UNION ALL ".join(
        "SELECT * FROM (" + " UNION ALL ".join(buckets[start : start + _TERMS]) + ")"
        for start in range(0, keys, _TERMS)
    )
    return f"SELECT document FROM ({groups}) GROUP BY document HAVING COUNT(*) >= ?{minimum}"


class _Transaction:
    """``BEGIN IMMEDIATE`` ... ``COMMIT``, or ``ROLLBACK`` on an exception."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._connection = connection

    def __enter__(self) -> None:
        self._connection.execute("BEGIN IMMEDIATE")

    def __exit__(self, kind: object, value: object, traceback: object) -> None:
        self._connection.execute("COMMIT" if kind is None else "ROLLBACK")
