"""`scim-conformance diff OLD.json NEW.json`: what changed between two runs.

Exit 1 when the new run has failures the old one did not (at the --fail-on level).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from conformance.commands.loading import ResultsError, load_results
from conformance.report.diff import diff_runs, format_diff


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("old", metavar="OLD.json", help="results.json of the earlier run")
    parser.add_argument("new", metavar="NEW.json", help="results.json of the later run")
    parser.add_argument(
        "--fail-on",
        choices=("must", "should"),
        default="must",
        help="which outcomes count as failures (should: warnings too)",
    )
    parser.add_argument("--json", action="store_true", help="print JSON instead of text")


def main(args: argparse.Namespace) -> int:
    try:
        old, new = load_results(Path(args.old)), load_results(Path(args.new))
    except ResultsError as exc:
        print(f"scim-conformance: {exc}", file=sys.stderr)
        return 2
    diff = diff_runs(old, new, args.fail_on)
    if args.json:
        print(json.dumps(diff.to_dict(), indent=2, ensure_ascii=False))
    else:
        print(format_diff(diff, old, new))
    return 1 if diff.new_failures else 0
