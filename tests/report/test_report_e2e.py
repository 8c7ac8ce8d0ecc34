"""The real CLI end to end: every output file of a run against scim2-server is free of the
token, and the baseline gate on the sandbox (a fault = a known failure) decides the exit code."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from report_samples import make_results

from tests.conftest import ExternalServer, SuiteRun, run_cli

FAULT = "create-location-missing"  # RFC 7644 §3.3: 201 without a Location header
FAULT_CHECK = "create/location-header"
NEW_FAULT = "create-duplicate-accepted"  # RFC 7644 §3.3: duplicate userName gets 201, not 409
NEW_CHECK = "create/duplicate-409"


@pytest.fixture(scope="module")
def scim2_run(scim2_server: ExternalServer, tmp_path_factory: pytest.TempPathFactory) -> SuiteRun:
    out = tmp_path_factory.mktemp("scim2") / "out"
    pdf = ["--pdf"] if shutil.which("chromium") else []
    return run_cli(
        "run", "--target", scim2_server.base_url, "--select", "discovery/spc-get,create",
        "--alluredir", str(out / "allure"), *pdf, output_dir=out,
        env={"SCIM_TOKEN": scim2_server.token},
    )  # fmt: skip


def test_no_secret_in_any_output_file(scim2_run: SuiteRun, scim2_server: ExternalServer) -> None:
    assert scim2_run.returncode in (0, 1), scim2_run.stderr
    token = scim2_server.token.encode()
    files = sorted(p for p in scim2_run.output_dir.rglob("*") if p.is_file())
    names = {p.name for p in files}
    assert {"results.json", "junit.xml", "report.html", "ledger.jsonl"} <= names
    assert len(list((scim2_run.output_dir / "allure").glob("*-result.json"))) == len(
        scim2_run.results["checks"]
    )
    for path in files:
        assert token not in path.read_bytes(), f"the token leaked into {path}"
    assert scim2_server.token not in scim2_run.stdout + scim2_run.stderr
    assert "Bearer [redacted]" in (scim2_run.output_dir / "results.json").read_text("utf-8")
    pdf = scim2_run.output_dir / "report.pdf"
    if pdf.exists() and shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
        assert scim2_server.token not in text
        assert "profile generic" in text


def test_report_prints_the_digest_of_results_json(scim2_run: SuiteRun) -> None:
    digest = hashlib.sha256((scim2_run.output_dir / "results.json").read_bytes()).hexdigest()
    assert f"<code>{digest}</code>" in (scim2_run.output_dir / "report.html").read_text("utf-8")


def _sandbox_run(out: Path, *args: str) -> SuiteRun:
    return run_cli("run", "--select", "create", *args, output_dir=out)


@pytest.fixture(scope="module")
def gated(tmp_path_factory: pytest.TempPathFactory) -> dict[str, SuiteRun]:
    """Two sandbox runs under one baseline: the accepted fault, then another fault instead (a
    new failure, and the first one fixed). The baseline accepts create/location-header and
    read/etag-header; it is written by the `baseline` command from a saved run."""
    root = tmp_path_factory.mktemp("gate")
    saved = root / "earlier" / "results.json"
    saved.parent.mkdir()
    make_results().write(saved)
    baseline = root / "baseline.json"
    made = run_cli("baseline", str(saved), "-o", str(baseline))
    assert made.returncode == 0, made.stderr
    return {
        "accepted": _sandbox_run(root / "accepted", "--fault", FAULT, "--baseline", str(baseline)),
        "changed": _sandbox_run(
            root / "changed", "--fault", NEW_FAULT, "--baseline", str(baseline), "--no-allure"
        ),
    }


def test_baseline_command_on_a_real_run(gated: dict[str, SuiteRun], tmp_path: Path) -> None:
    run = gated["accepted"]
    assert run.with_outcome("failed") == [FAULT_CHECK]
    made = run_cli("baseline", str(run.output_dir / "results.json"))
    assert made.returncode == 0
    baseline = json.loads(made.stdout)
    assert [d["id"] for d in baseline["deviations"]] == [FAULT_CHECK]
    assert baseline["deviations"][0]["message"].startswith("POST /v2/Users answered 201")


def test_accepted_deviation_exits_0(gated: dict[str, SuiteRun]) -> None:
    run = gated["accepted"]
    assert run.returncode == 0, run.stdout + run.stderr
    assert run.with_outcome("failed") == [FAULT_CHECK]  # still failed: the report says so
    assert f"{FAULT_CHECK}  [RFC7644 §3.3 MUST]" in run.stdout
    assert "(accepted: baseline)" in run.stdout
    assert "gate passed at --fail-on must: 0 new failures, 1 accepted deviations" in run.stdout
    assert "UNSEEN - read/etag-header" in run.stdout  # in the baseline, not selected here
    gate = run.results["meta"]["gate"]
    assert gate["accepted"] == [FAULT_CHECK] and gate["passed"] is True
    assert gate["not_evaluated"] == ["read/etag-header"]
    html = (run.output_dir / "report.html").read_text("utf-8")
    assert "Not conformant: profile generic" in html
    assert "Gate <strong>passed</strong>" in html


def test_new_failure_exits_1_and_the_fix_is_reported(gated: dict[str, SuiteRun]) -> None:
    run = gated["changed"]
    assert run.returncode == 1, run.stdout + run.stderr
    assert run.with_outcome("failed") == [NEW_CHECK]
    assert f"NEW    × {NEW_CHECK}" in run.stdout
    assert f"FIXED  ✔ {FAULT_CHECK}" in run.stdout
    assert "gate failed at --fail-on must: 1 new failures, 0 accepted deviations, 1 fixed" in (
        run.stdout
    )
    gate = run.results["meta"]["gate"]
    assert gate["new"] == [NEW_CHECK] and gate["fixed"] == [FAULT_CHECK]
    assert not (run.output_dir / "allure-results").exists()  # --no-allure


def test_diff_of_two_real_runs(gated: dict[str, SuiteRun]) -> None:
    old = gated["accepted"].output_dir / "results.json"
    new = gated["changed"].output_dir / "results.json"
    worse = run_cli("diff", str(old), str(new), "--json")
    assert worse.returncode == 1
    changes = json.loads(worse.stdout)
    assert [c["id"] for c in changes["new_failures"]] == [NEW_CHECK]
    assert [c["id"] for c in changes["fixed"]] == [FAULT_CHECK]
    text = run_cli("diff", str(old), str(new))
    assert f"✔ {FAULT_CHECK}" in text.stdout and f"× {NEW_CHECK}" in text.stdout
