"""Self-check: the suite passes the clean sandbox (both flavours) and catches every fault.

One session-wide set of runs (two at a time) feeds every assertion, so the self-check costs
one suite run per fault and not one per assertion.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conformance.sandbox import FAULTS, FLAVOURS
from tests.selfcheck.matrix import KNOWN_GAPS, FaultRun, caught_by, run_all

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def matrix(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[dict[str, FaultRun], dict[str, FaultRun]]:
    return run_all(Path(tmp_path_factory.mktemp("matrix")), workers=2)


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_clean_sandbox_has_no_failure(flavour: str, matrix: tuple[dict, dict]) -> None:
    clean, _ = matrix
    run = clean[flavour]
    assert run.outcomes, f"no results from the {flavour} run: {run.stderr}"
    assert run.returncode == 0, f"exit {run.returncode}; failing: {run.bad()}\n{run.stderr}"
    assert not run.bad()
    errors = [check for check, outcome in run.outcomes.items() if outcome == "error"]
    assert not errors


@pytest.mark.parametrize(
    "fault",
    [
        pytest.param(name, marks=pytest.mark.xfail(strict=True, reason=KNOWN_GAPS[name]))
        if name in KNOWN_GAPS
        else name
        for name in sorted(FAULTS)
    ],
)
def test_fault_is_caught(fault: str, matrix: tuple[dict, dict]) -> None:
    clean, faulty = matrix
    run = faulty[fault]
    assert run.outcomes, f"no results with fault {fault}: {run.stderr}"
    caught = caught_by(run, clean[run.flavour])
    assert caught, f"fault {fault} ({FAULTS[fault].clause}) is caught by no check"
    assert run.returncode == 1 or all(o == "warning" for o in caught.values())
