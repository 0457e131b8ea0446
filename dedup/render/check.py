"""Rendering ``dedup check`` results: a Rich table and ``dedup.check/1`` JSON."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from dedup.check import CheckResult, is_finding
from dedup.models import Skipped
from dedup.render.safe import printable

SCHEMA = "dedup.check/1"
_VERDICT_STYLES = {"new": "green", "syndicated copy": "yellow", "exact duplicate": "bold red"}


def check_to_dict(
    results: Sequence[CheckResult],
    policy: str,
    findings: int,
    skipped: Sequence[Skipped] = (),
) -> dict[str, Any]:
    """The results as ``dedup.check/1`` data (``skipped``: the input items not read)."""
    counts = {verdict: 0 for verdict in _VERDICT_STYLES}
    for result in results:
        counts[result.verdict] += 1
    return {
        "schema": SCHEMA,
        "policy": policy,
        "summary": {
            "items": len(results),
            **counts,
            "findings": findings,
            "skipped": len(skipped),
        },
        "skipped": [{"source": item.source, "reason": item.reason} for item in skipped],
        "items": [
            {
                "id": result.article.id,
                "source": result.article.source,
                "title": result.article.title,
                "outlet": result.article.outlet,
                "published": result.article.published,
                "teaser": result.article.teaser,
                "verdict": result.verdict,
                "finding": is_finding(result, policy),
                "credited": result.credited,
                "wire": result.wire,
                "credits": [
                    {"agency": c.agency, "where": c.where, "evidence": c.evidence}
                    for c in result.credits
                ],
                "matches": [
                    {
                        "id": match.id,
                        "where": match.where,
                        "outlet": match.outlet,
                        "published": match.published,
                        "containment": match.containment,
                        "jaccard": match.jaccard,
                        "shared_shingles": match.shared_shingles,
                    }
                    for match in result.matches
                ],
            }
            for result in results
        ],
    }


def render_check_json(
    results: Sequence[CheckResult], policy: str, findings: int, skipped: Sequence[Skipped] = ()
) -> str:
    """One ``dedup.check/1`` object, newline-terminated."""
    data = check_to_dict(results, policy, findings, skipped)
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def check_renderable(
    results: Sequence[CheckResult], policy: str, findings: int, skipped: Sequence[Skipped] = ()
) -> RenderableType:
    """A summary line, one row per item with its verdict and best match, and the input
    items that were skipped."""
    counts = check_to_dict(results, policy, findings)["summary"]
    summary = Text(
        f"{counts['items']} items checked: {counts['new']} new, "
        f"{counts['syndicated copy']} syndicated copies, {counts['exact duplicate']} exact "
        f"duplicates; {findings} findings under --fail-on {policy}"
        + (f"; {len(skipped)} skipped" if skipped else "")
    )
    table = Table()
    table.add_column("Item", overflow="fold")
    table.add_column("Verdict", no_wrap=True)
    table.add_column("Best match", overflow="fold")
    table.add_column("Cont./Jacc.", justify="right", no_wrap=True)
    table.add_column("Credit", overflow="fold")
    for result in results:
        best = result.matches[0] if result.matches else None
        match_text = Text("")
        if best is not None:
            match_text = Text(printable(best.id))
            details = ", ".join(x for x in (best.outlet, best.published, best.where) if x)
            match_text.append(f" ({printable(details)})", style="dim")
            if len(result.matches) > 1:
                match_text.append(f" +{len(result.matches) - 1} more", style="dim")
        table.add_row(
            Text(printable(result.article.id)),
            Text(result.verdict, style=_VERDICT_STYLES[result.verdict]),
            match_text,
            Text(f"{best.containment:.2f}/{best.jaccard:.2f}" if best else ""),
            Text(printable(result.credit_label), style="" if result.credited else "dim"),
        )
    lines = [Text(f"Skipped: {len(skipped)} items", style="bold")] if skipped else []
    lines += [Text(f"  {printable(item.source)}: {printable(item.reason)}") for item in skipped]
    return Group(summary, table, *lines)
