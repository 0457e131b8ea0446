"""Arabic for terminals that do no bidi of their own (``--bidi``).

Rich prints text in logical order, which is right for files, CI logs and terminals
that reorder by themselves (GNOME Terminal, Konsole, macOS Terminal). Elsewhere Arabic
shows reversed and unjoined. For those, text is wrapped in logical order first, then
each line is reshaped (arabic-reshaper: joined letter forms) and reordered (python-bidi;
its ``bidi.algorithm.get_display`` mirrors brackets and «» correctly): reordering a
whole paragraph before wrapping would put its end on the first line. Files and JSON
never go through this.
"""

from __future__ import annotations

import textwrap
import unicodedata
from collections.abc import Callable

from dedup.errors import DedupError


class MissingExtraError(DedupError):
    """An optional dependency is not installed."""

    exit_code = 2


def _first_strong_is_rtl(text: str) -> bool:
    for character in text:
        direction = unicodedata.bidirectional(character)
        if direction in ("R", "AL"):
            return True
        if direction == "L":
            return False
    return False


def _display_function() -> Callable[[str], str]:
    try:
        import arabic_reshaper
        from bidi.algorithm import get_display
    except ImportError as error:
        raise MissingExtraError(
            "--bidi needs arabic-reshaper and python-bidi: pip install 'dedup-news[bidi]'"
        ) from error

    def display(line: str) -> str:
        base = "R" if _first_strong_is_rtl(line) else "L"
        return str(get_display(arabic_reshaper.reshape(line), base_dir=base))

    return display


def check_available() -> None:
    """Raise :class:`MissingExtraError` now, rather than halfway through a report."""
    _display_function()


def is_right_to_left(text: str) -> bool:
    """Whether a line of ``text`` starts with right-to-left script (to right-align it)."""
    return _first_strong_is_rtl(text)


def visual_lines(text: str, width: int) -> list[str]:
    """``text`` wrapped to ``width`` in logical order, each line then put in visual order."""
    display = _display_function()
    lines = textwrap.wrap(text, width=max(8, width), break_long_words=True) or [""]
    return [display(line) for line in lines]
