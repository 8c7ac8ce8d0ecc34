"""The state machine and the contract check, run as a user runs them (the CLI, real servers).

One set of runs, started together, feeds every assertion: stock scim2-server must pass a
few hundred steps and the contract; the user budget holds exactly; sandbox faults that only
a sequence or an unusual value exposes are found, reported as a short sequence of HTTP
requests with a seed, a replay command and a curl script, and the replay fails again.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.conftest import ExternalServer, SuiteRun, run_cli

RUNS: dict[str, list[str]] = {
    # a few hundred steps against a third-party server, and the contract
    "scim2": [
        "--select", "stateful,contract", "--examples", "20", "--steps", "15", "--seed", "101",
    ],
    "budget": ["--select", "stateful", "--max-users", "3", "--examples", "6", "--steps", "10"],
    # sandbox faults only a value or a sequence exposes (default effort: 10 x 15)
    "mangled": ["--fault", "non-ascii-mangled", "--select", "stateful", "--seed", "3"],
    "truncates": ["--fault", "patch-valuepath-truncates", "--select", "stateful", "--seed", "4"],
    "hidden": [
        "--profile", "bizagi", "--fault", "deactivated-hidden", "--select", "stateful",
        "--seed", "4",
    ],
    # two defects, one for each contract check
    "contract": [
        "--fault", "error-status-integer", "--fault", "filter-invalid-500",
        "--select", "contract",
    ],
}  # fmt: skip
ON_SCIM2 = ("scim2", "budget")


@pytest.fixture(scope="module")
def runs(
    scim2_server: ExternalServer, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, SuiteRun]:
    folder = tmp_path_factory.mktemp("stateful")

    def run(name: str) -> SuiteRun:
        args = ["run", *RUNS[name]]
        env = {}
        if name in ON_SCIM2:
            args += ["--target", scim2_server.base_url]
            env["SCIM_TOKEN"] = scim2_server.token
        return run_cli(*args, output_dir=folder / name, env=env)

    with ThreadPoolExecutor(max_workers=4) as pool:
        return dict(zip(RUNS, pool.map(run, RUNS), strict=True))


def _check(run: SuiteRun, check_id: str) -> dict[str, object]:
    found = [c for c in run.results["checks"] if c["id"] == check_id]
    assert found, f"{check_id} did not run: {run.stderr[-2000:]}"
    return found[0]


def test_stock_scim2_server_passes_a_few_hundred_steps(runs: dict[str, SuiteRun]) -> None:
    run = runs["scim2"]
    outcomes = run.outcomes()
    assert outcomes == {
        "stateful/sequences": "passed",
        "contract/no-server-error": "passed",
        "contract/errors-are-scim": "passed",
    }, [c["message"] for c in run.results["checks"]]
    assert run.returncode == 0
    resources = run.results["resources"]
    assert resources["left_behind"] == []  # scim2-server deletes: cleanup removed everything
    assert resources["users_created"] <= resources["user_budget"]


def test_user_budget_is_honoured_exactly(runs: dict[str, SuiteRun]) -> None:
    run = runs["budget"]
    assert _check(run, "stateful/sequences")["outcome"] == "passed"
    ledger = (run.output_dir / "ledger.jsonl").read_text(encoding="utf-8").splitlines()
    created = [line for line in ledger if '"event": "created"' in line and '"User"' in line]
    assert 1 <= len(created) <= 3
    assert run.results["resources"]["users_created"] == len(created)


Judge = Callable[[str], bool]


@pytest.mark.parametrize(
    ("name", "clue"),
    [
        ("mangled", "has a different value"),  # non-ASCII stored as '?': data silently altered
        ("truncates", "value(s) missing or altered"),  # valuePath replace drops the others
        ("hidden", "omitted"),  # Bizagi: deactivated users vanish from lists
    ],
)
def test_sandbox_faults_are_found_as_short_sequences(
    runs: dict[str, SuiteRun], name: str, clue: str
) -> None:
    run = runs[name]
    check = _check(run, "stateful/sequences")
    message = str(check["message"])
    assert check["outcome"] == "failed", message
    assert clue in message, message
    sequence = re.search(r"Shortest failing sequence found \((\d+) steps", message)
    assert sequence and 1 <= int(sequence.group(1)) <= 8, message
    assert re.search(r"^Seed: \d+$", message, re.M)
    assert "Replay: scim-conformance run" in message
    script = Path(re.findall(r"^Curl script: (.+)$", message, re.M)[0])
    text = script.read_text(encoding="utf-8")
    assert text.startswith("#!/bin/sh") and "curl -sS -X" in text and "$SCIM_TOKEN" in text
    assert run.returncode == 1


def test_the_printed_replay_command_fails_the_same_way(
    runs: dict[str, SuiteRun], tmp_path: Path
) -> None:
    message = str(_check(runs["mangled"], "stateful/sequences")["message"])
    replay = re.findall(r"^Replay: (.+)$", message, re.M)[0]
    args = shlex.split(replay)
    assert args[:2] == ["scim-conformance", "run"]
    again = run_cli(*args[1:], output_dir=tmp_path / "replay")
    check = _check(again, "stateful/sequences")
    assert check["outcome"] == "failed"

    def problems(text: str) -> set[str]:
        return {line.split(";")[0] for line in text.splitlines() if line.startswith("  - ")}

    assert problems(str(check["message"])) == problems(message)


def test_contract_catches_non_scim_errors_and_server_errors(runs: dict[str, SuiteRun]) -> None:
    run = runs["contract"]
    errors = _check(run, "contract/errors-are-scim")
    assert errors["outcome"] == "failed" and 'not "400"' in str(errors["message"])
    server = _check(run, "contract/no-server-error")  # a SHOULD (Table 8): a warning
    assert server["outcome"] == "warning"
    assert "filter with a syntax error" in str(server["message"])
