"""``dedup calibrate``: sweep the exact check's thresholds over a labelled set."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click
from rich.console import Console

from dedup.calibrate import truth_from_json
from dedup.cli.app import main
from dedup.cli.options import (
    format_option,
    handle_errors,
    matching_options,
    progress_display,
    read_articles,
    settings_from,
    workers_option,
)
from dedup.errors import InputError
from dedup.pipeline import calibrate
from dedup.render.calibrate import calibration_json, calibration_renderable


@main.command("calibrate")
@click.argument("sources", nargs=-1, required=True, metavar="PATH...")
@click.option(
    "--truth",
    "truth_path",
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help='JSON labels: {"story": {"ID": "STORY", ...}} (documents of one story belong '
    'together) or {"pairs": [{"a": "ID", "b": "ID", "label": 1 or 0}, ...]}.',
)
@click.option(
    "--min-precision",
    type=click.FloatRange(0, 1),
    default=0.99,
    show_default=True,
    help="Recommend the best F1 among settings at least this precise.",
)
@click.option("--all", "show_all", is_flag=True, help="List every combination (text format).")
@format_option("text: tables for people; json: every combination, for tools.")
@workers_option(default=0)
@matching_options
@handle_errors
def calibrate_command(
    sources: tuple[str, ...],
    truth_path: Path,
    min_precision: float,
    show_all: bool,
    output_format: str,
    workers: int,
    **matching: Any,
) -> None:
    """Measure precision and recall of the match thresholds on a labelled set in
    PATH..., and recommend settings.

    Run it when your documents differ from news in the languages dedup was tuned on
    (Arabic and English wire copy): a new language, a new kind of source (press
    releases, transcripts), or text of other lengths. PATH is read as by dedup report.

    Every candidate pair the LSH stage proposes is measured once; each combination of
    --min-containment, --min-jaccard, --min-shared-shingles and --many-shared-shingles
    is then scored pairwise, before clustering: a pair is right when the truth file puts
    its two documents in one story (or labels it 1). Pairs the truth file says nothing
    of are not counted. The current settings (options, then dedup.toml or [tool.dedup],
    then defaults) are scored too. Put the recommended values in dedup.toml to use them.

    Exit status: 0 when the sweep ran; 2 for unreadable input or truth.
    """
    settings = settings_from(matching)
    try:
        truth = truth_from_json(json.loads(truth_path.read_text(encoding="utf-8")))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise InputError(f"{truth_path} is not a JSON file: {error}") from error
    articles = read_articles(sources)
    with progress_display(True) as progress:
        result = calibrate(articles, truth, settings, min_precision, workers, progress)
    if output_format == "json":
        click.echo(calibration_json(result, min_precision), nl=False)
    else:
        Console().print(calibration_renderable(result, min_precision, show_all))
