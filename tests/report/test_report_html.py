"""The HTML certification report as text: escaped, self-contained, ordered, honest verdict."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
from report_samples import FAILED_ID, WARNING_ID, make_results, with_outcomes

from conformance.redact import Redactor
from conformance.report import ReportSettings, write_all
from conformance.report.baseline import Baseline
from conformance.report.html import render_html
from conformance.report.verdict import verdict
from conformance.results import RunResults


def _verdict_key(html: str) -> str:
    match = re.search(r'<meta name="scim-conformance-verdict" content="([^"]+)">', html)
    assert match is not None
    return match.group(1)


def test_untrusted_content_is_escaped() -> None:
    html = render_html(make_results())
    assert "<script" not in html.lower()
    assert "<img" not in html.lower()
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html


def test_self_contained_nothing_fetched() -> None:
    html = render_html(make_results())
    tags = re.findall(r"<([a-zA-Z][a-zA-Z0-9]*)([^>]*)>", html)
    names = {name.lower() for name, _ in tags}
    assert not names & {"script", "img", "link", "iframe", "object", "embed", "svg", "video"}
    assert not [attrs for _, attrs in tags if re.search(r"\s(src|srcset|action)=", attrs)]
    style = html[html.index("<style>") : html.index("</style>")]
    for marker in ("url(", "@import", "@font-face"):
        assert marker not in style, marker
    hrefs = re.findall(r'href="([^"]*)"', html)
    assert hrefs, "RFC sections and evidence should be linked"
    assert all(h.startswith(("#", "https://www.rfc-editor.org/rfc/")) for h in hrefs), hrefs
    assert "Content-Security-Policy" in html and "default-src 'none'" in html
    assert "@media print" in html


def test_requirements_grouped_by_document_and_integer_sorted_section() -> None:
    html = render_html(make_results())
    docs = re.findall(r'<h3 class="doc">([^<]+)</h3>', html)
    assert docs == ["RFC7643", "RFC7644", "Bizagi"]
    sections = re.findall(r'<tr class="section"><th colspan="4">(?:<a [^>]*>)?([^<]+)<', html)
    assert sections == [
        "RFC7643 §4.1.1",
        "RFC7644 §3.3",
        "RFC7644 §3.4.2.2",
        "RFC7644 §3.5.2",
        "RFC7644 §3.14",
        "RFC7644 §4",
        "Bizagi §DELETE",
    ]
    assert '<a href="https://www.rfc-editor.org/rfc/rfc7644#section-3.14">RFC7644 §3.14</a>' in html
    rows = re.findall(r'data-check="([^"]+)"', html)
    assert sorted(rows) == sorted(c.id for c in make_results().checks)


def test_evidence_only_for_failures_warnings_and_errors() -> None:
    html = render_html(make_results())
    evidence = html[html.index('<section id="evidence">') :]
    assert evidence.index(FAILED_ID) < evidence.index(WARNING_ID)
    assert evidence.index(WARNING_ID) < evidence.index("read/password-never-returned")
    assert "Exchange 1: POST" in evidence
    assert "curl -sS -X POST -H &quot;Authorization: Bearer $SCIM_TOKEN&quot;" in evidence
    assert "authorization: Bearer [redacted]" in evidence
    assert "patch/op[add]" not in evidence  # a passing check shows no evidence


@pytest.mark.parametrize(
    ("outcomes", "fail_on", "key"),
    [
        ({}, "must", "not-conformant"),
        ({FAILED_ID: "passed"}, "must", "inconclusive"),
        (
            {FAILED_ID: "passed", "read/password-never-returned": "passed"},
            "must",
            "conformant-with-warnings",
        ),
        (
            {FAILED_ID: "passed", "read/password-never-returned": "passed"},
            "should",
            "not-conformant",
        ),
        (
            {FAILED_ID: "passed", "read/password-never-returned": "passed", WARNING_ID: "passed"},
            "must",
            "conformant",
        ),
    ],
)
def test_verdict(outcomes: dict[str, str], fail_on: str, key: str) -> None:
    results = with_outcomes(make_results(fail_on=fail_on), outcomes)
    assert verdict(results).key == key
    html = render_html(results)
    assert _verdict_key(html) == key
    assert f'class="verdict v-{key}"' in html
    assert f"Gate --fail-on {fail_on}" in html


def test_verdict_title_names_the_profile_and_notes_partial_runs() -> None:
    results = make_results(
        profile="bizagi",
        select="create",
        sandbox={"flavour": "bizagi", "faults": ["create-location-missing"]},
    )
    judged = verdict(results)
    assert judged.title == "Not conformant: profile bizagi"
    assert any("Partial run" in note for note in judged.notes)
    assert any("create-location-missing" in note for note in judged.notes)


def test_write_all_prints_the_digest_of_results_json(tmp_path: Path) -> None:
    results = make_results()
    paths = write_all(results, tmp_path, redactor=Redactor(), settings=ReportSettings())
    digest = hashlib.sha256(paths["results"].read_bytes()).hexdigest()
    html = paths["html"].read_text("utf-8")
    assert f"<code>{digest}</code>" in html
    assert set(paths) == {"results", "junit", "html", "allure"}
    assert (tmp_path / "allure-results").is_dir()
    for text in (
        "Run id",
        "abcde",
        "Seed",
        "4242",
        "HTTP requests",
        "42",
        "1 min 5 s",
        "Users created",
        "3 (budget 50)",
        "Resources left behind",
        "scimabcde009",
    ):
        assert text in html, text


def test_write_all_records_the_gate_and_shows_it(tmp_path: Path) -> None:
    reference = make_results()
    baseline = Baseline.from_results(reference)
    results = with_outcomes(make_results(), {WARNING_ID: "passed"})
    results.checks[3].outcome = "failed"  # patch/op[add]: a new failure
    paths = write_all(
        results, tmp_path, redactor=Redactor(), settings=ReportSettings(baseline=baseline)
    )
    saved = RunResults.read(paths["results"])
    gate = saved.meta["gate"]
    assert gate["accepted"] == [FAILED_ID]
    assert gate["new"] == ["patch/op[add]"]
    assert gate["fixed"] == [WARNING_ID]
    assert gate["passed"] is False
    html = paths["html"].read_text("utf-8")
    assert "CI gate against the baseline" in html
    assert '<ul class="gate-new"><li class="mono">patch/op[add]</li></ul>' in html


def test_no_known_secret_reaches_any_file(tmp_path: Path) -> None:
    secret = "s3cr3t-Token-ZZZ-987"
    results = make_results(select=f"create,{secret}")
    results.checks[0].message += f" token was {secret}"
    results.checks[0].evidence[0]["response_body"] = f'{{"echo": "{secret}"}}'
    results.capabilities["problems"] = [f"GET answered {secret}"]
    write_all(results, tmp_path, redactor=Redactor([secret]), settings=ReportSettings())
    files = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert len(files) > 5
    for path in files:
        assert secret.encode() not in path.read_bytes(), path
