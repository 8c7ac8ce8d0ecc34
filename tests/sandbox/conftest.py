"""Fixtures for the sandbox tests: a fresh server per test, so that state never leaks."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

# The helper modules sit next to the tests; make them importable in any --import-mode.
sys.path.insert(0, str(Path(__file__).parent))

from sandbox_helpers import Scim  # noqa: E402

from conformance.sandbox import SandboxServer, start_sandbox


@pytest.fixture
def rfc() -> Iterator[SandboxServer]:
    with start_sandbox("rfc") as server:
        yield server


@pytest.fixture
def bizagi() -> Iterator[SandboxServer]:
    with start_sandbox("bizagi") as server:
        yield server


@pytest.fixture
def rfc_scim(rfc: SandboxServer) -> Iterator[Scim]:
    with Scim(rfc) as scim:
        yield scim


@pytest.fixture
def bizagi_scim(bizagi: SandboxServer) -> Iterator[Scim]:
    with Scim(bizagi) as scim:
        yield scim
