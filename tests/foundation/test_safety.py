"""Safety: a read-only run writes nothing; a normal run leaves nothing behind on an RFC target."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import ExternalServer, run_cli


def _exchanges(results: dict) -> list[dict]:
    return [exchange for check in results["checks"] for exchange in check["evidence"]]


def test_read_only_run_makes_no_write(scim2_server: ExternalServer, tmp_path: Path) -> None:
    run = run_cli(
        "run",
        "--target",
        scim2_server.base_url,
        "--read-only",
        "--no-allure",
        output_dir=tmp_path,
        env={"SCIM_TOKEN": scim2_server.token},
    )
    assert run.returncode in (0, 1), run.stderr
    results = run.results
    writes = [
        f"{e['method']} {e['url']}"
        for e in _exchanges(results)
        if e["method"] != "GET" and not e["url"].split("?")[0].endswith("/.search")
    ]
    assert writes == []
    assert results["resources"]["created"] == 0
    ledger = tmp_path / "ledger.jsonl"
    assert not ledger.exists() or ledger.read_text().strip() == ""
    skipped = [c for c in results["checks"] if c["outcome"] == "skipped"]
    assert skipped and all(c["message"] for c in skipped)


def test_full_run_cleans_up_everything(tmp_path: Path) -> None:
    run = run_cli("run", "--no-allure", "--select", "create,replace,patch", output_dir=tmp_path)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr
    resources = run.results["resources"]
    assert resources["created"] > 0
    assert resources["left_behind"] == []
    states = {}
    for line in (tmp_path / "ledger.jsonl").read_text().splitlines():
        record = json.loads(line)
        states[(record["resource_type"], record["id"])] = record["event"]
    assert states and all(state in ("deleted", "gone") for state in states.values()), states
