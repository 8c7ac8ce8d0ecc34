"""Reports: each format in its own module, each only reading the RunResults."""

from __future__ import annotations

from pathlib import Path

from conformance.redact import Redactor
from conformance.report.junit import write_junit
from conformance.results import RunResults

__all__ = ["write_all"]


def write_all(results: RunResults, output_dir: Path, *, redactor: Redactor) -> dict[str, Path]:
    """Write results.json and every report into the output dir; returns the paths by kind."""
    output_dir.mkdir(parents=True, exist_ok=True)
    scrub_results(results, redactor)
    paths = {"results": output_dir / "results.json", "junit": output_dir / "junit.xml"}
    digest = results.write(paths["results"])
    results.meta["results_sha256"] = digest
    write_junit(results, paths["junit"])
    return paths


def scrub_results(results: RunResults, redactor: Redactor) -> None:
    """Last line of defence: no known secret value survives into any written file."""
    for check in results.checks:
        check.message = redactor.text(check.message)
        check.evidence = redactor.json(check.evidence)
