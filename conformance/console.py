"""Terminal output of a run: a header before, a summary table and a failure recap after."""

from __future__ import annotations

import sys
from collections import defaultdict
from pathlib import Path
from typing import TextIO

from conformance.report.baseline import Gate
from conformance.results import OUTCOMES, RunResults
from conformance.run import RunContext

_MARKS = {"failed": "×", "warning": "!", "error": "E", "skipped": "-", "passed": "✔"}


def print_header(context: RunContext, out: TextIO = sys.stdout) -> None:
    where = context.target
    if context.sandbox is not None:
        faults = ", ".join(context.sandbox.faults) or "none"
        where += f"  (embedded sandbox, flavour {context.sandbox.flavour}, faults: {faults})"
    print(f"scim-conformance: target {where}", file=out)
    print(
        f"  profile {context.profile.name} | seed {context.seed} | run {context.run_id}"
        f" | output {context.output_dir}",
        file=out,
    )
    out.flush()


def print_summary(results: RunResults, output_dir: Path, out: TextIO = sys.stdout) -> None:
    table: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(OUTCOMES, 0))
    for check in results.checks:
        table[f"{check.area} {check.level}"][check.outcome] += 1
    print("", file=out)
    header = f"{'area / level':<28}" + "".join(f"{o:>9}" for o in OUTCOMES)
    print(header, file=out)
    print("-" * len(header), file=out)
    for key in sorted(table):
        print(f"{key:<28}" + "".join(f"{table[key][o]:>9}" for o in OUTCOMES), file=out)
    recap = [c for c in results.checks if c.outcome in ("failed", "warning", "error")]
    gate = results.meta.get("gate") or {}
    accepted = set(gate.get("accepted") or []) if gate.get("baseline") else set()
    if recap:
        print("", file=out)
        for check in sorted(recap, key=lambda c: ("failed", "error", "warning").index(c.outcome)):
            headline = check.message.splitlines()[0] if check.message else ""
            known = "  (accepted: baseline)" if check.id in accepted else ""
            print(
                f"{_MARKS[check.outcome]} {check.id}  [{check.requirement} {check.level}]  "
                f"{headline}{known}",
                file=out,
            )
    summary = results.summary()
    resources = results.resources
    print("", file=out)
    if resources:
        left = len(resources.get("left_behind", []))
        print(
            f"users created: {resources.get('users_created', 0)} of budget "
            f"{resources.get('user_budget')}; resources left behind: {left}",
            file=out,
        )
    print(f"reports: {output_dir}", file=out)
    print(
        f"{summary['total']} checks: {summary['passed']} passed, {summary['failed']} failed, "
        f"{summary['warning']} warnings, {summary['skipped']} skipped, {summary['error']} errors",
        file=out,
    )


def print_gate(gate: Gate, out: TextIO = sys.stdout) -> None:
    """With a baseline: which failures are new (they fail the run), accepted, or fixed."""
    if not gate.baseline:
        return
    for check_id in gate.new:
        print(f"NEW    {_MARKS['failed']} {check_id}", file=out)
    for check_id in gate.fixed:
        print(f"FIXED  {_MARKS['passed']} {check_id}  (in the baseline, now passing)", file=out)
    for check_id in gate.not_evaluated:
        print(f"UNSEEN - {check_id}  (in the baseline, not judged in this run)", file=out)
    verdict = "passed" if gate.passed else "failed"
    print(
        f"baseline {gate.baseline.get('path')}: gate {verdict} at --fail-on {gate.fail_on}: "
        f"{len(gate.new)} new failures, {len(gate.accepted)} accepted deviations, "
        f"{len(gate.fixed)} fixed",
        file=out,
    )
