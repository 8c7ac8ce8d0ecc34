"""Baselines, the CI gate, run diffs, and the commands that work on saved results.json files."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from report_samples import FAILED_ID, WARNING_ID, make_results, with_outcomes

from conformance.report.baseline import Baseline, BaselineError, evaluate_gate
from conformance.report.diff import diff_runs
from conformance.results import RunResults
from tests.conftest import SuiteRun, run_cli


def _save(results: RunResults, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    results.write(path)
    return path


def _one_line_error(run: SuiteRun) -> str:
    lines = [line for line in run.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "Traceback" not in run.stderr, run.stderr
    return lines[0]


# -- baseline and gate ------------------------------------------------------------------


def test_baseline_lists_failures_and_warnings_with_first_lines(tmp_path: Path) -> None:
    baseline = Baseline.from_results(make_results())
    assert list(baseline.deviations) == [FAILED_ID, WARNING_ID]
    entry = baseline.deviations[FAILED_ID]
    assert entry.message == "POST /v2/Users answered 201 without a Location header."
    assert (entry.outcome, entry.level, entry.requirement) == ("failed", "MUST", "RFC7644 §3.3")
    path = tmp_path / "baseline.json"
    path.write_text(baseline.dumps(), encoding="utf-8")
    again = Baseline.read(path)
    assert again.deviations == baseline.deviations
    assert again.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize(
    ("content", "error"),
    [
        ("{not json", "is not JSON"),
        ('{"checks": []}', "is not a scim-conformance baseline"),
        ('{"kind": "scim-conformance-baseline", "format": 9}', "unsupported format"),
    ],
)
def test_bad_baselines_are_refused(tmp_path: Path, content: str, error: str) -> None:
    path = tmp_path / "baseline.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(BaselineError, match=error):
        Baseline.read(path)


def test_gate_without_baseline_fails_on_every_failure() -> None:
    gate = evaluate_gate(make_results(), "must")
    assert gate.new == [FAILED_ID] and not gate.passed
    assert evaluate_gate(make_results(), "should").new == [FAILED_ID, WARNING_ID]


def test_gate_accepts_known_deviations_and_reports_fixes() -> None:
    baseline = Baseline.from_results(make_results())
    same = evaluate_gate(make_results(), "should", baseline)
    assert same.passed and same.accepted == [FAILED_ID, WARNING_ID] and same.new == []
    later = with_outcomes(
        make_results(), {FAILED_ID: "passed", WARNING_ID: "skipped", "patch/op[add]": "failed"}
    )
    gate = evaluate_gate(later, "must", baseline)
    assert gate.new == ["patch/op[add]"] and not gate.passed
    assert gate.fixed == [FAILED_ID]
    assert gate.not_evaluated == [WARNING_ID]


# -- diff -------------------------------------------------------------------------------


def test_diff_sorts_changes_by_kind() -> None:
    old = make_results()
    new = with_outcomes(
        make_results(), {FAILED_ID: "passed", "patch/op[add]": "failed", "filter/eq": "passed"}
    )
    new.checks = [c for c in new.checks if c.id != "discovery/spc-get"]
    extra = make_results().checks[0]
    extra.id = "create/brand-new"
    new.checks.append(extra)
    diff = diff_runs(old, new)
    assert [c.id for c in diff.new_failures] == ["create/brand-new", "patch/op[add]"]
    assert [c.id for c in diff.fixed] == [FAILED_ID]
    assert [c.id for c in diff.new_checks] == ["create/brand-new"]
    assert [(c.id, c.old, c.new) for c in diff.removed_checks] == [
        ("discovery/spc-get", "passed", None)
    ]
    assert [(c.id, c.old, c.new) for c in diff.other_changes] == [
        ("filter/eq", "skipped", "passed")
    ]
    assert diff.unchanged == 3
    assert [c.id for c in diff_runs(old, new, "should").new_failures] == [
        "create/brand-new",
        "patch/op[add]",
    ]


# -- commands on saved results ----------------------------------------------------------


def test_baseline_and_diff_commands(tmp_path: Path) -> None:
    old = _save(make_results(), tmp_path / "old" / "results.json")
    worse = with_outcomes(make_results(), {"patch/op[add]": "failed"})
    new = _save(worse, tmp_path / "new" / "results.json")

    made = run_cli("baseline", str(old), "-o", str(tmp_path / "baseline.json"))
    assert made.returncode == 0, made.stderr
    assert "2 accepted deviations" in made.stdout
    assert "1 checks ended in error" in made.stdout
    written = json.loads((tmp_path / "baseline.json").read_text("utf-8"))
    assert [d["id"] for d in written["deviations"]] == [FAILED_ID, WARNING_ID]

    changed = run_cli("diff", str(old), str(new))
    assert changed.returncode == 1, changed.stdout + changed.stderr
    assert "new failures (1):" in changed.stdout
    assert "× patch/op[add]  [RFC7644 §3.5.2 MUST]  passed -> failed" in changed.stdout
    same = run_cli("diff", str(old), str(old), "--json")
    assert same.returncode == 0
    assert json.loads(same.stdout)["unchanged"] == 7
    improved = run_cli("diff", str(new), str(old))
    assert improved.returncode == 0 and "fixed (1):" in improved.stdout


def test_report_command_regenerates_html_beside_a_copy_of_results(tmp_path: Path) -> None:
    source = _save(make_results(), tmp_path / "run" / "results.json")
    digest = hashlib.sha256(source.read_bytes()).hexdigest()
    out = tmp_path / "elsewhere"
    done = run_cli(
        "report", str(source), "--output-dir", str(out), "--alluredir", str(out / "allure")
    )
    assert done.returncode == 0, done.stderr
    assert hashlib.sha256((out / "results.json").read_bytes()).hexdigest() == digest
    html = (out / "report.html").read_text("utf-8")
    assert f"<code>{digest}</code>" in html
    assert "Not conformant: profile generic" in html
    assert len(list((out / "allure").glob("*-result.json"))) == 7
    in_place = run_cli("report", str(source))
    assert in_place.returncode == 0, in_place.stderr
    assert (source.parent / "report.html").is_file()
    assert hashlib.sha256(source.read_bytes()).hexdigest() == digest  # never rewritten


def test_commands_refuse_bad_input_with_one_line(tmp_path: Path) -> None:
    bogus = tmp_path / "bogus.json"
    bogus.write_text('{"hello": 1}', encoding="utf-8")
    for args in (
        ("report", str(bogus)),
        ("report", str(tmp_path / "missing.json")),
        ("diff", str(bogus), str(bogus)),
        ("baseline", str(bogus)),
    ):
        run = run_cli(*args)
        assert run.returncode == 2, args
        assert _one_line_error(run).startswith("scim-conformance: "), args
    run = run_cli("run", "--baseline", str(bogus), output_dir=tmp_path / "out")
    assert run.returncode == 2
    assert "is not a scim-conformance baseline" in _one_line_error(run)


def test_pdf_without_chromium_is_one_line_and_exit_2(tmp_path: Path) -> None:
    source = _save(make_results(), tmp_path / "results.json")
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    no_browser = {"PATH": str(empty), "SCIM_CONFORMANCE_CHROMIUM": ""}
    report = run_cli("report", str(source), "--pdf", env=no_browser)
    assert report.returncode == 2
    assert "needs headless Chromium, which is not installed" in _one_line_error(report)
    assert not (tmp_path / "report.pdf").exists()
    run = run_cli("run", "--pdf", output_dir=tmp_path / "out", env=no_browser)
    assert run.returncode == 2
    assert "apt-get install chromium" in _one_line_error(run)
    wrong = run_cli(
        "report",
        str(source),
        "--pdf",
        env={"SCIM_CONFORMANCE_CHROMIUM": str(tmp_path / "no-such-browser")},
    )
    assert wrong.returncode == 2
    assert "is not an executable" in _one_line_error(wrong)
