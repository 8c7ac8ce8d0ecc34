"""Schemas and RFC fixtures for the oracle's unit tests (no server involved)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from conformance.discovery import CORE_GROUP, CORE_USER, ENTERPRISE_USER
from conformance.model import SchemaView
from conformance.model.schema import rfc_schemas

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "rfc7643"


def rfc_example(name: str) -> dict[str, Any]:
    """An RFC 7644 example request body (fixtures/rfc7643/rfc7644/<name>.json)."""
    data: dict[str, Any] = json.loads((FIXTURES / "rfc7644" / f"{name}.json").read_text("utf-8"))
    return data


@pytest.fixture(scope="session")
def user_schema() -> SchemaView:
    """The User resource type of RFC 7643 §8.7.1, with the enterprise extension."""
    return SchemaView.build(CORE_USER, rfc_schemas(), {ENTERPRISE_USER: False})


@pytest.fixture(scope="session")
def group_schema() -> SchemaView:
    return SchemaView.build(CORE_GROUP, rfc_schemas())
