"""``dedup report``: group articles into syndication clusters and report them."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import click
from rich.console import Console

from dedup.align import MAX_ALIGNED_SENTENCES
from dedup.cli.app import main
from dedup.cli.options import (
    bidi_option,
    bidi_width,
    format_option,
    handle_errors,
    matching_options,
    progress_display,
    read_input,
    settings_from,
    workers_option,
    write_atomically,
)
from dedup.errors import InputError
from dedup.pipeline import (
    find_duplicates,
    member_diffs,
)
from dedup.render.bidi import check_available as check_bidi_available
from dedup.render.diff import diff_renderable
from dedup.render.html import render_html
from dedup.render.json import render_json
from dedup.render.safe import printable
from dedup.render.terminal import render_text, report_renderable

#: Clusters whose diffs an HTML report shows unless told otherwise.
DEFAULT_HTML_DIFFS = 10


def _clusters_with_diffs(ctx: click.Context, param: click.Parameter, value: str) -> int | None:
    """``--html-diffs``: a number of clusters, or None for ``all``."""
    if value.strip().lower() == "all":
        return None
    try:
        number = int(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is neither a number nor 'all'") from None
    if number < 0:
        raise click.BadParameter(f"{number} is below 0")
    return number


@main.command()
@click.argument("sources", nargs=-1, required=True, metavar="PATH...")
@format_option(
    "text: a Rich report for people; json: one dedup.report/1 object for tools; html: one "
    "self-contained page with lineage trees and side-by-side diffs.",
    choices=("text", "json", "html"),
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    multiple=True,
    help="Also write the report to this file: .json for JSON, .txt for plain text "
    "(100 columns, no colour), .html for the HTML page. Repeat to write several.",
)
@workers_option(default=0)
@click.option(
    "--progress/--no-progress", default=True, help="Show progress on a terminal's standard error."
)
@click.option(
    "--lineage/--no-lineage",
    default=True,
    show_default=True,
    help="Trace each cluster's source, who derived from whom, and what each member kept, "
    "rewrote, dropped and added (the slower part of a big batch).",
)
@click.option(
    "--wire",
    "wire_ids",
    multiple=True,
    metavar="ID",
    help="Treat document ID as wire copy (the source of its cluster). Repeatable. "
    "Members whose outlet is a known agency are wire copy already.",
)
@click.option(
    "--detail",
    is_flag=True,
    help="After each cluster, the diff of every member against its source (text format).",
)
@click.option(
    "--html-diffs",
    callback=_clusters_with_diffs,
    default=str(DEFAULT_HTML_DIFFS),
    show_default=True,
    metavar="N|all",
    help="HTML: side-by-side diffs of each member against its source for the N largest "
    "clusters, or all (0: none). The page grows with them: see the README for sizes.",
)
@bidi_option
@matching_options
@handle_errors
def report(
    sources: tuple[str, ...],
    output_format: str,
    out: tuple[Path, ...],
    workers: int,
    progress: bool,
    lineage: bool,
    wire_ids: tuple[str, ...],
    detail: bool,
    html_diffs: int | None,
    bidi: bool,
    **matching: Any,
) -> None:
    """Group the articles in PATH... into syndication clusters and report them.

    PATH is a .txt file (first non-empty line: headline; the rest: body), a .jsonl
    file (one object per line: "id" and "text" required; "title", "outlet", "url",
    "published" optional), a folder (read recursively), or - for JSON Lines on
    standard input. Items that cannot be read are reported on standard error and
    skipped.

    Exit status: 0 when a report was made (even with skipped items); 2 when nothing
    readable was given, ids collide, an option is wrong, or an --out file cannot be
    written (the others are).
    """
    for path in out:
        if path.suffix.lower() not in (".json", ".txt", ".html"):
            raise click.BadParameter(f"{path} must end in .json, .txt or .html", param_hint="--out")
    settings = settings_from(matching)
    if bidi:
        check_bidi_available()
    read = read_input(sources)
    with progress_display(progress) as progress_callback:
        result = find_duplicates(
            read.articles,
            settings,
            workers=workers,
            progress=progress_callback,
            lineage=lineage or detail,
            wire_ids=frozenset(wire_ids),
        )
    result = replace(result, skipped=tuple(read.skipped))
    unknown = sorted(set(wire_ids) - {article.id for article in read.articles})
    if unknown:
        click.echo(f"warning: --wire {printable(unknown[0])}: no such document", err=True)
    for cluster in result.clusters if lineage or detail else ():
        if cluster.lineage is None:
            click.echo(
                f"warning: cluster {cluster.id}: lineage not traced: a member has more than "
                f"{MAX_ALIGNED_SENTENCES:,} sentences, too many to align",
                err=True,
            )

    html_page = ""
    if output_format == "html" or any(path.suffix.lower() == ".html" for path in out):
        html_page = render_html(result, member_diffs(result, html_diffs))
    if output_format == "json":
        click.echo(render_json(result), nl=False)
    elif output_format == "html":
        click.echo(html_page, nl=False)
    else:
        console = Console()
        console.print(report_renderable(result, bidi=bidi))
        if detail:
            for diff_of_member in member_diffs(result):
                console.print()
                console.print(diff_renderable(diff_of_member, bidi_width(console, bidi)))
    failures = []
    for path in out:
        suffix = path.suffix.lower()
        if suffix == ".json":
            content = render_json(result)
        elif suffix == ".html":
            content = html_page
        else:
            content = render_text(result)
        try:
            write_atomically(path, content)
        except OSError as error:
            reason = error.strerror or str(error)
            if path.parent.exists() and not path.parent.is_dir():
                reason = f"{path.parent} is not a folder"
            failures.append(f"cannot write {path}: {reason}")
    # Every --out that can be written is, and each that cannot is said (exit 2).
    for failure in failures[:-1]:
        click.echo(f"Error: {printable(failure)}", err=True)
    if failures:
        raise InputError(failures[-1])
