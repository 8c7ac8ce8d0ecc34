"""JUnit XML: a testsuite per area, a testcase per check id.

FAIL -> <failure>, ERROR -> <error>, SKIP -> <skipped>; WARN (a SHOULD not met) passes with
an `outcome=warning` property, so CI gates only on MUST unless asked otherwise.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import defaultdict
from pathlib import Path
from typing import Any

from conformance.results import CheckResult, RunResults


def write_junit(results: RunResults, path: Path) -> None:
    by_area: dict[str, list[CheckResult]] = defaultdict(list)
    for check in results.checks:
        by_area[check.area or check.id.split("/", 1)[0]].append(check)
    root = ET.Element("testsuites", name="scim-conformance")
    gate = results.meta.get("gate") or {}
    baseline = _baseline_marks(gate) if gate.get("baseline") else {}
    for area, checks in sorted(by_area.items()):
        suite = ET.SubElement(
            root,
            "testsuite",
            name=area,
            tests=str(len(checks)),
            failures=str(sum(c.outcome == "failed" for c in checks)),
            errors=str(sum(c.outcome == "error" for c in checks)),
            skipped=str(sum(c.outcome == "skipped" for c in checks)),
            time=f"{sum(c.duration_ms for c in checks) / 1000:.3f}",
        )
        for check in checks:
            _testcase(suite, area, check, baseline.get(check.id))
    tree = ET.ElementTree(root)
    ET.indent(tree)
    tree.write(path, encoding="utf-8", xml_declaration=True)


def _baseline_marks(gate: dict[str, Any]) -> dict[str, str]:
    """check id -> `accepted` / `new` / `fixed`, when the run was gated on a baseline."""
    marks: dict[str, str] = {}
    for kind in ("accepted", "new", "fixed"):
        marks.update(dict.fromkeys(gate.get(kind) or [], kind))
    return marks


def _testcase(suite: ET.Element, area: str, check: CheckResult, baseline: str | None) -> None:
    case = ET.SubElement(
        suite,
        "testcase",
        classname=f"scim-conformance.{area}",
        name=check.id,
        time=f"{check.duration_ms / 1000:.3f}",
    )
    properties = ET.SubElement(case, "properties")
    for name, value in (
        ("requirement", check.requirement),
        ("level", check.level),
        ("outcome", check.outcome),
        ("statement", check.statement),
        *([("baseline", baseline)] if baseline else []),
    ):
        ET.SubElement(properties, "property", name=name, value=value)
    headline = check.message.splitlines()[0] if check.message else ""
    title = f"{check.requirement} {check.level}: {check.statement}"
    if check.outcome == "failed":
        ET.SubElement(
            case, "failure", message=headline, type=check.level
        ).text = f"{title}\n{check.message}\n{_exchanges(check)}"
    elif check.outcome == "error":
        ET.SubElement(case, "error", message=headline).text = check.message
    elif check.outcome == "skipped":
        ET.SubElement(case, "skipped", message=check.message)
    if check.outcome == "warning":
        ET.SubElement(case, "system-out").text = f"WARNING {title}\n{check.message}"


def _exchanges(check: CheckResult) -> str:
    lines = []
    for exchange in check.evidence:
        outcome = exchange.get("error") or f"{exchange.get('status')} {exchange.get('reason')}"
        lines.append(f"{exchange.get('method')} {exchange.get('url')} -> {outcome}")
        lines.append(f"  Reproduce with: {exchange.get('curl')}")
    return "\n".join(lines)
