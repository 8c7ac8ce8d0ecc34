"""The pytest plugin: options, the run's fixtures, verdicts by requirement level, results files.

Loaded through the `pytest11` entry point, so `pytest --pyargs conformance.suites
--scim-target URL` works as well as `scim-conformance run`. It stays passive for tests that
carry no requirement marker (the project's own tests, for one).
"""

from __future__ import annotations

import fnmatch
import time
from collections.abc import Generator, Iterator
from typing import Any

import pytest

from conformance.catalogue import CATALOGUE, Level, Requirement
from conformance.config import AuthOptions
from conformance.discovery import Capabilities
from conformance.errors import BudgetExhausted, ConfigError, Nonconformance, TargetUnavailable
from conformance.factory import Factory
from conformance.http import ScimClient
from conformance.profile import Profile
from conformance.report import ReportSettings, write_all
from conformance.results import CheckResult, Outcome, RunResults
from conformance.run import RunContext, RunOptions, cleanup, open_run

CONTEXT_KEY = pytest.StashKey["RunContext | None"]()
OPTIONS_KEY = pytest.StashKey[RunOptions]()
RESULTS_KEY = pytest.StashKey[dict[str, CheckResult]]()
RUN_KEY = pytest.StashKey["RunResults | None"]()
REPORT_KEY = pytest.StashKey[ReportSettings]()  # set by `scim-conformance run` (reports, gate)

_FEATURE_SKIP = "not advertised: ServiceProviderConfig {feature}.supported is not true"


class ProvidedRun:
    """Hands a run the CLI already opened to the plugin (see `conformance.cli`)."""

    def __init__(self, context: RunContext) -> None:
        self.context = context

    @pytest.hookimpl(tryfirst=True)
    def pytest_configure(self, config: pytest.Config) -> None:
        config.stash[CONTEXT_KEY] = self.context
        config.stash[OPTIONS_KEY] = self.context.options


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("scim-conformance", "SCIM conformance suite")
    add = group.addoption
    add("--scim-target", help="SCIM base URL; without it the embedded sandbox is started")
    add("--scim-profile", help="profile name or TOML path (default: generic)")
    add("--scim-output-dir", help="where results.json and reports go")
    add("--scim-token-env", help="environment variable holding the bearer token (SCIM_TOKEN)")
    add("--scim-token-file", help="file holding the bearer token")
    add("--scim-basic-user-env", help="environment variable holding the HTTP Basic user")
    add("--scim-basic-password-env", help="environment variable holding the Basic password")
    add("--scim-oauth-token-url", help="OAuth 2.0 token endpoint (client credentials)")
    add("--scim-client-id-env", help="environment variable holding the OAuth client id")
    add("--scim-client-secret-env", help="environment variable holding the OAuth secret")
    add("--scim-scope", help="OAuth scope")
    add("--scim-select", help="comma-separated check-id prefixes or globs; !x excludes")
    add("--scim-seed", type=int, help="seed for generated data and Hypothesis")
    add("--scim-read-only", action="store_true", default=False, help="make no writes")
    add("--scim-max-users", type=int, help="most users the run may create")
    add("--scim-fault", action="append", default=[], help="sandbox fault to switch on")
    add("--scim-flavour", help="sandbox flavour: rfc or bizagi")
    add("--scim-fail-on", default="must", help="must or should")


def _options_from(config: pytest.Config) -> RunOptions:
    get = config.getoption
    return RunOptions(
        target=get("scim_target"),
        profile=get("scim_profile"),
        output_dir=get("scim_output_dir"),
        auth=AuthOptions(
            token_env=get("scim_token_env"),
            token_file=get("scim_token_file"),
            basic_user_env=get("scim_basic_user_env"),
            basic_password_env=get("scim_basic_password_env"),
            oauth_token_url=get("scim_oauth_token_url"),
            client_id_env=get("scim_client_id_env"),
            client_secret_env=get("scim_client_secret_env"),
            scope=get("scim_scope"),
        ),
        select=get("scim_select"),
        seed=get("scim_seed"),
        read_only=bool(get("scim_read_only")),
        fail_on=get("scim_fail_on") or "must",
        max_users=get("scim_max_users"),
        faults=tuple(get("scim_fault") or ()),
        flavour=get("scim_flavour"),
    )


def pytest_configure(config: pytest.Config) -> None:
    for marker in (
        "scim_requirement(id): the catalogue requirement a check enforces",
        "scim_needs(*features): skip unless the ServiceProviderConfig advertises them",
        "scim_needs_resource(*types): skip unless the target offers these resource types",
        "scim_writes: the check changes data (skipped in read-only runs)",
    ):
        config.addinivalue_line("markers", marker)
    config.stash.setdefault(CONTEXT_KEY, None)
    if OPTIONS_KEY not in config.stash:
        config.stash[OPTIONS_KEY] = _options_from(config)
    config.stash[RESULTS_KEY] = {}
    config.stash[RUN_KEY] = None


# -- selection --------------------------------------------------------------------------


def check_id(item: pytest.Item) -> str | None:
    """`area/slug`, plus `[param]` for a parametrized check; None for non-checks."""
    marker = item.get_closest_marker("scim_requirement")
    if marker is None:
        return None
    base = str(marker.args[0])
    callspec = getattr(item, "callspec", None)
    return f"{base}[{callspec.id}]" if callspec is not None else base


def selected(identifier: str, expression: str | None) -> bool:
    """`--select`: comma-separated prefixes or globs; a leading `!` excludes."""
    if not expression:
        return True
    terms = [t.strip() for t in expression.split(",") if t.strip()]
    include = [t for t in terms if not t.startswith("!")]
    exclude = [t[1:] for t in terms if t.startswith("!")]

    def matches(term: str) -> bool:
        return identifier.startswith(term) or fnmatch.fnmatchcase(identifier, term)

    if any(matches(term) for term in exclude):
        return False
    return not include or any(matches(term) for term in include)


# Generated-input areas run after every hand-written check: what they leave on the target
# (users with odd names, accepted malformed input) must not change what a clause check sees.
GENERATED_AREAS = ("stateful", "contract")


def _run_last(item: pytest.Item) -> bool:
    identifier = check_id(item)
    return identifier is not None and identifier.split("/", 1)[0] in GENERATED_AREAS


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    items.sort(key=_run_last)  # stable: file order is kept within each group
    expression = config.stash[OPTIONS_KEY].select
    if not expression:
        return
    keep: list[pytest.Item] = []
    drop: list[pytest.Item] = []
    for item in items:
        identifier = check_id(item)
        (keep if identifier is None or selected(identifier, expression) else drop).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


# -- fixtures ---------------------------------------------------------------------------


@pytest.fixture(scope="session")
def scim_run(pytestconfig: pytest.Config) -> RunContext:
    """The run's live context, opened once (by the CLI, or here under plain pytest)."""
    return run_context(pytestconfig)


def run_context(config: pytest.Config) -> RunContext:
    """The run's live context; also for `pytest_generate_tests`, which parametrizes checks
    by what discovery found (one check per schema, per resource type)."""
    context = config.stash[CONTEXT_KEY]
    if context is None:
        try:
            context = open_run(config.stash[OPTIONS_KEY])
        except ConfigError as exc:
            pytest.exit(f"configuration error: {exc}", returncode=2)
        except TargetUnavailable as exc:
            pytest.exit(str(exc), returncode=3)
        config.stash[CONTEXT_KEY] = context
        config.add_cleanup(context.close)
    return context


@pytest.fixture(scope="session")
def scim(scim_run: RunContext) -> ScimClient:
    """The recording SCIM client, bound to the target."""
    return scim_run.client


@pytest.fixture(scope="session")
def capabilities(scim_run: RunContext) -> Capabilities:
    """What discovery says the target supports."""
    return scim_run.capabilities


@pytest.fixture(scope="session")
def profile(scim_run: RunContext) -> Profile:
    return scim_run.profile


@pytest.fixture(scope="session")
def factory(scim_run: RunContext) -> Factory:
    """Builds payloads that fit the target and creates resources through the ledger."""
    return scim_run.factory


@pytest.fixture(autouse=True)
def _scim_check(request: pytest.FixtureRequest) -> Iterator[None]:
    """Per check: start its evidence log, apply its preconditions. Passive for other tests."""
    identifier = check_id(request.node)
    if identifier is None:
        yield
        return
    context: RunContext = request.getfixturevalue("scim_run")
    context.evidence.begin(identifier)
    reason = _skip_reason(request.node, context)
    if reason:
        pytest.skip(reason)
    yield


def _skip_reason(item: pytest.Item, context: RunContext) -> str | None:
    for marker in item.iter_markers("scim_needs"):
        for feature in marker.args:
            if not context.capabilities.supports(feature):
                return _FEATURE_SKIP.format(feature=feature)
    for marker in item.iter_markers("scim_needs_resource"):
        for name in marker.args:
            if context.capabilities.resource_type(name) is None:
                return f"not offered: the target lists no {name} ResourceType"
            scope = context.profile.resource_types
            if scope and name not in scope:
                return f"out of scope: profile {context.profile.name} tests {', '.join(scope)}"
    if item.get_closest_marker("scim_writes") and context.options.read_only:
        return "read-only run: this check creates or changes data"
    return None


# -- verdicts ---------------------------------------------------------------------------


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    identifier = check_id(item)
    marker = item.get_closest_marker("scim_requirement")
    if identifier is None or marker is None:
        return report
    _record(item, call, report, identifier, CATALOGUE[str(marker.args[0])])
    return report


def _record(
    item: pytest.Item,
    call: pytest.CallInfo[None],
    report: pytest.TestReport,
    identifier: str,
    requirement: Requirement,
) -> None:
    """Fold one phase's report into the check's result (the worst outcome wins)."""
    results = item.config.stash[RESULTS_KEY]
    result = results.get(identifier)
    if result is None:
        result = CheckResult(
            id=identifier,
            requirement_id=requirement.id,
            requirement=requirement.ref,
            level=requirement.level.value,
            statement=requirement.statement,
            outcome="passed",
            url=requirement.url,
            area=requirement.area,
        )
        results[identifier] = result
        item.stash[_STARTED] = time.perf_counter()
    verdict, message = _verdict(report, call, requirement.level)
    if verdict is not None and _worse(verdict, result.outcome):
        result.outcome, result.message = verdict, message
        if verdict == "warning":
            report.outcome = "passed"
            report.user_properties.append(("scim_outcome", "warning"))
    if report.when == "teardown":
        context = item.config.stash[CONTEXT_KEY]
        if context is not None:
            result.evidence = [e.to_dict() for e in context.evidence.take()]
        result.duration_ms = round((time.perf_counter() - item.stash[_STARTED]) * 1000, 1)


_STARTED = pytest.StashKey[float]()
_RANK = {"passed": 0, "skipped": 1, "warning": 2, "failed": 3, "error": 4}


def _worse(new: str, old: str) -> bool:
    return _RANK[new] > _RANK[old]


def _verdict(
    report: pytest.TestReport, call: pytest.CallInfo[None], level: Level
) -> tuple[Outcome | None, str]:
    if report.skipped:
        longrepr = report.longrepr
        reason = longrepr[2] if isinstance(longrepr, tuple) else str(longrepr)
        return "skipped", reason.removeprefix("Skipped: ")
    if not report.failed:
        return None, ""
    excinfo = call.excinfo
    error = excinfo.value if excinfo is not None else None
    if isinstance(error, BudgetExhausted):
        return "skipped", str(error)
    if report.when == "call" and isinstance(error, AssertionError):
        message = str(error).strip() or "assertion failed"
        if not isinstance(error, Nonconformance):
            message = message.splitlines()[0]
        return ("failed" if level is Level.MUST else "warning"), message
    kind = type(error).__name__ if error is not None else "Error"
    return "error", f"{kind}: {error}".splitlines()[0] if error is not None else kind


# -- results ----------------------------------------------------------------------------


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    config = session.config
    context = config.stash.get(CONTEXT_KEY, None)
    if context is None:
        return
    cleanup(context)
    results = RunResults(
        meta=context.meta(),
        checks=list(config.stash[RESULTS_KEY].values()),
        capabilities=_capabilities_summary(context.capabilities),
        resources=_resources_summary(context),
    )
    config.stash[RUN_KEY] = results
    write_all(
        results,
        context.output_dir,
        redactor=context.redactor,
        settings=config.stash.get(REPORT_KEY, None),
    )


def _capabilities_summary(capabilities: Capabilities) -> dict[str, Any]:
    features = ("patch", "bulk", "filter", "changePassword", "sort", "etag")
    return {
        "features": {name: capabilities.supports(name) for name in features},
        "filter_max_results": capabilities.max_results,
        "bulk": capabilities.feature("bulk"),
        "resource_types": {
            name: {"endpoint": info.endpoint, "schema": info.schema, "extensions": info.extensions}
            for name, info in capabilities.resource_types.items()
        },
        "schemas": sorted(capabilities.schemas),
        "authentication_schemes": [
            scheme.get("type")
            for scheme in capabilities.service_provider_config.get("authenticationSchemes") or []
            if isinstance(scheme, dict)
        ],
        "problems": capabilities.problems,
    }


def _resources_summary(context: RunContext) -> dict[str, Any]:
    ledger = context.ledger
    return {
        "users_created": ledger.users_created,
        "users_reused": ledger.users_reused,
        "user_budget": ledger.user_budget,
        "created": len(ledger.entries),
        "left_behind": [
            {
                "resource_type": e.resource_type,
                "id": e.id,
                "name": e.name,
                "state": e.state,
                "reused": e.reused,
            }
            for e in ledger.left_behind()
        ],
        "ledger": str(context.ledger.path) if context.ledger.path else None,
    }
