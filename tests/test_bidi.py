from __future__ import annotations

import builtins
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from dedup.cli import main
from dedup.render.bidi import visual_lines


def _presentation_forms(text: str) -> int:
    return sum(1 for character in text if "\ufb50" <= character <= "\ufeff")


def test_lines_are_wrapped_before_they_are_reordered() -> None:
    logical = "قال الرئيس إن المحادثات كانت مفيدة جدا"
    lines = visual_lines(logical, 20)
    assert len(lines) == 3
    # Each visual line is one logical line reversed: its first logical word is last.
    assert lines[0].endswith("ﻝﺎﻗ")
    assert all(_presentation_forms(line) for line in lines)


def test_brackets_and_latin_keep_their_order() -> None:
    (line,) = visual_lines("Putin (بوتين) said", 40)
    assert line.startswith("Putin (") and line.endswith(") said")


def test_report_with_bidi(seeds_dir: Path) -> None:
    result = CliRunner().invoke(main, ["report", "--bidi", str(seeds_dir)])
    assert result.exit_code == 0, result.output
    assert _presentation_forms(result.stdout) > 100
    assert "بوتين وأردوغان" not in result.stdout  # no logical-order headline left


def test_diff_with_bidi_brackets_changed_words(seeds_dir: Path) -> None:
    source, derived = seeds_dir / "004_0182e0fe94a047d4.txt", seeds_dir / "002_4c7a1f67f76e96f4.txt"
    result = CliRunner().invoke(main, ["diff", "--bidi", str(source), str(derived)])
    assert result.exit_code == 0, result.output
    assert "⟨" in result.stdout and "⟩" in result.stdout


def test_json_is_never_reordered(seeds_dir: Path) -> None:
    result = CliRunner().invoke(main, ["report", "--bidi", "--format", "json", str(seeds_dir)])
    assert "بوتين وأردوغان في اجتماع مغلق" in result.stdout


def test_missing_extra_is_a_clear_error(seeds_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real_import = builtins.__import__

    def refuse(name: str, *arguments: Any, **keywords: Any) -> Any:
        if name.startswith(("bidi", "arabic_reshaper")):
            raise ImportError(name)
        return real_import(name, *arguments, **keywords)

    monkeypatch.setattr(builtins, "__import__", refuse)
    result = CliRunner().invoke(main, ["report", "--bidi", str(seeds_dir)])
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "Error: --bidi needs arabic-reshaper and python-bidi: pip install 'dedup-news[bidi]'"
    )
