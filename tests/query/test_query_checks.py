"""The filter, paging, sort, projection, search, ETag, group and bulk checks, proved twice.

Each check passes on real conformant targets (PyPI's scim2-server, and the sandbox in both
flavours) and fails on the sandbox with the fault that breaks its clause. Faults whose
effects touch disjoint checks share a run, because every CLI run pays seconds of imports;
each fault run also proves that nothing but the expected checks fails.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from conformance.catalogue import CATALOGUE
from tests.conftest import ExternalServer, SuiteRun, run_cli

AREAS = ("filter", "paging", "sort", "projection", "search", "etag", "groups", "bulk")
SELECT = ",".join(AREAS)

FILTER_CHECKS = {
    *(f"filter/operator[{op}]" for op in "eq ne co sw ew pr gt ge lt le".split()),
    "filter/boolean[true]", "filter/boolean[false]",
    *(f"filter/datetime[{op}]" for op in ("gt", "ge", "lt", "le")),
    "filter/precedence", "filter/grouping", "filter/not", "filter/value-path",
    "filter/sub-attribute", "filter/case-exact[userName]", "filter/case-exact[externalId]",
    "filter/names-case-insensitive", "filter/extension-attribute", "filter/no-match",
    "filter/invalid[unknown-operator]", "filter/invalid[unbalanced]", "filter/invalid[boolean-gt]",
}  # fmt: skip

CAUGHT: dict[str, set[str]] = {
    "filter-ignored": FILTER_CHECKS | {"groups/filter-display-name", "search/invalid-filter"},
    "filter-case-sensitive": {"filter/case-exact[userName]"},
    "filter-invalid-500": {
        "filter/invalid[unknown-operator]", "filter/invalid[unbalanced]",
        "filter/invalid[boolean-gt]", "search/invalid-filter",
    },
    "paging-zero-based": {"paging/start-index-one-based", "paging/walk"},
    "paging-count-ignored": {
        "paging/count-caps-page[1]", "paging/count-caps-page[2]", "paging/count-zero",
        "paging/count-negative", "search/paging",
    },
    "paging-total-wrong": {
        "paging/count-zero", "paging/count-negative", "paging/total-results", "search/paging",
    },
    "sort-ignored": set(),  # the order it returns is arbitrary: see EITHER
    "attributes-ignored": {
        "projection/attributes-get", "projection/attributes-sub-attribute",
        "projection/attributes-list", "search/attributes",
    },
    "excluded-attributes-removes-id": {
        "projection/excluded-keeps-id", "search/excluded-attributes",
    },
    "etag-header-missing": {"etag/header[create]", "etag/header[get]", "etag/version-matches"},
    "etag-if-match-ignored": {
        "etag/if-match-stale[put]", "etag/if-match-stale[patch]", "etag/if-match-stale[delete]",
    },
    "group-displayname-optional": {"groups/display-name-required"},
    "bulk-bulkid-missing": {"bulk/bulk-id-returned"},
}  # fmt: skip
"""Fault -> the checks it makes fail (or warn, for a SHOULD)."""

SORTS = {
    "sort/ascending[userName]", "sort/ascending[name.familyName]",
    "sort/descending[userName]", "sort/descending[name.familyName]",
    "sort/default-ascending", "sort/case-insensitive",
}  # fmt: skip

EITHER: dict[str, list[set[str]]] = {
    "sort-ignored": [
        {"sort/ascending[userName]", "sort/descending[userName]"},
        {"sort/ascending[name.familyName]", "sort/descending[name.familyName]"},
    ],
}
"""Fault -> groups of checks of which at least one must fail. A target that ignores sortBy
returns some order of its own, which may happen to match one direction, never both."""

BREAKS: dict[str, set[str]] = {**CAUGHT, "sort-ignored": SORTS}
"""Fault -> every check it may make fail."""

FAULT_RUNS: dict[str, tuple[str, ...]] = {
    "filter-ignored": ("filter-ignored",),
    "first-set": (
        "paging-zero-based", "paging-total-wrong", "filter-case-sensitive", "sort-ignored",
        "etag-header-missing", "bulk-bulkid-missing", "excluded-attributes-removes-id",
    ),
    "second-set": (
        "paging-count-ignored", "filter-invalid-500", "attributes-ignored",
        "etag-if-match-ignored", "group-displayname-optional",
    ),
}  # fmt: skip
"""Sandbox runs. Faults that share a run break disjoint sets of checks (each was first proved
alone), so every failure is the work of exactly one fault; the runs together also show that
each check passes on the sandbox (with the clean Bizagi flavour) wherever its fault is off."""

NOT_PASSED = ("failed", "warning", "error")


@pytest.fixture(scope="module")
def runs(
    scim2_server: ExternalServer, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, SuiteRun]:
    """Every CLI run this module judges, started together (they are subprocesses)."""
    root = tmp_path_factory.mktemp("query")
    plans: dict[str, tuple[list[str], dict[str, str]]] = {
        "scim2-server": (
            ["--target", scim2_server.base_url], {"SCIM_TOKEN": scim2_server.token}
        ),
        "sandbox-bizagi": (["--profile", "bizagi"], {}),
    }
    for name, faults in FAULT_RUNS.items():
        plans[f"faults-{name}"] = ([arg for f in faults for arg in ("--fault", f)], {})

    def launch(name: str) -> SuiteRun:
        extra, env = plans[name]
        return run_cli("run", *extra, "--select", SELECT, output_dir=root / name, env=env)

    with ThreadPoolExecutor(max_workers=len(plans)) as pool:
        futures = {name: pool.submit(launch, name) for name in plans}
        return {name: future.result() for name, future in futures.items()}


def _outcomes(run: SuiteRun) -> dict[str, str]:
    assert (run.output_dir / "results.json").exists(), run.stderr[-2000:]
    return {i: o for i, o in run.outcomes().items() if i.split("/", 1)[0] in AREAS}


def _messages(run: SuiteRun, ids: set[str]) -> str:
    return "\n".join(
        f"{c['id']}: {c['outcome']}: {c.get('message', '')[:300]}"
        for c in run.results["checks"]
        if c["id"] in ids
    )


def test_every_check_is_in_the_catalogue() -> None:
    for check in set().union(*BREAKS.values()):
        assert check.split("[", 1)[0] in CATALOGUE, check


def test_every_check_passes_on_scim2_server(runs: dict[str, SuiteRun]) -> None:
    outcomes = _outcomes(runs["scim2-server"])
    assert len(outcomes) >= 80
    bad = {i for i, o in outcomes.items() if o != "passed"}
    assert not bad, _messages(runs["scim2-server"], bad)


def test_faults_sharing_a_run_break_disjoint_checks() -> None:
    for faults in FAULT_RUNS.values():
        broken = [BREAKS[f] for f in faults]
        assert sum(len(c) for c in broken) == len(set().union(*broken)), faults
    assert {f for faults in FAULT_RUNS.values() for f in faults} == set(CAUGHT)


def test_every_check_passes_on_the_sandbox_where_its_fault_is_off(
    runs: dict[str, SuiteRun],
) -> None:
    sandbox = [runs["sandbox-bizagi"], *(runs[f"faults-{name}"] for name in FAULT_RUNS)]
    checks = set(_outcomes(runs["scim2-server"]))
    never = {c for c in checks if all(_outcomes(run).get(c) != "passed" for run in sandbox)}
    assert not never, "\n\n".join(_messages(run, never) for run in sandbox)


def test_the_bizagi_sandbox_fails_nothing_and_skips_what_it_lacks(
    runs: dict[str, SuiteRun],
) -> None:
    run = runs["sandbox-bizagi"]
    outcomes = _outcomes(run)
    bad = {i for i, o in outcomes.items() if o in NOT_PASSED}
    assert not bad, _messages(run, bad)
    skipped = {i for i, o in outcomes.items() if o == "skipped"}
    assert {i.split("/", 1)[0] for i in skipped} <= {"groups", "bulk"}, _messages(run, skipped)
    # Bizagi never deletes users: the checks must stay well inside its budget of 10.
    assert run.results["resources"]["users_created"] <= 5


@pytest.mark.parametrize(("fault"), sorted(CAUGHT))
def test_the_fault_is_caught(fault: str, runs: dict[str, SuiteRun]) -> None:
    name = next(n for n, faults in FAULT_RUNS.items() if fault in faults)
    run = runs[f"faults-{name}"]
    outcomes = _outcomes(run)
    missed = {
        check for check in CAUGHT[fault]
        if outcomes.get(check) not in ("failed", "warning")
    }  # fmt: skip
    assert not missed, f"{fault} went unnoticed by:\n{_messages(run, missed)}"
    for group in EITHER.get(fault, []):
        assert any(outcomes.get(c) == "failed" for c in group), _messages(run, group)
    assert CAUGHT[fault] or EITHER.get(fault)


@pytest.mark.parametrize("name", sorted(FAULT_RUNS))
def test_a_fault_run_fails_nothing_else(name: str, runs: dict[str, SuiteRun]) -> None:
    run = runs[f"faults-{name}"]
    expected = set().union(*(BREAKS[f] for f in FAULT_RUNS[name]))
    bad = {i for i, o in _outcomes(run).items() if o in NOT_PASSED and i not in expected}
    assert not bad, _messages(run, bad)
    assert not run.results["resources"]["left_behind"]


def test_catalogue_levels_follow_the_clauses() -> None:
    """SHOULD where the RFC says SHOULD (or no keyword at all); MUST elsewhere."""
    should = {"etag/version-matches", "etag/changes-on-modify", "etag/if-none-match",
              "bulk/fail-on-errors"}  # fmt: skip
    ours = {i: r for i, r in CATALOGUE.items() if r.area in AREAS}
    assert {i for i, r in ours.items() if r.level.value == "SHOULD"} == should
    assert all(r.ref.startswith(("RFC7643 §", "RFC7644 §")) for r in ours.values())
