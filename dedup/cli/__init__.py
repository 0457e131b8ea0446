"""The ``dedup`` command: a thin click layer over the library (one module a command)."""

from __future__ import annotations

from dedup.cli import calibrate, diff, index, report
from dedup.cli.app import main

__all__ = ["calibrate", "diff", "index", "main", "report"]
