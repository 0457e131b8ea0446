"""The committed example reports must be what the code produces today."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from dedup.cli import main

ROOT = Path(__file__).resolve().parent.parent
# The command the README documents for regenerating reports/.
REGENERATE = [
    "report",
    "fixtures/seeds/",
    "--out",
    "reports/seeds.txt",
    "--out",
    "reports/seeds.json",
    "--out",
    "reports/seeds.html",
]


@pytest.mark.parametrize("name", ["seeds.txt", "seeds.json", "seeds.html"])
def test_committed_example_matches_the_code(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    arguments = [
        str(tmp_path / Path(a).name) if a.startswith("reports/") else a for a in REGENERATE
    ]
    result = CliRunner().invoke(main, arguments)
    assert result.exit_code == 0, result.output
    committed = (ROOT / "reports" / name).read_text(encoding="utf-8")
    assert (tmp_path / name).read_text(encoding="utf-8") == committed, (
        "reports/ is stale: run `dedup " + " ".join(REGENERATE) + "` from the repository root"
    )


def test_readme_documents_the_regenerate_command() -> None:
    assert "dedup " + " ".join(REGENERATE) in (ROOT / "README.md").read_text(encoding="utf-8")
