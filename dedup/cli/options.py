"""Options, settings resolution and helpers shared by the commands."""

from __future__ import annotations

import functools
import os
import shutil
import signal
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any, BinaryIO, TypeVar

import click
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)

from dedup.config import load_config
from dedup.errors import DedupError, Stopped
from dedup.ingest import IngestResult, NothingReadableError, read_sources
from dedup.models import Article, Notice, Skipped
from dedup.pipeline import (
    ProgressCallback,
)
from dedup.render.safe import printable
from dedup.settings import Settings

Command = TypeVar("Command", bound=Callable[..., Any])

DEFAULT_SETTINGS = Settings()
DEFAULT_INDEX = "dedup.db"


def matching_options(command: Command) -> Command:
    """The matching thresholds, shared by every command that groups documents."""
    options = [
        click.option(
            "--shingle-size",
            type=click.IntRange(min=1),
            default=DEFAULT_SETTINGS.shingle_size,
            show_default=True,
            help="Words per shingle (word n-gram).",
        ),
        click.option(
            "--min-containment",
            type=click.FloatRange(0, 1),
            default=DEFAULT_SETTINGS.min_containment,
            show_default=True,
            help="Share of the smaller document's shingles found in the larger, for a match.",
        ),
        click.option(
            "--min-jaccard",
            type=click.FloatRange(0, 1),
            default=DEFAULT_SETTINGS.min_jaccard,
            show_default=True,
            help="Jaccard similarity of the two shingle sets, for a match.",
        ),
        click.option(
            "--min-shared-shingles",
            type=click.IntRange(min=1),
            default=DEFAULT_SETTINGS.min_shared_shingles,
            show_default=True,
            help="Shingles two documents must share, for a match.",
        ),
        click.option(
            "--many-shared-shingles",
            type=click.IntRange(min=0),
            default=DEFAULT_SETTINGS.many_shared_shingles,
            show_default=True,
            help="Shared shingles from which half --min-containment is enough (0: never): "
            "a long report that took 20 3-grams from a wire file took more than chance "
            "gives, even when that is under 10 %% of it.",
        ),
        click.option(
            "--min-topic-similarity",
            type=click.FloatRange(0, 1),
            default=DEFAULT_SETTINGS.min_topic_similarity,
            show_default=True,
            help="Chaining guard, when dedup report builds clusters: TF-IDF cosine two "
            "members with no verified match between them need.",
        ),
        click.option(
            "--topic-window-days",
            type=click.IntRange(min=0),
            default=DEFAULT_SETTINGS.topic_window_days,
            show_default=True,
            help="Chaining guard, when dedup report builds clusters: two members with no "
            "verified match between them must also be published at most this many calendar "
            "days apart (0: any; undated: any).",
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def configured(name: str, value: Any, parameter: str | None = None) -> Any:
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


def settings_from(options: dict[str, Any]) -> Settings:
    names = set(Settings.names())
    try:
        return replace(
            DEFAULT_SETTINGS, **{k: configured(k, v) for k, v in options.items() if k in names}
        )
    except ValueError as error:
        raise click.UsageError(str(error)) from error


def workers_option(default: int) -> Callable[[Command], Command]:
    """``--workers N``: processes for the per-document work (0: one per CPU core)."""
    return click.option(
        "--workers",
        type=click.IntRange(min=0),
        default=default,
        show_default=True,
        help="Processes for reading and signing documents (0: one per CPU core).",
    )


def warn_about(item: Skipped | Notice) -> None:
    """One warning line on standard error for an input item that was skipped, or read
    without a part it could not use."""
    if isinstance(item, Notice):
        click.echo(f"warning: {printable(item.source)}: {printable(item.message)}", err=True)
        return
    click.echo(f"warning: {printable(item.source)}: skipped: {printable(item.reason)}", err=True)


def format_option(
    help_text: str, choices: Sequence[str] = ("text", "json")
) -> Callable[[Command], Command]:
    """``--format text|json`` (or ``choices``), with what each means for the command."""
    return click.option(
        "--format",
        "output_format",
        type=click.Choice(list(choices)),
        default="text",
        show_default=True,
        help=help_text,
    )


def bidi_option(command: Command) -> Command:
    return click.option(
        "--bidi",
        is_flag=True,
        help="Reshape and reorder Arabic for terminals that show it reversed (most but "
        "GNOME Terminal, Konsole and macOS Terminal); needs dedup[bidi]. Text format only; "
        "files and JSON keep logical order.",
    )(command)


def handle_errors(command: Command) -> Command:
    """Turn expected failures into one ``Error:`` line and the error's exit code; a
    stop (SIGTERM, Ctrl-C) into one ``stopped`` line and 130 or 143; a closed pipe
    (``dedup report ... | head``) into a quiet exit."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        previous = _stop_on_sigterm()
        try:
            return command(*args, **kwargs)
        except DedupError as error:
            click.echo(f"Error: {printable(str(error))}", err=True)
            sys.exit(error.exit_code)
        except KeyboardInterrupt:
            _report_stop(Stopped(signal.SIGINT))
        except Stopped as stop:
            _report_stop(stop)
        except BrokenPipeError:
            # Nothing more can be written; stop Python's own flush at exit complaining.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(128 + signal.SIGPIPE)
        finally:
            if previous is not None:
                signal.signal(signal.SIGTERM, previous)

    return wrapper  # type: ignore[return-value]


def _stop_on_sigterm() -> Any:
    """Make SIGTERM raise :class:`Stopped` (as SIGINT raises KeyboardInterrupt), so that
    every ``finally`` and ``with`` runs: transactions roll back, temporary files go.
    Returns the handler it replaced (None off the main thread, where none can be set)."""

    def stop(signal_number: int, _frame: object) -> None:
        raise Stopped(signal_number)

    if threading.current_thread() is not threading.main_thread():
        return None
    return signal.signal(signal.SIGTERM, stop)


def _report_stop(stop: Stopped) -> None:
    """The one line, then an exit that runs no more cleanup: every ``finally`` and
    ``with`` on the way here has run, and the interpreter's own exit hooks would wait
    for (or trip over) a worker pool that was stopped mid-start."""
    name = signal.Signals(stop.signal_number).name
    kept = stop.kept or "nothing half-written was kept"
    click.echo(f"stopped by {name}: {printable(kept)}", err=True)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(stop.exit_code)


@contextmanager
def progress_display(enabled: bool) -> Iterator[ProgressCallback | None]:
    """A progress bar on standard error, only when it is a terminal."""
    console = Console(stderr=True)
    if not enabled or not console.is_terminal:
        yield None
        return
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    ) as progress:
        tasks: dict[str, TaskID] = {}

        def update(stage: str, done: int, total: int) -> None:
            # A total of 0: not known yet (a first pass over the input).
            if stage not in tasks:
                tasks[stage] = progress.add_task(stage, total=total or None)
            progress.update(tasks[stage], completed=done, total=total or None)

        yield update


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def write_atomically(path: Path, content: str) -> None:
    """Write ``content`` to ``path`` through a temporary file, so a crash leaves no half file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(
        dir=path.parent, prefix=f".{path.name}.", suffix=".tmp"
    )
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(content)
        # mkstemp makes the file private (0600); a report gets a new file's usual mode.
        os.chmod(temporary, 0o666 & ~_umask())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def bidi_width(console: Console, bidi: bool) -> int | None:
    """The width diff text is wrapped to before reordering, or None without --bidi."""
    return max(20, console.width - 20) if bidi else None


def index_option(command: Command) -> Command:
    return click.option(
        "--index",
        "index_path",
        default=DEFAULT_INDEX,
        show_default=True,
        help="The index: a SQLite file, or redis://HOST:PORT/DB for one shared by several "
        "runners (needs dedup[redis]).",
    )(command)


def read_input(sources: Sequence[str]) -> IngestResult:
    """What ``sources`` hold, each skipped item warned about on stderr (also when none
    is left, so that the error is not the only thing said)."""
    try:
        read = read_sources(sources, stdin=sys.stdin.buffer if "-" in sources else None)
    except NothingReadableError as error:
        for item in error.skipped:
            warn_about(item)
        raise
    for skipped in read.skipped:
        warn_about(skipped)
    for notice in read.notices:
        warn_about(notice)
    return read


@contextmanager
def rereadable_stdin(sources: Sequence[str]) -> Iterator[BinaryIO | None]:
    """Standard input copied to a temporary file when ``-`` is among ``sources`` (for a
    command that reads its input twice), else None."""
    if "-" not in sources:
        yield None
        return
    with tempfile.TemporaryFile() as copy:
        shutil.copyfileobj(sys.stdin.buffer, copy)
        copy.seek(0)
        yield copy


def read_articles(sources: Sequence[str]) -> list[Article]:
    """The articles of ``sources`` (see :func:`read_input`)."""
    return read_input(sources).articles
