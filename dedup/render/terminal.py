"""The Rich terminal report: summary, one table per cluster, text shared outside the
clusters, unmatched documents.

Every piece of article data enters Rich as a :class:`rich.text.Text`, never as a
markup string, so ``[real_title]`` in a headline prints as written; control
characters are removed first (see :mod:`dedup.render.safe`).
"""

from __future__ import annotations

import io

from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text
from rich.tree import Tree

from dedup.models import Cluster, DocumentSummary, Edge, Report, cluster_ids
from dedup.render.bidi import is_right_to_left, visual_lines
from dedup.render.safe import printable

_HEADLINE_CHARACTERS = 60
_ID_WIDTH = 32
# With --bidi, cells are wrapped here, not by Rich: lines must be reordered after wrapping.
_BIDI_HEADLINE = 16


def _shortened(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _plural(count: int, noun: str, plural: str | None = None) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {plural or noun + 's'}"


def summary_line(report: Report) -> Text:
    """One line: documents read, skipped, clusters, unmatched."""
    clustered = sum(len(cluster.members) for cluster in report.clusters)
    empty = sum(summary.no_article_text for summary in report.documents)
    return Text(
        f"{_plural(len(report.documents), 'document')} read, {len(report.skipped)} skipped, "
        f"{_plural(len(report.clusters), 'cluster')} ({clustered} documents), "
        f"{len(report.unmatched)} unmatched"
        + (f" ({empty} with no article text left after boilerplate)" if empty else "")
        + (
            f", {_plural(len(report.links), 'match', 'matches')} kept out of clusters"
            if report.links
            else ""
        )
    )


def _overlap(edge: Edge) -> Text:
    """Containment and Jaccard of an edge, for a "Cont./Jacc." cell."""
    return Text(f"{edge.containment:.2f}/{edge.jaccard:.2f}")


def _edge_to_center(cluster: Cluster, member: str) -> Edge | None:
    for edge in cluster.edges:
        if {edge.first, edge.second} == {member, cluster.center}:
            return edge
    return None


def _document_table(title: Text, with_outlet: bool, id_width: int) -> Table:
    # Headline and outlet give way on a narrow terminal; ids and figures never do. An
    # id longer than 32 characters (a URL) folds in a column of 32: unfolded, it pushed
    # the other columns out, and cut, two ids could show the same prefix.
    table = Table(title=title, title_justify="left")
    if id_width <= _ID_WIDTH:
        table.add_column("Document", no_wrap=True, min_width=id_width)
    else:
        table.add_column("Document", overflow="fold", width=_ID_WIDTH)
    table.add_column("Headline", overflow="fold")
    if with_outlet:
        table.add_column("Outlet", overflow="fold")
    table.add_column("Words", justify="right", no_wrap=True, min_width=5)
    return table


def data_cell(text: str, width: int, bidi: bool) -> Text:
    """Untrusted text for a table cell; with ``bidi``, wrapped to ``width`` and put in
    visual order line by line, right-aligned when it starts right-to-left."""
    if not bidi:
        return Text(printable(text))
    lines = visual_lines(printable(text), width)
    return Text("\n".join(lines), justify="right" if is_right_to_left(text) else "left")


def _document_cells(summary: DocumentSummary, with_outlet: bool, bidi: bool) -> list[Text]:
    cells = [
        data_cell(summary.article.id, _ID_WIDTH, bidi),
        data_cell(_shortened(summary.article.title, _HEADLINE_CHARACTERS), _BIDI_HEADLINE, bidi),
    ]
    if with_outlet:
        cells.append(data_cell(_shortened(summary.article.outlet or "", 30), 14, bidi))
    cells.append(Text(str(summary.word_count)))
    return cells


def _credit_cell(summary: DocumentSummary) -> Text:
    """The agencies a member credits, that it is wire copy, or that it credits none."""
    if summary.wire:
        return Text("wire")
    if not summary.credits:
        return Text("uncredited", style="dim")
    agencies = list(dict.fromkeys(credit.agency for credit in summary.credits))
    return Text(printable(", ".join(agencies)))


def cluster_table(
    cluster: Cluster, documents: dict[str, DocumentSummary], bidi: bool = False
) -> Table:
    """A cluster's members, each compared with the cluster's most connected member."""
    with_outlet = any(documents[member].article.outlet for member in cluster.members)
    table = _document_table(
        Text(
            f"Cluster {cluster.id}: {_plural(len(cluster.members), 'document')}, "
            f"{_plural(len(cluster.edges), 'verified match', 'verified matches')}",
            style="bold",
        ),
        with_outlet,
        max(len(member) for member in cluster.members),
    )
    table.add_column("Credit", overflow="fold")
    # Containment and Jaccard against the center share a column to leave the headline room.
    table.add_column("Cont./Jacc.", justify="right", no_wrap=True, min_width=11)
    for member in cluster.members:
        summary = documents[member]
        if member == cluster.center:
            overlap = Text("center", style="bold")
        else:
            edge = _edge_to_center(cluster, member)
            overlap = _overlap(edge) if edge else Text("-")
        table.add_row(*_document_cells(summary, with_outlet, bidi), _credit_cell(summary), overlap)
    return table


def unmatched_table(
    report: Report, documents: dict[str, DocumentSummary], bidi: bool = False
) -> Table:
    """Documents that joined no cluster."""
    with_outlet = any(documents[document].article.outlet for document in report.unmatched)
    table = _document_table(
        Text(f"Unmatched: {_plural(len(report.unmatched), 'document')}", style="bold"),
        with_outlet,
        max(len(document) for document in report.unmatched),
    )
    for document in report.unmatched:
        table.add_row(*_document_cells(documents[document], with_outlet, bidi))
    return table


def links_table(report: Report, bidi: bool = False) -> Table:
    """Verified matches between clusters, or with a document in none, that the chaining
    guard kept apart: text one story reuses from another (background, a round-up)."""
    cluster_of = cluster_ids(report.clusters)
    table = Table(
        title=Text(
            "Kept out of clusters by the chaining guard: "
            f"{_plural(len(report.links), 'verified match', 'verified matches')}",
            style="bold",
        ),
        title_justify="left",
    )
    for heading in ("Document", "Cluster", "Document", "Cluster"):
        table.add_column(heading, overflow="fold")
    table.add_column("Cont./Jacc.", justify="right", no_wrap=True, min_width=11)
    table.add_column("Shared", justify="right", no_wrap=True)
    for edge in report.links:
        table.add_row(
            data_cell(edge.first, _ID_WIDTH, bidi),
            Text(cluster_of.get(edge.first, "none")),
            data_cell(edge.second, _ID_WIDTH, bidi),
            Text(cluster_of.get(edge.second, "none")),
            _overlap(edge),
            Text(str(edge.shared_shingles)),
        )
    return table


def _percent(share: float) -> str:
    return f"{share * 100:.0f}%"


def lineage_tree(cluster: Cluster, documents: dict[str, DocumentSummary]) -> Tree | None:
    """The cluster's source at the root, each member under the one it copied, with what
    it kept, rewrote, dropped and added, and whom it credits."""
    lineage = cluster.lineage
    if lineage is None:
        return None
    if lineage.source == "reconstructed":
        sentences = len((lineage.reconstructed_text or "").splitlines())
        root_label = Text(
            f"reconstructed wire ({_plural(sentences, 'sentence')} shared by 2+ members)"
        )
    else:
        root_label = Text(printable(lineage.source), style="bold")
        outlet = documents[lineage.source].article.outlet
        if outlet:
            root_label.append(f" ({printable(outlet)}, wire copy)")
        else:
            root_label.append(" (wire copy)")
        if len(lineage.versions) > 1:
            root_label.append(f", first of {len(lineage.versions)} versions")
    root = Tree(Text("Source: ", style="bold") + root_label)
    nodes: dict[str, Tree] = {lineage.source: root}
    pending = list(lineage.members)
    while pending:
        placed = [m for m in pending if m.parent in nodes]
        if not placed:  # a parent outside the tree: hang the rest on the root
            placed = pending
        for member in placed:
            label = Text(printable(member.id), style="bold")
            label.append(
                f"  kept {_percent(member.kept)} · rewritten {_percent(member.rewritten)} · "
                f"dropped {_percent(member.dropped)} · added {_percent(member.added)} · "
            )
            if documents[member.id].credits and not documents[member.id].wire:
                label.append("credits ")
            label.append_text(_credit_cell(documents[member.id]))
            nodes[member.id] = nodes.get(member.parent, root).add(label)
        pending = [m for m in pending if m not in placed]
    return root


def report_renderable(report: Report, bidi: bool = False) -> RenderableType:
    """The whole terminal report as one Rich renderable (``bidi``: see ``render.bidi``)."""
    documents = {summary.article.id: summary for summary in report.documents}
    parts: list[RenderableType] = [summary_line(report)]
    for cluster in report.clusters:
        parts += [Text(""), cluster_table(cluster, documents, bidi)]
        tree = lineage_tree(cluster, documents)
        if tree is not None:
            parts.append(tree)
    if report.links:
        parts += [Text(""), links_table(report, bidi)]
    if report.unmatched:
        parts += [Text(""), unmatched_table(report, documents, bidi)]
    if report.skipped:
        parts += [Text(""), Text(f"Skipped: {_plural(len(report.skipped), 'item')}", style="bold")]
        parts += [
            Text(f"  {printable(item.source)}: {printable(item.reason)}") for item in report.skipped
        ]
    return Group(*parts)


def render_text(report: Report, width: int = 100) -> str:
    """The terminal report as plain text (no colour, no escapes), for files and tests."""
    buffer = io.StringIO()
    console = Console(file=buffer, width=width, color_system=None, force_terminal=False)
    console.print(report_renderable(report))
    return "".join(line.rstrip() + "\n" for line in buffer.getvalue().splitlines())
