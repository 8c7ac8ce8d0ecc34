"""The certification report: one self-contained HTML file a reviewer can trust offline.

Everything it shows comes from the RunResults (results.json) and every value is escaped:
server responses are untrusted input. No script, font, image or stylesheet is fetched;
a Content-Security-Policy forbids it in case something slipped through.
"""

from __future__ import annotations

from datetime import datetime
from html import escape
from pathlib import Path
from typing import Any

from conformance.evidence import pretty_body
from conformance.report.verdict import (
    LEVELS,
    counts_by_level,
    grouped,
    headline,
    verdict,
)
from conformance.results import OUTCOMES, CheckResult, RunResults

REPORT_FILE = "report.html"
EVIDENCE_OUTCOMES = ("failed", "warning", "error")
_LABELS = {
    "passed": "PASS",
    "failed": "FAIL",
    "warning": "WARN",
    "skipped": "SKIP",
    "error": "ERROR",
}
_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'none'"

_CSS = """
:root { --pass:#1a7f37; --fail:#c62828; --warn:#b26a00; --skip:#6b7280; --error:#6d28d9;
  --ink:#1f2328; --muted:#57606a; --line:#d0d7de; --soft:#f6f8fa; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--ink); background: #fff;
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial,
  sans-serif; }
main { max-width: 1180px; margin: 0 auto; padding: 0 24px 48px; }
h1 { font-size: 26px; margin: 4px 0 6px; }
h2 { font-size: 19px; margin: 32px 0 10px; padding-bottom: 4px;
  border-bottom: 2px solid var(--line); }
h3 { font-size: 16px; margin: 22px 0 8px; }
h4 { font-size: 13px; margin: 12px 0 4px; }
a { color: #0969da; }
code, pre, .mono { font: 12px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas,
  "Liberation Mono", monospace; }
pre { background: var(--soft); border: 1px solid var(--line); border-radius: 4px;
  padding: 8px 10px; margin: 4px 0; white-space: pre-wrap; overflow-wrap: anywhere; }
table { border-collapse: collapse; width: 100%; margin: 6px 0 12px; }
th, td { border: 1px solid var(--line); padding: 4px 8px; text-align: left;
  vertical-align: top; }
th { background: var(--soft); font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.verdict { color: #fff; padding: 22px 24px 18px; margin: 0 -24px 8px; }
.verdict .kicker { font-size: 12px; letter-spacing: .06em; text-transform: uppercase;
  opacity: .9; }
.verdict p { margin: 4px 0; font-size: 15px; }
.verdict ul { margin: 6px 0 0; padding-left: 20px; font-size: 13px; opacity: .95; }
.v-conformant { background: var(--pass); }
.v-conformant-with-warnings { background: var(--warn); }
.v-not-conformant { background: var(--fail); }
.v-inconclusive { background: var(--error); }
.badge { display: inline-block; min-width: 46px; text-align: center; border-radius: 3px;
  padding: 0 5px; font-size: 11px; font-weight: 700; color: #fff; }
.o-passed { background: var(--pass); } .o-failed { background: var(--fail); }
.o-warning { background: var(--warn); } .o-skipped { background: var(--skip); }
.o-error { background: var(--error); }
tr.section th { background: #eef1f4; font-weight: 600; }
table.requirements td:first-child { width: 26%; overflow-wrap: anywhere; }
table.requirements td:nth-child(2) { width: 7%; } table.requirements td:nth-child(3) { width: 8%; }
tr.r-failed td { background: #fdecec; } tr.r-warning td { background: #fff6e0; }
tr.r-error td { background: #f3edfd; }
.statement { color: var(--ink); } .message { color: var(--muted); white-space: pre-wrap;
  overflow-wrap: anywhere; }
.grid { display: grid; grid-template-columns: 1fr 1fr; gap: 0 24px; }
.evidence { border: 1px solid var(--line); border-left: 5px solid var(--fail);
  border-radius: 4px; padding: 4px 14px 10px; margin: 14px 0; }
.evidence.e-warning { border-left-color: var(--warn); }
.evidence.e-error { border-left-color: var(--error); }
.exchange { margin: 10px 0 14px; }
.exchange .pair { display: grid; grid-template-columns: 1fr 1fr; gap: 10px; }
.label { font-size: 11px; font-weight: 700; text-transform: uppercase; color: var(--muted); }
.muted { color: var(--muted); }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 0; }
dl.meta dt { font-weight: 600; } dl.meta dd { margin: 0; overflow-wrap: anywhere; }
.digest { font-size: 13px; }
footer { margin-top: 36px; padding-top: 10px; border-top: 1px solid var(--line); }
@page { size: A4; margin: 12mm; }
@media print {
  body { font-size: 10.5px; }
  main { max-width: none; padding: 0; }
  .verdict { margin: 0 0 8px; }
  .verdict, .badge, tr.r-failed td, tr.r-warning td, tr.r-error td, tr.section th, th {
    -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  a { color: inherit; text-decoration: none; }
  h2, h3, h4 { break-after: avoid; }
  tr, .exchange .pair, dl.meta { break-inside: avoid; }
  thead { display: table-header-group; }
  .exchange .pair { grid-template-columns: 1fr; }
  pre { font-size: 9px; }
}
"""


def write_html(results: RunResults, path: Path) -> Path:
    """Write the report next to results.json (whose digest must be in results.meta)."""
    path.write_text(render_html(results), encoding="utf-8")
    return path


def render_html(results: RunResults) -> str:
    meta = results.meta
    judged = verdict(results)
    title = f"SCIM conformance report: {meta.get('target', '')}"
    body = "\n".join(
        [
            _verdict_block(results),
            _summary(results),
            _gate(meta.get("gate")),
            _run_metadata(results),
            _capabilities(results.capabilities),
            _requirements(results.checks),
            _evidence(results.checks),
            _footer(meta),
        ]
    )
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta name="scim-conformance-verdict" content="{_e(judged.key)}">\n'
        f"<title>{_e(title)}</title>\n<style>{_CSS}</style>\n</head>\n"
        f"<body>\n<main>\n{body}\n</main>\n</body>\n</html>\n"
    )


# -- blocks -----------------------------------------------------------------------------


def _verdict_block(results: RunResults) -> str:
    meta = results.meta
    judged = verdict(results)
    notes = "".join(f"<li>{_e(note)}</li>" for note in judged.notes)
    tool = f"{meta.get('tool', 'scim-conformance')} {meta.get('version', '')}".strip()
    return (
        f'<header id="verdict" class="verdict v-{_e(judged.key)}">\n'
        f'<div class="kicker">SCIM 2.0 conformance report · {_e(tool)}</div>\n'
        f"<h1>{_e(judged.title)}</h1>\n"
        f'<p class="detail">{_e(judged.detail)}</p>\n'
        f'<p>Target <span class="mono">{_e(meta.get("target", "?"))}</span></p>\n'
        f"<ul>{notes}</ul>\n</header>"
    )


def _summary(results: RunResults) -> str:
    table = counts_by_level(results)
    head = "".join(f'<th class="num">{_e(_LABELS[o])}</th>' for o in OUTCOMES)
    rows = []
    for level, counts in table.items():
        if level not in LEVELS and not any(counts.values()):
            continue
        cells = "".join(f'<td class="num">{counts[o]}</td>' for o in OUTCOMES)
        rows.append(f'<tr><th>{_e(level)}</th>{cells}<td class="num">{sum(counts.values())}</td>')
    summary = results.summary()
    totals = "".join(f'<th class="num">{summary[o]}</th>' for o in OUTCOMES)
    rows.append(f'<tr><th>Total</th>{totals}<th class="num">{summary["total"]}</th></tr>')
    return (
        '<section id="summary">\n<h2>Counts by level and outcome</h2>\n'
        f'<table class="counts"><thead><tr><th>Level</th>{head}<th class="num">Checks</th>'
        f"</tr></thead>\n<tbody>{''.join(rows)}</tbody></table>\n"
        '<p class="muted">FAIL: a MUST not met. WARN: a SHOULD/MAY not met. SKIP: the target '
        "does not advertise the feature, or the run excluded it (reason given). ERROR: the "
        "suite could not judge the check; not a verdict on the target.</p>\n</section>"
    )


def _gate(gate: Any) -> str:
    if not isinstance(gate, dict) or not gate.get("baseline"):
        return ""
    baseline = gate["baseline"]
    state = "passed" if gate.get("passed") else "failed"
    parts = [
        '<section id="gate">\n<h2>CI gate against the baseline</h2>',
        f"<p>Gate <strong>{state}</strong> at --fail-on {_e(gate.get('fail_on', 'must'))}: "
        f"{len(gate.get('new') or [])} new failure(s), {len(gate.get('accepted') or [])} "
        f"accepted deviation(s), {len(gate.get('fixed') or [])} fixed. Baseline "
        f'<span class="mono">{_e(baseline.get("path"))}</span> '
        f"({_e(baseline.get('deviations'))} deviations, SHA-256 "
        f'<span class="mono">{_e(baseline.get("sha256"))}</span>).</p>',
    ]
    for key, title in (
        ("new", "New failures (fail the gate)"),
        ("accepted", "Accepted deviations (listed in the baseline)"),
        ("fixed", "Fixed (in the baseline, now passing)"),
        ("not_evaluated", "Baseline entries not evaluated in this run"),
    ):
        ids = gate.get(key) or []
        if ids:
            items = "".join(f'<li class="mono">{_e(i)}</li>' for i in ids)
            parts.append(f'<h4>{_e(title)}</h4><ul class="gate-{key}">{items}</ul>')
    parts.append("</section>")
    return "\n".join(parts)


def _run_metadata(results: RunResults) -> str:
    meta, resources = results.meta, results.resources
    sandbox = meta.get("sandbox")
    sandbox_text = "no (external target)"
    if isinstance(sandbox, dict):
        faults = ", ".join(str(f) for f in sandbox.get("faults") or []) or "none"
        sandbox_text = f"flavour {sandbox.get('flavour')}, faults: {faults}"
    rows: list[tuple[str, Any]] = [
        ("Tool", f"{meta.get('tool', 'scim-conformance')} {meta.get('version', '?')}"),
        ("Target", meta.get("target")),
        ("Embedded sandbox", sandbox_text),
        ("Profile", f"{meta.get('profile')} ({meta.get('profile_source', '?')})"),
        ("Run id", meta.get("run_id")),
        ("Seed", meta.get("seed")),
        ("Selection", meta.get("select") or "all checks"),
        ("Read-only", "yes" if meta.get("read_only") else "no"),
        ("Fail on", meta.get("fail_on", "must")),
        ("Started", meta.get("started_at")),
        ("Finished", meta.get("finished_at")),
        ("Duration", _duration(meta.get("started_at"), meta.get("finished_at"))),
        ("HTTP requests", meta.get("requests")),
    ]
    if resources:
        left = resources.get("left_behind") or []
        rows += [
            (
                "Users created",
                f"{resources.get('users_created', 0)} (budget {resources.get('user_budget')})",
            ),
            ("Resources created", resources.get("created", 0)),
            ("Resources left behind", len(left)),
        ]
    rows.append(("results.json SHA-256", meta.get("results_sha256") or "not recorded"))
    items = "".join(f"<dt>{_e(k)}</dt><dd>{_e(v if v is not None else '')}</dd>" for k, v in rows)
    left_table = _left_behind(resources.get("left_behind") or []) if resources else ""
    return (
        f'<section id="run">\n<h2>Run</h2>\n<dl class="meta">{items}</dl>\n{left_table}</section>'
    )


def _left_behind(entries: list[Any]) -> str:
    if not entries:
        return ""
    rows = "".join(
        f'<tr><td>{_e(e.get("resource_type"))}</td><td class="mono">{_e(e.get("id"))}</td>'
        f'<td class="mono">{_e(e.get("name"))}</td><td>{_e(e.get("state"))}</td></tr>'
        for e in entries
        if isinstance(e, dict)
    )
    return (
        "<h4>Left behind on the target</h4><table><thead><tr><th>Type</th><th>id</th>"
        f"<th>Name</th><th>State</th></tr></thead><tbody>{rows}</tbody></table>"
    )


def _capabilities(capabilities: dict[str, Any]) -> str:
    if not capabilities:
        return (
            '<section id="capabilities"><h2>Advertised capabilities</h2>'
            "<p>None recorded.</p></section>"
        )
    features = capabilities.get("features") or {}
    feature_rows = "".join(
        f"<tr><td>{_e(name)}</td><td>{'supported' if on else 'not supported'}</td></tr>"
        for name, on in features.items()
    )
    extra = [
        ("filter maxResults", capabilities.get("filter_max_results") or "not advertised"),
        ("bulk", _inline_json(capabilities.get("bulk"))),
        ("authentication schemes", _joined(capabilities.get("authentication_schemes"))),
    ]
    extra_rows = "".join(f"<tr><td>{_e(k)}</td><td>{_e(v)}</td></tr>" for k, v in extra)
    types = capabilities.get("resource_types") or {}
    type_rows = "".join(
        f'<tr><td>{_e(name)}</td><td class="mono">{_e(info.get("endpoint"))}</td>'
        f'<td class="mono">{_e(info.get("schema"))}</td><td class="mono">'
        + "<br>".join(
            f"{_e(ext)}{' (required)' if required else ''}"
            for ext, required in (info.get("extensions") or {}).items()
        )
        + "</td></tr>"
        for name, info in types.items()
        if isinstance(info, dict)
    )
    schemas = "".join(f"<li>{_e(s)}</li>" for s in capabilities.get("schemas") or [])
    problems = "".join(f"<li>{_e(p)}</li>" for p in capabilities.get("problems") or [])
    return (
        '<section id="capabilities">\n<h2>Advertised capabilities</h2>\n'
        '<p class="muted">What the target\'s ServiceProviderConfig, ResourceTypes and Schemas '
        "claim. Checks of features it does not advertise are skipped, never failed.</p>\n"
        '<div class="grid"><div><table><thead><tr><th>Feature</th><th>Advertised</th></tr>'
        f"</thead><tbody>{feature_rows}{extra_rows}</tbody></table></div>\n"
        f'<div><h4>Schemas</h4><ul class="mono">{schemas}</ul>'
        + (f"<h4>Discovery problems</h4><ul>{problems}</ul>" if problems else "")
        + "</div></div>\n"
        "<table><thead><tr><th>Resource type</th><th>Endpoint</th><th>Schema</th>"
        f"<th>Extensions</th></tr></thead><tbody>{type_rows}</tbody></table>\n</section>"
    )


def _requirements(checks: list[CheckResult]) -> str:
    anchors = _anchors(checks)
    parts = [
        '<section id="requirements">\n<h2>Requirements</h2>',
        '<p class="muted">Every check of the run, by document and section. Failures and '
        "warnings link to their evidence below.</p>",
    ]
    for doc, sections in grouped(checks):
        parts.append(f'<h3 class="doc">{_e(doc)}</h3>')
        parts.append(
            '<table class="requirements"><thead><tr><th>Check</th><th>Level</th>'
            "<th>Outcome</th><th>Requirement and result</th></tr></thead><tbody>"
        )
        for section, items in sections:
            ref = f"{doc} §{section}" if section else doc
            parts.append(
                f'<tr class="section"><th colspan="4">{_link(ref, items[0].url)}</th></tr>'
            )
            parts.extend(_requirement_row(check, anchors.get(check.id)) for check in items)
        parts.append("</tbody></table>")
    if not checks:
        parts.append("<p>No check ran.</p>")
    parts.append("</section>")
    return "\n".join(parts)


def _requirement_row(check: CheckResult, anchor: str | None) -> str:
    message = ""
    if check.message:
        more = " [...]" if "\n" in check.message.strip() else ""
        message = f'<div class="message">{_e(headline(check.message))}{more}</div>'
    evidence = f' <a href="#{anchor}">evidence</a>' if anchor else ""
    return (
        f'<tr class="r-{_e(check.outcome)}" data-check="{_e(check.id)}">'
        f'<td class="mono">{_e(check.id)}</td><td>{_e(check.level)}</td>'
        f"<td>{_badge(check.outcome)}</td>"
        f'<td><div class="statement">{_e(check.statement)}{evidence}</div>{message}</td></tr>'
    )


def _evidence(checks: list[CheckResult]) -> str:
    anchors = _anchors(checks)
    shown = [c for c in _evidence_order(checks) if c.id in anchors]
    if not shown:
        return (
            '<section id="evidence">\n<h2>Evidence</h2>\n'
            "<p>No failure, warning or error: nothing to show.</p>\n</section>"
        )
    parts = [
        '<section id="evidence">\n<h2>Evidence of failures and warnings</h2>',
        '<p class="muted">Every HTTP exchange of each failing check, redacted (credentials '
        "and secrets are masked), with a curl command that reproduces it (set $SCIM_TOKEN).</p>",
    ]
    for check in shown:
        parts.append(
            f'<article class="evidence e-{_e(check.outcome)}" id="{anchors[check.id]}">'
            f'<h3>{_badge(check.outcome)} <span class="mono">{_e(check.id)}</span> · '
            f"{_link(check.requirement, check.url)} {_e(check.level)}</h3>"
            f'<p class="statement">{_e(check.statement)}</p>'
            f'<pre class="verdict-message">{_e(check.message or "(no message)")}</pre>'
        )
        if not check.evidence:
            parts.append('<p class="muted">No HTTP exchange was recorded for this check.</p>')
        for number, exchange in enumerate(check.evidence, 1):
            parts.append(_exchange(number, exchange))
        parts.append("</article>")
    parts.append("</section>")
    return "\n".join(parts)


def _evidence_order(checks: list[CheckResult]) -> list[CheckResult]:
    rank = {outcome: i for i, outcome in enumerate(EVIDENCE_OUTCOMES)}
    return sorted((c for c in checks if c.outcome in rank), key=lambda c: (rank[c.outcome], c.id))


def _exchange(number: int, exchange: dict[str, Any]) -> str:
    method, url = exchange.get("method", "?"), exchange.get("url", "?")
    if exchange.get("error"):
        outcome = f"no response: {exchange['error']}"
    else:
        outcome = f"{exchange.get('status')} {exchange.get('reason', '')}".strip()
    elapsed = exchange.get("elapsed_ms")
    timing = f" ({float(elapsed):.0f} ms)" if isinstance(elapsed, int | float) else ""
    request = _message(
        f"{method} {url}", exchange.get("request_headers"), exchange.get("request_body")
    )
    response = (
        _message(outcome, exchange.get("response_headers"), exchange.get("response_body"))
        if not exchange.get("error")
        else outcome
    )
    return (
        f'<div class="exchange"><h4>Exchange {number}: {_e(method)} '
        f'<span class="mono">{_e(url)}</span> → {_e(outcome)}{_e(timing)}</h4>'
        '<div class="pair">'
        f'<div><div class="label">Request</div><pre class="request">{_e(request)}</pre></div>'
        f'<div><div class="label">Response</div><pre class="response">{_e(response)}</pre>'
        "</div></div>"
        f'<div class="label">Reproduce with curl</div>'
        f'<pre class="curl">{_e(exchange.get("curl") or "")}</pre></div>'
    )


def _message(first_line: str, headers: Any, body: Any) -> str:
    lines = [first_line]
    if isinstance(headers, dict):
        lines += [f"{name}: {value}" for name, value in headers.items()]
    text = pretty_body(body) if isinstance(body, str) else ""
    if text:
        lines += ["", text]
    return "\n".join(lines)


def _footer(meta: dict[str, Any]) -> str:
    digest = meta.get("results_sha256")
    if not digest:
        return (
            '<footer id="digest"><p class="digest">The digest of results.json was not '
            "recorded.</p></footer>"
        )
    return (
        '<footer id="digest"><p class="digest">This report was generated from '
        f'<span class="mono">results.json</span> with SHA-256 <code>{_e(digest)}</code>. '
        "Check that the two belong together with <code>sha256sum results.json</code>.</p>"
        "</footer>"
    )


# -- helpers ----------------------------------------------------------------------------


def _anchors(checks: list[CheckResult]) -> dict[str, str]:
    """HTML ids for the evidence of each failing check (stable, whatever the check id says)."""
    return {c.id: f"evidence-{n}" for n, c in enumerate(_evidence_order(checks), 1)}


def _e(value: Any) -> str:
    return escape(str(value), quote=True)


def _badge(outcome: str) -> str:
    return f'<span class="badge o-{_e(outcome)}">{_e(_LABELS.get(outcome, outcome))}</span>'


def _link(text: str, url: str | None) -> str:
    """A link to the clause, only for http(s) URLs: results.json might have been edited."""
    if url and url.startswith(("https://", "http://")):
        return f'<a href="{_e(url)}">{_e(text)}</a>'
    return _e(text)


def _joined(values: Any) -> str:
    return ", ".join(str(v) for v in values or []) or "none listed"


def _inline_json(value: Any) -> str:
    if isinstance(value, dict):
        return ", ".join(f"{k}={v}" for k, v in value.items()) or "not advertised"
    return "" if value is None else str(value)


def _duration(started: Any, finished: Any) -> str:
    try:
        seconds = (
            datetime.fromisoformat(str(finished)) - datetime.fromisoformat(str(started))
        ).total_seconds()
    except ValueError:
        return "unknown"
    minutes, rest = divmod(int(seconds), 60)
    return f"{minutes} min {rest} s" if minutes else f"{seconds:.0f} s"


__all__ = ["REPORT_FILE", "render_html", "write_html"]
