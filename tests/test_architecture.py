"""Imports point one way: vocabulary <- core <- pipeline <- edges <- cli."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "dedup"

LAYERS = {
    "errors": 0,
    "models": 0,
    "normalize": 0,
    "settings": 1,  # records the normalization version
    "shingle": 1,
    "signature": 1,
    "candidates": 1,
    "match": 1,
    "topic": 1,
    "cluster": 1,
    "sentences": 1,
    "similarity": 1,
    "align": 1,
    "passages": 1,
    "diff": 1,
    "credit": 1,
    "boilerplate": 1,
    "lineage": 1,
    "workers": 1,
    "check": 1,
    "calibrate": 1,
    "store": 3,
    "config": 3,
    "pipeline": 2,
    "ingest": 3,
    "feeds": 2,  # read by ingest
    "render": 3,
    "cli": 4,
    "__init__": 5,
    "__main__": 5,
}
# Third-party libraries enter through one module each.
OWNERS = {
    "datasketch": {"signature", "candidates", "store"},
    "sklearn": {"topic"},
    "rich": {"render", "cli"},
    "click": {"cli"},
    "feedparser": {"feeds"},
    "trafilatura": {"feeds"},
    "redis": {"store"},
    "ahocorasick": {"boilerplate"},
    "arabic_reshaper": {"render"},
    "bidi": {"render"},
}


def _modules() -> list[tuple[str, Path]]:
    return [
        (".".join(path.relative_to(PACKAGE).with_suffix("").parts), path)
        for path in sorted(PACKAGE.rglob("*.py"))
    ]


def _layer(module: str) -> int:
    return LAYERS[module.split(".")[0]]


@pytest.mark.parametrize(("module", "path"), _modules(), ids=[m for m, _ in _modules()])
def test_imports_point_one_way(module: str, path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            continue
        for name in names:
            top = name.split(".")[0]
            if top == "dedup" and name != "dedup":
                imported = name.split(".")[1]
                if imported != module.split(".")[0]:
                    assert _layer(imported) < _layer(module) or (
                        _layer(imported) == _layer(module) == 1
                    ), f"{module} imports {name}"
            if top in OWNERS:
                assert module.split(".")[0] in OWNERS[top], f"{module} imports {top}"
