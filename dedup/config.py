"""Settings from a project's files: ``dedup.toml``, or ``[tool.dedup]`` in ``pyproject.toml``.

Options on the command line win over these, and these over the defaults. Only the
thresholds of the exact check, the chaining guard and the check's policy and index
belong here: the settings that shape signatures are fixed by the index.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from dedup.errors import InputError
from dedup.settings import Settings

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

#: What a configuration file may set, and the type each takes.
CONFIGURABLE: dict[str, type] = {
    "min_containment": float,
    "min_jaccard": float,
    "min_shared_shingles": int,
    "many_shared_shingles": int,
    "min_topic_similarity": float,
    "topic_window_days": int,
    "fail_on": str,
    "index": str,
}
#: How an error names each type of CONFIGURABLE.
_KIND = {float: "a number", int: "a whole number", str: "a string"}


def load_config(directory: Path) -> tuple[dict[str, Any], Path | None]:
    """The settings found in ``directory`` and the file they came from.

    ``dedup.toml`` (its top-level keys) is read if present, else the ``[tool.dedup]``
    table of ``pyproject.toml``.

    Raises:
        InputError: the file is not valid TOML, or sets an unknown key or a wrong type.
    """
    for name, table in (("dedup.toml", None), ("pyproject.toml", ("tool", "dedup"))):
        path = directory / name
        if not path.is_file():
            continue
        try:
            data: Any = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
            raise InputError(f"{path} is not valid TOML: {error}") from error
        for key in table or ():
            data = data.get(key, {}) if isinstance(data, dict) else {}
        if not data:
            continue
        return _validated(data, path), path
    return {}, None


def _validated(data: dict[str, Any], path: Path) -> dict[str, Any]:
    settings = {}
    for key, value in data.items():
        name = key.replace("-", "_")
        if name not in CONFIGURABLE:
            raise InputError(
                f"{path}: unknown setting {key!r}; known: {', '.join(sorted(CONFIGURABLE))}"
            )
        wanted = CONFIGURABLE[name]
        if wanted is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if not isinstance(value, wanted) or isinstance(value, bool):
            raise InputError(f"{path}: {key} must be {_KIND[wanted]}, got {value!r}")
        settings[name] = value
    thresholds: dict[str, Any] = {
        name: value for name, value in settings.items() if name in Settings.names()
    }
    try:
        Settings(**thresholds)
    except ValueError as error:  # out of range, such as min_containment = 2.0
        raise InputError(f"{path}: {error}") from error
    return settings
