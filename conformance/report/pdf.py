"""The PDF of the certification report, printed from the HTML by headless Chromium.

The HTML is the report; the PDF is the same page through the browser's print engine, so
the two never disagree. Chromium is an optional system dependency (Debian: `chromium`).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

PDF_FILE = "report.pdf"
CHROMIUM_ENV = "SCIM_CONFORMANCE_CHROMIUM"
_CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--disable-dev-shm-usage",
)


class PdfError(RuntimeError):
    """The PDF could not be made: the message is one line for the terminal."""


def find_chromium() -> str:
    """The browser to print with: $SCIM_CONFORMANCE_CHROMIUM, else the first on PATH."""
    configured = os.environ.get(CHROMIUM_ENV)
    if configured:
        found = shutil.which(configured)
        if found is None:
            raise PdfError(f"--pdf: {CHROMIUM_ENV}={configured} is not an executable")
        return found
    for name in _CANDIDATES:
        found = shutil.which(name)
        if found is not None:
            return found
    raise PdfError(
        "--pdf needs headless Chromium, which is not installed "
        "(Debian/Ubuntu: apt-get install chromium; or set SCIM_CONFORMANCE_CHROMIUM)"
    )


def chromium_command(browser: str, profile_dir: Path, *args: str) -> list[str]:
    """Chromium with the flags that keep it offline, quiet and disposable."""
    return [browser, *_FLAGS, f"--user-data-dir={profile_dir}", *args]


def run_chromium(args: list[str], *, timeout: float = 120.0) -> subprocess.CompletedProcess[str]:
    """Run a headless Chromium command; on timeout its whole process group is killed."""
    process = subprocess.Popen(
        args,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
        start_new_session=True,
    )
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        raise PdfError(f"headless Chromium did not finish within {timeout:.0f} s") from None
    return subprocess.CompletedProcess(args, process.returncode, stdout, stderr)


def html_to_pdf(html: Path, pdf: Path, *, timeout: float = 120.0) -> Path:
    """Print the HTML file to PDF; raises PdfError with one line on any failure."""
    browser = find_chromium()
    pdf = pdf.resolve()
    pdf.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory(prefix="scim-conformance-chromium-") as profile:
        command = chromium_command(
            browser,
            Path(profile),
            "--no-pdf-header-footer",
            f"--print-to-pdf={pdf}",
            html.resolve().as_uri(),
        )
        try:
            done = run_chromium(command, timeout=timeout)
        except OSError as exc:
            raise PdfError(f"cannot start {browser}: {exc.strerror}") from None
    if done.returncode != 0 or not pdf.is_file() or pdf.stat().st_size == 0:
        last = (done.stderr or "").strip().splitlines()[-1:] or ["no output"]
        raise PdfError(
            f"headless Chromium failed to print the PDF (exit {done.returncode}): {last[0][:200]}"
        )
    return pdf
