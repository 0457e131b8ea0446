"""A persistent index of documents in one SQLite file.

What the check needs and nothing else: metadata, the MinHash signature, the document's
shingle hashes folded to 32 bits (the exact check; 1.4 KB for a 350-word article) and
one row per LSH band in a WITHOUT ROWID table keyed by the band's value, so a query is
one indexed ``IN`` lookup. Every setting that shapes the index is recorded in it and
checked on open; nothing is ever unpickled (a pickle runs code). Writes are
transactions in WAL mode: a process killed during ``add`` leaves every batch that
committed, and two writers wait for each other (``busy_timeout``) instead of failing.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from dedup.errors import DedupError
from dedup.models import Article, Credit
from dedup.shingle import fold_to_32_bits
from dedup.signature import SignatureArray

#: Bump when the tables change; an index of another version is refused.
SCHEMA_VERSION = 1
_BUSY_TIMEOUT_MS = 60_000
_ROW_COMBINE = 0x9E3779B97F4A7C15


_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    """CREATE TABLE IF NOT EXISTS documents (
        number INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        title TEXT, outlet TEXT, url TEXT, published TEXT, source TEXT,
        word_count INTEGER NOT NULL,
        credits TEXT NOT NULL,
        signature BLOB NOT NULL,
        shingles BLOB NOT NULL
    )""",
    """CREATE TABLE IF NOT EXISTS bands (
        key INTEGER NOT NULL,
        document INTEGER NOT NULL,
        PRIMARY KEY (key, document)
    ) WITHOUT ROWID""",
)


class IndexUnusableError(DedupError):
    """The index is missing, corrupt, of another schema, or built with other settings."""

    exit_code = 3


def band_row_keys(signature: SignatureArray, bands: int, rows: int) -> list[int]:
    """One signed 64-bit key per band: band number and band value, for the bands table."""
    values = signature.astype(np.uint64).reshape(bands, rows)
    keys = []
    for band in range(bands):
        if rows == 1:
            keys.append((band << 32) | int(values[band, 0]))
            continue
        combined = 0
        for value in values[band].tolist():
            combined = (combined * _ROW_COMBINE + value) % (1 << 64)
        keys.append(((combined ^ (band * _ROW_COMBINE)) % (1 << 64)) >> 1)
    return keys


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
            connection.execute("PRAGMA journal_mode = WAL")
            connection.execute("PRAGMA synchronous = NORMAL")
            connection.execute("PRAGMA cache_size = -262144")  # 256 MiB of page cache
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
        if meta.get("schema_version") != str(SCHEMA_VERSION):
            raise IndexUnusableError(
                f"{self.path} has index schema version {meta.get('schema_version')}; "
                f"this dedup reads version {SCHEMA_VERSION}"
            )
        recorded = json.loads(meta.get("settings", "{}"))
        if recorded != self.settings:
            different = sorted(
                key
                for key in set(recorded) | set(self.settings)
                if recorded.get(key) != self.settings.get(key)
            )
            details = ", ".join(
                f"{key} {recorded.get(key)!r} (asked {self.settings.get(key)!r})"
                for key in different
            )
            raise IndexUnusableError(
                f"{self.path} was built with other settings: {details}; "
                "use those settings or build a new index"
            )

    def _transaction(self) -> _Transaction:
        return _Transaction(self._connection)

    def add(
        self,
        documents: Sequence[tuple[Article, int, Sequence[Credit], SignatureArray, np.ndarray]],
        bands: int,
        rows: int,
    ) -> tuple[int, int]:
        """Add (or replace, by id) documents in one transaction: (added, replaced).

        Each document is (article, word count, credits, signature, shingle hashes).
        """
        added = replaced = 0
        band_rows: list[tuple[int, int]] = []
        with self._transaction():
            for article, word_count, credits, signature, shingles in documents:
                existing = self._connection.execute(
                    "SELECT number FROM documents WHERE id = ?", (article.id,)
                ).fetchone()
                if existing is not None:
                    self._delete_numbers([existing[0]])
                    replaced += 1
                else:
                    added += 1
                cursor = self._connection.execute(
                    "INSERT INTO documents (id, title, outlet, url, published, source, word_count,"
                    " credits, signature, shingles) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        article.id,
                        article.title,
                        article.outlet,
                        article.url,
                        article.published,
                        article.source,
                        word_count,
                        json.dumps(
                            [[c.agency, c.where, c.evidence] for c in credits], ensure_ascii=False
                        ),
                        signature.astype("<u4").tobytes(),
                        fold_to_32_bits(shingles).astype("<u4").tobytes(),
                    ),
                )
                number = cursor.lastrowid
                assert number is not None  # an INSERT into a rowid table always sets it
                band_rows.extend((key, number) for key in band_row_keys(signature, bands, rows))
            # In key order, the B-tree fills page by page instead of at random places:
            # building an index of 100k documents went from 120 s to 72 s.
            band_rows.sort()
            self._connection.executemany("INSERT OR IGNORE INTO bands VALUES (?, ?)", band_rows)
        return added, replaced

    def _delete_numbers(self, numbers: Sequence[int]) -> None:
        for number in numbers:
            signature = self._connection.execute(
                "SELECT signature FROM documents WHERE number = ?", (number,)
            ).fetchone()
            if signature is None:
                continue
            # The band rows are found again from the stored signature: no second index
            # on the bands table is needed (it would double its size).
            keys = band_row_keys(
                np.frombuffer(signature[0], dtype="<u4").astype(np.uint32),
                int(self.settings["lsh_bands"]),
                int(self.settings["lsh_rows"]),
            )
            self._connection.executemany(
                "DELETE FROM bands WHERE key = ? AND document = ?", [(key, number) for key in keys]
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
        self, signature: SignatureArray, bands: int, rows: int, minimum: int
    ) -> list[int]:
        """Numbers of indexed documents agreeing with ``signature`` on ``minimum`` bands."""
        keys = band_row_keys(signature, bands, rows)
        placeholders = ",".join("?" * len(keys))
        return [
            row[0]
            for row in self._connection.execute(
                f"SELECT document FROM bands WHERE key IN ({placeholders}) "
                "GROUP BY document HAVING COUNT(*) >= ?",
                (*keys, minimum),
            )
        ]

    def documents(self, numbers: Sequence[int]) -> list[dict[str, Any]]:
        """Metadata and folded shingles of the given documents."""
        found = []
        for number in numbers:
            row = self._connection.execute(
                "SELECT id, title, outlet, url, published, source, word_count, credits, shingles"
                " FROM documents WHERE number = ?",
                (number,),
            ).fetchone()
            if row is None:
                continue
            found.append(
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
            )
        return found

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


class _Transaction:
    """``BEGIN IMMEDIATE`` ... ``COMMIT``, or ``ROLLBACK`` on an exception."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._connection = connection

    def __enter__(self) -> None:
        self._connection.execute("BEGIN IMMEDIATE")

    def __exit__(self, kind: object, value: object, traceback: object) -> None:
        self._connection.execute("COMMIT" if kind is None else "ROLLBACK")
