"""Shared harness for the project's own tests: real servers over loopback, the real CLI."""

from __future__ import annotations

import json
import os
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for_port(port: int, *, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise RuntimeError(f"nothing listens on 127.0.0.1:{port} after {timeout} s")


@dataclass
class ExternalServer:
    """A third-party SCIM server run as its own process."""

    base_url: str
    token: str


@pytest.fixture(scope="session")
def scim2_server() -> Iterator[ExternalServer]:
    """PyPI's scim2-server (written by others), started with its own CLI on a free port."""
    port, token = free_port(), secrets.token_urlsafe(16)
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "scim2_server.testserver.cli",
            "--hostname",
            "127.0.0.1",
            "--port",
            str(port),
            "--bearer-token",
            token,
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_port(port)
        yield ExternalServer(f"http://127.0.0.1:{port}/v2", token)
    finally:
        process.terminate()
        process.wait(timeout=10)


@dataclass
class SuiteRun:
    """What one `scim-conformance` invocation did."""

    returncode: int
    stdout: str
    stderr: str
    output_dir: Path

    @property
    def results(self) -> dict[str, Any]:
        return json.loads((self.output_dir / "results.json").read_text(encoding="utf-8"))

    def outcomes(self) -> dict[str, str]:
        """check id -> outcome."""
        return {check["id"]: check["outcome"] for check in self.results["checks"]}

    def with_outcome(self, *outcomes: str) -> list[str]:
        return sorted(i for i, o in self.outcomes().items() if o in outcomes)


def run_cli(
    *args: str,
    output_dir: Path | None = None,
    env: dict[str, str] | None = None,
    timeout: int = 600,
) -> SuiteRun:
    """Run the installed CLI as a user would (a subprocess), with `--output-dir` for `run`."""
    command = [sys.executable, "-m", "conformance", *args]
    if output_dir is not None:
        command += ["--output-dir", str(output_dir)]
    full_env = {**os.environ, **(env or {})}
    done = subprocess.run(
        command, capture_output=True, text=True, env=full_env, timeout=timeout, check=False
    )
    return SuiteRun(done.returncode, done.stdout, done.stderr, output_dir or Path("."))


@pytest.fixture
def run_suite(tmp_path: Path):  # type: ignore[no-untyped-def]
    """`run_suite("--select", "crud", target=server)`: a run into a fresh output dir."""
    counter = iter(range(1000))

    def _run(*args: str, target: ExternalServer | None = None, **kwargs: Any) -> SuiteRun:
        env = dict(kwargs.pop("env", {}) or {})
        extra: list[str] = []
        if target is not None:
            extra = ["--target", target.base_url]
            env.setdefault("SCIM_TOKEN", target.token)
        out = tmp_path / f"run{next(counter)}"
        return run_cli("run", *extra, *args, output_dir=out, env=env, **kwargs)

    return _run
