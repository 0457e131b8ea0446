"""The index backends below the CLI: what is stored, replaced and removed, on both."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from dedup import Article, Settings
from dedup.pipeline import check_items, compute_features, index_entries
from dedup.shingle import fold_to_32_bits
from dedup.store import IndexUnusableError, index_settings, open_index
from dedup.store.layout import band_keys, stored_signature

SETTINGS = Settings()


def _band_entries(location: str) -> int:
    if location.startswith("redis://"):
        import redis

        client = redis.Redis.from_url(location)
        try:
            return sum(client.scard(key) for key in client.scan_iter("dedup:band:*"))
        finally:
            client.close()
    return int(sqlite3.connect(location).execute("SELECT COUNT(*) FROM bands").fetchone()[0])


def test_the_signature_is_computed_again_from_what_is_stored(
    seed_articles: list[Article],
) -> None:
    features, signature_rows = compute_features(seed_articles, SETTINGS)
    for feature, signature in zip(features, signature_rows, strict=True):
        again = stored_signature(fold_to_32_bits(feature.shingles), index_settings(SETTINGS))
        assert np.array_equal(again, signature)


def test_band_keys_fit_31_bits_and_tell_bands_apart() -> None:
    same_value_everywhere = np.full((2, 128), 12345, dtype=np.uint32)
    keys = band_keys(same_value_everywhere, 128, 1)
    assert keys.shape == (2, 128) and keys.dtype == np.int64
    assert (keys >= 0).all() and (keys < 2**31).all()
    assert len(set(keys[0].tolist())) == 128 and keys[0].tolist() == keys[1].tolist()
    two_rows = band_keys(same_value_everywhere, 64, 2)
    assert two_rows.shape == (2, 64) and len(set(two_rows[0].tolist())) == 64
    with pytest.raises(ValueError, match="a signature of 128 values has no 64 bands of 1"):
        band_keys(same_value_everywhere[0], 64, 1)


def test_replacing_and_removing_leave_no_band_entries_behind(
    location: str, seed_articles: list[Article]
) -> None:
    store = open_index(location, index_settings(SETTINGS), create=True)
    try:
        bands, rows = SETTINGS.lsh_bands, SETTINGS.lsh_rows
        assert store.add(index_entries(seed_articles, SETTINGS), bands, rows) == (5, 0)
        assert _band_entries(location) == 5 * bands
        assert store.add(index_entries(seed_articles[:2], SETTINGS), bands, rows) == (0, 2)
        assert _band_entries(location) == 5 * bands
        assert sorted(store.remove([a.id for a in seed_articles] + ["absent"])) == sorted(
            a.id for a in seed_articles
        )
        assert _band_entries(location) == 0 and store.stats()["documents"] == 0
    finally:
        store.close()


def test_the_last_of_two_entries_with_one_id_wins(
    location: str, seed_articles: list[Article]
) -> None:
    first, last = seed_articles[0], replace(seed_articles[3], id=seed_articles[0].id)
    store = open_index(location, index_settings(SETTINGS), create=True)
    try:
        entries = list(index_entries([first, last], SETTINGS))
        assert store.add(entries, SETTINGS.lsh_bands, SETTINGS.lsh_rows) == (1, 1)
        (stored,) = store.documents(
            store.candidates(entries[1][3], SETTINGS.lsh_bands, SETTINGS.lsh_rows, 2, 300)
        )
        assert stored["id"] == first.id and stored["word_count"] == entries[1][1]
        assert _band_entries(location) == SETTINGS.lsh_bands
    finally:
        store.close()


def test_an_index_of_another_schema_version_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    open_index(str(path), index_settings(SETTINGS), create=True).close()
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
    with pytest.raises(IndexUnusableError, match=r"has index schema version 1; .* build a new"):
        open_index(str(path), index_settings(SETTINGS), create=False)


def test_a_new_sqlite_index_uses_8_kib_pages(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    open_index(str(path), index_settings(SETTINGS), create=True).close()
    assert sqlite3.connect(path).execute("PRAGMA page_size").fetchone() == (8192,)


def test_a_bucket_over_the_limit_gives_its_earliest_documents(
    location: str, seed_articles: list[Article]
) -> None:
    copies = [replace(seed_articles[0], id=f"copy-{number:02}") for number in range(12)]
    store = open_index(location, index_settings(SETTINGS), create=True)
    try:
        entries = list(index_entries(copies, SETTINGS))
        store.add(entries, SETTINGS.lsh_bands, SETTINGS.lsh_rows)
        signature = entries[0][3]

        def found(limit: int) -> list[str]:
            numbers = store.candidates(signature, SETTINGS.lsh_bands, SETTINGS.lsh_rows, 2, limit)
            return [document["id"] for document in store.documents(numbers)]

        # Numbers 1 to 12: in text order 10, 11 and 12 would come before 2.
        assert found(300) == [copy.id for copy in copies]
        assert found(10) == [copy.id for copy in copies[:10]]
        incoming = replace(seed_articles[0], id="incoming")
        limited = replace(SETTINGS, index_bucket_limit=3)
        (result,), _ = check_items([incoming], store, limited)
        assert [match.id for match in result.matches] == ["copy-00", "copy-01", "copy-02"]
    finally:
        store.close()


def test_more_bands_than_a_compound_select_may_hold_are_queried(
    location: str, seed_articles: list[Article]
) -> None:
    wide = replace(SETTINGS, num_perm=512, lsh_bands=512)  # SQLite: 500 terms at most
    store = open_index(location, index_settings(wide), create=True)
    try:
        entries = list(index_entries(seed_articles, wide))
        store.add(entries, wide.lsh_bands, wide.lsh_rows)
        numbers = store.candidates(entries[0][3], wide.lsh_bands, wide.lsh_rows, 2, 300)
        assert entries[0][0].id in {document["id"] for document in store.documents(numbers)}
    finally:
        store.close()


def test_index_entries_are_the_same_signed_in_two_workers(seed_articles: list[Article]) -> None:
    # Enough articles for worker processes, with a batch signed ahead as `index add` does.
    articles = [
        replace(article, id=f"{article.id}-{copy}", text=f"{article.text}\nCopy {copy} ends.")
        for copy in range(420)
        for article in seed_articles
    ]
    one, two = (list(index_entries(articles, SETTINGS, workers, batch=1_000)) for workers in (1, 2))
    assert [entry[0].id for entry in two] == [article.id for article in articles]
    for first, second in zip(one, two, strict=True):
        assert first[1:3] == second[1:3]
        assert np.array_equal(first[3], second[3]) and np.array_equal(first[4], second[4])
        assert second[4].dtype == np.uint32


def test_a_big_sqlite_index_adds_in_bigger_batches(
    tmp_path: Path, seed_articles: list[Article], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("dedup.store.sqlite.ADD_BATCH", 1)
    monkeypatch.setattr("dedup.store.sqlite._BATCH_SHARE", 2)
    store = open_index(str(tmp_path / "index.db"), index_settings(SETTINGS), create=True)
    try:
        assert store.batch_size() == 1
        store.add(index_entries(seed_articles, SETTINGS), SETTINGS.lsh_bands, SETTINGS.lsh_rows)
        assert store.batch_size() == 2  # five documents: a half, rounded down
        copies = [replace(article, id=f"{article.id}-again") for article in seed_articles]
        added = store.add(index_entries(copies, SETTINGS), SETTINGS.lsh_bands, SETTINGS.lsh_rows)
        assert added == (5, 0) and store.stats()["documents"] == 10
        assert store.batch_size() == 5
    finally:
        store.close()
