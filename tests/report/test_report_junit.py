"""JUnit XML from a hand-made run: one suite per area, one case per check, verdicts mapped."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from report_samples import FAILED_ID, WARNING_ID, make_results

from conformance.report.baseline import Baseline, evaluate_gate
from conformance.report.junit import write_junit


def _cases(path: Path) -> dict[str, ET.Element]:
    return {case.get("name", ""): case for case in ET.parse(path).getroot().iter("testcase")}


def _properties(case: ET.Element) -> dict[str, str]:
    return {p.get("name", ""): p.get("value", "") for p in case.iter("property")}


def test_suites_and_counts(tmp_path: Path) -> None:
    path = tmp_path / "junit.xml"
    write_junit(make_results(), path)
    root = ET.parse(path).getroot()
    assert root.tag == "testsuites"
    suites = {s.get("name"): s for s in root.iter("testsuite")}
    assert set(suites) == {"bizagi", "create", "discovery", "filter", "patch", "read"}
    assert suites["create"].get("failures") == "1"
    assert suites["read"].get("errors") == "1"
    assert suites["filter"].get("skipped") == "1"
    assert sum(int(s.get("tests", "0")) for s in suites.values()) == 7


def test_each_outcome_maps_to_its_element(tmp_path: Path) -> None:
    path = tmp_path / "junit.xml"
    write_junit(make_results(), path)
    cases = _cases(path)
    failure = cases[FAILED_ID].find("failure")
    assert failure is not None
    assert failure.get("message") == "POST /v2/Users answered 201 without a Location header."
    assert failure.get("type") == "MUST"
    assert "POST http://127.0.0.1:8080/v2/Users -> 201 Created" in (failure.text or "")
    assert "Reproduce with: curl" in (failure.text or "")
    warning = cases[WARNING_ID]
    assert warning.find("failure") is None and warning.find("error") is None
    assert (warning.findtext("system-out") or "").startswith("WARNING RFC7644 §3.14 SHOULD")
    assert _properties(warning)["outcome"] == "warning"
    assert cases["filter/eq"].find("skipped") is not None
    assert cases["read/password-never-returned"].find("error") is not None
    passed = cases["patch/op[add]"]
    assert [child.tag for child in passed] == ["properties"]
    assert _properties(passed) == {
        "requirement": "RFC7644 §3.5.2",
        "level": "MUST",
        "outcome": "passed",
        "statement": "statement of patch/op[add]",
    }


def test_baseline_marks_accepted_failures(tmp_path: Path) -> None:
    results = make_results()
    baseline = Baseline.from_results(results)
    results.meta["gate"] = evaluate_gate(results, "must", baseline).to_dict()
    path = tmp_path / "junit.xml"
    write_junit(results, path)
    cases = _cases(path)
    assert _properties(cases[FAILED_ID])["baseline"] == "accepted"
    assert "baseline" not in _properties(cases["patch/op[add]"])
