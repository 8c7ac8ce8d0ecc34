"""`scim-conformance sandbox`: the fault table, usage errors, and a foreground run."""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from sandbox_helpers import raw_client

from conformance.sandbox import FAULTS
from conformance.sandbox.command import add_arguments, main

REPO = Path(__file__).resolve().parents[2]


def _args(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    add_arguments(parser)
    return parser.parse_args(argv)


def test_list_faults_prints_the_catalogue(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(_args("--list-faults")) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["NAME", "CLAUSE", "LEVEL", "FLAVOURS", "DESCRIPTION"]
    assert len(lines) == len(FAULTS) + 1
    row = next(line for line in lines if line.startswith("patch-not-atomic "))
    assert "RFC7644 §3.5.2" in row and "MUST" in row and "rfc,bizagi" in row


def test_an_unknown_fault_is_one_line_and_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(_args("--fault", "no-such-fault")) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no-such-fault" in err and "filter-ignored" in err


def test_faults_can_be_repeated_or_listed() -> None:
    args = _args("--fault", "sort-ignored", "filter-ignored", "--fault", "paging-total-wrong")
    assert args.sandbox_faults == ["sort-ignored", "filter-ignored", "paging-total-wrong"]


def test_serves_in_the_foreground_until_ctrl_c() -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    command = [sys.executable, "-m", "conformance.sandbox", "--flavour", "bizagi"]
    command += ["--fault", "sort-ignored"]
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
    )
    try:
        assert process.stdout is not None
        lines: list[str] = []
        while not lines or not lines[-1].startswith("Press Ctrl-C"):
            line = process.stdout.readline()
            assert line, "the sandbox stopped before serving"
            lines.append(line.strip())
        base_url = lines[0].rsplit(" ", 1)[1]
        assert base_url.endswith("/scim/v2")
        fields = dict(line.split(":", 1) for line in lines[1:-1])
        assert fields["faults"].strip() == "sort-ignored"
        assert fields["token URL"].strip().endswith("/oauth2/server/token")
        token = fields["bearer token"].strip()
        with raw_client() as http:
            response = http.get(base_url + "/Users", headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 200
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0
    assert "Traceback" not in err and "sandbox stopped" in out
