"""Third-party SCIM servers (libraries written by others), each started as its own process.

- `scimmy_server`: npm's SCIMMY (`scimmy` + `scimmy-routers` on Express), hosted by
  tests/servers/scimmy/server.js; `npm ci` installs its locked packages when they are missing.
- `django_scim2_server`: PyPI's django-scim2 on Django with SQLite, hosted by
  tests/servers/django_scim2/server.py; its packages come from requirements.txt there.
"""

from __future__ import annotations

import importlib.util
import os
import secrets
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ExternalServer, free_port, wait_for_port

HERE = Path(__file__).parent
SCIMMY_DIR = HERE / "scimmy"
DJANGO_DIR = HERE / "django_scim2"
DJANGO_REQUIREMENTS = DJANGO_DIR / "requirements.txt"


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def _unavailable(reason: str) -> None:
    """Locally a missing toolchain skips, with the reason; in CI it fails, so nothing hides."""
    if _in_ci():
        pytest.fail(f"{reason} (CI must provide it: see docs/third-party-servers.md)")
    pytest.skip(reason)


def _npm_ci_if_needed() -> None:
    """Install the host's locked npm packages when node_modules is missing or older."""
    installed = SCIMMY_DIR / "node_modules" / ".package-lock.json"
    lock = SCIMMY_DIR / "package-lock.json"
    if installed.exists() and installed.stat().st_mtime >= lock.stat().st_mtime:
        return
    npm = shutil.which("npm")
    if npm is None:
        _unavailable("npm is not installed: cannot install SCIMMY's packages")
    done = subprocess.run(
        [str(npm), "ci", "--no-audit", "--no-fund"],
        cwd=SCIMMY_DIR,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if done.returncode != 0:
        pytest.fail(f"npm ci in {SCIMMY_DIR} failed:\n{done.stdout}\n{done.stderr}")


def _serve(
    command: list[str], cwd: Path, workdir: Path, port: int, token: str
) -> Iterator[ExternalServer]:
    """Run one server process until the session ends; its output goes to workdir/server.log."""
    log_path = workdir / "server.log"
    log = open(log_path, "w", encoding="utf-8")  # noqa: SIM115 - closed below
    process = subprocess.Popen(command, cwd=cwd, stdout=log, stderr=subprocess.STDOUT)
    try:
        try:
            wait_for_port(port, timeout=60)
        except RuntimeError:
            process.kill()
            process.wait(timeout=10)
            log.close()
            pytest.fail(f"{command[:2]} did not start:\n{log_path.read_text()}")
        yield ExternalServer(f"http://127.0.0.1:{port}/scim/v2", token)
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()


@pytest.fixture(scope="session")
def scimmy_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ExternalServer]:
    """SCIMMY 1.x behind scimmy-routers on Express, in-memory store, bearer token."""
    node = shutil.which("node")
    if node is None:
        _unavailable("node is not installed: cannot run the SCIMMY server")
    _npm_ci_if_needed()
    port, token = free_port(), secrets.token_urlsafe(16)
    command = [str(node), "server.js", "--port", str(port), "--token", token]
    workdir = tmp_path_factory.mktemp("scimmy")
    yield from _serve(command, SCIMMY_DIR, workdir, port, token)


@pytest.fixture(scope="session")
def django_scim2_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ExternalServer]:
    """django-scim2 on Django's development server, SQLite in a fresh file, bearer token."""
    if importlib.util.find_spec("django_scim") is None:
        _unavailable(
            f"django-scim2 is not installed: python -m pip install -r {DJANGO_REQUIREMENTS}"
        )
    port, token = free_port(), secrets.token_urlsafe(16)
    workdir = tmp_path_factory.mktemp("django_scim2")
    database = workdir / "db.sqlite3"
    command = [
        sys.executable,
        "server.py",
        "--port",
        str(port),
        "--token",
        token,
        "--db",
        str(database),
    ]
    yield from _serve(command, DJANGO_DIR, workdir, port, token)
