"""The ``dedup`` command: a thin click layer over :func:`dedup.find_duplicates`."""

from __future__ import annotations

import functools
import json
import os
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any, TypeVar

import click
from rich.console import Console
from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

from dedup import __version__
from dedup.check import POLICIES, is_finding
from dedup.config import load_config
from dedup.diff import diff_texts
from dedup.errors import DedupError, InputError
from dedup.ingest import read_jsonl_lines, read_sources
from dedup.models import Article, Skipped
from dedup.pipeline import (
    ProgressCallback,
    check_items,
    compute_features,
    find_duplicates,
    member_diffs,
)
from dedup.render.bidi import check_available as check_bidi_available
from dedup.render.check import check_renderable, render_check_json
from dedup.render.ci import render_github, render_junit, render_markdown, render_sarif
from dedup.render.diff import diff_renderable, render_diff_json
from dedup.render.json import render_json
from dedup.render.safe import printable
from dedup.render.terminal import render_text, report_renderable
from dedup.settings import Settings
from dedup.store import SqliteIndex, index_settings

Command = TypeVar("Command", bound=Callable[..., Any])

_DEFAULTS = Settings()
DEFAULT_INDEX = Path("dedup.db")


def matching_options(command: Command) -> Command:
    """The matching thresholds, shared by every command that groups documents."""
    options = [
        click.option(
            "--shingle-size",
            type=click.IntRange(min=1),
            default=_DEFAULTS.shingle_size,
            show_default=True,
            help="Words per shingle (word n-gram).",
        ),
        click.option(
            "--min-containment",
            type=click.FloatRange(0, 1),
            default=_DEFAULTS.min_containment,
            show_default=True,
            help="Share of the smaller document's shingles found in the larger, for a match.",
        ),
        click.option(
            "--min-jaccard",
            type=click.FloatRange(0, 1),
            default=_DEFAULTS.min_jaccard,
            show_default=True,
            help="Jaccard similarity of the two shingle sets, for a match.",
        ),
        click.option(
            "--min-shared-shingles",
            type=click.IntRange(min=1),
            default=_DEFAULTS.min_shared_shingles,
            show_default=True,
            help="Shingles two documents must share, for a match.",
        ),
        click.option(
            "--min-topic-similarity",
            type=click.FloatRange(0, 1),
            default=_DEFAULTS.min_topic_similarity,
            show_default=True,
            help="Chaining guard: TF-IDF cosine two unmatched members of one cluster need.",
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def _configured(name: str, value: Any, parameter: str | None = None) -> Any:
    """An option's value: as given on the command line, else setting ``name`` of the
    project's configuration file (dedup.toml or [tool.dedup]), else its default."""
    context = click.get_current_context()
    source = context.get_parameter_source(parameter or name)
    if source is None:
        raise ValueError(f"no parameter {parameter or name!r} in this command")
    if source != click.core.ParameterSource.DEFAULT:
        return value
    config, _ = load_config(Path.cwd())
    return config.get(name, value)


def _settings_from(options: dict[str, Any]) -> Settings:
    names = set(Settings.names())
    try:
        return replace(
            _DEFAULTS, **{k: _configured(k, v) for k, v in options.items() if k in names}
        )
    except ValueError as error:
        raise click.UsageError(str(error)) from error


def _workers_option(default: int) -> Callable[[Command], Command]:
    """``--workers N``: processes for the per-document work (0: one per CPU core)."""
    return click.option(
        "--workers",
        type=click.IntRange(min=0),
        default=default,
        show_default=True,
        help="Processes for reading and signing documents (0: one per CPU core).",
    )


def _warn_skipped(item: Skipped) -> None:
    """One warning line on standard error for an input item that was skipped."""
    click.echo(f"warning: {printable(item.source)}: skipped: {printable(item.reason)}", err=True)


def _format_option(help_text: str) -> Callable[[Command], Command]:
    """``--format text|json``, with what each means for the command at hand."""
    return click.option(
        "--format",
        "output_format",
        type=click.Choice(["text", "json"]),
        default="text",
        show_default=True,
        help=help_text,
    )


def _bidi_option(command: Command) -> Command:
    return click.option(
        "--bidi",
        is_flag=True,
        help="Reshape and reorder Arabic for terminals that show it reversed (most but "
        "GNOME Terminal, Konsole and macOS Terminal); needs dedup[bidi]. Text format only; "
        "files and JSON keep logical order.",
    )(command)


def _handle_errors(command: Command) -> Command:
    """Turn expected failures into one ``Error:`` line and the error's exit code."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except DedupError as error:
            click.echo(f"Error: {printable(str(error))}", err=True)
            sys.exit(error.exit_code)

    return wrapper  # type: ignore[return-value]


@contextmanager
def _progress_display(enabled: bool) -> Iterator[ProgressCallback | None]:
    """A progress bar on standard error, only when it is a terminal."""
    console = Console(stderr=True)
    if not enabled or not console.is_terminal:
        yield None
        return
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    ) as progress:
        tasks: dict[str, TaskID] = {}

        def update(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = progress.add_task(stage, total=total)
            progress.update(tasks[stage], completed=done, total=total)

        yield update


def _write_atomically(path: Path, content: str) -> None:
    """Write ``content`` to ``path`` through a temporary file, so a crash leaves no half file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(
        dir=path.parent, prefix=f".{path.name}.", suffix=".tmp"
    )
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(content)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="dedup")
def main() -> None:
    """Find syndicated rewrites of wire copy among news articles.

    dedup reads articles (plain text, JSON Lines), finds the ones that rewrite the
    same copy (MinHash/LSH candidates, confirmed by an exact shingle check) and
    groups them into syndication clusters. Arabic is handled as well as Latin script.
    """


@main.command()
@click.argument("sources", nargs=-1, required=True, metavar="PATH...")
@_format_option("text: a Rich report for people; json: one dedup.report/1 object for tools.")
@click.option(
    "--out",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    multiple=True,
    help="Also write the report to this file: .json for JSON, .txt for plain text "
    "(100 columns, no colour). Repeat to write several.",
)
@_workers_option(default=0)
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
@_bidi_option
@matching_options
@_handle_errors
def report(
    sources: tuple[str, ...],
    output_format: str,
    out: tuple[Path, ...],
    workers: int,
    progress: bool,
    lineage: bool,
    wire_ids: tuple[str, ...],
    detail: bool,
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
    readable was given, ids collide, or an option is wrong.
    """
    for path in out:
        if path.suffix.lower() not in (".json", ".txt"):
            raise click.BadParameter(f"{path} must end in .json or .txt", param_hint="--out")
    settings = _settings_from(matching)
    if bidi:
        check_bidi_available()
    read = read_sources(sources, stdin=sys.stdin.buffer if "-" in sources else None)
    for item in read.skipped:
        _warn_skipped(item)
    with _progress_display(progress) as progress_callback:
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

    if output_format == "json":
        click.echo(render_json(result), nl=False)
    else:
        console = Console()
        console.print(report_renderable(result, bidi=bidi))
        if detail:
            for diff_of_member in member_diffs(result):
                console.print()
                console.print(diff_renderable(diff_of_member, _bidi_width(console, bidi)))
    for path in out:
        content = render_json(result) if path.suffix.lower() == ".json" else render_text(result)
        try:
            _write_atomically(path, content)
        except OSError as error:
            raise DedupError(f"cannot write {path}: {error.strerror or error}") from error


def _bidi_width(console: Console, bidi: bool) -> int | None:
    """The width diff text is wrapped to before reordering, or None without --bidi."""
    return max(20, console.width - 20) if bidi else None


def _read_one(path: str) -> Article:
    """The single article of a .txt file, or of a .jsonl file holding just one."""
    read = read_sources([path])
    for item in read.skipped:
        _warn_skipped(item)
    if len(read.articles) != 1:
        raise InputError(
            f"{path} holds {len(read.articles)} documents; give two files, "
            "or ids with --corpus FILE.jsonl"
        )
    return read.articles[0]


def _pairs_from(path: Path) -> Iterator[tuple[str, str]]:
    """(source id, derived id) from a JSON Lines file; bad lines are warned about."""
    with path.open("rb") as stream:
        for number, raw in enumerate(stream, start=1):
            if not raw.strip():
                continue
            where = f"{path}:{number}"
            try:
                record = json.loads(raw)
            except (json.JSONDecodeError, UnicodeDecodeError) as error:
                _warn_skipped(Skipped(where, f"malformed JSON ({error})"))
                continue
            if (
                not isinstance(record, dict)
                or not isinstance(record.get("source"), str)
                or not isinstance(record.get("derived"), str)
            ):
                _warn_skipped(Skipped(where, 'expected {"source": ID, "derived": ID}'))
                continue
            yield record["source"], record["derived"]


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
@_format_option(
    "text: aligned sentences with changed words highlighted; json: dedup.diff/1 "
    "(one object per line with --pairs)."
)
@_bidi_option
@_handle_errors
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
                if isinstance(item, Article):
                    articles.setdefault(item.id, item)
                else:
                    _warn_skipped(item)
    todo: Iterable[tuple[str, str]]
    if pairs is not None:
        todo = _pairs_from(pairs)
    elif corpus is not None:
        todo = [(documents[0], documents[1])]
    else:
        source, derived = _read_one(documents[0]), _read_one(documents[1])
        articles = {"source": source, "derived": derived}
        todo = [("source", "derived")]
    shown = 0
    console = Console()
    for source_id, derived_id in todo:
        missing = [i for i in (source_id, derived_id) if i not in articles]
        if missing:
            message = f"no document {missing[0]!r} in {corpus}"
            if pairs is None:
                raise InputError(message)
            click.echo(f"warning: {printable(message)}; pair skipped", err=True)
            continue
        source, derived = articles[source_id], articles[derived_id]
        result = diff_texts(source.id, source.text, derived.id, derived.text)
        if output_format == "json":
            click.echo(render_diff_json(result, indent=None if pairs else 2), nl=False)
        else:
            console.print(diff_renderable(result, _bidi_width(console, bidi)))
        shown += 1
    if pairs is not None and shown == 0:
        raise InputError(f"no pair in {pairs} could be compared")


def _index_option(command: Command) -> Command:
    return click.option(
        "--index",
        "index_path",
        type=click.Path(dir_okay=False, path_type=Path),
        default=DEFAULT_INDEX,
        show_default=True,
        help="The index file (SQLite).",
    )(command)


def _read_articles(sources: tuple[str, ...]) -> list[Article]:
    read = read_sources(sources, stdin=sys.stdin.buffer if "-" in sources else None)
    for item in read.skipped:
        _warn_skipped(item)
    return read.articles


@main.group()
def index() -> None:
    """Keep an index of documents seen before, for dedup check.

    The index is one SQLite file. It records every setting that shapes it (shingle
    size, MinHash permutations and seed, LSH bands, normalization and datasketch
    versions) and refuses, with exit status 3, to be used with other ones.
    """


@index.command("add")
@click.argument("sources", nargs=-1, required=True, metavar="PATH...")
@_index_option
@_workers_option(default=0)
@_handle_errors
def index_add(sources: tuple[str, ...], index_path: Path, workers: int) -> None:
    """Add the documents in PATH... to the index (a document with the same id is replaced).

    PATH is read as by dedup report. All documents are added in one transaction: a run
    that is interrupted adds nothing, and what was there stays.
    """
    settings = _DEFAULTS
    articles = _read_articles(sources)
    store = SqliteIndex.open(index_path, index_settings(settings), create=True)
    try:
        with _progress_display(True) as progress:
            features, signature_rows = compute_features(
                articles, settings, workers or (os.cpu_count() or 1), progress
            )
        added, replaced = store.add(
            [
                (
                    article,
                    feature.word_count,
                    feature.credits,
                    signature_rows[number],
                    feature.shingles,
                )
                for number, (article, feature) in enumerate(zip(articles, features, strict=True))
            ],
            settings.lsh_bands,
            settings.lsh_rows,
        )
        total = store.stats()["documents"]
    finally:
        store.close()
    click.echo(f"{added} added, {replaced} replaced; {total} documents in {index_path}")


@index.command("stats")
@_index_option
@_handle_errors
def index_stats(index_path: Path) -> None:
    """Print the number of documents, the file size and the settings, as JSON."""
    store = SqliteIndex.open(index_path, index_settings(_DEFAULTS), create=False)
    try:
        click.echo(json.dumps(store.stats(), indent=2))
    finally:
        store.close()


@index.command("remove")
@click.argument("ids", nargs=-1, required=True, metavar="ID...")
@_index_option
@_handle_errors
def index_remove(ids: tuple[str, ...], index_path: Path) -> None:
    """Remove documents from the index by id (in one transaction)."""
    store = SqliteIndex.open(index_path, index_settings(_DEFAULTS), create=False)
    try:
        removed = store.remove(ids)
    finally:
        store.close()
    for missing in sorted(set(ids) - set(removed)):
        click.echo(f"warning: {printable(missing)}: not in the index", err=True)
    click.echo(f"{len(removed)} removed from {index_path}")


@main.command()
@click.argument("sources", nargs=-1, required=True, metavar="PATH...")
@_index_option
@click.option(
    "--add",
    "add_items",
    is_flag=True,
    help="Also add the incoming items to the index after checking (one transaction).",
)
@click.option(
    "--fail-on",
    type=click.Choice(POLICIES),
    default="duplicate",
    show_default=True,
    help="What makes the exit status 1: duplicate (an exact duplicate), uncredited (a "
    "syndicated copy or duplicate that credits no agency), any (any match), none.",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json", "junit", "sarif", "github", "markdown"]),
    default="text",
    show_default=True,
    help="text: a Rich table; json: one dedup.check/1 object; junit: JUnit XML (a test "
    "case per item, findings fail); sarif: SARIF 2.1.0; github: workflow annotations; "
    "markdown: a job summary.",
)
@_workers_option(default=1)
@matching_options
def check(
    sources: tuple[str, ...],
    index_path: Path,
    add_items: bool,
    fail_on: str,
    output_format: str,
    workers: int,
    **matching: Any,
) -> None:
    """Check incoming items in PATH... against the index and against each other.

    Each item gets its verified matches (containment, Jaccard, the matched document's
    id, outlet and time), whether it credits an agency, and a verdict: new, syndicated
    copy, or exact duplicate.

    Exit status: 0 no findings; 1 findings that --fail-on counts; 2 a usage error, no
    readable input, or any unexpected failure (a crash never reads as findings); 3 the
    index is missing, corrupt, or built with other settings.

    Settings: the thresholds (min_containment, min_jaccard, min_shared_shingles,
    min_topic_similarity), fail_on and index can be set in a dedup.toml in the current
    folder (top-level keys) or in the [tool.dedup] table of its pyproject.toml; the
    options here win over them.
    """
    try:
        fail_on = _configured("fail_on", fail_on)
        if fail_on not in POLICIES:
            raise InputError(f"fail_on must be one of {', '.join(POLICIES)}, got {fail_on!r}")
        index_path = Path(_configured("index", index_path, parameter="index_path"))
        settings = _settings_from(matching)
        exit_code = _run_check(
            sources, index_path, add_items, fail_on, output_format, workers, settings
        )
    except click.ClickException:
        raise
    except DedupError as error:
        click.echo(f"Error: {printable(str(error))}", err=True)
        sys.exit(error.exit_code)
    except Exception as error:
        click.echo(f"Error: unexpected failure: {printable(repr(error))}", err=True)
        sys.exit(2)
    sys.exit(exit_code)


def _run_check(
    sources: tuple[str, ...],
    index_path: Path,
    add_items: bool,
    fail_on: str,
    output_format: str,
    workers: int,
    settings: Settings,
) -> int:
    store = SqliteIndex.open(index_path, index_settings(settings), create=False)
    try:
        articles = _read_articles(sources)
        with _progress_display(True) as progress:
            results, features, signature_rows = check_items(
                articles, store, settings, workers, progress
            )
        if add_items:
            store.add(
                [
                    (a, f.word_count, f.credits, signature_rows[n], f.shingles)
                    for n, (a, f) in enumerate(zip(articles, features, strict=True))
                ],
                settings.lsh_bands,
                settings.lsh_rows,
            )
    finally:
        store.close()
    findings = [result for result in results if is_finding(result, fail_on)]
    writers = {
        "junit": render_junit,
        "sarif": render_sarif,
        "github": render_github,
        "markdown": render_markdown,
    }
    if output_format == "json":
        click.echo(render_check_json(results, fail_on, len(findings)), nl=False)
    elif output_format in writers:
        click.echo(writers[output_format](results, fail_on), nl=False)
    else:
        Console().print(check_renderable(results, fail_on, len(findings)))
    return 1 if findings else 0
