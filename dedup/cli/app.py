"""The ``dedup`` command group; the commands register on it in their modules."""

from __future__ import annotations

import click

from dedup import __version__


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="dedup")
def main() -> None:
    """Find syndicated rewrites of wire copy among news articles.

    dedup reads articles (plain text, JSON Lines, RSS and Atom feeds, saved web
    pages), finds the ones that rewrite the same copy (MinHash/LSH candidates,
    confirmed by an exact shingle check), groups them into syndication clusters and
    traces where each came from; "dedup check" does the same for incoming items
    against an index of what was seen before. Arabic is handled as well as Latin
    script.
    """
