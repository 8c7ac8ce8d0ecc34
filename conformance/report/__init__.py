"""Reports: each format in its own module, each only reading the RunResults.

Order matters: the gate is recorded in the results, results.json is written and its digest
taken, and only then are the reports rendered, so each of them can print that digest.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from conformance.redact import Redactor
from conformance.report.allure import ALLURE_DIR, write_allure
from conformance.report.baseline import Baseline, evaluate_gate
from conformance.report.html import REPORT_FILE, write_html
from conformance.report.junit import write_junit
from conformance.results import RunResults

__all__ = ["ReportSettings", "write_all", "write_reports"]


@dataclass
class ReportSettings:
    """What the CLI asked of the reports; the defaults are what plain `pytest` gets."""

    allure: bool = True
    alluredir: Path | None = None  # None: <output-dir>/allure-results
    baseline: Baseline | None = None


def write_all(
    results: RunResults,
    output_dir: Path,
    *,
    redactor: Redactor,
    settings: ReportSettings | None = None,
) -> dict[str, Path]:
    """Write results.json and every report into the output dir; returns the paths by kind."""
    settings = settings or ReportSettings()
    output_dir.mkdir(parents=True, exist_ok=True)
    scrub_results(results, redactor)
    fail_on = str(results.meta.get("fail_on") or "must")
    results.meta["gate"] = evaluate_gate(results, fail_on, settings.baseline).to_dict()
    paths = {"results": output_dir / "results.json", "junit": output_dir / "junit.xml"}
    digest = results.write(paths["results"])
    results.meta["results_sha256"] = digest
    write_junit(results, paths["junit"])
    paths.update(write_reports(results, output_dir, settings))
    return paths


def write_reports(
    results: RunResults, output_dir: Path, settings: ReportSettings
) -> dict[str, Path]:
    """The reports derived from results.json: the HTML certification report and Allure."""
    paths = {"html": write_html(results, output_dir / REPORT_FILE)}
    if settings.allure:
        alluredir = settings.alluredir or output_dir / ALLURE_DIR
        paths["allure"] = write_allure(results, alluredir)
    return paths


def scrub_results(results: RunResults, redactor: Redactor) -> None:
    """Last line of defence: no known secret value survives into any written file."""
    for check in results.checks:
        check.message = redactor.text(check.message)
        check.evidence = redactor.json(check.evidence)
    results.meta = redactor.json(results.meta)
    results.capabilities = redactor.json(results.capabilities)
    results.resources = redactor.json(results.resources)
