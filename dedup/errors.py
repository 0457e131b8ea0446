"""The errors dedup raises for failures a user can act on."""

from __future__ import annotations


class DedupError(Exception):
    """A failure the user can act on; the CLI prints it as one line, without a traceback."""

    exit_code = 1


class TooLongToAlignError(DedupError):
    """A document has more sentences than sentence alignment takes (time and memory
    grow with the product of the two documents' sentence counts)."""

    exit_code = 2


class InputError(DedupError):
    """The input as a whole cannot be used: nothing readable, or ids that collide."""

    exit_code = 2
