"""Shared helpers for the tests of schemas/ (JSON Schema 2020-12) and fixtures/rfc7643/.

Self-contained on purpose: these tests read the files straight from the checkout and do not
depend on the package loader (conformance.resources).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator, ValidationError
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

REPO_ROOT = Path(__file__).resolve().parents[2]
SCHEMA_DIR = REPO_ROOT / "schemas"


@cache
def load_schema(file_name: str) -> dict[str, Any]:
    """A schema document from schemas/, parsed once per test session."""
    schema: dict[str, Any] = json.loads((SCHEMA_DIR / file_name).read_text(encoding="utf-8"))
    return schema


@cache
def build_validator(ref: str) -> Draft202012Validator:
    """A validator for 'user.json' or for a sub-schema such as 'user.json#/$defs/request'."""
    file_name, _, pointer = ref.partition("#")
    root = load_schema(file_name)
    if not pointer:
        return Draft202012Validator(root)
    registry: Registry = Registry().with_resource(
        root["$id"], Resource.from_contents(root, default_specification=DRAFT202012)
    )
    return Draft202012Validator({"$ref": f"{root['$id']}#{pointer}"}, registry=registry)


@pytest.fixture(scope="session")
def scim_schema() -> Callable[[str], dict[str, Any]]:
    """scim_schema('user.json') -> the parsed schema document."""
    return load_schema


@pytest.fixture(scope="session")
def scim_errors() -> Callable[[str, Any], list[ValidationError]]:
    """scim_errors(ref, document) -> every validation error of document against ref."""

    def errors(ref: str, document: Any) -> list[ValidationError]:
        return list(build_validator(ref).iter_errors(document))

    return errors
