"""A diff as an HTML table: source and derived sentences side by side, changed words
marked ``<del>`` in the source and ``<ins>`` in the derived text."""

from __future__ import annotations

from collections import Counter

from dedup.align import Segment
from dedup.diff import Diff
from dedup.render.diff import LABELS
from dedup.render.html_page import direction
from dedup.render.safe import html_text
from dedup.similarity import Span

#: What each operation means, for the legend above the diffs.
MEANINGS = {
    "same": "the same words",
    "edited": "a few words changed",
    "rewritten": "the same content in other words",
    "moved": "matched, out of the source's order",
    "added": "only in the derived text",
    "dropped": "only in the source",
    "boilerplate": "web-page leftovers, not compared",
}


def operation_badge(operation: str) -> str:
    """An operation's symbol and name: never colour alone."""
    return f'<span class="op {operation}">{LABELS[operation][0]} {operation}</span>'


def legend() -> str:
    """Every operation's badge and meaning, for the top of a page of diffs."""
    items = "".join(f"<li>{operation_badge(name)} {MEANINGS[name]}</li>" for name in LABELS)
    return f'<ul class="legend" aria-label="Diff legend">{items}</ul>'


def operation_counts(diff: Diff) -> str:
    """ "3 same, 2 edited, ..." in the legend's order, as plain text."""
    counts = Counter(segment.operation for segment in diff.segments)
    return ", ".join(f"{counts[name]} {name}" for name in LABELS if counts[name])


def _marked(text: str, span: Span, marks: list[Span], tag: str) -> str:
    """``text[span]`` escaped, with each of ``marks`` inside ``<tag>``; control
    characters removed piece by piece, so the marks stay on their words."""
    pieces = []
    position = span[0]
    for start, end in sorted(marks):
        start, end = max(start, position), min(end, span[1])
        if end <= start:
            continue
        pieces.append(html_text(text[position:start], strip=False))
        pieces.append(f"<{tag}>{html_text(text[start:end], strip=False)}</{tag}>")
        position = end
    pieces.append(html_text(text[position : span[1]], strip=False))
    return "".join(pieces).strip()


def _cell(side: str, text: str, span: Span | None, marks: list[Span], tag: str) -> str:
    if span is None:
        return f'<td class="{side} absent"><span class="muted">—</span></td>'
    direction_of = direction(text[span[0] : span[1]])
    return f'<td class="{side}" dir="{direction_of}">{_marked(text, span, marks, tag)}</td>'


def _row(diff: Diff, segment: Segment) -> str:
    score = f'<span class="score">{segment.score:.0f}</span>' if segment.match else ""
    match = (
        f' <span class="muted">({segment.match})</span>'
        if segment.operation == "moved" and segment.match
        else ""
    )
    words_changed = segment.match in ("edited", "rewritten")
    source_marks = [c.source_span for c in segment.changes if c.source_span and words_changed]
    derived_marks = [c.derived_span for c in segment.changes if c.derived_span and words_changed]
    return (
        f'<tr class="{segment.operation}">'
        f'<th scope="row">{operation_badge(segment.operation)}{score}{match}</th>'
        + _cell("source", diff.source_text, segment.source_span, source_marks, "del")
        + _cell("derived", diff.derived_text, segment.derived_span, derived_marks, "ins")
        + "</tr>\n"
    )


def diff_table(diff: Diff) -> str:
    """The side-by-side table of one diff, a row per segment in the derived order."""
    rows = "".join(_row(diff, segment) for segment in diff.segments)
    if not rows:
        return '<p class="note">Nothing to compare: neither text has a sentence.</p>\n'
    return (
        '<table class="diff">\n'
        '<colgroup><col class="operation"><col><col></colgroup>\n'
        '<thead><tr><th scope="col">Change</th>'
        f'<th scope="col">Source: <bdi class="id">{html_text(diff.source_id)}</bdi></th>'
        f'<th scope="col">Derived: <bdi class="id">{html_text(diff.derived_id)}</bdi></th>'
        "</tr></thead>\n<tbody>\n" + rows + "</tbody>\n</table>\n"
    )


def diff_title(diff: Diff) -> str:
    """``source → derived: counts`` as markup, for a heading or a summary."""
    return (
        f'<bdi class="id">{html_text(diff.source_id)}</bdi> → '
        f'<bdi class="id">{html_text(diff.derived_id)}</bdi> '
        f'<span class="count">{html_text(operation_counts(diff) or "nothing to compare")}'
        "</span>"
    )
