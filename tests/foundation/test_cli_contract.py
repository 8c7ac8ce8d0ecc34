"""The CLI contract other tools script against: exit codes and one-line errors."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.conftest import ExternalServer, SuiteRun, run_cli


def _one_line(run: SuiteRun) -> str:
    lines = [line for line in run.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, f"expected one line on stderr, got:\n{run.stderr}"
    assert "Traceback" not in run.stderr
    return lines[0]


class _HtmlHandler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        body = b"<html><body>Welcome to our portal</body></html>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def html_site() -> Iterator[str]:
    """A web server that is not SCIM: answers a HTML page to everything."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _HtmlHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/scim/v2"
    server.shutdown()


def test_wrong_token_exits_3_with_one_line(scim2_server: ExternalServer, tmp_path: Path) -> None:
    run = run_cli(
        "run",
        "--target",
        scim2_server.base_url,
        output_dir=tmp_path,
        env={"SCIM_TOKEN": "not-the-token"},
    )
    assert run.returncode == 3
    line = _one_line(run)
    assert "authentication failed: 401 at GET" in line
    assert "not-the-token" not in run.stdout + run.stderr


def test_unreachable_target_exits_3(tmp_path: Path) -> None:
    run = run_cli(
        "run", "--target", "http://127.0.0.1:9/v2", output_dir=tmp_path, env={"SCIM_TOKEN": "x"}
    )
    assert run.returncode == 3
    assert "target unreachable" in _one_line(run)


def test_html_target_exits_3(html_site: str, tmp_path: Path) -> None:
    run = run_cli("run", "--target", html_site, output_dir=tmp_path, env={"SCIM_TOKEN": "x"})
    assert run.returncode == 3
    assert "not a SCIM endpoint" in _one_line(run)


@pytest.mark.parametrize(
    ("args", "env", "fragment"),
    [
        (["--profile", "no-such-profile"], {}, "unknown profile 'no-such-profile'"),
        (["--target", "ftp://example.com/scim"], {}, "must be an http(s) URL"),
        (["--target", "https://user:pw@example.com/scim"], {}, "must not embed credentials"),
        (
            ["--target", "http://127.0.0.1:9/v2", "--token-env", "NO_SUCH_VAR_X"],
            {},
            "NO_SUCH_VAR_X",
        ),
        (["--target", "http://127.0.0.1:9/v2", "--client-id-env", "A"], {}, "--client-secret-env"),
        (["--fail-on", "sometimes"], {}, "invalid choice"),
    ],
)
def test_bad_input_exits_2_with_one_line(
    args: list[str], env: dict[str, str], fragment: str, tmp_path: Path
) -> None:
    run = run_cli("run", *args, output_dir=tmp_path, env=env)
    assert run.returncode == 2, run.stdout + run.stderr
    assert fragment in _one_line(run)


def test_bad_profile_file_exits_2(tmp_path: Path) -> None:
    profile = tmp_path / "mine.toml"
    profile.write_text('user_adressing = "userName"\n')
    run = run_cli("run", "--profile", str(profile), output_dir=tmp_path / "out")
    assert run.returncode == 2
    assert "unknown key(s): user_adressing" in _one_line(run)


def test_passing_run_writes_results_and_junit_that_agree(
    scim2_server: ExternalServer, tmp_path: Path
) -> None:
    run = run_cli(
        "run",
        "--target",
        scim2_server.base_url,
        "--select",
        "discovery",
        output_dir=tmp_path,
        env={"SCIM_TOKEN": scim2_server.token},
    )
    assert run.returncode == 0, run.stdout + run.stderr
    results = run.results
    assert results["meta"]["target"] == scim2_server.base_url
    assert results["summary"]["total"] == len(results["checks"]) > 0
    junit = (tmp_path / "junit.xml").read_text()
    for check in results["checks"]:
        assert f'name="{check["id"]}"' in junit
    for path in tmp_path.rglob("*"):
        if path.is_file():
            assert scim2_server.token not in path.read_text(errors="replace"), path
    json.dumps(results)  # round-trips
