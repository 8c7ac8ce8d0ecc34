"""PyPI's scim2-server serving a schema in which one attribute is immutable.

No stock schema declares a User attribute immutable, so the immutable check would only ever
skip. scim2-server's own `--schema` option serves the RFC 7643 schemas with enterprise
costCenter made immutable, and the server then enforces it: the check's conformant case.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from tests.conftest import ExternalServer, free_port, wait_for_port
from tests.patch.patch_proxy import claim_immutable

IMMUTABLE = "costCenter"


@contextmanager
def scim2_server_with_immutable(stock: ExternalServer, folder: Path) -> Iterator[ExternalServer]:
    """Start scim2-server with the stock server's schemas, `costCenter` made immutable."""
    answer = httpx.get(
        f"{stock.base_url}/Schemas", headers={"Authorization": f"Bearer {stock.token}"}
    )
    schemas = [
        {key: value for key, value in schema.items() if key != "meta"}
        for schema in answer.json()["Resources"]
    ]
    schema_file = folder / "schemas.json"
    schema_file.write_text(json.dumps(claim_immutable(schemas, IMMUTABLE)), encoding="utf-8")
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable, "-m", "scim2_server.testserver.cli",
            "--hostname", "127.0.0.1", "--port", str(port),
            "--bearer-token", stock.token, "--schema", str(schema_file),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        wait_for_port(port)
        yield ExternalServer(f"http://127.0.0.1:{port}/v2", stock.token)
    finally:
        process.terminate()
        process.wait(timeout=10)
