"""Allure results from a hand-made run: labels, statuses, attachments, links; and that the
Allure report generator (npm `allure`) loads them."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from report_samples import FAILED_ID, WARNING_ID, make_results

from conformance.report.allure import write_allure


@pytest.fixture(scope="module")
def allure_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_allure(make_results(), tmp_path_factory.mktemp("allure") / "allure-results")


def _results(directory: Path) -> dict[str, dict[str, Any]]:
    found = [json.loads(p.read_text("utf-8")) for p in directory.glob("*-result.json")]
    return {result["name"]: result for result in found}


def _labels(result: dict[str, Any]) -> dict[str, list[str]]:
    labels: dict[str, list[str]] = {}
    for label in result["labels"]:
        labels.setdefault(label["name"], []).append(label["value"])
    return labels


def test_one_result_per_check_with_requirement_labels(allure_dir: Path) -> None:
    results = _results(allure_dir)
    assert len(results) == 7
    failed = _labels(results[FAILED_ID])
    assert failed["epic"] == ["RFC7644"]
    assert failed["feature"] == ["RFC7644 §3.3"]
    assert failed["story"] == [FAILED_ID]
    assert failed["severity"] == ["critical"]
    assert _labels(results[WARNING_ID])["severity"] == ["normal"]
    assert _labels(results["read/password-never-returned"])["epic"] == ["RFC7643"]
    assert _labels(results["bizagi/delete-deactivates"])["epic"] == ["Bizagi"]
    assert results[FAILED_ID]["links"] == [
        {
            "type": "link",
            "url": "https://www.rfc-editor.org/rfc/rfc7644#section-3.3",
            "name": "RFC7644 §3.3",
        }
    ]
    assert "links" not in results["bizagi/delete-deactivates"]  # no URL for profile rules


def test_statuses(allure_dir: Path) -> None:
    status = {name: result["status"] for name, result in _results(allure_dir).items()}
    assert status == {
        FAILED_ID: "failed",
        WARNING_ID: "passed",
        "filter/eq": "skipped",
        "patch/op[add]": "passed",
        "discovery/spc-get": "passed",
        "read/password-never-returned": "broken",
        "bizagi/delete-deactivates": "passed",
    }
    warning = _results(allure_dir)[WARNING_ID]
    assert "warning" in _labels(warning)["tag"]
    assert {"name": "outcome", "value": "warning"} in warning["parameters"]
    assert warning["statusDetails"]["message"].startswith("WARNING (SHOULD/MAY not met)")
    failed = _results(allure_dir)[FAILED_ID]
    assert failed["statusDetails"]["message"].startswith("POST /v2/Users answered 201")


def test_exchanges_are_attachments(allure_dir: Path) -> None:
    failed = _results(allure_dir)[FAILED_ID]
    (attachment,) = failed["attachments"]
    assert attachment["type"] == "text/plain"
    assert attachment["name"] == "exchange 1: POST http://127.0.0.1:8080/v2/Users -> 201"
    text = (allure_dir / attachment["source"]).read_text("utf-8")
    assert text.startswith("POST http://127.0.0.1:8080/v2/Users\n")
    assert "authorization: Bearer [redacted]" in text
    assert "<-- 201 Created (12 ms)" in text
    assert "curl -sS -X POST" in text
    assert "attachments" not in _results(allure_dir)["discovery/spc-get"]


def test_environment_and_stable_ids(allure_dir: Path, tmp_path: Path) -> None:
    environment = (allure_dir / "environment.properties").read_text("utf-8")
    assert "target=http://127.0.0.1:8080/v2\n" in environment
    assert "seed=4242\n" in environment
    again = _results(write_allure(make_results(), tmp_path / "again"))
    first = _results(allure_dir)
    assert {n: r["uuid"] for n, r in again.items()} == {n: r["uuid"] for n, r in first.items()}


def _allure() -> str | None:
    return shutil.which("allure")


@pytest.mark.skipif(
    _allure() is None,
    reason="the Allure report generator is not installed (npm install -g allure)",
)
def test_allure_generator_loads_the_results(allure_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "allure-report"
    done = subprocess.run(
        [str(_allure()), "generate", str(allure_dir), "-o", str(out)],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    if (out / "summary.json").is_file():  # Allure 3 (npm `allure`)
        stats = json.loads((out / "summary.json").read_text("utf-8"))["stats"]
        cases = [json.loads(p.read_text("utf-8")) for p in (out / "data/test-results").glob("*")]
    else:  # Allure 2 (npm `allure-commandline`)
        stats = json.loads((out / "widgets/summary.json").read_text("utf-8"))["statistic"]
        cases = [json.loads(p.read_text("utf-8")) for p in (out / "data/test-cases").glob("*")]
    assert stats["total"] == 7
    assert stats["failed"] == 1 and stats["broken"] == 1 and stats["skipped"] == 1
    assert stats["passed"] == 4
    loaded = {case["name"]: case for case in cases}
    assert set(loaded) >= {FAILED_ID, WARNING_ID, "patch/op[add]"}
    labels = {(label["name"], label["value"]) for label in loaded[FAILED_ID]["labels"]}
    assert {("epic", "RFC7644"), ("feature", "RFC7644 §3.3"), ("severity", "critical")} <= labels
    assert loaded[FAILED_ID]["links"][0]["url"].endswith("#section-3.3")
