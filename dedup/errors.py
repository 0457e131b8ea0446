"""The errors dedup raises for failures a user can act on."""

from __future__ import annotations


class DedupError(Exception):
    """A failure the user can act on; the CLI prints it as one line, without a traceback."""

    exit_code = 1


class InputError(DedupError):
    """The input as a whole cannot be used: nothing readable, or ids that collide."""

    exit_code = 2
