"""The discovery checks, proved twice: clean on a real third-party server, and each breakage of
a discovery document reported as a failure of the right check (exit 1).

Every run goes through the real CLI; they share one module fixture and run side by side:
the stock scim2-server, scim2-server behind a proxy that breaks discovery documents, and the
sandbox with its discovery-related faults. A CLI run costs seconds of CPU, so breakages that
touch different documents and different checks share a run: each run must fail exactly the
union of its breakages' checks (nothing more, so no breakage spills over), and each breakage
is asserted on its own against that run.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from conformance.catalogue import CATALOGUE
from tests.conftest import ExternalServer, SuiteRun, run_cli
from tests.discovery.proxy import (
    Answer,
    Mutation,
    breaking_proxy,
    documents,
    edit_json,
    replace_json,
)

USER = "urn:ietf:params:scim:schemas:core:2.0:User"
ENDPOINTS = ("ServiceProviderConfig", "ResourceTypes", "Schemas")
CONTENT_TYPE_JSON = frozenset(f"discovery/content-type-json[{e}]" for e in ENDPOINTS)
CONTENT_TYPE_SCIM = frozenset(f"discovery/content-type-scim[{e}]" for e in ENDPOINTS)
UNKNOWN_ERROR = frozenset(f"discovery/unknown-id-error[{e}]" for e in ("Schemas", "ResourceTypes"))


def _at(path: str) -> Callable[[Answer], bool]:
    return lambda answer: answer.path == path


def _under(prefix: str) -> Callable[[Answer], bool]:
    return lambda answer: answer.path == prefix or answer.path.startswith(prefix + "/")


def _user_attribute(name: str, change: Callable[[dict[str, Any]], object]) -> Mutation:
    """Change one attribute of the core User schema, in the listing and on its own alike."""

    def edit(body: Any) -> None:
        for schema in documents(body):
            if schema.get("id") == USER:
                for attribute in schema.get("attributes") or []:
                    if attribute.get("name") == name:
                        change(attribute)

    return edit_json(_under("/Schemas"), edit)


def _user_resource_type(change: Callable[[dict[str, Any]], object]) -> Mutation:
    def edit(body: Any) -> None:
        for resource_type in documents(body):
            if resource_type.get("name") == "User":
                change(resource_type)

    return edit_json(_under("/ResourceTypes"), edit)


def _content_type(value: str) -> Mutation:
    def mutate(answer: Answer) -> None:
        if answer.path.lstrip("/") in ENDPOINTS:
            answer.content_type = value

    return mutate


def _drop_nickname_alone(answer: Answer) -> None:
    """GET /Schemas/{User} (not the listing) loses an attribute: the two disagree."""
    if answer.path == f"/Schemas/{USER}" and answer.status == 200:
        edit_json(lambda a: True, lambda body: body.update(
            attributes=[a for a in body["attributes"] if a.get("name") != "nickName"]
        ))(answer)  # fmt: skip


@dataclass(frozen=True)
class Breakage:
    """One broken discovery document and the verdicts it must produce."""

    case: str
    mutation: Mutation
    fails: frozenset[str]
    warns: frozenset[str] = frozenset()


# Each group is one proxied run; within a group, breakages touch disjoint checks. Order
# matters where two touch the same answer: in-place edits before whole-body replacements.
GROUPS: dict[str, list[Breakage]] = {
    "broken-a": [
        Breakage("spc-without-schemas",
                 edit_json(_at("/ServiceProviderConfig"), lambda spc: spc.pop("schemas")),
                 frozenset({"discovery/spc-schema"})),
        Breakage("authentication-schemes-empty",
                 edit_json(_at("/ServiceProviderConfig"), lambda spc: spc.update(
                     authenticationSchemes=[])),
                 frozenset({"discovery/spc-authentication-schemes"})),
        Breakage("resource-type-schema-not-served",
                 _user_resource_type(lambda rt: rt.update(
                     schema="urn:ietf:params:scim:schemas:core:2.0:Person")),
                 frozenset({"discovery/resource-type-schemas-known[User]"})),
        Breakage("attribute-type-text",
                 _user_attribute("displayName", lambda a: a.update(type="text")),
                 frozenset({f"discovery/schema-wellformed[{USER}]"})),
        Breakage("username-not-required",
                 _user_attribute("userName", lambda a: a.update(required=False)),
                 frozenset({"discovery/user-schema-username"})),
        Breakage("error-status-integer",
                 edit_json(lambda a: a.path.startswith("/Schemas/") and a.status == 404,
                           lambda error: error.update(status=404)),
                 frozenset({"discovery/unknown-id-error[Schemas]"})),
        Breakage("html-content-type", _content_type("text/html; charset=utf-8"),
                 CONTENT_TYPE_JSON),
    ],
    "broken-b": [
        Breakage("patch-supported-yes",
                 edit_json(_at("/ServiceProviderConfig"), lambda spc: spc["patch"].update(
                     supported="yes")),
                 frozenset({"discovery/spc-schema"})),
        Breakage("password-returned-default",
                 _user_attribute("password", lambda a: a.update(returned="default")),
                 frozenset({"discovery/user-schema-password"})),
        Breakage("schema-alone-differs", _drop_nickname_alone, frozenset(),
                 warns=frozenset({f"discovery/schema-by-id[{USER}]"})),
        Breakage("plain-json-content-type", _content_type("application/json"), frozenset(),
                 warns=CONTENT_TYPE_SCIM),
        Breakage("schemas-bare-array",
                 replace_json(_at("/Schemas"), lambda listing: listing["Resources"]),
                 frozenset({"discovery/schemas-list"})),
    ],
}  # fmt: skip
BREAKAGES = [(group, breakage) for group, members in GROUPS.items() for breakage in members]

# Sandbox runs: faults -> the discovery checks they must fail, exactly (none: the clean run).
SANDBOX_RUNS: dict[str, dict[str, frozenset[str]]] = {
    "sandbox-clean": {},
    "sandbox-a": {
        "spc-missing-schemas": frozenset({"discovery/spc-schema"}),
        "resourcetype-unknown-schema": frozenset({"discovery/resource-type-schemas-known[User]"}),
        "schema-username-optional": frozenset({"discovery/user-schema-username"}),
        "discovery-html-content-type": CONTENT_TYPE_JSON,
        "error-status-integer": UNKNOWN_ERROR,
    },
    "sandbox-b": {"not-found-not-scim-error": UNKNOWN_ERROR},
}
SANDBOX_FAULTS = [(run, fault) for run, faults in SANDBOX_RUNS.items() for fault in faults]


def _compose(mutations: list[Mutation]) -> Mutation:
    def mutate(answer: Answer) -> None:
        for mutation in mutations:
            mutation(answer)

    return mutate


def _sandbox_faults() -> set[str] | None:
    """The fault names the installed sandbox knows; None before the sandbox lands."""
    if importlib.util.find_spec("conformance.sandbox.server") is None:
        return None
    from conformance.sandbox.faults import FAULTS

    return set(FAULTS)


def _discovery_run(out: Path, *args: str, token: str | None = None) -> SuiteRun:
    env = {"SCIM_TOKEN": token} if token else None
    return run_cli("run", *args, "--select", "discovery", output_dir=out, env=env)


@pytest.fixture(scope="module")
def runs(
    scim2_server: ExternalServer, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, SuiteRun]:
    """Every CLI run of this module, side by side: `stock`, each group, each sandbox run."""
    token, known = scim2_server.token, _sandbox_faults()
    cases = {
        group: _compose([breakage.mutation for breakage in members])
        for group, members in GROUPS.items()
    }
    with breaking_proxy(scim2_server.base_url, cases) as url_of, ThreadPoolExecutor(3) as pool:
        futures = {
            "stock": pool.submit(
                _discovery_run, tmp_path_factory.mktemp("stock"), "--target",
                scim2_server.base_url, token=token,
            ),
        }  # fmt: skip
        for group in GROUPS:
            out = tmp_path_factory.mktemp(group)
            futures[group] = pool.submit(
                _discovery_run, out, "--target", url_of(group), token=token
            )
        for name, faults in SANDBOX_RUNS.items():
            if known is not None and set(faults) <= known:
                args = [arg for fault in faults for arg in ("--fault", fault)]
                futures[name] = pool.submit(_discovery_run, tmp_path_factory.mktemp(name), *args)
        return {name: future.result() for name, future in futures.items()}


def _verdicts(run: SuiteRun) -> str:
    return "\n".join(f"{c['id']}: {c['outcome']} {c['message']}" for c in run.results["checks"])


def _expect_exactly(run: SuiteRun, fails: set[str], warns: set[str]) -> None:
    assert run.returncode == (1 if fails else 0), run.stdout + run.stderr
    assert set(run.with_outcome("failed")) == fails, _verdicts(run)
    assert set(run.with_outcome("warning")) == warns, _verdicts(run)
    assert run.with_outcome("error") == [], _verdicts(run)


def test_stock_scim2_server_fails_no_discovery_check(runs: dict[str, SuiteRun]) -> None:
    run = runs["stock"]
    _expect_exactly(run, set(), set())
    judged = {check["requirement_id"] for check in run.results["checks"]}
    catalogued = {r for r in CATALOGUE if r.startswith("discovery/")}
    assert judged == catalogued, "every discovery requirement has a check"
    outcomes = run.outcomes()
    for schema_id in (USER, "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"):
        assert outcomes[f"discovery/schema-wellformed[{schema_id}]"] == "passed"
    assert outcomes["discovery/resource-type-by-id[Group]"] == "passed"
    assert outcomes["discovery/user-schema-username"] == "passed"


@pytest.mark.parametrize("group", GROUPS)
def test_a_broken_run_fails_exactly_its_breakages(group: str, runs: dict[str, SuiteRun]) -> None:
    members = GROUPS[group]
    fails = set().union(*(breakage.fails for breakage in members))
    warns = set().union(*(breakage.warns for breakage in members))
    _expect_exactly(runs[group], fails, warns)


@pytest.mark.parametrize(("group", "breakage"), BREAKAGES, ids=[b.case for _, b in BREAKAGES])
def test_each_breakage_fails_the_right_check(
    group: str, breakage: Breakage, runs: dict[str, SuiteRun]
) -> None:
    run = runs[group]
    assert breakage.fails <= set(run.with_outcome("failed")), _verdicts(run)
    assert breakage.warns <= set(run.with_outcome("warning")), _verdicts(run)
    if breakage.fails:
        assert run.returncode == 1


def test_failure_names_path_keyword_and_clause(runs: dict[str, SuiteRun]) -> None:
    messages = {c["id"]: c["message"] for c in runs["broken-b"].results["checks"]}
    assert messages["discovery/spc-schema"] == (
        'ServiceProviderConfig: $.patch.supported must be boolean, got string "yes" [type] '
        "(RFC 7643 §5)"
    )
    messages = {c["id"]: c["message"] for c in runs["broken-a"].results["checks"]}
    message = messages[f"discovery/schema-wellformed[{USER}]"]
    assert ".type (in displayName) must be one of string, boolean" in message
    assert 'got "text" [pattern] (RFC 7643 §7)' in message


def test_failure_carries_the_exchange_as_evidence(runs: dict[str, SuiteRun]) -> None:
    check = next(
        c for c in runs["broken-a"].results["checks"]
        if c["id"] == "discovery/unknown-id-error[Schemas]"
    )  # fmt: skip
    assert check["evidence"][0]["status"] == 404
    assert '"status": 404' in check["evidence"][0]["response_body"]


@pytest.mark.parametrize("name", SANDBOX_RUNS)
def test_sandbox_run_fails_exactly_its_faults(name: str, runs: dict[str, SuiteRun]) -> None:
    if name not in runs:
        pytest.skip("the installed sandbox lacks these faults (or is not installed yet)")
    fails = set().union(*SANDBOX_RUNS[name].values())
    _expect_exactly(runs[name], fails, set())


@pytest.mark.parametrize(("name", "fault"), SANDBOX_FAULTS, ids=[f for _, f in SANDBOX_FAULTS])
def test_sandbox_fault_is_caught(name: str, fault: str, runs: dict[str, SuiteRun]) -> None:
    if name not in runs:
        pytest.skip(f"the installed sandbox lacks fault {fault!r} (or is not installed yet)")
    run = runs[name]
    assert SANDBOX_RUNS[name][fault] <= set(run.with_outcome("failed")), _verdicts(run)
    assert run.returncode == 1
