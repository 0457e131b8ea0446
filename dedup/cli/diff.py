"""``dedup diff``: what a rewrite did with its source, sentence by sentence."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path

import click
from rich.console import Console

from dedup.cli.app import main
from dedup.cli.options import (
    bidi_option,
    bidi_width,
    format_option,
    handle_errors,
    read_articles,
    warn_about,
)
from dedup.diff import Diff, diff_texts
from dedup.errors import InputError, TooLongToAlignError
from dedup.ingest import read_jsonl_lines
from dedup.models import Article, Skipped
from dedup.render.bidi import check_available as check_bidi_available
from dedup.render.diff import diff_renderable, render_diff_json
from dedup.render.html import render_diff_html


def _read_one(path: str) -> Article:
    """The single article of a .txt file, or of a .jsonl file holding just one."""
    articles = read_articles([path])
    if len(articles) != 1:
        raise InputError(
            f"{path} holds {len(articles)} documents; give two files, "
            "or ids with --corpus FILE.jsonl"
        )
    return articles[0]


def _pairs_from(path: Path) -> Iterator[tuple[str, str, str]]:
    """(where, source id, derived id) from a JSON Lines file; bad lines are warned about."""
    with path.open("rb") as stream:
        for number, raw in enumerate(stream, start=1):
            if not raw.strip():
                continue
            where = f"{path}:{number}"
            try:
                record = json.loads(raw)
            except (ValueError, RecursionError) as error:  # decoding errors are ValueErrors
                reason = "nested too deeply" if isinstance(error, RecursionError) else error
                warn_about(Skipped(where, f"malformed JSON ({reason})"))
                continue
            if (
                not isinstance(record, dict)
                or not isinstance(record.get("source"), str)
                or not isinstance(record.get("derived"), str)
            ):
                warn_about(Skipped(where, 'expected {"source": ID, "derived": ID}'))
                continue
            yield where, record["source"], record["derived"]


@main.command()
@click.argument("documents", nargs=-1, metavar="[SOURCE DERIVED]")
@click.option(
    "--corpus",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A .jsonl corpus: SOURCE and DERIVED are then document ids in it.",
)
@click.option(
    "--pairs",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help='Many diffs at once: a .jsonl file of {"source": ID, "derived": ID} lines '
    "(needs --corpus).",
)
@format_option(
    "text: aligned sentences with changed words highlighted; json: dedup.diff/1 "
    "(one object per line with --pairs); html: one self-contained page, the two texts "
    "side by side (every pair on it with --pairs).",
    choices=("text", "json", "html"),
)
@bidi_option
@handle_errors
def diff(
    documents: tuple[str, ...],
    corpus: Path | None,
    pairs: Path | None,
    output_format: str,
    bidi: bool,
) -> None:
    """Show what DERIVED kept, edited, rewrote, added, dropped and moved from SOURCE.

    SOURCE and DERIVED are two .txt files (or .jsonl files of one document each), or
    two ids with --corpus. Sentences are aligned on normalized words: "same" is
    verbatim after normalization, "edited" a few words changed, "rewritten" the same
    content in other words, "moved" matched but out of the source's order. In JSON,
    spans are [start, end) character offsets into each document's text exactly as
    read (for .txt files, the body after the headline line).

    Exit status: 0 when the diff was shown; 2 when an input is unreadable, an id is
    unknown, or the options do not fit together.
    """
    if pairs is not None and (corpus is None or documents):
        raise click.UsageError("--pairs needs --corpus and no SOURCE or DERIVED")
    if pairs is None and len(documents) != 2:
        raise click.UsageError("give SOURCE and DERIVED (two files, or two ids with --corpus)")
    if bidi:
        check_bidi_available()
    articles: dict[str, Article] = {}
    if corpus is not None:
        with corpus.open("rb") as stream:
            for item in read_jsonl_lines(stream, str(corpus)):
                if isinstance(item, Article) and item.id in articles:
                    first = articles[item.id].source
                    warn_about(Skipped(item.source, f"id {item.id!r} was already at {first}"))
                elif isinstance(item, Article):
                    articles[item.id] = item
                else:
                    warn_about(item)
    todo: Iterable[tuple[str, str, str]]
    if pairs is not None:
        todo = _pairs_from(pairs)
    elif corpus is not None:
        todo = [("", documents[0], documents[1])]
    else:
        source, derived = _read_one(documents[0]), _read_one(documents[1])
        articles = {"source": source, "derived": derived}
        todo = [("", "source", "derived")]
    shown: list[Diff] = []
    console = Console()
    for where, source_id, derived_id in todo:
        missing = [i for i in (source_id, derived_id) if i not in articles]
        if missing:
            message = f"no document {missing[0]!r} in {corpus}"
            if pairs is None:
                raise InputError(message)
            warn_about(Skipped(where, f"{message}; pair skipped"))
            continue
        source, derived = articles[source_id], articles[derived_id]
        try:
            result = diff_texts(source.id, source.text, derived.id, derived.text)
        except TooLongToAlignError as error:
            message = f"{source.id} vs {derived.id}: {error}"
            if pairs is None:
                raise TooLongToAlignError(message) from error
            warn_about(Skipped(where, f"{message}; pair skipped"))
            continue
        if output_format == "json":
            click.echo(render_diff_json(result, indent=None if pairs else 2), nl=False)
        elif output_format == "text":
            console.print(diff_renderable(result, bidi_width(console, bidi)))
        # Kept for the HTML page, written once every pair is compared; the texts are
        # held in memory anyway.
        shown.append(result)
    if pairs is not None and not shown:
        raise InputError(f"no pair in {pairs} could be compared")
    if output_format == "html":
        click.echo(render_diff_html(shown), nl=False)
