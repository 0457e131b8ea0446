"""The code stays ruff-clean and mypy-strict: CI runs these with the tests."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    "command",
    [
        ["ruff", "check", "dedup", "tests", "bench"],
        ["ruff", "format", "--check", "dedup", "tests", "bench"],
        ["mypy"],
    ],
    ids=["ruff-check", "ruff-format", "mypy-strict"],
)
def test_tool_passes(command: list[str]) -> None:
    result = subprocess.run(
        [sys.executable, "-m", *command], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


def _readme_yaml_blocks() -> list[str]:
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```yaml\n(.*?)```", readme, flags=re.DOTALL)


def test_the_readme_ci_recipes_parse_and_save_the_index_whatever_the_outcome() -> None:
    import yaml

    github, gitlab = (yaml.safe_load(block) for block in _readme_yaml_blocks())
    steps = {step.get("uses", step.get("run", "")).split("@")[0]: step for step in github}
    # Restored at the start, saved even when the check fails the job.
    assert "actions/cache/restore" in steps and steps["actions/cache/save"]["if"] == "always()"
    assert steps["actions/cache/save"]["with"]["path"] == "dedup.db"
    checks = [step["run"] for step in github if "dedup check" in step.get("run", "")]
    assert len(checks) == 1 and "--add" in checks[0]  # one run decides and reports
    job = gitlab["dedup-check"]
    assert job["cache"]["when"] == "always" and job["cache"]["paths"] == ["dedup.db"]
    assert all("pip install dedup\n" not in line + "\n" for line in job["script"])
