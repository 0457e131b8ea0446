"""What every index backend stores and how: the schema version, band keys, batches.

Both backends keep, per document, its metadata and its shingle hashes folded to 32
bits (the exact check needs them), and one entry per LSH band. The MinHash signature
itself is not stored: the folded shingles are exactly the 32-bit values the signature
was computed from, so it is computed again on the rare remove or replace (512 bytes a
document saved, an eighth of the index).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from itertools import islice
from typing import Any, TypeAlias, TypeVar

import numpy as np
import numpy.typing as npt

from dedup.check import IndexEntry
from dedup.errors import DedupError
from dedup.models import Credit
from dedup.signature import SignatureArray, signatures

#: Bump when what is stored changes; an index of another version is refused.
#: 2: no stored signature, 31-bit band keys.
SCHEMA_VERSION = 2
#: Documents committed together by ``add`` (at least: a big SQLite index takes more at
#: once): an interrupted add keeps the batches that committed (adding again replaces by
#: id, so running it again is safe), and the band entries of a batch are written in key
#: order.
ADD_BATCH = 10_000

BandKeyArray: TypeAlias = npt.NDArray[np.int64]

_MIX = np.uint64(0x9E3779B97F4A7C15)
_SPREAD = np.uint64(0xBF58476D1CE4E5B9)


class IndexUnusableError(DedupError):
    """The index is missing, corrupt, of another schema, or built with other settings."""

    exit_code = 3


def band_keys(signature_rows: SignatureArray, bands: int, rows: int) -> BandKeyArray:
    """One key per document and band, from the band number and the band's values.

    31 bits, so SQLite stores each in 4 bytes instead of 8 (290 bytes a document
    saved). Two different bands collide in about one key in two billion: a stray
    candidate at most, which the exact check then drops.
    """
    rows_of_values = np.atleast_2d(signature_rows)
    if rows_of_values.shape[-1] != bands * rows:
        raise ValueError(
            f"a signature of {rows_of_values.shape[-1]} values has no {bands} bands of {rows}"
        )
    values = rows_of_values.astype(np.uint64).reshape(-1, bands, rows)
    combined = values[:, :, 0].copy()
    for row in range(1, rows):
        combined = combined * _MIX + values[:, :, row]
    combined += np.arange(bands, dtype=np.uint64) * _MIX
    keys: BandKeyArray = ((combined * _SPREAD) >> np.uint64(33)).astype(np.int64)
    return keys


def stored_signature(
    folded_shingles: npt.NDArray[np.uint32], settings: dict[str, Any]
) -> SignatureArray:
    """The signature of a stored document, computed again from its folded shingles."""
    row: SignatureArray = signatures(
        [folded_shingles.astype(np.uint64)], int(settings["num_perm"]), int(settings["seed"])
    )[0]
    return row


Item = TypeVar("Item")


def batches(entries: Iterable[Item], size: int = ADD_BATCH) -> Iterator[list[Item]]:
    """``entries`` in lists of ``size``, consumed lazily (a generator is not held whole)."""
    iterator = iter(entries)
    while batch := list(islice(iterator, size)):
        yield batch


def last_of_each_id(batch: list[IndexEntry]) -> list[IndexEntry]:
    """The batch with only the last entry of each id, as if added one after another."""
    latest = {article.id: position for position, (article, *_) in enumerate(batch)}
    return [batch[position] for position in sorted(latest.values())]


def credits_json(credits: Sequence[Credit]) -> str:
    """Credits as stored: a JSON list of [agency, where, evidence]."""
    return json.dumps([[c.agency, c.where, c.evidence] for c in credits], ensure_ascii=False)


def refuse_unusable(
    location: str, schema_version: str | None, recorded: dict[str, Any], settings: dict[str, Any]
) -> None:
    """Raise unless the index at ``location`` has our schema and was built with ``settings``.

    Raises:
        IndexUnusableError: naming each setting that differs, with both values.
    """
    if schema_version != str(SCHEMA_VERSION):
        raise IndexUnusableError(
            f"{location} has index schema version {schema_version}; "
            f"this dedup reads version {SCHEMA_VERSION}: build a new index"
        )
    if recorded != settings:
        different = sorted(
            key for key in set(recorded) | set(settings) if recorded.get(key) != settings.get(key)
        )
        details = ", ".join(
            f"{key} {recorded.get(key)!r} (asked {settings.get(key)!r})" for key in different
        )
        raise IndexUnusableError(
            f"{location} was built with other settings: {details}; "
            "use those settings or build a new index"
        )
