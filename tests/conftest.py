"""Shared fixtures: the seed articles, read through the product's own ingest."""

from __future__ import annotations

import json
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
