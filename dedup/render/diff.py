"""Rendering a diff: the Rich view with word highlights, and ``dedup.diff/1`` JSON."""

from __future__ import annotations

import json
from typing import Any

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from dedup.align import Segment
from dedup.diff import Diff
from dedup.render.safe import printable
from dedup.render.terminal import data_cell
from dedup.similarity import Span

SCHEMA = "dedup.diff/1"

#: Each operation's symbol (shown beside its name: colour is never the only sign) and style.
LABELS = {
    "same": ("=", "dim"),
    "edited": ("~", "yellow"),
    "rewritten": ("≈", "magenta"),
    "moved": ("↕", "cyan"),
    "added": ("+", "green"),
    "dropped": ("-", "red"),
    "boilerplate": ("·", "dim"),
}


def diff_to_dict(diff: Diff) -> dict[str, Any]:
    """The diff as ``dedup.diff/1`` data: spans index each document's text as read."""
    return {
        "schema": SCHEMA,
        "source": diff.source_id,
        "derived": diff.derived_id,
        "segments": [
            {
                "op": segment.operation,
                "match": segment.match,
                "score": segment.score,
                "source_span": list(segment.source_span) if segment.source_span else None,
                "derived_span": list(segment.derived_span) if segment.derived_span else None,
                "changes": [
                    {
                        "op": change.operation,
                        "source_span": list(change.source_span) if change.source_span else None,
                        "derived_span": list(change.derived_span) if change.derived_span else None,
                    }
                    for change in segment.changes
                ],
            }
            for segment in diff.segments
        ],
    }


def render_diff_json(diff: Diff, indent: int | None = 2) -> str:
    """One ``dedup.diff/1`` object (one line when ``indent`` is None), newline-terminated."""
    return json.dumps(diff_to_dict(diff), ensure_ascii=False, indent=indent) + "\n"


def _highlighted(
    text: str, span: Span, marks: list[Span], style: str, bidi_width: int | None = None
) -> Text:
    """``text[span]`` on one line, with ``marks`` styled; control characters removed
    piece by piece, so the marks stay on the characters they point at.

    With ``bidi_width`` the text is wrapped and put in visual order instead (see
    ``render.bidi``); styles cannot follow reordered words, so marked words are
    bracketed ⟨like this⟩ before reordering.
    """
    if bidi_width is not None:
        pieces, position = [], span[0]
        for start, end in sorted(marks):
            pieces.append(printable(text[position:start], strip=False))
            pieces.append("⟨" + printable(text[max(start, position) : end]) + "⟩")
            position = max(position, end)
        pieces.append(printable(text[position : span[1]], strip=False))
        logical = "".join(pieces) if marks else printable(text[span[0] : span[1]])
        return data_cell(logical, bidi_width, bidi=True)
    result = Text()
    position = span[0]
    for start, end in sorted(marks):
        if start > position:
            result.append(printable(text[position:start], strip=False))
        result.append(printable(text[max(start, position) : end], strip=False), style=style)
        position = max(position, end)
    if position < span[1]:
        result.append(printable(text[position : span[1]], strip=False))
    return result


def _segment_rows(
    diff: Diff, segment: Segment, bidi_width: int | None
) -> list[tuple[Text, Text, Text]]:
    symbol, style = LABELS[segment.operation]
    label = Text(f"{symbol} {segment.operation}", style=style)
    score = Text(f"{segment.score:.0f}" if segment.match else "", style=style)
    if segment.source_span is None and segment.derived_span is not None:
        text = _highlighted(diff.derived_text, segment.derived_span, [], "", bidi_width)
        text.stylize(style)
        return [(label, score, text)]
    if segment.derived_span is None and segment.source_span is not None:
        text = _highlighted(diff.source_text, segment.source_span, [], "", bidi_width)
        text.stylize(style)
        return [(label, score, text)]
    assert segment.source_span is not None and segment.derived_span is not None
    derived_marks = [c.derived_span for c in segment.changes if c.derived_span]
    if segment.match == "same":
        text = _highlighted(diff.derived_text, segment.derived_span, [], "", bidi_width)
        return [(label, score, text)]
    source_marks = [c.source_span for c in segment.changes if c.source_span]
    source = _highlighted(
        diff.source_text, segment.source_span, source_marks, "bold red strike", bidi_width
    )
    derived = _highlighted(
        diff.derived_text, segment.derived_span, derived_marks, "bold green", bidi_width
    )
    return [(label, score, source), (Text(""), Text(""), derived)]


def diff_renderable(diff: Diff, bidi_width: int | None = None) -> RenderableType:
    """The diff as a Rich table: one row per segment, changed words highlighted.

    ``bidi_width``: put text in visual order for terminals without bidi, wrapped to
    this many columns (see ``render.bidi``).
    """
    counts: dict[str, int] = {}
    for segment in diff.segments:
        counts[segment.operation] = counts.get(segment.operation, 0) + 1
    summary = ", ".join(f"{counts[name]} {name}" for name in LABELS if name in counts)
    table = Table(show_header=True, box=None, pad_edge=False)
    table.add_column("", no_wrap=True)
    table.add_column("score", justify="right", no_wrap=True)
    table.add_column("text", overflow="fold")
    for segment in diff.segments:
        for row in _segment_rows(diff, segment, bidi_width):
            table.add_row(*row)
    title = Text(f"{printable(diff.source_id)} → {printable(diff.derived_id)}: ", style="bold")
    title.append(summary or "nothing to compare", style="")
    return Group(title, table)
