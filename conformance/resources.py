"""Where the data files that travel with the package live: schemas/ and fixtures/.

In a wheel they sit in `conformance/_data/`; in a source checkout (editable install or
plain PYTHONPATH) they are the top-level folders of the repository.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

_PACKAGE = Path(__file__).resolve().parent


def data_dir(name: str) -> Path:
    """The `schemas` or `fixtures` folder, installed or in the checkout."""
    for candidate in (_PACKAGE / "_data" / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"data folder {name!r} is missing from this installation")


@cache
def load_json_schema(name: str) -> dict[str, Any]:
    """A JSON Schema from schemas/, by file name with or without `.json`."""
    file_name = name if name.endswith(".json") else f"{name}.json"
    with (data_dir("schemas") / file_name).open(encoding="utf-8") as handle:
        schema: dict[str, Any] = json.load(handle)
    return schema


def profile_path(name: str) -> Path:
    """The built-in profile file of that name (fixtures/profiles/NAME.toml)."""
    return data_dir("fixtures") / "profiles" / f"{name}.toml"


def builtin_profiles() -> list[str]:
    """Names of the profiles that ship with the suite."""
    return sorted(p.stem for p in (data_dir("fixtures") / "profiles").glob("*.toml"))
