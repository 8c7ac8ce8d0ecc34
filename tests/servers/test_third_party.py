"""The whole suite against SCIM servers nobody here wrote: only their known violations fail.

Each server (see conftest.py) gets one full run, both runs side by side. The set of failing
checks must equal the committed list in known_violations.toml, where each entry names the
clause the server breaks and why (docs/third-party-servers.md shows the exchanges). So a new
failure breaks this test, whether the server regressed or a check cries wolf, and so does a
violation that is no longer found (a check that stopped catching it).
"""

from __future__ import annotations

import tomllib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ExternalServer, SuiteRun, run_cli

pytestmark = pytest.mark.slow

HERE = Path(__file__).parent
KNOWN = HERE / "known_violations.toml"
DOC = HERE.parent.parent / "docs" / "third-party-servers.md"
SERVERS = ("scimmy", "django_scim2")
SEED = "1"  # fixed, so that the Hypothesis sequences (stateful/sequences) are the same each run
OUTCOMES = {"failed", "warning", "blocked"}


@dataclass
class ServerRun:
    """One server's full run, or why there is none."""

    run: SuiteRun | None
    skipped: str = ""

    def ids(self, *outcomes: str) -> set[str]:
        assert self.run is not None
        return set(self.run.with_outcome(*outcomes))


def known_violations() -> dict[str, dict[str, dict[str, Any]]]:
    with KNOWN.open("rb") as handle:
        return tomllib.load(handle)


def expected(server: str, outcome: str, *, always: bool = False) -> set[str]:
    """The documented checks of one outcome; `always`: leave out those that may also pass
    (a violation that the random sequences of stateful/sequences find on some runs only)."""
    entries = known_violations().get(server, {})
    return {
        check
        for check, entry in entries.items()
        if entry["outcome"] == outcome and not (always and entry.get("may_pass", False))
    }


@pytest.fixture(scope="module")
def runs(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, ServerRun]:
    """Start every server, then run the whole suite against all of them at once."""
    servers: dict[str, ExternalServer] = {}
    found: dict[str, ServerRun] = {}
    for name in SERVERS:
        try:
            servers[name] = request.getfixturevalue(f"{name}_server")
        except pytest.skip.Exception as skip:
            found[name] = ServerRun(None, skipped=str(skip))

    def full_run(name: str) -> SuiteRun:
        server = servers[name]
        return run_cli(
            "run",
            "--target",
            server.base_url,
            "--seed",
            SEED,
            "--no-allure",
            output_dir=tmp_path_factory.mktemp(name),
            env={"SCIM_TOKEN": server.token},
            timeout=1500,
        )

    with ThreadPoolExecutor(max_workers=len(servers) or 1) as pool:
        done = dict(zip(servers, pool.map(full_run, servers), strict=True))
    found.update({name: ServerRun(run) for name, run in done.items()})
    return found


def _of(runs: dict[str, ServerRun], server: str) -> ServerRun:
    found = runs[server]
    if found.run is None:
        pytest.skip(found.skipped)
    assert (found.run.output_dir / "results.json").exists(), found.run.stderr
    return found


@pytest.mark.parametrize("server", SERVERS)
def test_failures_are_the_known_violations(runs: dict[str, ServerRun], server: str) -> None:
    found = _of(runs, server)
    failing = found.ids("failed")
    known, always = expected(server, "failed"), expected(server, "failed", always=True)
    assert failing <= known and always <= failing, (
        f"new failures (a regression of the server, or a false failure of ours: triage each "
        f"against its clause): {sorted(failing - known)}\n"
        f"known violations no longer found: {sorted(always - failing)}"
    )
    assert found.run is not None
    outcomes = {c["id"]: c for c in found.run.results["checks"]}
    for check in failing & (known - always):  # found this time: for the documented reason?
        signs = known_violations()[server][check]["message_contains"]
        signs = [signs] if isinstance(signs, str) else signs
        message = outcomes[check]["message"] or ""
        assert any(sign in message for sign in signs), message
    assert found.run.returncode == (1 if failing else 0), found.run.stderr


@pytest.mark.parametrize("server", SERVERS)
def test_warnings_are_the_known_ones(runs: dict[str, ServerRun], server: str) -> None:
    found = _of(runs, server)
    warned, known = found.ids("warning"), expected(server, "warning")
    assert warned == known, (
        f"new warnings: {sorted(warned - known)}\nknown warnings gone: {sorted(known - warned)}"
    )


@pytest.mark.parametrize("server", SERVERS)
def test_no_check_errors(runs: dict[str, ServerRun], server: str) -> None:
    """An error is the suite failing to judge. Only a documented `blocked` check may end so:
    the target refused the step that prepares it (judged by another check); skipped is fine."""
    found = _of(runs, server)
    blocked = expected(server, "blocked")
    assert found.ids("error") <= blocked, sorted(found.ids("error") - blocked)
    outcomes = found.run.outcomes() if found.run else {}
    not_blocked = {
        c: outcomes.get(c) for c in blocked if outcomes.get(c) not in ("error", "skipped")
    }
    assert not not_blocked, f"documented as blocked, but now: {not_blocked}"


def test_every_known_violation_is_documented() -> None:
    """Each entry names an RFC clause and says why; the doc page lists every violation."""
    page = DOC.read_text(encoding="utf-8")
    known = known_violations()
    assert set(known) <= set(SERVERS), set(known) - set(SERVERS)
    for server, entries in known.items():
        for check, entry in entries.items():
            assert entry.get("outcome") in OUTCOMES, (server, check)
            assert str(entry.get("clause", "")).startswith("RFC"), (server, check)
            assert str(entry.get("why", "")).strip(), (server, check)
            if entry["outcome"] != "blocked":  # the page sums blocked checks up by cause
                assert f"`{check}`" in page, f"{DOC.name} does not list {server}: {check}"
