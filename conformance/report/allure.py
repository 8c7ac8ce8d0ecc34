"""Allure results, written from the RunResults with allure-python-commons after the run.

Why not drive allure-pytest's plugin during the run: results.json is the one source of
truth, so Allure must say exactly what it says (warnings, errors versus failures, redacted
evidence) and `scim-conformance report` must be able to rebuild it from a saved run. Writing
after the run with the same model and file writer the plugin uses gives both, and keeps
pytest's own node names and fixtures out of the labels.

Each check carries its requirement: epic = document (RFC7644), feature = section
(`RFC7644 §3.3`), story = check id, severity from the level, a link to the clause, and one
text attachment per HTTP exchange.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from datetime import datetime
from pathlib import Path
from typing import Any

from allure_commons.logger import AllureFileLogger
from allure_commons.model2 import (
    Attachment,
    Label,
    Link,
    Parameter,
    Status,
    StatusDetails,
    TestResult,
)
from allure_commons.types import AttachmentType, LabelType, LinkType, Severity

from conformance.evidence import pretty_body
from conformance.report.verdict import headline, split_ref
from conformance.results import CheckResult, RunResults

ALLURE_DIR = "allure-results"
SEVERITY = {"MUST": Severity.CRITICAL, "SHOULD": Severity.NORMAL, "MAY": Severity.MINOR}
STATUS = {
    "passed": Status.PASSED,
    "warning": Status.PASSED,
    "failed": Status.FAILED,
    "error": Status.BROKEN,
    "skipped": Status.SKIPPED,
}
CATEGORIES = [
    {"name": "MUST not met (nonconformance)", "matchedStatuses": ["failed"]},
    {"name": "Not judged: the suite could not run the check", "matchedStatuses": ["broken"]},
]


def write_allure(results: RunResults, directory: Path) -> Path:
    """Write one result file per check (plus attachments, environment, categories)."""
    logger = AllureFileLogger(str(directory))
    namespace = uuid.uuid5(uuid.NAMESPACE_URL, f"scim-conformance:{results.meta.get('run_id')}")
    clock = _start_ms(results.meta.get("started_at"))
    for check in results.checks:
        start, clock = clock, clock + max(int(round(check.duration_ms)), 0)
        attachments = []
        for number, exchange in enumerate(check.evidence, 1):
            source = f"{uuid.uuid5(namespace, f'{check.id}#{number}')}-attachment.txt"
            logger.report_attached_data(body=transcript(exchange), file_name=source)
            attachments.append(
                Attachment(
                    name=_attachment_name(number, exchange),
                    source=source,
                    type=AttachmentType.TEXT.mime_type,
                )
            )
        logger.report_result(_result(check, namespace, start, clock, attachments))
    (directory / "environment.properties").write_text(_environment(results), encoding="utf-8")
    (directory / "categories.json").write_text(json.dumps(CATEGORIES, indent=2), encoding="utf-8")
    return directory


def _result(
    check: CheckResult, namespace: uuid.UUID, start: int, stop: int, attachments: list[Any]
) -> TestResult:
    doc, _ = split_ref(check.requirement)
    labels = [
        Label(LabelType.EPIC, doc),
        Label(LabelType.FEATURE, check.requirement),
        Label(LabelType.STORY, check.id),
        Label(LabelType.SEVERITY, SEVERITY.get(check.level, Severity.NORMAL).value),
        Label(LabelType.PARENT_SUITE, "scim-conformance"),
        Label(LabelType.SUITE, check.area or check.id.split("/", 1)[0]),
        Label(LabelType.TAG, check.level),
        Label(LabelType.FRAMEWORK, "scim-conformance"),
        Label("requirement", check.requirement_id),
        Label("scim_outcome", check.outcome),
    ]
    parameters = []
    if check.outcome == "warning":
        labels.append(Label(LabelType.TAG, "warning"))
        parameters.append(Parameter(name="outcome", value="warning"))
    links = []
    if check.url and check.url.startswith(("https://", "http://")):
        links.append(Link(type=LinkType.LINK, url=check.url, name=check.requirement))
    return TestResult(
        uuid=str(uuid.uuid5(namespace, check.id)),
        historyId=_md5(check.id),
        testCaseId=_md5(check.requirement_id),
        fullName=f"scim-conformance.{check.area}:{check.id}",
        name=check.id,
        description=f"{check.requirement} {check.level}: {check.statement}",
        status=STATUS.get(check.outcome, Status.UNKNOWN),
        statusDetails=_details(check),
        stage="finished",
        start=start,
        stop=stop,
        labels=labels,
        links=links,
        parameters=parameters,
        attachments=attachments,
        titlePath=["scim-conformance", doc, check.requirement],
    )


def _details(check: CheckResult) -> StatusDetails | None:
    if not check.message:
        return None
    prefix = "WARNING (SHOULD/MAY not met): " if check.outcome == "warning" else ""
    trace = "\n".join(
        f"{e.get('method')} {e.get('url')} -> "
        f"{e.get('error') or str(e.get('status')) + ' ' + str(e.get('reason', ''))}"
        for e in check.evidence
    )
    return StatusDetails(message=prefix + check.message, trace=trace or None)


def transcript(exchange: dict[str, Any]) -> str:
    """One exchange as text: request, response, and the curl that reproduces it."""
    lines = [f"{exchange.get('method')} {exchange.get('url')}"]
    lines += [f"{k}: {v}" for k, v in (exchange.get("request_headers") or {}).items()]
    if exchange.get("request_body"):
        lines += ["", pretty_body(exchange["request_body"])]
    lines.append("")
    if exchange.get("error"):
        lines.append(f"<-- no response: {exchange['error']}")
    else:
        elapsed = exchange.get("elapsed_ms")
        timing = f" ({float(elapsed):.0f} ms)" if isinstance(elapsed, int | float) else ""
        lines.append(f"<-- {exchange.get('status')} {exchange.get('reason', '')}{timing}")
        lines += [f"{k}: {v}" for k, v in (exchange.get("response_headers") or {}).items()]
        if exchange.get("response_body"):
            lines += ["", pretty_body(exchange["response_body"])]
    lines += ["", "# reproduce (token from $SCIM_TOKEN):", str(exchange.get("curl") or "")]
    return "\n".join(lines) + "\n"


def _attachment_name(number: int, exchange: dict[str, Any]) -> str:
    outcome = exchange.get("error") and "no response" or exchange.get("status")
    return f"exchange {number}: {exchange.get('method')} {exchange.get('url')} -> {outcome}"


def _environment(results: RunResults) -> str:
    meta = results.meta
    sandbox = meta.get("sandbox")
    values = {
        "tool": f"{meta.get('tool', 'scim-conformance')} {meta.get('version', '')}".strip(),
        "target": meta.get("target"),
        "profile": meta.get("profile"),
        "run_id": meta.get("run_id"),
        "seed": meta.get("seed"),
        "fail_on": meta.get("fail_on"),
        "select": meta.get("select"),
        "sandbox": (
            f"{sandbox.get('flavour')} faults={','.join(sandbox.get('faults') or []) or 'none'}"
            if isinstance(sandbox, dict)
            else None
        ),
        "results_sha256": meta.get("results_sha256"),
    }
    return "".join(
        f"{key}={headline(str(value))}\n" for key, value in values.items() if value is not None
    )


def _start_ms(started_at: Any) -> int:
    try:
        return int(datetime.fromisoformat(str(started_at)).timestamp() * 1000)
    except ValueError:
        return 0


def _md5(text: str) -> str:
    return hashlib.md5(text.encode("utf-8"), usedforsecurity=False).hexdigest()
