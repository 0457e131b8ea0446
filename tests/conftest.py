"""Shared fixtures: the seed articles, read through the product's own ingest, and an
empty index location of each backend."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from dedup.ingest import read_sources
from dedup.models import Article

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "fixtures" / "seeds"


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    return SEEDS


@pytest.fixture(scope="session")
def seed_articles() -> list[Article]:
    return read_sources([str(SEEDS)]).articles


@pytest.fixture(scope="session")
def seeds_expected() -> dict[str, Any]:
    return json.loads((SEEDS / "expected.json").read_text(encoding="utf-8"))


REDIS_URL = os.environ.get("DEDUP_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def _redis_location() -> str:
    """A clean Redis database for one test, or a skip saying why there is none."""
    try:
        import redis
    except ImportError:
        pytest.skip("the redis client is not installed (pip install 'dedup-news[redis]')")
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        client.flushdb()
    except redis.RedisError as error:
        pytest.skip(f"no Redis server at {REDIS_URL} ({error}); .ci/run starts one")
    finally:
        client.close()
    return REDIS_URL


@pytest.fixture(params=["sqlite", "redis"])
def location(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty index location of each backend: the same tests run against both."""
    if request.param == "redis":
        return _redis_location()
    return str(tmp_path / "dedup.db")
