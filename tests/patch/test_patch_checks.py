"""The PATCH checks, proved twice.

They pass on conformant real servers: PyPI's scim2-server (which answers a successful PATCH
with 204; started with a schema that makes enterprise costCenter immutable, so that the
immutable check has something to judge), the same server behind a proxy that answers 200
with the whole resource (the other behaviour RFC 7644 §3.5.2 allows), and the sandbox in
both flavours (stock schemas: the immutable check skips). They fail where a defect is
switched on: the sandbox's PATCH faults, and a proxy in front of stock scim2-server whose
200 bodies are stale and whose /Schemas claims costCenter immutable.
All CLI runs of this module happen once, side by side, in one module fixture.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from collections.abc import Set as AbstractSet
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.conftest import ExternalServer, SuiteRun, run_cli
from tests.patch.immutable_server import IMMUTABLE, scim2_server_with_immutable
from tests.patch.patch_proxy import patch_proxy

# Checks that skip on the sandbox, and why: its User schemas declare no immutable string.
EXPECTED_SKIPS = {"patch/immutable-rejected"}

SINGULAR = ("displayName", "nickName", "title", "name.givenName")

# sandbox fault -> the checks it must make fail (proved one by one when they were written).
CATCHES: dict[str, frozenset[str]] = {
    "patch-remove-ignored": frozenset(
        {f"patch/remove-singular[{path}]" for path in SINGULAR}
        | {
            "patch/remove-filter[emails]",
            "patch/remove-filter[phoneNumbers]",
            "patch/extension-urn-path[remove]",
            "patch/remove-no-path-400",
            "patch/remove-required-mutability",
        }
    ),
    "patch-valuepath-truncates": frozenset(
        {
            f"patch/{check}[{plural}]"
            for check in ("replace-filter-subattribute", "replace-filter-record")
            for plural in ("emails", "phoneNumbers")
        }
        | {"patch/primary-exclusive[emails]", "patch/primary-exclusive[phoneNumbers]"}
        | {"patch/replace-filter-no-match-notarget"}
    ),
    "patch-not-atomic": frozenset({"patch/atomic"}),
    "patch-pathless-ignored": frozenset({"patch/add-no-path", "patch/replace-no-path"}),
    "patch-urn-path-rejected": frozenset(
        {f"patch/extension-urn-path[{op}]" for op in ("add", "replace", "remove")}
    ),
    "put-resets-created": frozenset({"patch/meta-created-unchanged"}),
}
# What else a fault does to the checks: warnings, skips and errors, each for a reason.
SIDE_EFFECTS: dict[str, dict[str, str]] = {
    # the scimType SHOULD of a remove that is wrongly accepted
    "patch-remove-ignored": {"patch/remove-no-path-notarget": "warning"},
    # atomicity cannot be judged when the failing operation is accepted
    "patch-valuepath-truncates": {"patch/atomic": "skipped"},
    # the extension value given path-less before the remove never arrives: nothing to judge
    "patch-pathless-ignored": {"patch/extension-urn-path[remove]": "error"},
    # the URN never lands, so `schemas` never lists it: a SHOULD (no RFC 2119 keyword)
    "patch-urn-path-rejected": {"patch/extension-adds-schema": "warning"},
}
# Sandbox runs: faults that do not interact share one, to keep this module quick.
FAULT_RUNS: dict[str, tuple[str, tuple[str, ...]]] = {
    "removal": ("generic", ("patch-remove-ignored", "patch-valuepath-truncates")),
    "requests": ("bizagi", ("patch-not-atomic", "put-resets-created", "patch-urn-path-rejected")),
    "pathless": ("generic", ("patch-pathless-ignored",)),
}

# The checks that judge a 200 body: a stale body must fail them.
JUDGES_200_BODY = frozenset(
    {f"patch/{op}-singular[{path}]" for op in ("add", "replace", "remove") for path in SINGULAR}
    | {"patch/add-no-path", "patch/replace-no-path", "patch/success-200-or-204"}
)


def _sandbox_available() -> bool:
    return importlib.util.find_spec("conformance.sandbox.server") is not None


def _patch_run(out: Path, *args: str, token: str | None = None) -> SuiteRun:
    env = {"SCIM_TOKEN": token} if token else None
    return run_cli("run", *args, "--select", "patch", output_dir=out, env=env)


@pytest.fixture(scope="module")
def runs(
    scim2_server: ExternalServer, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, SuiteRun]:
    """Every run: `scim2-server`, `proxy:<mode>`, and `sandbox:<group>` of FAULT_RUNS."""
    jobs: dict[str, Callable[[], SuiteRun]] = {}
    token = scim2_server.token

    def against(url: str, name: str) -> Callable[[], SuiteRun]:
        return lambda: _patch_run(tmp_path_factory.mktemp(name), "--target", url, token=token)

    def sandbox(name: str, profile: str, faults: tuple[str, ...]) -> Callable[[], SuiteRun]:
        flags = [arg for fault in faults for arg in ("--fault", fault)]
        return lambda: _patch_run(tmp_path_factory.mktemp(name), "--profile", profile, *flags)

    stock = scim2_server.base_url
    with (
        scim2_server_with_immutable(scim2_server, tmp_path_factory.mktemp("schema")) as strict,
        patch_proxy(strict.base_url, token, answer_200="full") as full,
        patch_proxy(stock, token, answer_200="stale", immutable=IMMUTABLE) as stale,
    ):
        jobs["scim2-server"] = against(strict.base_url, "scim2")
        jobs["proxy:full-200"] = against(full.base_url, "full")
        jobs["proxy:stale-200"] = against(stale.base_url, "stale")
        if _sandbox_available():
            for name, (profile, faults) in FAULT_RUNS.items():
                jobs[f"sandbox:{name}"] = sandbox(name, profile, faults)
        with ThreadPoolExecutor(max_workers=3) as pool:
            futures = {name: pool.submit(job) for name, job in jobs.items()}
            return {name: future.result() for name, future in futures.items()}


def _by_outcome(run: SuiteRun) -> dict[str, set[str]]:
    grouped: dict[str, set[str]] = {}
    for check_id, outcome in run.outcomes().items():
        grouped.setdefault(outcome, set()).add(check_id)
    return grouped


def _explain(run: SuiteRun, ids: AbstractSet[str]) -> str:
    messages = {c["id"]: c.get("message") for c in run.results["checks"]}
    return "\n".join(f"{i}: {messages.get(i)}" for i in sorted(ids))


@pytest.mark.parametrize("name", ["scim2-server", "proxy:full-200"])
def test_passes_on_conformant_targets(runs: dict[str, SuiteRun], name: str) -> None:
    run = runs[name]
    grouped = _by_outcome(run)
    bad = grouped.get("failed", set()) | grouped.get("error", set()) | grouped.get("warning", set())
    assert not bad, _explain(run, bad)
    skipped = grouped.get("skipped", set())
    assert not skipped, _explain(run, skipped)
    assert "patch/immutable-rejected" in grouped["passed"]
    assert len(grouped["passed"]) >= 51
    assert run.returncode == 0, run.stderr


def test_spends_two_users(runs: dict[str, SuiteRun]) -> None:
    """One shared user and one victim serve every PATCH check."""
    resources = runs["scim2-server"].results["resources"]
    assert resources["users_created"] == 2
    assert resources["left_behind"] == []


def test_a_200_body_is_judged(runs: dict[str, SuiteRun]) -> None:
    """With 200 answers the body is judged as well as the GET: a stale body fails."""
    run = runs["proxy:stale-200"]
    failed = _by_outcome(run).get("failed", set())
    assert failed >= JUDGES_200_BODY, _explain(run, JUDGES_200_BODY - failed)
    messages = {c["id"]: c["message"] for c in run.results["checks"]}
    assert "the 200 response body" in messages["patch/replace-singular[displayName]"]
    assert not _by_outcome(run).get("error"), _explain(run, _by_outcome(run)["error"])
    full = runs["proxy:full-200"].results["checks"]
    answered = [
        exchange["status"]
        for check in full
        if check["id"] == "patch/success-200-or-204"
        for exchange in check["evidence"]
        if exchange["method"] == "PATCH"
    ]
    assert answered == [200]


@pytest.mark.parametrize("group", sorted(FAULT_RUNS))
def test_faults_are_caught(runs: dict[str, SuiteRun], group: str) -> None:
    """Exactly the expected checks fail; every other outcome has its stated reason; and the
    flavour's own behaviour (bizagi: userName addressing) leaves the rest passing."""
    if f"sandbox:{group}" not in runs:
        pytest.skip("the sandbox has not landed")
    run = runs[f"sandbox:{group}"]
    _, faults = FAULT_RUNS[group]
    expected_failures = frozenset().union(*(CATCHES[fault] for fault in faults))
    failed = _by_outcome(run).get("failed", set())
    assert failed == expected_failures, _explain(run, failed ^ expected_failures)
    others = {i: o for i, o in run.outcomes().items() if o not in ("passed", "failed")}
    expected_others = {i: "skipped" for i in EXPECTED_SKIPS}
    for fault in faults:
        expected_others |= SIDE_EFFECTS.get(fault, {})
    assert others == expected_others, _explain(run, set(others) ^ set(expected_others))
    assert run.results["meta"]["sandbox"]["faults"] == list(faults)
    assert run.returncode == 1


def test_immutable_claim_is_checked(runs: dict[str, SuiteRun]) -> None:
    """A schema that declares costCenter immutable, on a server that lets it change, fails."""
    run = runs["proxy:stale-200"]
    check = next(c for c in run.results["checks"] if c["id"] == "patch/immutable-rejected")
    assert check["outcome"] == "failed", check["message"]
    assert f"{IMMUTABLE} is immutable and has a value" in check["message"]
