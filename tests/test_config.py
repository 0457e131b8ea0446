from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from dedup.cli import main
from dedup.config import load_config
from dedup.errors import InputError


def test_dedup_toml_wins_over_pyproject(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.dedup]\nmin_containment = 0.3\n")
    assert load_config(tmp_path) == ({"min_containment": 0.3}, tmp_path / "pyproject.toml")
    (tmp_path / "dedup.toml").write_text("min-shared-shingles = 20\nfail_on = 'any'\n")
    assert load_config(tmp_path) == (
        {"min_shared_shingles": 20, "fail_on": "any"},
        tmp_path / "dedup.toml",
    )


def test_a_pyproject_without_the_table_is_ignored(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    assert load_config(tmp_path) == ({}, None)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("min_containment = [", "is not valid TOML"),
        ("threshold = 0.2", "unknown setting 'threshold'"),
        ("min_shared_shingles = 'many'", "min_shared_shingles must be a whole number, got 'many'"),
        ("min_jaccard = true", "min_jaccard must be a number, got True"),
    ],
    ids=["bad-toml", "unknown-key", "wrong-type", "bool-is-no-number"],
)
def test_bad_files_are_clear_errors(tmp_path: Path, content: str, message: str) -> None:
    (tmp_path / "dedup.toml").write_text(content)
    with pytest.raises(InputError, match=message):
        load_config(tmp_path)


def test_check_reads_policy_and_thresholds_and_options_win(
    tmp_path: Path, seeds_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (seed_004,) = seeds_dir.glob("004_*.txt")
    (seed_001,) = seeds_dir.glob("001_*.txt")
    runner = CliRunner()
    assert runner.invoke(main, ["index", "add", "--index", "news.db", str(seed_004)]).exit_code == 0
    (tmp_path / "dedup.toml").write_text("index = 'news.db'\nfail_on = 'any'\n")
    result = runner.invoke(main, ["check", "--format", "json", str(seed_001)])
    assert result.exit_code == 1, result.output  # a syndicated copy, and fail_on = any
    assert json.loads(result.stdout)["policy"] == "any"
    assert runner.invoke(main, ["check", "--fail-on", "none", str(seed_001)]).exit_code == 0
    # A stricter threshold from the file: 001 shares 24 % of its 3-grams with 004.
    (tmp_path / "dedup.toml").write_text(
        "index = 'news.db'\nfail_on = 'any'\nmin_containment = 0.3\nmany_shared_shingles = 0\n"
    )
    assert runner.invoke(main, ["check", str(seed_001)]).exit_code == 0
    assert runner.invoke(main, ["check", "--min-containment", "0.1", str(seed_001)]).exit_code == 1


def test_a_bad_policy_in_the_file_exits_2(
    tmp_path: Path, seeds_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "dedup.toml").write_text("fail_on = 'sometimes'\n")
    (seed,) = seeds_dir.glob("000_*.txt")
    result = CliRunner().invoke(main, ["check", str(seed)])
    assert result.exit_code == 2
    assert (
        "fail_on must be one of duplicate, uncredited, any, none, got 'sometimes'" in result.stderr
    )


def test_report_takes_the_topic_window_from_the_file_and_the_option(
    tmp_path: Path, seeds_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    (tmp_path / "dedup.toml").write_text("topic_window_days = 3\n")
    result = runner.invoke(main, ["report", "--format", "json", str(seeds_dir)])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["settings"]["topic_window_days"] == 3
    result = runner.invoke(
        main, ["report", "--format", "json", "--topic-window-days", "0", str(seeds_dir)]
    )
    assert json.loads(result.stdout)["settings"]["topic_window_days"] == 0
    (tmp_path / "dedup.toml").write_text("topic_window_days = 2.5\n")
    result = runner.invoke(main, ["report", str(seeds_dir)])
    assert result.exit_code == 2
    assert "topic_window_days must be a whole number, got 2.5" in result.stderr


def test_a_value_out_of_range_names_the_file(tmp_path: Path) -> None:
    (tmp_path / "dedup.toml").write_text("min_containment = 2.0\n")
    with pytest.raises(InputError) as caught:
        load_config(tmp_path)
    assert str(caught.value) == (
        f"{tmp_path / 'dedup.toml'}: min_containment must be between 0 and 1, got 2.0"
    )
