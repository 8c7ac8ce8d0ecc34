"""The profile checks (lifecycle/, extension/, entra/, okta/, bizagi/), proved both ways.

Passing: a full `run --profile bizagi` against the sandbox's Bizagi twin (through its OAuth
token endpoint) exits 0 and stays within the user budget; against PyPI's scim2-server the
generic profile skips every profile rule with its reason, and a profile listing every IdP
dialect passes the replays. Failing: the Bizagi twin with named faults fails the rule each
fault breaks (faults that touch different checks share a run, to keep the module fast).

All runs start at once (module fixture); each assertion reads their results.json.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.conftest import ExternalServer, SuiteRun, run_cli

AREAS = "lifecycle,extension,entra,okta,bizagi"
PROFILE_RULES = ("lifecycle/", "entra/", "okta/", "bizagi/")

ALL_DIALECTS = """\
description = "scim2-server provisioned by every IdP the suite knows"
sandbox_flavour = "rfc"
user_addressing = "id"
delete_mode = "remove"
username_prefix = "scimd"
user_budget = 30
dialects = ["entra", "entra-2020", "okta"]
"""

# fault group -> (profile, checks each fault of the group must fail). The faults of a group
# touch disjoint checks; every pairing below was first seen with the fault alone.
FAULT_GROUPS: dict[str, tuple[str, tuple[str, ...], tuple[str, ...]]] = {
    "addressing": (
        "bizagi",
        ("username-addressing-broken",),
        (
            "bizagi/username-addressing[GET]",
            "bizagi/username-addressing[PATCH]",
            "bizagi/username-addressing[PUT]",
            "bizagi/username-addressing[DELETE]",
        ),
    ),
    "delete-and-entra": (
        "bizagi",
        ("delete-removes", "entra-string-boolean-rejected", "entra-dotted-keys-ignored"),
        (
            "lifecycle/deactivated-readable[delete]",
            "lifecycle/deactivated-found[delete]",
            "lifecycle/reactivate[delete]",
            "entra/string-boolean",
            "entra/pathless-dotted-keys",
        ),
    ),
    "hidden-put-case-advertised": (
        "bizagi",
        (
            "deactivated-hidden",
            "extension-dropped-on-put",
            "entra-op-case-rejected",
            "extension-not-advertised",
        ),
        (
            "lifecycle/deactivated-found[delete]",
            "lifecycle/deactivated-found[patch]",
            "extension/put-replaces",
            "entra/op-case-insensitive",
            "bizagi/extension-advertised",
            "extension/schemas-offered-only",
        ),
    ),
    "patch-and-filter": (
        "dialects",
        ("patch-pathless-ignored", "patch-urn-path-rejected", "filter-ignored"),
        (
            "extension/patch-pathless",
            "entra/pathless-dotted-keys",
            "okta/pathless-active",
            "extension/patch-urn-path",
            "entra/match-empty",
            "extension/filter",
        ),
    ),
}


@pytest.fixture(scope="module")
def runs(
    scim2_server: ExternalServer, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, SuiteRun]:
    root = Path(tmp_path_factory.mktemp("profiles"))
    dialects = root / "dialects.toml"
    dialects.write_text(ALL_DIALECTS, encoding="utf-8")
    target = ["--target", scim2_server.base_url]
    token = {"SCIM_TOKEN": scim2_server.token}
    plans: dict[str, tuple[list[str], dict[str, str]]] = {
        "bizagi": (["--profile", "bizagi"], {}),
        "generic": ([*target, "--select", AREAS], token),
        "dialects": ([*target, "--profile", str(dialects), "--select", AREAS], token),
    }
    for group, (profile, faults, _) in FAULT_GROUPS.items():
        chosen = str(dialects) if profile == "dialects" else profile
        arguments = ["--profile", chosen, "--select", AREAS]
        for fault in faults:
            arguments += ["--fault", fault]
        plans[f"fault:{group}"] = (arguments, {})

    def run(name: str) -> SuiteRun:
        arguments, env = plans[name]
        out = root / name.replace(":", "-")
        return run_cli("run", *arguments, "--no-allure", output_dir=out, env=env)

    with ThreadPoolExecutor(max_workers=len(plans)) as pool:
        return dict(zip(plans, pool.map(run, plans), strict=True))


def _bad(run: SuiteRun, *prefixes: str) -> dict[str, str]:
    return {
        check: outcome
        for check, outcome in run.outcomes().items()
        if outcome in ("failed", "error") and check.startswith(prefixes)
    }


def test_bizagi_run_passes_through_the_token_endpoint(runs: dict[str, SuiteRun]) -> None:
    run = runs["bizagi"]
    assert run.returncode == 0, f"{run.stderr[-2000:]}\n{run.with_outcome('failed', 'error')}"
    results = run.results
    assert results["meta"]["sandbox"]["flavour"] == "bizagi"
    outcomes = run.outcomes()
    assert outcomes["bizagi/token-endpoint"] == "passed"  # the run itself uses OAuth
    assert not _bad(run, "lifecycle/", "extension/", "entra/", "bizagi/")
    for check in ("lifecycle/deactivated-readable[delete]", "entra/create-payload"):
        assert outcomes[check] == "passed", check


def test_bizagi_run_stays_within_budget_and_lists_what_it_leaves(
    runs: dict[str, SuiteRun],
) -> None:
    run = runs["bizagi"]
    resources = run.results["resources"]
    assert 0 < resources["users_created"] <= resources["user_budget"] == 16
    ledger_users = [
        line for line in (run.output_dir / "ledger.jsonl").read_text().splitlines()
        if '"event": "created"' in line and '"resource_type": "User"' in line
    ]  # fmt: skip
    left = resources["left_behind"]
    assert len(left) == len(ledger_users) == resources["users_created"] + resources["users_reused"]
    assert {entry["state"] for entry in left} == {"deactivated"}
    print(f"\nfull bizagi run: {resources['users_created']} users created, all deactivated")


def test_generic_run_skips_profile_rules_with_reasons(runs: dict[str, SuiteRun]) -> None:
    run = runs["generic"]
    assert run.returncode == 0, run.stderr[-2000:]
    checks = {check["id"]: check for check in run.results["checks"]}
    assert not _bad(run, "")
    for check_id, check in checks.items():
        if check_id.startswith(PROFILE_RULES):
            assert check["outcome"] == "skipped", check_id
            assert "profile generic" in check["message"], (check_id, check["message"])
    assert all(checks[c]["outcome"] == "passed" for c in checks if c.startswith("extension/"))


def test_dialect_replays_pass_on_scim2_server(runs: dict[str, SuiteRun]) -> None:
    run = runs["dialects"]
    assert run.returncode == 0, run.stderr[-2000:]
    outcomes = run.outcomes()
    assert not _bad(run, "")
    for check, outcome in outcomes.items():
        if check.startswith(("entra/", "okta/")):
            assert outcome == "passed", (check, outcome)


@pytest.mark.parametrize("group", sorted(FAULT_GROUPS))
def test_each_fault_fails_its_rule(runs: dict[str, SuiteRun], group: str) -> None:
    run = runs[f"fault:{group}"]
    _, faults, expected = FAULT_GROUPS[group]
    outcomes = run.outcomes()
    assert outcomes, f"no results with {faults}: {run.stderr[-2000:]}"
    missed = {check: outcomes.get(check) for check in expected if outcomes.get(check) != "failed"}
    assert not missed, f"with {faults} these rules did not fail: {missed}"
    assert run.returncode == 1
