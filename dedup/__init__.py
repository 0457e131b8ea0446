"""dedup: find syndicated rewrites of wire copy in news, Arabic first-class."""

from __future__ import annotations

from dedup.errors import DedupError, InputError
from dedup.ingest import read_sources
from dedup.models import Article, Cluster, Credit, DocumentSummary, Edge, Report, Skipped
from dedup.pipeline import find_duplicates
from dedup.settings import Settings

__version__ = "0.1.0"

__all__ = [
    "Article",
    "Cluster",
    "Credit",
    "DedupError",
    "DocumentSummary",
    "Edge",
    "InputError",
    "Report",
    "Settings",
    "Skipped",
    "__version__",
    "find_duplicates",
    "read_sources",
]
