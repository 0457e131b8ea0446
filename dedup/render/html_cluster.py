"""One cluster's section of the HTML report: members, source, lineage tree and each
member's diff against the source."""

from __future__ import annotations

from collections.abc import Sequence

from dedup.diff import Diff
from dedup.models import Cluster, DocumentSummary, Lineage, MemberLineage
from dedup.render.html_diff import diff_table, diff_title
from dedup.render.html_page import data_cell, document_link, plural, text_element
from dedup.render.safe import html_text

#: A cluster with more members than this shows its members table folded.
_FOLD_MEMBERS = 12


def _percent(share: float) -> str:
    return f"{share * 100:.0f}%"


def _credit(summary: DocumentSummary) -> str:
    if summary.wire:
        return "wire"
    if not summary.credits:
        return '<span class="muted">uncredited</span>'
    return html_text(", ".join(dict.fromkeys(credit.agency for credit in summary.credits)))


def _members_table(
    cluster: Cluster, documents: dict[str, DocumentSummary], shares: dict[str, MemberLineage]
) -> str:
    summaries = [documents[member] for member in cluster.members]
    with_outlet = any(summary.article.outlet for summary in summaries)
    with_time = any(summary.article.published for summary in summaries)
    with_shares = cluster.lineage is not None
    headings = ["Document", "Headline"]
    headings += ["Outlet"] if with_outlet else []
    headings += ["Published"] if with_time else []
    headings += ["Words", "Credit"]
    headings += ["Kept", "Rewritten", "Dropped", "Added"] if with_shares else []
    numeric = {"Words", "Kept", "Rewritten", "Dropped", "Added"}
    head = "".join(
        f'<th scope="col" class="number">{name}</th>'
        if name in numeric
        else f'<th scope="col">{name}</th>'
        for name in headings
    )
    rows = []
    for summary in summaries:
        article = summary.article
        cells = [
            f'<th scope="row">{document_link(article.id, article.url)}</th>',
            data_cell(article.title, "headline"),
        ]
        if with_outlet:
            cells.append(data_cell(article.outlet or "", "outlet"))
        if with_time:
            cells.append(f'<td class="time" dir="ltr">{html_text(article.published or "")}</td>')
        cells.append(f'<td class="number">{summary.word_count:,}</td>')
        cells.append(f"<td>{_credit(summary)}</td>")
        member = shares.get(article.id)
        if member is not None:
            cells += [
                f'<td class="number">{_percent(share)}</td>'
                for share in (member.kept, member.rewritten, member.dropped, member.added)
            ]
        elif with_shares:
            cells.append('<td colspan="4" class="muted">the source</td>')
        rows.append("<tr>" + "".join(cells) + "</tr>\n")
    table = (
        f"<table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n"
        + "".join(rows)
        + "</tbody>\n</table>\n"
    )
    if len(cluster.members) > _FOLD_MEMBERS:
        return (
            f"<details><summary>{plural(len(cluster.members), 'member')}</summary>\n"
            f"{table}</details>\n"
        )
    return table


def _source(lineage: Lineage, documents: dict[str, DocumentSummary]) -> str:
    if lineage.source == "reconstructed":
        sentences = (lineage.reconstructed_text or "").splitlines()
        items = "".join(text_element("li", sentence) for sentence in sentences)
        return (
            "<p>The wire, reconstructed: "
            f"{plural(len(sentences), 'sentence')} that two or more members share, in the "
            "order most members give them.</p>\n"
            f"<details><summary>The reconstructed text</summary>\n"
            f'<ol class="wire">{items}</ol>\n</details>\n'
        )
    summary = documents[lineage.source]
    outlet = summary.article.outlet
    described = f" (<bdi>{html_text(outlet)}</bdi>, wire copy)" if outlet else " (wire copy)"
    versions = ""
    if len(lineage.versions) > 1:
        versions = f"; the first of {len(lineage.versions)} versions: " + ", ".join(
            f'<bdi class="id">{html_text(v)}</bdi>' for v in lineage.versions
        )
    headline = f"<br>{text_element('span', summary.article.title)}" if summary.article.title else ""
    return (
        f"<p>{document_link(lineage.source, summary.article.url)}{described}{versions}"
        f"{headline}</p>\n"
    )


def _tree_node(member: MemberLineage, summary: DocumentSummary) -> str:
    credit = _credit(summary)
    if summary.credits and not summary.wire:
        credit = "credits " + credit
    # Whole percents and no empty pieces: a 10k-document page has thousands of bars.
    bar = "".join(
        f'<span class="{name}" style="width:{_percent(share)}"></span>'
        for name, share in (
            ("kept", member.kept),
            ("rewritten", member.rewritten),
            ("dropped", member.dropped),
        )
        if share >= 0.005
    )
    return (
        f'<span class="node"><bdi class="id">{html_text(member.id)}</bdi>'
        f'<span class="shares">kept {_percent(member.kept)} · rewritten '
        f"{_percent(member.rewritten)} · dropped {_percent(member.dropped)} · added "
        f"{_percent(member.added)} · {credit}</span>"
        f'<span class="bar" aria-hidden="true">{bar}</span></span>'
    )


def _lineage_tree(lineage: Lineage, documents: dict[str, DocumentSummary]) -> str:
    """Nested lists drawn as a tree: the source on top, each member under its parent."""
    known = {lineage.source} | {member.id for member in lineage.members}
    children: dict[str, list[MemberLineage]] = {}
    for member in lineage.members:
        # A parent outside the tree (never expected) hangs the member on the source.
        parent = member.parent if member.parent in known else lineage.source
        children.setdefault(parent, []).append(member)

    def branch(parent: str, seen: frozenset[str]) -> str:
        items = [
            "<li>"
            + _tree_node(member, documents[member.id])
            + (branch(member.id, seen | {member.id}) if member.id not in seen else "")
            + "</li>"
            for member in children.get(parent, [])
        ]
        return "<ul>" + "".join(items) + "</ul>" if items else ""

    if lineage.source == "reconstructed":
        root = "Source: the reconstructed wire"
    else:
        outlet = documents[lineage.source].article.outlet
        root = f'Source: <bdi class="id">{html_text(lineage.source)}</bdi>' + (
            f' <span class="muted">(<bdi>{html_text(outlet)}</bdi>, wire copy)</span>'
            if outlet
            else ' <span class="muted">(wire copy)</span>'
        )
    tree = branch(lineage.source, frozenset({lineage.source}))
    picture = f'<ul class="tree"><li><span class="node root">{root}</span>{tree}</li></ul>\n'
    if len(lineage.members) >= _FOLD_MEMBERS:
        summary = f"The tree of {len(lineage.members) + 1} members"
        return f"<details><summary>{summary}</summary>\n{picture}</details>\n"
    return picture


def _diffs(diffs: Sequence[Diff]) -> str:
    # The first diff open shows what the view is; the others fold, so a big cluster
    # stays a list a reader can scan.
    return "".join(
        f"<details{' open' if index == 0 else ''}><summary>{diff_title(diff)}</summary>\n"
        f"{diff_table(diff)}</details>\n"
        for index, diff in enumerate(diffs)
    )


def cluster_section(
    cluster: Cluster, documents: dict[str, DocumentSummary], diffs: Sequence[Diff]
) -> str:
    """A cluster's section: members, source, lineage tree and ``diffs`` (its members'
    against the source; none for a cluster beyond ``--html-diffs``)."""
    lineage = cluster.lineage
    shares = {member.id: member for member in lineage.members} if lineage else {}
    heading = (
        f"Cluster {html_text(cluster.id)} "
        f'<span class="count">{plural(len(cluster.members), "document")}, '
        f"{plural(len(cluster.edges), 'verified match', 'verified matches')}</span>"
    )
    parts = [
        f'<section class="block" id="cluster-{html_text(cluster.id)}">\n<h2>{heading}</h2>\n',
        "<h3>Members</h3>\n",
        _members_table(cluster, documents, shares),
    ]
    if lineage is None:
        parts.append('<p class="note">Lineage not traced.</p>\n')
    else:
        parts += ["<h3>Source</h3>\n", _source(lineage, documents)]
        parts += ["<h3>Lineage</h3>\n", _lineage_tree(lineage, documents)]
        if diffs:
            parts += ["<h3>Each member against the source</h3>\n", _diffs(diffs)]
    parts.append("</section>\n")
    return "".join(parts)
