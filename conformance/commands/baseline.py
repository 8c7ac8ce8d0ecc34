"""`scim-conformance baseline RESULTS.json -o FILE`: accept a run's deviations as known.

Commit the file and pass it to `run --baseline FILE`: only failures it does not list will
fail the run. It lists the failed and warning check ids with their messages' first lines.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from conformance.commands.loading import ResultsError, load_results
from conformance.report.baseline import Baseline


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("results", metavar="RESULTS.json", help="results.json of a reference run")
    parser.add_argument(
        "-o", "--output", metavar="FILE", help="where to write the baseline (default: stdout)"
    )


def main(args: argparse.Namespace) -> int:
    try:
        results = load_results(Path(args.results))
    except ResultsError as exc:
        print(f"scim-conformance: {exc}", file=sys.stderr)
        return 2
    baseline = Baseline.from_results(results)
    text = baseline.dumps()
    if not args.output:
        sys.stdout.write(text)
        return 0
    output = Path(args.output)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text, encoding="utf-8")
    errors = sum(check.outcome == "error" for check in results.checks)
    print(f"baseline: {len(baseline.deviations)} accepted deviations written to {output}")
    if errors:
        print(
            f"note: {errors} checks ended in error and are not in the baseline "
            "(an error is the suite's, not a deviation of the target)"
        )
    return 0
