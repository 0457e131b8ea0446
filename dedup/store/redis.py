"""A shared index in Redis, for several workers or CI runners (``--index redis://...``).

Our own layout on redis-py rather than datasketch's Redis storage: datasketch keeps a
pickled key per document and answers a query band by band (4.1 ms a query in a
trial), while here a query is one pipelined round trip over the document's band keys
(``SORT_RO`` of each band's set, cut at the bucket limit) and one for the candidates'
data, and nothing is pickled. Keys, under a prefix (``dedup:``):

- ``meta``: hash with the schema version and the settings that shape the index;
- ``ids``: hash from document id to its number; ``next``: the last number given;
- ``doc:<number>``: hash with the metadata and the folded shingles;
- ``band:<key>``: set of the numbers of the documents with that band value.

Each batch of an ``add`` is one MULTI/EXEC transaction (watching ``ids``, retried when another
writer got there first), so readers never see half a batch and writers lose nothing.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any
from urllib.parse import urlsplit

import numpy as np

from dedup.check import IndexEntry
from dedup.models import Article, Credit
from dedup.signature import SignatureArray
from dedup.store.layout import (
    ADD_BATCH,
    SCHEMA_VERSION,
    IndexUnusableError,
    band_keys,
    batches,
    last_of_each_id,
    refuse_unusable,
    stored_signature,
)

_PREFIX = "dedup:"
#: Commands per pipelined round trip when verifying.
_VERIFY_CHUNK = 10_000


def _client(location: str) -> Any:
    try:
        import redis
    except ImportError as error:
        raise IndexUnusableError(
            f"{location} needs the Redis client: pip install 'dedup-news[redis]'"
        ) from error
    try:
        # redis-py reads a database that is not a number as database 0: refuse it.
        database = urlsplit(location).path.strip("/")
        numbered = not database or database.isdigit()
        if location.startswith(("redis://", "rediss://")) and not numbered:
            raise ValueError(f"the database must be a number, got {database!r}")
        return redis.Redis.from_url(location, socket_connect_timeout=5)
    except ValueError as error:
        raise IndexUnusableError(f"{location} is not a usable Redis URL: {error}") from error


class RedisIndex:
    """Documents seen before, in Redis: open with :meth:`open`."""

    def __init__(self, client: Any, location: str, settings: dict[str, Any]) -> None:
        self._redis = client
        self.location = location
        self.settings = settings
        #: Whether the server has SORT_RO (Redis 7): the read-only SORT, which a replica,
        #: a full server or a read-only user still answer.
        self._sort_read_only = False

    @classmethod
    def open(cls, location: str, settings: dict[str, Any], create: bool) -> RedisIndex:
        """Connect to the index at ``location`` (a redis:// URL) for ``settings``.

        Raises:
            IndexUnusableError: the server cannot be reached, holds no index (and not
                ``create``), or one of another schema or other settings.
        """
        import redis

        client = _client(location)
        index = cls(client, location, settings)
        try:
            index._prepare(create)
        except redis.RedisError as error:
            raise IndexUnusableError(f"cannot use the index at {location}: {error}") from error
        return index

    def _prepare(self, create: bool) -> None:
        meta_key = _PREFIX + "meta"
        if create:
            self._redis.hsetnx(meta_key, "schema_version", str(SCHEMA_VERSION))
            self._redis.hsetnx(meta_key, "settings", json.dumps(self.settings, sort_keys=True))
        meta = {k.decode(): v.decode() for k, v in self._redis.hgetall(meta_key).items()}
        if not meta:
            raise IndexUnusableError(
                f"no index at {self.location}: create it with `dedup index add`"
            )
        refuse_unusable(
            str(self.location),
            meta.get("schema_version"),
            json.loads(meta.get("settings", "{}")),
            self.settings,
        )
        self._sort_read_only = self._server_major_version() >= 7

    def _server_major_version(self) -> int:
        """The server's major version, or 0 when it will not say (INFO denied by an ACL)."""
        import redis

        try:
            version = str(self._redis.info("server").get("redis_version", "0"))
            return int(version.split(".")[0])
        except (redis.RedisError, ValueError):
            return 0

    def batch_size(self) -> int:
        """Documents ``add`` commits together (one MULTI/EXEC holds the server meanwhile)."""
        return ADD_BATCH

    def add(self, entries: Iterable[IndexEntry], bands: int, rows: int) -> tuple[int, int]:
        """Add (or replace, by id) documents: (added, replaced).

        ``entries`` may be a generator: it is consumed a batch of ``ADD_BATCH`` at a
        time, each batch one MULTI/EXEC transaction.
        """
        added = replaced = 0
        for batch in batches(entries):
            batch_added, batch_replaced = self._add_batch(batch, bands, rows)
            added += batch_added
            replaced += batch_replaced
        return added, replaced

    def _add_batch(self, batch: list[IndexEntry], bands: int, rows: int) -> tuple[int, int]:
        import redis

        ids_key = _PREFIX + "ids"
        kept = last_of_each_id(batch)
        first = int(self._redis.incrby(_PREFIX + "next", len(kept))) - len(kept) + 1
        keys = band_keys(np.stack([entry[3] for entry in kept]), bands, rows).tolist()
        while True:
            with self._redis.pipeline(transaction=True) as pipe:
                try:
                    pipe.watch(ids_key)
                    existing = pipe.hmget(ids_key, [article.id for article, *_ in kept])
                    pipe.multi()
                    replaced = len(batch) - len(kept)
                    for offset, (article, words, credits, _, folded) in enumerate(kept):
                        if existing[offset] is not None:
                            self._queue_delete(pipe, int(existing[offset]), bands, rows)
                            replaced += 1
                        number = first + offset
                        pipe.hset(
                            f"{_PREFIX}doc:{number}",
                            mapping={
                                "id": article.id,
                                "meta": _metadata(article, words, credits),
                                "shingles": folded.astype("<u4").tobytes(),
                            },
                        )
                        pipe.hset(ids_key, article.id, number)
                        for key in keys[offset]:
                            pipe.sadd(f"{_PREFIX}band:{key}", number)
                    pipe.execute()
                    return len(batch) - replaced, replaced
                except redis.WatchError:
                    continue

    def _queue_delete(self, pipe: Any, number: int, bands: int, rows: int) -> None:
        shingles = self._redis.hget(f"{_PREFIX}doc:{number}", "shingles")
        if shingles is not None:
            signature = stored_signature(np.frombuffer(shingles, dtype="<u4"), self.settings)
            for key in band_keys(signature, bands, rows).ravel().tolist():
                pipe.srem(f"{_PREFIX}band:{key}", number)
        pipe.delete(f"{_PREFIX}doc:{number}")

    def remove(self, ids: Iterable[str]) -> list[str]:
        """Remove documents by id, in one transaction; returns the ids that were there."""
        wanted = list(ids)
        numbers = self._redis.hmget(_PREFIX + "ids", wanted) if wanted else []
        removed = []
        with self._redis.pipeline(transaction=True) as pipe:
            for document, number in zip(wanted, numbers, strict=True):
                if number is None:
                    continue
                self._queue_delete(
                    pipe,
                    int(number),
                    int(self.settings["lsh_bands"]),
                    int(self.settings["lsh_rows"]),
                )
                pipe.hdel(_PREFIX + "ids", document)
                removed.append(document)
            pipe.execute()
        return removed

    def candidates(
        self, signature: SignatureArray, bands: int, rows: int, minimum: int, bucket_limit: int
    ) -> list[int]:
        """Numbers of indexed documents agreeing with ``signature`` on ``minimum`` bands,
        counting at most the first ``bucket_limit`` documents of each band's bucket."""
        # SORT_RO ... LIMIT: the server sends a big bucket's first documents only (the
        # p90 query time at 100k documents went from 9.4 ms to 5.8 ms). Before Redis 7,
        # whole buckets, cut here (SORT is a write command there).
        with self._redis.pipeline(transaction=False) as pipe:
            for key in band_keys(signature, bands, rows).ravel().tolist():
                if self._sort_read_only:
                    pipe.sort_ro(f"{_PREFIX}band:{key}", start=0, num=bucket_limit)
                else:
                    pipe.smembers(f"{_PREFIX}band:{key}")
            buckets = pipe.execute()
        counts: Counter[int] = Counter()
        for bucket in buckets:
            counts.update(sorted(int(number) for number in bucket)[:bucket_limit])
        return sorted(number for number, count in counts.items() if count >= minimum)

    def documents(self, numbers: Sequence[int]) -> list[dict[str, Any]]:
        """Metadata and folded shingles of the given documents."""
        with self._redis.pipeline(transaction=False) as pipe:
            for number in numbers:
                pipe.hmget(f"{_PREFIX}doc:{number}", ["id", "meta", "shingles"])
            rows = pipe.execute()
        found = []
        for identifier, meta, shingles in rows:
            if identifier is None:
                continue
            details = json.loads(meta)
            found.append(
                {
                    "id": identifier.decode(),
                    **{
                        key: details[key]
                        for key in ("title", "outlet", "url", "published", "source", "word_count")
                    },
                    "credits": details["credits"],
                    "shingles": np.frombuffer(shingles, dtype="<u4").astype(np.uint32),
                }
            )
        return found

    def verify(self) -> list[str]:
        """What is damaged, one line a kind of damage (empty when the index is sound):
        ids naming a document that is not there, documents no id names, band keys
        naming a document that is not there, documents missing some of their band keys
        (their signature is computed again from the stored shingles)."""
        problems = []
        ids = {
            key.decode(): int(value) for key, value in self._redis.hgetall(_PREFIX + "ids").items()
        }
        stored = {
            int(key.decode().rsplit(":", 1)[1])
            for key in self._redis.scan_iter(match=f"{_PREFIX}doc:*", count=1000)
        }
        missing = sorted(identifier for identifier, number in ids.items() if number not in stored)
        if missing:
            problems.append(
                f"{len(missing):,} ids name a document that is not there (first: {missing[0]!r})"
            )
        unnamed = stored - set(ids.values())
        if unnamed:
            problems.append(f"{len(unnamed):,} documents are named by no id")
        orphans = 0
        held: Counter[int] = Counter()  # band keys holding each document
        band_names = self._redis.scan_iter(match=f"{_PREFIX}band:*", count=1000)
        for chunk in batches(band_names, _VERIFY_CHUNK):
            with self._redis.pipeline(transaction=False) as pipe:
                for key in chunk:
                    pipe.smembers(key)
                buckets = pipe.execute()
            for bucket in buckets:
                numbers = [int(member) for member in bucket]
                orphans += sum(number not in stored for number in numbers)
                held.update(numbers)
        if orphans:
            problems.append(f"{orphans:,} band keys point at a document that is not there")
        bands, rows = int(self.settings["lsh_bands"]), int(self.settings["lsh_rows"])
        incomplete = []
        for chunk in batches(iter(sorted(stored)), _VERIFY_CHUNK // bands + 1):
            with self._redis.pipeline(transaction=False) as pipe:
                for number in chunk:
                    pipe.hget(f"{_PREFIX}doc:{number}", "shingles")
                stored_shingles = pipe.execute()
            for number, shingles in zip(chunk, stored_shingles, strict=True):
                if shingles is None:
                    continue
                folded = np.frombuffer(shingles, dtype="<u4")
                keys = band_keys(stored_signature(folded, self.settings), bands, rows)
                if held[number] < len(set(keys.ravel().tolist())):
                    incomplete.append(number)
        if incomplete:
            problems.append(
                f"{len(incomplete):,} documents miss some of their band keys; dedup check "
                "cannot find them through those bands"
            )
        return problems

    def stats(self) -> dict[str, Any]:
        """Document count, the server's memory, bytes per document, and the settings."""
        count = int(self._redis.hlen(_PREFIX + "ids"))
        used = int(self._redis.info("memory")["used_memory"])
        return {
            "documents": count,
            "bytes": used,
            "bytes_per_document": round(used / count) if count else None,
            "schema_version": SCHEMA_VERSION,
            "settings": self.settings,
        }

    def close(self) -> None:
        """Close the connection."""
        self._redis.close()


def _metadata(article: Article, word_count: int, credits: Sequence[Credit]) -> str:
    return json.dumps(
        {
            "title": article.title,
            "outlet": article.outlet,
            "url": article.url,
            "published": article.published,
            "source": article.source,
            "word_count": word_count,
            "credits": [[c.agency, c.where, c.evidence] for c in credits],
        },
        ensure_ascii=False,
    )
