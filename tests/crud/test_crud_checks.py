"""The create, read, replace, delete, errors and security checks, proved twice.

They pass on conformant real servers: PyPI's scim2-server (serving a User schema whose title
is immutable, which it enforces), the same server behind a proxy that answers in other forms
the RFCs allow, and the sandbox in both flavours. They fail where a defect is switched on:
the sandbox's faults, and the proxy's /Schemas that promise an immutability the server does
not keep. All CLI runs of this module happen once, side by side, in one module fixture.
"""

from __future__ import annotations

import json
import secrets
import subprocess
import sys
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from importlib import resources

import pytest

from conformance.catalogue import CATALOGUE
from tests.conftest import ExternalServer, SuiteRun, free_port, run_cli, wait_for_port
from tests.crud.proxy import IMMUTABLE, USER_SCHEMA, scim_proxy

AREAS = ("create", "read", "replace", "delete", "errors", "security")
SELECT = ",".join(AREAS)
IMMUTABLE_CHECKS = {"replace/immutable-kept", "replace/immutable-400"}
DELETE_CHECKS = {
    "delete/status-204",
    "delete/omitted-from-queries",
    *(f"delete/gone-404[{method}]" for method in ("GET", "PATCH", "PUT", "DELETE")),
    "delete/username-reusable",
}
REQUEST_PROBES = (
    "get-unknown", "put-unknown", "patch-unknown", "delete-unknown", "missing-username",
    "malformed-json", "duplicate",
)  # fmt: skip
ERROR_PROBES = (*REQUEST_PROBES, "anonymous", "wrong-token")

# sandbox fault -> the checks it makes fail ("failed", or "warning" for a SHOULD).
FAULT_CATCHES: dict[str, dict[str, str]] = {
    "create-location-missing": {"create/location-header": "failed"},
    "create-duplicate-accepted": {
        "create/duplicate-409": "failed",
        "create/duplicate-case-409": "warning",
    },
    "read-password-returned": {"read/password-never-returned": "failed"},
    "read-id-missing": {"create/id-assigned": "failed", "read/common-attributes": "failed"},
    "read-meta-missing": {"read/common-attributes": "failed", "read/meta-version": "warning"},
    "not-found-not-scim-error": {
        f"errors/scim-error-body[{probe}]": "failed"
        for probe in ("get-unknown", "put-unknown", "patch-unknown", "delete-unknown")
    },
    "put-resets-created": {
        "replace/id-created-unchanged": "failed",
        "replace/readonly-ignored": "failed",
    },
    "put-creates-unknown": {
        "replace/unknown-not-created": "failed",
        "errors/status-code[put-unknown]": "warning",
        "delete/gone-404[PUT]": "failed",  # the same defect: a PUT re-creates the deleted User
    },
    "delete-still-readable": {
        **{f"delete/gone-404[{m}]": "failed" for m in ("GET", "PATCH", "PUT", "DELETE")},
        "delete/omitted-from-queries": "failed",
        "delete/username-reusable": "warning",  # the "deleted" User still holds its userName
    },
    # (401 answers may come from a layer the fault does not rewrite: not required here)
    "error-status-integer": {f"errors/scim-error-body[{p}]": "failed" for p in REQUEST_PROBES},
    "auth-not-enforced": {
        "security/no-credentials-401": "warning",
        "security/wrong-token-401": "warning",
    },
    "www-authenticate-missing": {"security/www-authenticate": "failed"},
}
# defect of the "defects" proxy (see tests/crud/proxy.py) -> what it must turn into
DEFECTS: dict[str, str] = {
    "create/resource-type": "failed",  # meta.resourceType "UserAccount" on create
    "create/readonly-ignored": "failed",  # a body with meta is refused (400)
    "replace/readonly-ignored": "failed",
    "create/required-missing-rejected": "failed",  # a User without userName is "created"
    "errors/status-code[missing-username]": "warning",
    "errors/scim-error-body[missing-username]": "skipped",  # ... so there is no error to judge
    "read/unknown-404": "warning",  # unknown ids answer 400, not 404
    "errors/status-code[patch-unknown]": "warning",
    "errors/status-code[delete-unknown]": "warning",
    "errors/status-code[malformed-json]": "warning",  # scimType invalidValue, not invalidSyntax
    "replace/omitted-cleared": "warning",  # PUT merges: what it leaves out is kept
    "replace/last-modified-advances": "failed",  # lastModified always equals created
    "read/meta-location": "failed",  # meta.location names a resource that does not exist
    "delete/status-204": "failed",  # DELETE answers 200
    **{check: "skipped" for check in IMMUTABLE_CHECKS},  # plain scim2-server: none immutable
}
# Faults whose checks do not overlap share a run (each run takes seconds to start).
FAULT_GROUPS = (
    ("create-location-missing", "read-password-returned", "put-resets-created",
     "not-found-not-scim-error", "auth-not-enforced", "delete-still-readable"),
    ("create-duplicate-accepted", "read-meta-missing", "put-creates-unknown",
     "www-authenticate-missing"),
    ("read-id-missing", "error-status-integer"),
)  # fmt: skip
# What a fault may also turn into a skip or a warning (the check cannot judge, or inherits
# the state the defect left; another check fails for the defect itself).
FAULT_SKIPS: dict[str, set[str]] = {
    "create-duplicate-accepted": {"errors/scim-error-body[duplicate]"},
    "read-meta-missing": {
        "read/meta-timestamps",
        "read/meta-location",
        "replace/last-modified-advances",
    },
    "put-creates-unknown": {
        "errors/scim-error-body[put-unknown]",
        "delete/username-reusable",  # may warn: the re-created User can hold the userName
    },
    "auth-not-enforced": {
        "errors/scim-error-body[anonymous]",
        "errors/scim-error-body[wrong-token]",
        "security/www-authenticate",
    },
}


@pytest.fixture(scope="module")
def immutable_scim2(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ExternalServer]:
    """scim2-server serving RFC 7643's schemas with the User's title made immutable."""
    schemas = json.loads(
        resources.files("scim2_server").joinpath("resources/default-schemas.json").read_text()
    )
    user = next(schema for schema in schemas if schema.get("id") == USER_SCHEMA)
    for attribute in user["attributes"]:
        if attribute.get("name") == IMMUTABLE:
            attribute["mutability"] = "immutable"
    schema_file = tmp_path_factory.mktemp("scim2") / "schemas.json"
    schema_file.write_text(json.dumps(schemas), encoding="utf-8")
    port, token = free_port(), secrets.token_urlsafe(16)
    command = [sys.executable, "-m", "scim2_server.testserver.cli", "--hostname", "127.0.0.1"]
    command += ["--port", str(port), "--bearer-token", token, "--schema", str(schema_file)]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for_port(port)
        yield ExternalServer(f"http://127.0.0.1:{port}/v2", token)
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="module")
def runs(
    immutable_scim2: ExternalServer,
    scim2_server: ExternalServer,  # as it ships, behind the proxies
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[dict[str, SuiteRun]]:
    root = tmp_path_factory.mktemp("crud-runs")
    deactivating = root / "deactivating.toml"
    deactivating.write_text('delete_mode = "deactivate"\n', encoding="utf-8")

    def run(name: str, *args: str, token: str | None = None) -> Callable[[], SuiteRun]:
        env = {"SCIM_TOKEN": token} if token else None
        return lambda: run_cli("run", *args, "--select", SELECT, output_dir=root / name, env=env)

    with (
        scim_proxy(scim2_server.base_url, "variants") as variants,
        scim_proxy(scim2_server.base_url, "defects") as defects,
    ):
        jobs = {
            "scim2": run(
                "scim2", "--target", immutable_scim2.base_url, token=immutable_scim2.token
            ),
            "variants": run("variants", "--target", variants, token=scim2_server.token),
            "defects": run("defects", "--target", defects, token=scim2_server.token),
            "bizagi": run("bizagi", "--profile", "bizagi"),
        }
        for number, group in enumerate(FAULT_GROUPS):
            faults = [arg for fault in group for arg in ("--fault", fault)]
            extra = ["--profile", str(deactivating)] if number == len(FAULT_GROUPS) - 1 else []
            jobs[f"faults{number}"] = run(f"faults{number}", *faults, *extra)
        with ThreadPoolExecutor(max_workers=4) as pool:
            futures = {name: pool.submit(job) for name, job in jobs.items()}
            yield {name: future.result() for name, future in futures.items()}


def _ours(run: SuiteRun) -> dict[str, dict[str, str]]:
    """check id -> {outcome, message} for the checks of this module's areas."""
    return {
        check["id"]: {"outcome": check["outcome"], "message": check.get("message") or ""}
        for check in run.results["checks"]
        if check["id"].split("/", 1)[0] in AREAS
    }


def _not_passed(run: SuiteRun) -> dict[str, str]:
    return {i: c["outcome"] for i, c in _ours(run).items() if c["outcome"] != "passed"}


def test_every_requirement_of_the_areas_is_checked(runs: dict[str, SuiteRun]) -> None:
    listed = {r.id for r in CATALOGUE.values() if r.area in AREAS}
    checked = {check.split("[", 1)[0] for check in _ours(runs["scim2"])}
    assert listed == checked


def test_all_pass_on_scim2_server(runs: dict[str, SuiteRun]) -> None:
    run = runs["scim2"]
    assert run.returncode == 0, run.stdout + run.stderr
    assert _not_passed(run) == {}
    assert len(_ours(run)) == 48
    assert run.results["resources"]["left_behind"] == []


def test_allowed_variants_pass_and_a_false_immutability_claim_fails(
    runs: dict[str, SuiteRun],
) -> None:
    """PUT 204, 201 without a body and with a relative Location, 7-digit DateTimes with
    offsets: all allowed, all accepted (the missing body is the one SHOULD it misses). The
    proxy's schemas claim an immutable title that the server overwrites: caught."""
    run = runs["variants"]
    assert _not_passed(run) == {
        "create/returns-resource": "warning",
        "replace/immutable-kept": "failed",
        "replace/immutable-400": "warning",
    }, _ours(run)
    assert "changed the immutable title" in _ours(run)["replace/immutable-kept"]["message"]


def test_defects_the_sandbox_lacks_are_caught(runs: dict[str, SuiteRun]) -> None:
    run = runs["defects"]
    assert _not_passed(run) == DEFECTS, _ours(run)
    assert run.returncode == 1


def test_bizagi_twin_passes_and_skips_delete_with_the_reason(runs: dict[str, SuiteRun]) -> None:
    run = runs["bizagi"]
    checks = _ours(run)
    skipped = {i for i, c in checks.items() if c["outcome"] == "skipped"}
    assert _not_passed(run) == {i: "skipped" for i in skipped}
    assert skipped == DELETE_CHECKS | IMMUTABLE_CHECKS
    for check in DELETE_CHECKS:
        assert checks[check]["message"] == "profile bizagi: DELETE deactivates"
    assert run.results["resources"]["users_created"] <= 4  # Bizagi never deletes a user


def test_deactivating_profile_skips_delete_with_the_reason(runs: dict[str, SuiteRun]) -> None:
    checks = _ours(runs[f"faults{len(FAULT_GROUPS) - 1}"])
    for check in DELETE_CHECKS:
        assert checks[check] == {
            "outcome": "skipped",
            "message": "profile deactivating: DELETE deactivates",
        }


@pytest.mark.parametrize("fault", [fault for group in FAULT_GROUPS for fault in group])
def test_each_fault_is_caught(runs: dict[str, SuiteRun], fault: str) -> None:
    number = next(n for n, group in enumerate(FAULT_GROUPS) if fault in group)
    run, group = runs[f"faults{number}"], FAULT_GROUPS[number]
    outcomes = _not_passed(run)
    for check, outcome in FAULT_CATCHES[fault].items():
        assert outcomes.get(check) == outcome, (check, _ours(run).get(check))
    # nothing outside what the run's faults explain fails, warns, errs or skips
    explained = {c for f in group for c in FAULT_CATCHES[f]} | {
        c for f in group for c in FAULT_SKIPS.get(f, set())
    }
    expected_skips = IMMUTABLE_CHECKS | (
        DELETE_CHECKS if number == len(FAULT_GROUPS) - 1 else set()
    )
    unexplained = {c: o for c, o in outcomes.items() if c not in explained | expected_skips}
    assert unexplained == {}
    assert run.returncode == 1  # a MUST failed


def test_every_error_answer_is_validated(runs: dict[str, SuiteRun]) -> None:
    checks = _ours(runs["scim2"])
    for probe in ERROR_PROBES:
        assert checks[f"errors/scim-error-body[{probe}]"]["outcome"] == "passed"
