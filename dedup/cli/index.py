"""``dedup index`` and ``dedup check``: the persistent index and checks against it."""

from __future__ import annotations

import io
import json
import os
import signal
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click
from rich.console import Console

from dedup.check import POLICIES, is_finding
from dedup.cli.app import main
from dedup.cli.options import (
    DEFAULT_SETTINGS,
    configured,
    handle_errors,
    index_option,
    matching_options,
    progress_display,
    read_input,
    rereadable_stdin,
    settings_from,
    warn_about,
    workers_option,
    write_atomically,
)
from dedup.errors import DedupError, InputError, Stopped
from dedup.ingest import iter_articles, source_state
from dedup.models import Article, Skipped
from dedup.pipeline import check_items, outlet_lines, stream_index_entries
from dedup.render.check import check_renderable, render_check_json
from dedup.render.ci import (
    render_github,
    render_junit,
    render_junit_failure,
    render_markdown,
    render_sarif,
)
from dedup.render.safe import printable
from dedup.settings import Settings
from dedup.store import index_settings, open_index

#: Articles between two updates of the first pass's progress line.
_READ_PROGRESS_EVERY = 1_000


@main.group()
def index() -> None:
    """Keep an index of documents seen before, for dedup check.

    The index is one SQLite file. It records every setting that shapes it (shingle
    size, MinHash permutations and seed, LSH bands, normalization and datasketch
    versions) and refuses, with exit status 3, to be used with other ones.
    """


@index.command("add")
@click.argument("sources", nargs=-1, required=True, metavar="PATH...")
@index_option
@workers_option(default=0)
@handle_errors
def index_add(sources: tuple[str, ...], index_path: str, workers: int) -> None:
    """Add the documents in PATH... to the index (a document with the same id is replaced).

    PATH is read as by dedup report, twice: a first pass checks the ids and finds the
    lines each outlet repeats (its page template), the second signs the documents a
    batch at a time, so memory holds a batch or two, not the whole input (standard
    input is kept in a temporary file meanwhile; input that changes between the passes
    is refused). Documents are committed in batches of 10,000, or a twentieth of the
    index when that is more: a run that is interrupted keeps the batches that committed
    and nothing of the one in progress, and running it again is safe (ids already there
    are replaced).
    """
    settings = DEFAULT_SETTINGS
    workers = workers or (os.cpu_count() or 1)
    with rereadable_stdin(sources) as stdin, progress_display(True) as progress:
        before = source_state(sources)
        ids: list[str] = []

        def first_pass() -> Iterator[Article]:
            for article in iter_articles(sources, stdin, warn_about, warn_about):
                ids.append(article.id)
                if progress is not None and len(ids) % _READ_PROGRESS_EVERY == 0:
                    progress("reading", len(ids), 0)
                yield article
            if progress is not None:
                progress("reading", len(ids), len(ids))

        recurring = outlet_lines(first_pass())
        if source_state(sources) != before:
            raise InputError(
                f"{', '.join(sources)} changed while index add read it; nothing was written, "
                "run it again"
            )
        if stdin is not None:
            stdin.seek(0)
        store = open_index(index_path, index_settings(settings), create=True)
        before = store.stats()["documents"]
        try:
            entries = stream_index_entries(
                _as_in_first_pass(iter_articles(sources, stdin), ids),
                len(ids),
                recurring,
                settings,
                workers,
                progress,
                store.batch_size(),
            )
            added, replaced = store.add(entries, settings.lsh_bands, settings.lsh_rows)
            total = store.stats()["documents"]
        except (KeyboardInterrupt, Stopped) as stop:
            number = stop.signal_number if isinstance(stop, Stopped) else signal.SIGINT
            raise Stopped(number, _what_was_kept(store, before, len(ids), index_path)) from None
        finally:
            store.close()
    click.echo(f"{added} added, {replaced} replaced; {total} documents in {index_path}")


def _what_was_kept(store: Any, before: int, read: int, index_path: str) -> str:
    """The line a stopped ``index add`` prints: the batches that committed stay."""
    now = store.stats()["documents"]
    return (
        f"{now - before:,} new documents of the {read:,} read were committed, in whole "
        f"batches ({now:,} in {index_path}); run again to add the rest"
    )


def _as_in_first_pass(articles: Iterator[Article], ids: list[str]) -> Iterator[Article]:
    """``articles``, refused from the first that the first pass did not see there (the
    input changed while it was signed: the batches committed by then are kept)."""
    count = 0
    for article in articles:
        if count >= len(ids) or article.id != ids[count]:
            raise InputError(
                f"{article.source}: the input changed while index add read it; the batches "
                "committed before are kept, run it again"
            )
        count += 1
        yield article
    if count != len(ids):
        raise InputError(
            f"the input lost {len(ids) - count} document(s) while index add read it; the "
            "batches committed before are kept, run it again"
        )


@index.command("stats")
@index_option
@handle_errors
def index_stats(index_path: str) -> None:
    """Print the number of documents, the file size and the settings, as JSON."""
    store = open_index(index_path, index_settings(DEFAULT_SETTINGS), create=False)
    try:
        click.echo(json.dumps(store.stats(), indent=2))
    finally:
        store.close()


@index.command("verify")
@index_option
@handle_errors
def index_verify(index_path: str) -> None:
    """Check that the index is consistent, after an incident (a killed run, a full disk).

    Every band key must point at a document that is there, and every document must have
    all its band keys (recomputed from its stored shingles; this reads the whole index).
    Exit status 0 when it is sound, 3 with one line per kind of damage when it is not.
    """
    store = open_index(index_path, index_settings(DEFAULT_SETTINGS), create=False)
    try:
        documents = store.stats()["documents"]
        problems = store.verify()
    finally:
        store.close()
    if problems:
        for problem in problems:
            click.echo(f"damaged: {printable(problem)}", err=True)
        sys.exit(3)
    click.echo(
        f"{index_path}: sound, {documents:,} documents; every band key points at a document "
        "and every document has its band keys"
    )


@index.command("remove")
@click.argument("ids", nargs=-1, required=True, metavar="ID...")
@index_option
@handle_errors
def index_remove(ids: tuple[str, ...], index_path: str) -> None:
    """Remove documents from the index by id (in one transaction)."""
    store = open_index(index_path, index_settings(DEFAULT_SETTINGS), create=False)
    try:
        removed = store.remove(ids)
    finally:
        store.close()
    for missing in sorted(set(ids) - set(removed)):
        click.echo(f"warning: {printable(missing)}: not in the index", err=True)
    click.echo(f"{len(removed)} removed from {index_path}")


@main.command()
@click.argument("sources", nargs=-1, required=True, metavar="PATH...")
@index_option
@click.option(
    "--add",
    "add_items",
    is_flag=True,
    help="Also add the incoming items to the index after checking (one transaction); "
    "a missing index is created (a first run, an evicted CI cache).",
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
@click.option(
    "--fail-on-skipped",
    is_flag=True,
    help="Exit 1 also when an input item could not be read (a malformed feed line, an "
    "empty file), so that bad input cannot pass a CI step unseen.",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    multiple=True,
    help="Also write the results of this run to a file, in the format its name gives: "
    ".json, .xml (JUnit), .sarif, .md (Markdown summary), .txt (the table). Repeat to "
    "write several, e.g. a job summary beside the annotations, from the run that decided.",
)
@workers_option(default=1)
@matching_options
@handle_errors
def check(
    sources: tuple[str, ...],
    index_path: str,
    add_items: bool,
    fail_on: str,
    output_format: str,
    fail_on_skipped: bool,
    out: tuple[Path, ...],
    workers: int,
    **matching: Any,
) -> None:
    """Check incoming items in PATH... against the index and against each other.

    Each item gets its verified matches (containment, Jaccard, the matched document's
    id, outlet and time), whether it credits an agency, and a verdict: new, syndicated
    copy, or exact duplicate.

    Input items that cannot be read are listed in every format (and, with
    --fail-on-skipped, make the exit status 1).

    Exit status: 0 no findings; 1 findings that --fail-on counts; 2 a usage error, no
    readable input, or any unexpected failure (a crash never reads as findings); 3 the
    index is missing, corrupt, or built with other settings.

    Settings: the thresholds (min_containment, min_jaccard, min_shared_shingles,
    min_topic_similarity), fail_on and index can be set in a dedup.toml in the current
    folder (top-level keys) or in the [tool.dedup] table of its pyproject.toml; the
    options here win over them.
    """
    try:
        fail_on = configured("fail_on", fail_on)
        if fail_on not in POLICIES:
            raise InputError(f"fail_on must be one of {', '.join(POLICIES)}, got {fail_on!r}")
        index_path = str(configured("index", index_path, parameter="index_path"))
        settings = settings_from(matching)
        for path in out:
            if path.suffix.lower() not in _OUT_FORMATS:
                raise click.BadParameter(
                    f"{path} must end in {', '.join(_OUT_FORMATS)}", param_hint="--out"
                )
        exit_code = _run_check(
            sources,
            index_path,
            add_items,
            (fail_on, fail_on_skipped),
            output_format,
            out,
            workers,
            settings,
        )
    except click.ClickException:
        raise
    except DedupError as error:
        _report_failure(output_format, str(error))
        sys.exit(error.exit_code)
    except Exception as error:
        _report_failure(output_format, f"unexpected failure: {error!r}")
        sys.exit(2)
    sys.exit(exit_code)


def _report_failure(output_format: str, message: str) -> None:
    """The one error line, and for --format junit a report that says the check did not
    run (a CI system reading an empty file would show nothing, or fail to parse it)."""
    click.echo(f"Error: {printable(message)}", err=True)
    if output_format == "junit":
        click.echo(render_junit_failure(message), nl=False)


def _run_check(
    sources: tuple[str, ...],
    index_path: str,
    add_items: bool,
    policy: tuple[str, bool],
    output_format: str,
    out: tuple[Path, ...],
    workers: int,
    settings: Settings,
) -> int:
    """Check, add with --add, write every output; the exit status (1: findings under
    ``policy``, the --fail-on policy and whether a skipped item counts)."""
    fail_on, fail_on_skipped = policy
    # With --add a missing index is created: a first run, or a CI cache evicted.
    store = open_index(index_path, index_settings(settings), create=add_items)
    try:
        read = read_input(sources)
        articles = read.articles
        with progress_display(True) as progress:
            results, entries = check_items(articles, store, settings, workers, progress)
        if add_items:
            store.add(entries, settings.lsh_bands, settings.lsh_rows)
    finally:
        store.close()
    findings = [result for result in results if is_finding(result, fail_on)]
    outcome = _Outcome(results, fail_on, len(findings), read.skipped, fail_on_skipped)
    if output_format == "text":
        Console().print(check_renderable(results, fail_on, len(findings), read.skipped))
    else:
        click.echo(_rendered(output_format, outcome), nl=False)
    for path in out:
        write_atomically(path, _rendered(_OUT_FORMATS[path.suffix.lower()], outcome))
    return 1 if findings or (fail_on_skipped and read.skipped) else 0


@dataclass(frozen=True)
class _Outcome:
    """What a check run found, for every format it is written in."""

    results: list[Any]
    fail_on: str
    findings: int
    skipped: list[Skipped]
    fail_on_skipped: bool


#: What ``check --out FILE`` writes, by the file's suffix.
_OUT_FORMATS = {
    ".json": "json",
    ".xml": "junit",
    ".sarif": "sarif",
    ".md": "markdown",
    ".txt": "text",
}


def _rendered(output_format: str, outcome: _Outcome) -> str:
    """The check's results in one of its formats, as text ("text": the table, plain)."""
    results, fail_on, skipped = outcome.results, outcome.fail_on, outcome.skipped
    if output_format == "json":
        return render_check_json(results, fail_on, outcome.findings, skipped)
    if output_format == "text":
        buffer = io.StringIO()
        console = Console(file=buffer, width=100, color_system=None, force_terminal=False)
        console.print(check_renderable(results, fail_on, outcome.findings, skipped))
        return buffer.getvalue()
    if output_format == "github":
        return render_github(results, fail_on, skipped, outcome.fail_on_skipped)
    writers = {"junit": render_junit, "sarif": render_sarif, "markdown": render_markdown}
    return writers[output_format](results, fail_on, skipped)
