"""What the query checks share: a small population of the run's own users, list queries
scoped to it, and the answers by which a target declines an optional feature.

Every query is AND-ed with a scope that only the run's own users match, so results never
contain anybody else's data; expected results are computed from what the target stored for
the population (read back after creation), never from what was sent.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, TypeVar

import httpx
import pytest

from conformance.checks import describe, expect_status, fail, request_line
from conformance.discovery import CORE_USER, ENTERPRISE_USER, Capabilities
from conformance.errors import BudgetExhausted, Nonconformance, SuiteError
from conformance.factory import Factory, Resource
from conformance.http import ScimClient, json_or_none

T = TypeVar("T")

POPULATION_TAG = "qz"
"""userNames of the population start with the run prefix and this tag (where they fit)."""

MAX_PAGES = 20
"""Most pages a check follows before it stops collecting (a guard against endless lists)."""

SEARCH_ABSENT = (404, 405, 501)
"""Statuses by which a target says it does not offer POST /.search (RFC 7644 §3.4.3)."""


class SetupFailed(SuiteError):
    """The data a check needs could not be prepared: the check is an error, not a failure."""


# -- once per run -----------------------------------------------------------------------------


def once(factory: Factory, key: str, build: Callable[[], T]) -> T:
    """Build shared data of the run on first use, inside the check that needs it.

    Lazy on purpose: a pytest fixture would be set up before a check's preconditions are
    judged, and so create users in read-only runs or on targets that skip the check. The
    factory remembers the result or the error for the checks that come later. A refusal
    while preparing data is an error of the check, not its verdict: the check never ran.
    """

    def guarded() -> T:
        try:
            return build()
        except Nonconformance as problem:
            first_line = (str(problem).splitlines() or [type(problem).__name__])[0]
            raise SetupFailed(f"could not prepare the data of this check: {first_line}") from None

    return factory.shared(f"querying/{key}", guarded)


def check_budget(factory: Factory, users: int) -> None:
    """Raise BudgetExhausted (a skip) unless the run may still create that many users."""
    if factory.ledger.users_left < users:
        raise BudgetExhausted(
            f"this check needs {users} new user(s) and the run's user budget of "
            f"{factory.ledger.user_budget} has {factory.ledger.users_left} left; "
            "raise it with --max-users"
        )


# -- attribute values -------------------------------------------------------------------------


def _member(mapping: Mapping[str, Any], name: str) -> Any:
    """The value of a key, matched case-insensitively (attribute names are, RFC 7643 §2.1)."""
    if name in mapping:
        return mapping[name]
    lowered = name.lower()
    return next((v for k, v in mapping.items() if k.lower() == lowered), None)


def value_at(resource: Mapping[str, Any], path: str) -> Any:
    """The value at an attribute path (`name.familyName`, `emails.type`, `urn:...:attr`).

    A sub-attribute of a multi-valued attribute gives the list of the values' sub-attributes.
    """
    container: Any = resource
    if path.lower().startswith("urn:"):
        urn, _, path = path.rpartition(":")
        container = _member(resource, urn)
    for part in path.split("."):
        if isinstance(container, Mapping):
            container = _member(container, part)
        elif isinstance(container, list):
            container = [_member(item, part) for item in container if isinstance(item, Mapping)]
            container = [item for item in container if item is not None]
        else:
            return None
    return container


def has_value(value: Any) -> bool:
    """RFC 7644 `pr`: a non-empty, non-null value (unassigned, null and [] are equivalent)."""
    if value is None:
        return False
    if isinstance(value, str | list | dict):
        return bool(value)
    return True


def case_exact(capabilities: Capabilities, path: str, default: bool) -> bool:
    """The caseExact characteristic the target declares for a core User attribute."""
    definition = capabilities.attribute(CORE_USER, path)
    declared = definition.get("caseExact") if definition else None
    return declared if isinstance(declared, bool) else default


def returned_always(capabilities: Capabilities, schema: str = CORE_USER) -> set[str]:
    """Top-level attributes the target's schema marks `returned: always`, lower-cased."""
    attributes = (capabilities.schemas.get(schema) or {}).get("attributes") or []
    return {
        str(a.get("name", "")).lower()
        for a in attributes
        if isinstance(a, dict) and str(a.get("returned", "")).lower() == "always"
    }


def parse_datetime(value: Any) -> datetime | None:
    """An xsd:dateTime as an aware datetime, or None when it is not one."""
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else None


def fraction_digits(value: str) -> int:
    """How many fractional-second digits a dateTime string carries."""
    match = re.search(r"T\d{2}:\d{2}:\d{2}\.(\d+)", value)
    return len(match.group(1)) if match else 0


def moment_between(moments: list[datetime], digits: int) -> datetime | None:
    """A moment inside the widest gap between two users, at least one unit of the returned
    precision away from both, so that truncation or rounding by the target cannot cross it."""
    unit_us = 10 ** (6 - min(digits, 6))
    ordered = sorted(moments)
    gaps = [(b - a, a) for a, b in zip(ordered, ordered[1:], strict=False)]
    if not gaps or max(gaps)[0] < timedelta(microseconds=2 * unit_us):
        return None
    gap, low = max(gaps)
    middle = low + gap / 2
    return middle - timedelta(microseconds=middle.microsecond % unit_us)


# -- the population ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Spec:
    """One user of the population: values chosen so that each operator has something to tell."""

    family: str
    given: str
    display: str
    title: str | None
    active: bool
    home_email: bool
    external_id: str | None
    employee_number: str | None


# Creation order differs from every sort order used by the checks, and displayName mixes
# case so that a case-sensitive sort tells itself apart from a case-insensitive one.
SPECS = (
    Spec("Delta", "Ann", "delta member", "Engineer", True, True, "Qz-Ext-A", "1001"),
    Spec("Bravo", "Ben", "Bravo member", None, False, False, "qz-ext-b", "1002"),
    Spec("Echo", "Cat", "echo member", "Manager", True, True, None, None),
    Spec("Alpha", "Dan", "alpha member", "Engineer", False, False, "QZ-EXT-D", "1003"),
)


@dataclass
class Scope:
    """The filter expression that only the population matches, and whether it can be trusted."""

    expression: str | None
    problem: str | None = None

    def require(self) -> str:
        """The expression, for checks that judge filtering themselves; skip if there is none."""
        if self.expression is None:
            pytest.skip(self.problem or "no filter keeps queries to the run's own users")
        return self.expression

    def require_reliable(self) -> str:
        """The expression, for checks of other features: skip unless it scopes correctly."""
        expression = self.require()
        if self.problem:
            pytest.skip(self.problem)
        return expression


@dataclass
class Population:
    """The run's query population: resources as created, bodies as the target stores them."""

    resources: list[Resource]
    prefix: str
    users_path: str
    _scope: Scope | None = field(default=None, repr=False)

    @property
    def bodies(self) -> list[dict[str, Any]]:
        return [r.body for r in self.resources]

    @property
    def ids(self) -> list[str]:
        return [r.id for r in self.resources]

    def name_of(self, resource_id: str) -> str:
        return next((r.name for r in self.resources if r.id == resource_id), resource_id)

    def names(self, ids: Iterable[str]) -> str:
        """userNames of some population ids, in population order, for messages."""
        wanted = set(ids)
        listed = [r.name for r in self.resources if r.id in wanted]
        return "[" + ", ".join(listed) + "]" if listed else "none"

    def in_scope(self, resource: Mapping[str, Any]) -> bool:
        """Whether a returned resource is one a scoped query may return at all."""
        name = resource.get("userName")
        return isinstance(name, str) and name.casefold().startswith(self.prefix.casefold())

    def scope(self, scim: ScimClient) -> Scope:
        """`userName sw "<prefix>"`, or an or-chain of `userName eq` where sw is declined."""
        if self._scope is None:
            self._scope = _choose_scope(scim, self)
        return self._scope

    def scoped(self, scim: ScimClient, expression: str) -> str:
        """A filter expression restricted to the population (the scope AND-ed in front)."""
        return f"{self.scope(scim).require()} and ({expression})"

    def refresh(self, scim: ScimClient, factory: Factory) -> None:
        """Read every user again: other checks may have touched meta.lastModified."""
        for resource in self.resources:
            response = scim.get(factory.path(resource))
            body = json_or_none(response)
            if response.status_code == 200 and isinstance(body, dict):
                resource.body = body


def population(scim: ScimClient, factory: Factory, capabilities: Capabilities) -> Population:
    """The run's four query users, created on first use and shared by every query check."""
    return once(factory, "population", lambda: _create_population(scim, factory, capabilities))


def _create_population(
    scim: ScimClient, factory: Factory, capabilities: Capabilities
) -> Population:
    check_budget(factory, len(SPECS))
    users = capabilities.users
    enterprise = bool(users and ENTERPRISE_USER in users.extensions)
    resources: list[Resource] = []
    for spec in SPECS:
        user_name = factory.username(POPULATION_TAG)
        payload = _payload(factory, spec, user_name, enterprise=enterprise)
        response = scim.post(factory.users_path, payload)
        if response.status_code == 400:
            # A target may refuse optional attributes it does not keep (title, externalId,
            # a second email): fall back to the plainest user that still varies.
            payload = _plain_payload(factory, spec, user_name)
            response = scim.post(factory.users_path, payload)
        resource = factory.record_created("User", response, name=user_name)
        read = scim.get(factory.path(resource))
        stored = json_or_none(read)
        if read.status_code == 200 and isinstance(stored, dict):
            resource.body = stored
        stored_name = resource.body.get("userName")
        if isinstance(stored_name, str) and stored_name:
            resource.name = stored_name
        resources.append(resource)
    tagged = f"{factory.run_prefix}{POPULATION_TAG}".casefold()
    prefix = (
        f"{factory.run_prefix}{POPULATION_TAG}"
        if all(r.name.casefold().startswith(tagged) for r in resources)
        else factory.run_prefix
    )
    return Population(resources, prefix, factory.users_path)


def _payload(factory: Factory, spec: Spec, user_name: str, *, enterprise: bool) -> dict[str, Any]:
    local = user_name.split("@", 1)[0]
    emails: list[dict[str, Any]] = [{"value": user_name, "type": "work", "primary": True}]
    if spec.home_email:
        emails.append({"value": f"{local}@home.example.net", "type": "home"})
    extra: dict[str, Any] = {}
    if spec.title:
        extra["title"] = spec.title
    if spec.external_id:
        extra["externalId"] = spec.external_id
    payload = factory.user_payload(
        user_name,
        name={
            "givenName": spec.given,
            "familyName": spec.family,
            "formatted": f"{spec.given} {spec.family}",
        },
        displayName=spec.display,
        active=spec.active,
        emails=emails,
        **extra,
    )
    if enterprise and spec.employee_number:
        payload["schemas"] = [*payload["schemas"], ENTERPRISE_USER]
        payload[ENTERPRISE_USER] = {"employeeNumber": spec.employee_number}
    return payload


def _plain_payload(factory: Factory, spec: Spec, user_name: str) -> dict[str, Any]:
    return factory.user_payload(
        user_name,
        name={
            "givenName": spec.given,
            "familyName": spec.family,
            "formatted": f"{spec.given} {spec.family}",
        },
        displayName=spec.display,
        active=spec.active,
    )


def _choose_scope(scim: ScimClient, population: Population) -> Scope:
    names = [r.name for r in population.resources]
    candidates = [
        f'userName sw "{population.prefix}"',
        "(" + " or ".join(f'userName eq "{name}"' for name in names) + ")",
    ]
    declined: list[str] = []
    for expression in candidates:
        response = scim.get(population.users_path, params={"filter": expression})
        reason = declined_reason(response)
        if reason:
            declined.append(f"{expression}: {reason}")
            continue
        if response.status_code != 200:
            return Scope(
                expression,
                f"cannot keep queries to the run's own users: GET {population.users_path}"
                f"?filter={expression} answered {describe(response)}",
            )
        return Scope(expression, _scope_problem(scim, population, expression, response))
    return Scope(
        None,
        "cannot keep queries to the run's own users: the target declines "
        + "; and ".join(declined),
    )


def _scope_problem(
    scim: ScimClient, population: Population, expression: str, first: httpx.Response
) -> str | None:
    try:
        # Three pages at most: a target that ignores the filter would list everybody.
        resources, _ = collect(
            scim, population.users_path, {"filter": expression}, first=first, max_pages=3
        )
    except Nonconformance as error:
        return f"cannot trust the scoping query: {str(error).splitlines()[0]}"
    returned = {str(r.get("id")) for r in resources}
    missing = [i for i in population.ids if i not in returned]
    strangers = [r for r in resources if r.get("id") not in population.ids]
    if expression.startswith("userName sw"):
        strangers = [r for r in strangers if not population.in_scope(r)]
    if missing or strangers:
        return (
            f"filter={expression} does not return exactly the run's users ("
            f"{len(missing)} missing, {len(strangers)} others), so this check cannot be "
            "judged; the filter checks report the defect"
        )
    return None


# -- list responses ---------------------------------------------------------------------------


@dataclass
class Page:
    """One ListResponse page, checked for the shape RFC 7644 §3.4.2 requires."""

    response: httpx.Response
    body: dict[str, Any]
    resources: list[dict[str, Any]]
    total: int

    @property
    def ids(self) -> list[str]:
        return [str(r.get("id")) for r in self.resources]


def read_page(response: httpx.Response, *, resources_required: bool = True) -> Page:
    """The page of a 200 ListResponse; anything else fails the check with the evidence."""
    expect_status(response, 200)
    body = json_or_none(response)
    line = request_line(response)
    if not isinstance(body, dict):
        fail(f"{line} answered 200 without a JSON object.\nActual: {describe(response)}")
    total = body.get("totalResults")
    if not isinstance(total, int) or isinstance(total, bool) or total < 0:
        fail(
            f"{line}: a ListResponse needs totalResults, a non-negative integer "
            f"(RFC 7644 §3.4.2); got {json.dumps(total)}.\nActual: {describe(response)}"
        )
    resources = body.get("Resources")
    if resources is None:
        if total and resources_required and body.get("itemsPerPage") != 0:
            fail(
                f"{line}: totalResults is {total} but the ListResponse has no Resources "
                f"(REQUIRED if totalResults is non-zero, RFC 7644 §3.4.2).\n"
                f"Actual: {describe(response)}"
            )
        resources = []
    if not isinstance(resources, list) or not all(isinstance(r, dict) for r in resources):
        fail(f"{line}: Resources must be a list of objects.\nActual: {describe(response)}")
    return Page(response, body, resources, total)


def collect(
    scim: ScimClient,
    path: str,
    params: Mapping[str, str | int],
    *,
    first: httpx.Response | None = None,
    max_pages: int = MAX_PAGES,
) -> tuple[list[dict[str, Any]], int]:
    """Every resource of a query, following the target's own paging; and its totalResults."""
    response = first if first is not None else scim.get(path, params=params)
    page = read_page(response)
    resources = list(page.resources)
    total, start = page.total, 1
    for _ in range(max_pages - 1):
        if not page.resources or len(resources) >= total:
            break
        start += len(page.resources)
        page = read_page(scim.get(path, params={**params, "startIndex": start}))
        resources.extend(page.resources)
    return resources, total


def declined_reason(response: httpx.Response) -> str | None:
    """Why a target legitimately refused a well-formed filter, or None if it did not.

    RFC 7644 Table 9: invalidFilter also covers "the specified attribute and filter comparison
    combination is not supported"; §7.5.2: a filter with sensitive data may be answered 403
    with scimType "sensitive", asking the client to use POST.
    """
    if response.status_code not in (400, 403):
        return None
    body = json_or_none(response)
    scim_type = body.get("scimType") if isinstance(body, dict) else None
    if response.status_code == 400 and scim_type == "invalidFilter":
        return "400 invalidFilter (an unsupported attribute/operator combination, RFC 7644 Table 9)"
    if response.status_code == 403 and scim_type == "sensitive":
        return "403 sensitive (RFC 7644 §7.5.2)"
    return None


def skip_if_declined(response: httpx.Response, expression: str) -> None:
    """Skip (never fail) when the target declines an optional filter it is allowed to decline."""
    reason = declined_reason(response)
    if reason:
        pytest.skip(f"the target declined filter={expression} with {reason}")


def skip_if_no_search(response: httpx.Response) -> None:
    """POST /.search is a client's option (RFC 7644 §3.4.3) with no discovery flag: a target
    that answers 404, 405 or 501 does not offer it, which is not a failure."""
    if response.status_code in SEARCH_ABSENT:
        pytest.skip(
            f"{request_line(response)} answered {response.status_code}: the target does not "
            "offer queries with POST /.search (RFC 7644 §3.4.3 has no discovery flag for it)"
        )


DEFAULT_ATTRIBUTES = (
    "name",
    "emails",
    "displayName",
    "title",
    "active",
    "externalId",
    ENTERPRISE_USER,
)
"""Default-returned attributes a population user may carry besides id and userName."""


def defaults_held(body: Mapping[str, Any], capabilities: Capabilities, *keep: str) -> list[str]:
    """The default attributes a stored user has, other than `keep` and those returned always:
    what a projection that does not ask for them must leave out."""
    always = returned_always(capabilities)
    kept = {k.lower() for k in keep}
    return [
        a
        for a in DEFAULT_ATTRIBUTES
        if has_value(value_at(body, a)) and a.lower() not in always | kept
    ]


def projection_leaks(resource: Mapping[str, Any], unwanted: Iterable[str]) -> list[str]:
    """The unwanted top-level attributes a projected resource still carries."""
    return [name for name in unwanted if has_value(_member(resource, name))]
