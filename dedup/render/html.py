"""The HTML report: one self-contained page with the summary, each cluster's members,
source, lineage tree and side-by-side diffs, the links kept out and the unmatched.

Pure: it takes a :class:`Report` and the diffs to show and returns the page as text.
Every piece of article data (text, titles, ids, outlets, URLs) goes through
:func:`dedup.render.safe.html_text`; each text block carries its own direction, so
Arabic reads right to left in a browser without the terminal's ``--bidi`` reordering.
"""

from __future__ import annotations

from collections.abc import Sequence

from dedup.diff import Diff
from dedup.models import DocumentSummary, Edge, Report
from dedup.render.html_cluster import cluster_section
from dedup.render.html_diff import diff_table, diff_title, legend
from dedup.render.html_page import data_cell, document_link, page, plural
from dedup.render.safe import html_text

#: More unmatched documents than this are folded.
_FOLD_UNMATCHED = 50


def _summary(report: Report, diffs: Sequence[Diff]) -> str:
    clustered = sum(len(cluster.members) for cluster in report.clusters)
    empty = sum(summary.no_article_text for summary in report.documents)
    items = [
        ("Documents", f"{len(report.documents):,}", ""),
        ("Skipped", f"{len(report.skipped):,}", ""),
        ("Clusters", f"{len(report.clusters):,}", f"{clustered:,} documents"),
        ("Unmatched", f"{len(report.unmatched):,}", f"{empty:,} no article text" if empty else ""),
        ("Links kept out", f"{len(report.links):,}", ""),
    ]
    cells = "".join(
        f"<div><dt>{name}</dt><dd>{value}"
        + (f" <small>{note}</small>" if note else "")
        + "</dd></div>"
        for name, value, note in items
    )
    with_diffs = len(_clusters_with_diffs(report, diffs))
    traced = sum(cluster.lineage is not None for cluster in report.clusters)
    if not report.clusters:
        note = ""
    elif with_diffs == len(report.clusters):
        note = "Side-by-side diffs for every cluster."
    else:
        note = (
            f"Side-by-side diffs for {plural(with_diffs, 'cluster')} of {len(report.clusters):,}"
            + (", the largest" if with_diffs else "")
            + (
                " (dedup report --html-diffs N or all for more)."
                if traced
                else " (lineage not traced)."
            )
        )
    return f'<dl class="summary">{cells}</dl>\n' + (f'<p class="note">{note}</p>\n' if note else "")


def _clusters_with_diffs(report: Report, diffs: Sequence[Diff]) -> set[str]:
    derived = {diff.derived_id for diff in diffs}
    return {cluster.id for cluster in report.clusters if any(m in derived for m in cluster.members)}


def _document_rows(summaries: Sequence[DocumentSummary], with_outlet: bool) -> str:
    rows = []
    for summary in summaries:
        article = summary.article
        outlet = data_cell(article.outlet or "", "outlet") if with_outlet else ""
        rows.append(
            f'<tr><th scope="row">{document_link(article.id, article.url)}</th>'
            f"{data_cell(article.title, 'headline')}{outlet}"
            f'<td class="number">{summary.word_count:,}</td></tr>\n'
        )
    return "".join(rows)


def _unmatched_section(report: Report, documents: dict[str, DocumentSummary]) -> str:
    summaries = [documents[document] for document in report.unmatched]
    with_outlet = any(summary.article.outlet for summary in summaries)
    outlet = '<th scope="col">Outlet</th>' if with_outlet else ""
    table = (
        '<table>\n<thead><tr><th scope="col">Document</th><th scope="col">Headline</th>'
        f'{outlet}<th scope="col" class="number">Words</th></tr></thead>\n<tbody>\n'
        + _document_rows(summaries, with_outlet)
        + "</tbody>\n</table>\n"
    )
    if len(summaries) > _FOLD_UNMATCHED:
        table = f"<details><summary>The {len(summaries):,} documents</summary>\n{table}</details>\n"
    return (
        '<section class="block" id="unmatched">\n'
        f'<h2>Unmatched <span class="count">{plural(len(summaries), "document")}</span></h2>\n'
        f"{table}</section>\n"
    )


def _cluster_link(cluster_id: str | None) -> str:
    if cluster_id is None:
        return '<span class="muted">none</span>'
    return f'<a href="#cluster-{html_text(cluster_id)}">{html_text(cluster_id)}</a>'


def _links_section(report: Report, edges: Sequence[Edge]) -> str:
    cluster_of = {member: cluster.id for cluster in report.clusters for member in cluster.members}
    rows = "".join(
        f'<tr><td><bdi class="id">{html_text(edge.first)}</bdi></td>'
        f"<td>{_cluster_link(cluster_of.get(edge.first))}</td>"
        f'<td><bdi class="id">{html_text(edge.second)}</bdi></td>'
        f"<td>{_cluster_link(cluster_of.get(edge.second))}</td>"
        f'<td class="number">{edge.containment:.2f}/{edge.jaccard:.2f}</td>'
        f'<td class="number">{edge.shared_shingles:,}</td></tr>\n'
        for edge in edges
    )
    return (
        '<section class="block" id="links">\n<h2>Kept out of clusters by the chaining guard '
        f'<span class="count">{plural(len(edges), "verified match", "verified matches")}'
        "</span></h2>\n"
        '<p class="note">Text one story reuses from another (background, a round-up).</p>\n'
        '<table>\n<thead><tr><th scope="col">Document</th><th scope="col">Cluster</th>'
        '<th scope="col">Document</th><th scope="col">Cluster</th>'
        '<th scope="col" class="number">Cont./Jacc.</th>'
        '<th scope="col" class="number">Shared 3-grams</th></tr></thead>\n<tbody>\n'
        + rows
        + "</tbody>\n</table>\n</section>\n"
    )


def _skipped_section(report: Report) -> str:
    items = "".join(
        f'<li><span dir="auto">{html_text(item.source)}</span>: '
        f'<span dir="auto">{html_text(item.reason)}</span></li>\n'
        for item in report.skipped
    )
    return (
        '<section class="block" id="skipped">\n'
        f'<h2>Skipped <span class="count">{plural(len(report.skipped), "item")}</span></h2>\n'
        f"<ul>\n{items}</ul>\n</section>\n"
    )


def render_html(report: Report, diffs: Sequence[Diff] = ()) -> str:
    """The report as one HTML page; ``diffs`` (from ``member_diffs``) are shown under
    their clusters, the other clusters without side-by-side views."""
    documents = {summary.article.id: summary for summary in report.documents}
    cluster_of = {member: cluster.id for cluster in report.clusters for member in cluster.members}
    diffs_of: dict[str, list[Diff]] = {}
    for diff in diffs:
        diffs_of.setdefault(cluster_of.get(diff.derived_id, ""), []).append(diff)
    parts = [
        "<header>\n<h1>Syndication report</h1>\n",
        _summary(report, diffs),
        legend() if diffs else "",
        "</header>\n<main>\n",
    ]
    parts += [
        cluster_section(cluster, documents, diffs_of.get(cluster.id, []))
        for cluster in report.clusters
    ]
    if report.links:
        parts.append(_links_section(report, report.links))
    if report.unmatched:
        parts.append(_unmatched_section(report, documents))
    if report.skipped:
        parts.append(_skipped_section(report))
    parts.append("</main>\n")
    title = (
        f"dedup report: {plural(len(report.documents), 'document')}, "
        f"{plural(len(report.clusters), 'cluster')}"
    )
    return page(title, "".join(parts), sections=len(report.clusters))


def render_diff_html(diffs: Sequence[Diff]) -> str:
    """Diffs chosen by hand (``dedup diff``) as one page, each pair in a section."""
    sections = [
        f'<section class="block">\n<h2>{diff_title(diff)}</h2>\n{diff_table(diff)}</section>\n'
        for diff in diffs
    ]
    if len(diffs) == 1:
        title = f"dedup diff: {diffs[0].source_id} → {diffs[0].derived_id}"
    else:
        title = f"dedup diff: {plural(len(diffs), 'pair')}"
    return page(
        title,
        f"<header>\n<h1>Diff</h1>\n{legend()}</header>\n<main>\n" + "".join(sections) + "</main>\n",
        sections=len(sections),
    )
