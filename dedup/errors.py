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


class Stopped(BaseException):
    """The run was asked to stop (SIGTERM, or Ctrl-C's SIGINT). A BaseException, like
    KeyboardInterrupt, so that no handler of errors takes it for one; the CLI exits
    with 128 + the signal's number, never 0 or 1, which a CI step would read as "no
    findings" or "findings"."""

    def __init__(self, signal_number: int, kept: str = "") -> None:
        super().__init__(signal_number, kept)
        self.signal_number = signal_number
        #: What the run kept, for the one line the CLI prints.
        self.kept = kept

    @property
    def exit_code(self) -> int:
        return 128 + self.signal_number
