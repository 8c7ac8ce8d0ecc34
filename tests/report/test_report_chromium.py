"""The certification report in a real headless Chromium, with no network: what a reviewer sees.

The browser lays out a copy of the report with a probe script appended (the report itself
forbids scripts); the probe records which parts are rendered visibly, and the DOM Chromium
dumps carries that record back. A screenshot is kept as an artifact, and the PDF is printed.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from png_probe import read_png
from report_samples import FAILED_ID, WARNING_ID, make_results

from conformance.redact import Redactor
from conformance.report import ReportSettings, write_all
from conformance.report.pdf import PdfError, chromium_command, find_chromium, html_to_pdf

ARTIFACTS = Path(__file__).resolve().parents[2] / "reports" / "test-artifacts"
VERDICT_RED = (198, 40, 40)  # --fail in the report's CSS


def _browser() -> str | None:
    try:
        return find_chromium()
    except PdfError:
        return None


pytestmark = pytest.mark.skipif(
    _browser() is None,
    reason="headless Chromium is not installed (Debian: apt-get install chromium)",
)

_PROBED = {
    "verdict": "#verdict h1",
    "counts": "#summary table.counts",
    "requirements": "table.requirements",
    "failed_row": f'tr[data-check="{FAILED_ID}"]',
    "warning_row": f'tr[data-check="{WARNING_ID}"]',
    "evidence": "#evidence article.evidence",
    "request": "#evidence article pre.request",
    "response": "#evidence article pre.response",
    "curl": "#evidence article pre.curl",
    "capabilities": "#capabilities",
    "digest": "#digest code",
}
_PROBE = """<script>
(() => {
  const probed = %s, found = {};
  for (const [name, selector] of Object.entries(probed)) {
    const element = document.querySelector(selector);
    if (!element) { found[name] = null; continue; }
    const box = element.getBoundingClientRect(), style = getComputedStyle(element);
    found[name] = {
      visible: box.width > 0 && box.height > 0 && style.display !== "none"
        && style.visibility !== "hidden" && parseFloat(style.opacity) > 0,
      top: Math.round(box.top + scrollY), text: element.innerText.slice(0, 4000),
      color: style.color, background: style.backgroundColor };
  }
  found.scripts = document.scripts.length;
  found.images = document.images.length;
  found.banner = getComputedStyle(document.querySelector("#verdict")).backgroundColor;
  const out = document.createElement("pre");
  out.id = "probe-result"; out.textContent = JSON.stringify(found);
  document.body.appendChild(out);
})();
</script>"""


@dataclass
class Rendered:
    report: Path
    dom: str
    probe: dict[str, Any]
    screenshot: Path
    offline: bool


def _offline_prefix() -> list[str]:
    """`unshare -n`: a network namespace with no interface up, when we may make one (root)."""
    unshare = shutil.which("unshare")
    if unshare is None:
        return []
    done = subprocess.run([unshare, "-n", "true"], capture_output=True, check=False)
    return [unshare, "-n"] if done.returncode == 0 else []


def _chromium(*args: str, offline: list[str]) -> subprocess.CompletedProcess[str]:
    browser = _browser()
    assert browser is not None
    with tempfile.TemporaryDirectory(prefix="report-test-chromium-") as profile:
        command = offline + chromium_command(browser, Path(profile), *args)
        return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Rendered:
    out = tmp_path_factory.mktemp("chromium")
    paths = write_all(make_results(), out, redactor=Redactor(), settings=ReportSettings())
    report = paths["html"]
    text = report.read_text("utf-8")
    csp = re.search(r'<meta http-equiv="Content-Security-Policy"[^>]*>', text)
    assert csp is not None
    probe_copy = out / "probe.html"
    probe_copy.write_text(
        text.replace(csp.group(0), "").replace(
            "</body>", _PROBE % json.dumps(_PROBED) + "\n</body>"
        ),
        encoding="utf-8",
    )
    offline = _offline_prefix()
    dumped = _chromium(
        "--window-size=1280,2000", "--dump-dom", probe_copy.as_uri(), offline=offline
    )
    assert dumped.returncode == 0, dumped.stderr[-2000:]
    match = re.search(r'<pre id="probe-result">(.*?)</pre>', dumped.stdout, re.S)
    assert match is not None, "the probe did not run: " + dumped.stdout[-500:]
    screenshot = out / "report-screenshot.png"
    shot = _chromium(
        "--window-size=1280,2400",
        "--hide-scrollbars",
        f"--screenshot={screenshot}",
        report.as_uri(),
        offline=offline,
    )
    assert shot.returncode == 0 and screenshot.is_file(), shot.stderr[-2000:]
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(screenshot, ARTIFACTS / "report-screenshot.png")
    return Rendered(
        report,
        dumped.stdout,
        json.loads(html.unescape(match.group(1))),
        screenshot,
        bool(offline),
    )


def test_verdict_is_visible_at_the_top(rendered: Rendered) -> None:
    verdict = rendered.probe["verdict"]
    assert verdict["visible"]
    assert verdict["text"] == "Not conformant: profile generic"
    assert verdict["top"] < 200
    assert rendered.probe["banner"] == "rgb(198, 40, 40)"
    assert rendered.probe["counts"]["visible"]
    assert rendered.probe["capabilities"]["visible"]


def test_requirement_table_is_visible(rendered: Rendered) -> None:
    assert rendered.probe["requirements"]["visible"]
    failed = rendered.probe["failed_row"]
    assert failed["visible"]
    assert FAILED_ID in failed["text"] and "FAIL" in failed["text"]
    assert "POST /v2/Users answered 201 without a Location header." in failed["text"]
    assert "WARN" in rendered.probe["warning_row"]["text"]


def test_failure_evidence_is_visible(rendered: Rendered) -> None:
    for name in ("evidence", "request", "response", "curl"):
        assert rendered.probe[name]["visible"], name
    assert FAILED_ID in rendered.probe["evidence"]["text"]
    request = rendered.probe["request"]["text"]
    assert request.startswith("POST http://127.0.0.1:8080/v2/Users")
    assert "authorization: Bearer [redacted]" in request
    response = rendered.probe["response"]["text"]
    assert response.startswith("201 Created")
    assert '<script>alert("x")</script>' in response  # shown as text, not run
    assert rendered.probe["curl"]["text"].startswith("curl -sS -X POST")
    assert rendered.probe["evidence"]["top"] > rendered.probe["requirements"]["top"]


def test_untrusted_markup_stays_text(rendered: Rendered) -> None:
    assert rendered.probe["scripts"] == 1  # the probe's own
    assert rendered.probe["images"] == 0


def test_digest_is_printed(rendered: Rendered) -> None:
    digest = rendered.probe["digest"]
    assert digest["visible"] and re.fullmatch(r"[0-9a-f]{64}", digest["text"])


def test_screenshot_shows_the_report(rendered: Rendered) -> None:
    data = rendered.screenshot.read_bytes()
    assert len(data) > 30_000, "a near-empty page compresses to almost nothing"
    top = read_png(data, max_rows=160)
    assert top.width == 1280
    colours = top.colours()
    assert VERDICT_RED in colours, "the red verdict banner is not at the top"
    assert len(colours) > 20, "the top of the page is not rendered text"


def test_pdf_of_the_same_report(rendered: Rendered, tmp_path: Path) -> None:
    pdf = html_to_pdf(rendered.report, tmp_path / "report.pdf")
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF-") and len(data) > 10_000
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        return
    text = subprocess.run(
        [pdftotext, "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Not conformant: profile generic" in text
    assert "Exchange 1: POST" in text
    assert "Reproduce with curl".upper() in text.upper()
