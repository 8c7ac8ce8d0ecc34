"""`scim-conformance cleanup LEDGER`: finishes the cleanup of a run that could not (a crash)."""

from __future__ import annotations

import json
from pathlib import Path

import httpx

from tests.conftest import ExternalServer, run_cli


def test_cleanup_removes_what_the_ledger_names_and_nothing_else(
    scim2_server: ExternalServer, tmp_path: Path
) -> None:
    headers = {"Authorization": f"Bearer {scim2_server.token}"}
    with httpx.Client(base_url=scim2_server.base_url + "/", headers=headers) as http:

        def create(name: str) -> str:
            body = {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": name}
            response = http.post("Users", json=body)
            assert response.status_code == 201
            return str(response.json()["id"])

        ours, theirs = create("scimc-left-behind"), create("someone-else")
        ledger = tmp_path / "ledger.jsonl"
        ledger.write_text(
            json.dumps({"run": "abcde", "event": "created", "resource_type": "User", "id": ours,
                        "location": "", "name": "scimc-left-behind", "check": "create/x"}) + "\n"
        )  # fmt: skip
        run = run_cli(
            "cleanup", str(ledger), "--target", scim2_server.base_url,
            "--output-dir", str(tmp_path / "out"), env={"SCIM_TOKEN": scim2_server.token},
        )  # fmt: skip
        assert run.returncode == 0, run.stdout + run.stderr
        assert "deleted" in run.stdout
        assert http.get(f"Users/{ours}").status_code == 404
        assert http.get(f"Users/{theirs}").status_code == 200


def test_cleanup_of_a_missing_ledger_is_one_line(tmp_path: Path) -> None:
    run = run_cli("cleanup", str(tmp_path / "nope.jsonl"), "--target", "http://127.0.0.1:9/v2")
    assert run.returncode == 2
    assert run.stderr.strip().count("\n") == 0 and "no ledger" in run.stderr
