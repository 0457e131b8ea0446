"""Rendering a threshold sweep: Rich tables, and ``dedup.calibrate/1`` JSON."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from dedup.calibrate import GRID, Calibration, SweepRow

SCHEMA = "dedup.calibrate/1"
_HEADERS = ("cont.", "Jacc.", "shared", "many")
_LEGEND = (
    "cont., Jacc., shared: --min-containment, --min-jaccard, --min-shared-shingles; "
    "many: many_shared_shingles, shared shingles that need only half the containment; "
    "pairs: pairs accepted; right, wrong: those the truth puts in one story or two (or "
    "labels 1 or 0); P, R: precision, recall. Pairwise, before clustering; rows under "
    "the precision asked are dim."
)


def _row_dict(row: SweepRow) -> dict[str, Any]:
    return {
        "settings": row.thresholds,
        "accepted": row.accepted,
        "true_positives": row.true_positives,
        "false_positives": row.false_positives,
        "precision": round(row.precision, 4),
        "recall": None if row.recall is None else round(row.recall, 4),
        "f1": None if row.f1 is None else round(row.f1, 4),
    }


def calibration_json(result: Calibration, min_precision: float) -> str:
    """The sweep as one ``dedup.calibrate/1`` JSON object."""
    data = {
        "schema": SCHEMA,
        "documents": result.documents,
        "candidate_pairs": result.candidate_pairs,
        "labelled_candidate_pairs": result.labelled_candidates,
        "positive_pairs": result.positives,
        "min_precision": min_precision,
        "current": _row_dict(result.current),
        "recommended": _row_dict(result.recommended),
        "rows": [_row_dict(row) for row in result.rows],
    }
    return json.dumps(data, indent=2) + "\n"


def _percent(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def _table(title: str, rows: Sequence[tuple[str, SweepRow]], min_precision: float) -> Table:
    table = Table(title=title, title_justify="left", box=box.SIMPLE_HEAD, padding=(0, 0, 0, 1))
    table.add_column("", no_wrap=True)
    for name in (*_HEADERS, "pairs", "right", "wrong", "P", "R", "F1"):
        table.add_column(name, justify="right", no_wrap=True)
    for label, row in rows:
        style = None if row.precision >= min_precision else "dim"
        table.add_row(
            label,
            *(f"{row.thresholds[name]:g}" for name in GRID),
            str(row.accepted),
            str(row.true_positives),
            str(row.false_positives),
            _percent(row.precision),
            _percent(row.recall),
            _percent(row.f1),
            style=style,
        )
    return table


def calibration_renderable(
    result: Calibration, min_precision: float, show_all: bool
) -> RenderableType:
    """A summary line, the best row per containment (or every row), and the advice."""
    summary = Text(
        f"{result.documents} documents, {result.candidate_pairs} candidate pairs "
        f"({result.labelled_candidates} labelled), {result.positives} positive pairs in "
        f"the truth.\n{_LEGEND}"
    )
    if show_all:
        listed = [("", row) for row in result.rows]
        title = "Every combination"
    else:
        best: dict[float, SweepRow] = {}
        for row in result.rows:
            containment = row.thresholds["min_containment"]
            if containment not in best or _rank(row, min_precision) > _rank(
                best[containment], min_precision
            ):
                best[containment] = row
        listed = [("", row) for row in best.values()]
        title = "Best of each containment threshold"
    advice = Text(
        f"Recommended (precision at least {min_precision:g}, best F1); "
        "in dedup.toml or [tool.dedup]:\n"
        + "\n".join(f"{name} = {value:g}" for name, value in result.recommended.thresholds.items()),
    )
    return Group(
        summary,
        _table(title, listed, min_precision),
        _table(
            "Settings",
            [("current", result.current), ("recommended", result.recommended)],
            min_precision,
        ),
        advice,
    )


def _rank(row: SweepRow, min_precision: float) -> tuple[bool, float, int]:
    return (row.precision >= min_precision, row.f1 or 0.0, row.accepted)
