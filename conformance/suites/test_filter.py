"""Filtering (RFC 7644 §3.4.2.2), judged on the run's own population of four users.

Every filter is AND-ed with the population's scope, so results only ever hold the run's own
users. Expected results are computed from what the target stored. A well-formed filter that
the target declines with 400 invalidFilter is skipped: Table 9 lets a provider refuse "the
specified attribute and filter comparison combination" it does not support.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest

from conformance.checks import (
    describe,
    expect_scim_error,
    fail,
    needs,
    request_line,
    requirement,
    writes,
)
from conformance.discovery import ENTERPRISE_USER, Capabilities
from conformance.factory import Factory
from conformance.http import ScimClient
from conformance.suites._querying import (
    Population,
    case_exact,
    collect,
    fraction_digits,
    has_value,
    moment_between,
    parse_datetime,
    population,
    read_page,
    skip_if_declined,
    value_at,
)

Predicate = Callable[[dict[str, Any]], bool | None]
"""True/False: the user must / must not be returned; None: the filter leaves it undefined."""

FAMILY = "name.familyName"


def expect_matches(
    scim: ScimClient,
    people: Population,
    expression: str,
    predicate: Predicate,
    *,
    scoped: bool = True,
    why: str = "",
) -> None:
    """Query with the filter and compare the population users returned to the oracle.

    `scoped=False` sends the expression alone; only for an expression that nobody but the
    population can match (an exact userName, unique across the service provider).
    """
    full = people.scoped(scim, expression) if scoped else expression
    response = scim.get(people.users_path, params={"filter": full})
    skip_if_declined(response, expression)
    resources = read_page(response).resources
    if scoped and not any(_stranger(people, r) for r in resources):
        # Further pages only while the first shows nobody outside the scope: a target that
        # ignores the filter is proved wrong by one page, without listing everybody.
        resources, _ = collect(scim, people.users_path, {"filter": full}, first=response)
    returned = [str(r.get("id")) for r in resources]
    verdicts = {r.id: predicate(r.body) for r in people.resources}
    expected = {i for i, v in verdicts.items() if v is True}
    forbidden = {i for i, v in verdicts.items() if v is False}
    missing = expected - set(returned)
    wrong = forbidden & set(returned)
    strangers = [
        r for r in resources if r.get("id") not in verdicts and (not scoped or _stranger(people, r))
    ]
    duplicates = sorted({i for i in returned if returned.count(i) > 1})
    if not (missing or wrong or strangers or duplicates):
        return
    problems = []
    if missing:
        problems.append(f"missing matches {people.names(missing)}")
    if wrong:
        problems.append(f"returned non-matching {people.names(wrong)}")
    if strangers:
        problems.append(f"{len(strangers)} resource(s) outside the filter's scope")
    if duplicates:
        problems.append(f"duplicates {people.names(duplicates)}")
    reason = f" ({why})" if why else ""
    fail(
        f"{request_line(response)}: {'; '.join(problems)}{reason}. A filter returns exactly "
        f"the resources that match it (RFC 7644 §3.4.2.2).\n"
        f"Expected: {people.names(expected)}\n"
        f"Actual: {people.names(i for i in returned if i in verdicts)} "
        f"(+{len(returned) - len([i for i in returned if i in verdicts])} other)"
    )


def _stranger(people: Population, resource: dict[str, Any]) -> bool:
    """A resource that no query scoped to the population may return."""
    return str(resource.get("id")) not in people.ids and not people.in_scope(resource)


def _text(body: dict[str, Any], path: str) -> str | None:
    value = value_at(body, path)
    return value if isinstance(value, str) and value else None


def _values(people: Population, path: str) -> list[str]:
    values = [v for v in (_text(b, path) for b in people.bodies) if v is not None]
    if not values:
        pytest.skip(f"the target stored no {path} for the run's users, so nothing to filter on")
    return values


def _string_case(name: str, people: Population) -> tuple[str, Predicate]:
    """The filter and its oracle for one operator on name.familyName (caseExact false)."""
    values = sorted(_values(people, FAMILY), key=str.casefold)
    middle = values[len(values) // 2]
    fold = middle.casefold()

    def on(test: Callable[[str], bool]) -> Predicate:
        def predicate(body: dict[str, Any]) -> bool | None:
            value = _text(body, FAMILY)
            return None if value is None else test(value.casefold())

        return predicate

    cases: dict[str, tuple[str, Predicate]] = {
        "eq": (f'{FAMILY} eq "{middle}"', on(lambda v: v == fold)),
        "ne": (f'{FAMILY} ne "{middle}"', on(lambda v: v != fold)),
        "co": (f'{FAMILY} co "{middle[1:-1]}"', on(lambda v: middle[1:-1].casefold() in v)),
        "sw": (f'{FAMILY} sw "{middle[:2]}"', on(lambda v: v.startswith(middle[:2].casefold()))),
        "ew": (f'{FAMILY} ew "{middle[-2:]}"', on(lambda v: v.endswith(middle[-2:].casefold()))),
        "pr": ("title pr", lambda body: has_value(value_at(body, "title"))),
        "gt": (f'{FAMILY} gt "{middle}"', on(lambda v: v > fold)),
        "ge": (f'{FAMILY} ge "{middle}"', on(lambda v: v >= fold)),
        "lt": (f'{FAMILY} lt "{middle}"', on(lambda v: v < fold)),
        "le": (f'{FAMILY} le "{middle}"', on(lambda v: v <= fold)),
    }
    return cases[name]


# RFC 7644 §3.4.2.2: "When specified, only those resources matching the filter expression
# SHALL be returned." Table 3 defines eq, ne, co, sw, ew, pr, gt, ge, lt, le; "For string
# attribute types, this is a lexicographical comparison".
@requirement("filter/operator")
@needs("filter")
@writes
@pytest.mark.parametrize("operator", ["eq", "ne", "co", "sw", "ew", "pr", "gt", "ge", "lt", "le"])
def test_string_operators(
    operator: str, scim: ScimClient, factory: Factory, capabilities: Capabilities
) -> None:
    people = population(scim, factory, capabilities)
    expression, predicate = _string_case(operator, people)
    expect_matches(scim, people, expression, predicate)


# RFC 7644 §3.4.2.2 Table 3, eq: "The attribute and operator values must be identical for a
# match." compValue = false / null / true / number / string (Figure 1).
@requirement("filter/boolean")
@needs("filter")
@writes
@pytest.mark.parametrize("literal", ["true", "false"])
def test_boolean_eq(
    literal: str, scim: ScimClient, factory: Factory, capabilities: Capabilities
) -> None:
    people = population(scim, factory, capabilities)
    wanted = literal == "true"

    def predicate(body: dict[str, Any]) -> bool | None:
        active = value_at(body, "active")
        return active == wanted if isinstance(active, bool) else None

    expect_matches(scim, people, f"active eq {literal}", predicate)


def _format(moment: datetime, digits: int) -> str:
    text = moment.strftime("%Y-%m-%dT%H:%M:%S")
    if digits:
        text += "." + f"{moment.microsecond:06d}"[: min(digits, 6)]
    return text + "Z"


# RFC 7644 §3.4.2.2 Table 3, gt/ge/lt/le: "for DateTime types, it is a chronological
# comparison". The bounds are chosen so that the precision the target returns cannot blur
# them: far before and after every user, and (where the gap allows) between two of them.
@requirement("filter/datetime")
@needs("filter")
@writes
@pytest.mark.parametrize("operator", ["gt", "ge", "lt", "le"])
def test_datetime_operators(
    operator: str, scim: ScimClient, factory: Factory, capabilities: Capabilities
) -> None:
    people = population(scim, factory, capabilities)
    people.refresh(scim, factory)
    raw = [value_at(b, "meta.lastModified") for b in people.bodies]
    stamps = [parse_datetime(v) for v in raw]
    if any(s is None for s in stamps):
        pytest.skip("the target returns no meta.lastModified dateTime for the run's users")
    moments = [s for s in stamps if s is not None]
    digits = min(fraction_digits(str(v)) for v in raw)
    compare: dict[str, Callable[[datetime, datetime], bool]] = {
        "gt": lambda a, b: a > b,
        "ge": lambda a, b: a >= b,
        "lt": lambda a, b: a < b,
        "le": lambda a, b: a <= b,
    }
    bounds = [min(moments) - timedelta(days=1), max(moments) + timedelta(days=1)]
    middle = moment_between(moments, digits)
    if middle is not None:
        bounds.append(middle)
    by_id = dict(zip(people.ids, moments, strict=True))
    for bound in bounds:
        literal = _format(bound, digits)

        def predicate(body: dict[str, Any], bound: datetime = bound) -> bool | None:
            moment = by_id.get(str(body.get("id")))
            return None if moment is None else compare[operator](moment, bound)

        expect_matches(scim, people, f'meta.lastModified {operator} "{literal}"', predicate)


def _three(people: Population) -> tuple[str, str, str, Predicate, Predicate, Predicate]:
    """A: familyName of the first user; B: active eq false; C: givenName of the fourth."""
    first, fourth = people.bodies[0], people.bodies[3]
    family, given = _text(first, FAMILY), _text(fourth, "name.givenName")
    if family is None or given is None:
        pytest.skip("the target did not store the names this check combines")

    def a(body: dict[str, Any]) -> bool:
        return (_text(body, FAMILY) or "").casefold() == family.casefold()

    def b(body: dict[str, Any]) -> bool:
        return value_at(body, "active") is False

    def c(body: dict[str, Any]) -> bool:
        return (_text(body, "name.givenName") or "").casefold() == given.casefold()

    return (f'{FAMILY} eq "{family}"', "active eq false", f'name.givenName eq "{given}"', a, b, c)


def _discriminates(people: Population, right: Predicate, wrong: Predicate) -> None:
    if all(right(b) == wrong(b) for b in people.bodies):
        pytest.skip("the values the target stored cannot tell the two readings apart")


# RFC 7644 §3.4.2.2: "Filters MUST be evaluated using the following order of operations, in
# order of precedence: 1. Grouping operators 2. Logical operators - where "not" takes
# precedence over "and", which takes precedence over "or" 3. Attribute operators".
@requirement("filter/precedence")
@needs("filter")
@writes
def test_and_binds_tighter_than_or(
    scim: ScimClient, factory: Factory, capabilities: Capabilities
) -> None:
    people = population(scim, factory, capabilities)
    a, b, c, pa, pb, pc = _three(people)

    def right(body: dict[str, Any]) -> bool:
        return bool(pa(body) or (pb(body) and pc(body)))

    def wrong(body: dict[str, Any]) -> bool:
        return bool((pa(body) or pb(body)) and pc(body))

    _discriminates(people, right, wrong)
    expect_matches(scim, people, f"{a} or {b} and {c}", right)


# RFC 7644 §3.4.2.2 Table 5: "Boolean expressions MAY be grouped using parentheses to change
# the standard order of operations, i.e., to evaluate logical "or" operators before logical
# "and" operators." (Grouping is first in the MUST order of operations.)
@requirement("filter/grouping")
@needs("filter")
@writes
def test_brackets_group(scim: ScimClient, factory: Factory, capabilities: Capabilities) -> None:
    people = population(scim, factory, capabilities)
    a, b, c, pa, pb, pc = _three(people)

    def right(body: dict[str, Any]) -> bool:
        return bool((pa(body) or pb(body)) and pc(body))

    def wrong(body: dict[str, Any]) -> bool:
        return bool(pa(body) or (pb(body) and pc(body)))

    _discriminates(people, right, wrong)
    expect_matches(scim, people, f"({a} or {b}) and {c}", right)


# RFC 7644 §3.4.2.2 Table 4, not: "The filter is a match if the expression evaluates to
# false." FILTER = ... / *1"not" "(" FILTER ")".
@requirement("filter/not")
@needs("filter")
@writes
def test_not(scim: ScimClient, factory: Factory, capabilities: Capabilities) -> None:
    people = population(scim, factory, capabilities)
    expect_matches(
        scim, people, "not (title pr)", lambda body: not has_value(value_at(body, "title"))
    )


def _emails(body: dict[str, Any]) -> list[dict[str, Any]]:
    emails = value_at(body, "emails")
    return [e for e in emails if isinstance(e, dict)] if isinstance(emails, list) else []


def _email_with(body: dict[str, Any], kind: str, fragment: str) -> bool:
    return any(
        str(e.get("type", "")).casefold() == kind
        and fragment.casefold() in str(e.get("value", "")).casefold()
        for e in _emails(body)
    )


# RFC 7644 §3.4.2.2 Table 5: "Service providers MAY support complex filters where expressions
# MUST be applied to the same value of a parent attribute specified immediately before the
# left square bracket". The second filter matches nobody unless the conditions are applied to
# different values (a work address and a home address).
@requirement("filter/value-path")
@needs("filter")
@writes
def test_value_path(scim: ScimClient, factory: Factory, capabilities: Capabilities) -> None:
    people = population(scim, factory, capabilities)
    homes = [b for b in people.bodies if any(e.get("type") == "home" for e in _emails(b))]
    if not homes:
        pytest.skip("the target stored no second (home) email, so nothing to tell apart")
    fragment = "home.example"
    expect_matches(
        scim,
        people,
        f'emails[type eq "home" and value co "{fragment}"]',
        lambda body: _email_with(body, "home", fragment),
    )
    expect_matches(
        scim,
        people,
        f'emails[type eq "work" and value co "{fragment}"]',
        lambda body: _email_with(body, "work", fragment),
    )


# RFC 7644 §3.4.2.2: "If the specified attribute in a filter expression is a multi-valued
# attribute, the filter matches if any of the values of the specified attribute match the
# specified criterion"; "For complex attributes, a fully qualified sub-attribute MUST be
# specified using standard attribute notation".
@requirement("filter/sub-attribute")
@needs("filter")
@writes
def test_multi_valued_sub_attribute(
    scim: ScimClient, factory: Factory, capabilities: Capabilities
) -> None:
    people = population(scim, factory, capabilities)
    expect_matches(
        scim,
        people,
        'emails.type eq "home"',
        lambda body: any(str(e.get("type", "")).casefold() == "home" for e in _emails(body)),
    )


# RFC 7644 §3.4.2.2: "When comparing attributes of type String, the case sensitivity for
# String type attributes SHALL be determined by the attribute's "caseExact" characteristic".
# RFC 7643 §4.1.1: userName "is case insensitive"; §3.1: externalId "has "caseExact" as
# "true"". The target's own /Schemas declaration wins where it makes one.
@requirement("filter/case-exact")
@needs("filter")
@writes
@pytest.mark.parametrize(
    ("attribute", "default"),
    [("userName", False), ("externalId", True)],
    ids=["userName", "externalId"],
)
def test_case_exact_respected(
    attribute: str,
    default: bool,
    scim: ScimClient,
    factory: Factory,
    capabilities: Capabilities,
) -> None:
    people = population(scim, factory, capabilities)
    exact = case_exact(capabilities, attribute, default)
    subject = next((b for b in people.bodies if _text(b, attribute)), None)
    if subject is None:
        pytest.skip(f"the target stored no {attribute} for the run's users")
    stored = str(_text(subject, attribute))
    altered = stored.swapcase() if stored.swapcase() != stored else stored.upper()
    if altered == stored:
        pytest.skip(f"{attribute} {stored!r} has no letters whose case could change")

    def predicate(body: dict[str, Any]) -> bool | None:
        value = _text(body, attribute)
        if value is None:
            return False
        return value == altered if exact else value.casefold() == altered.casefold()

    # userName is unique across the service provider, so an exact userName needs no scope:
    # this is the lookup Entra ID and other clients send before they create a user.
    expect_matches(
        scim,
        people,
        f'{attribute} eq "{altered}"',
        predicate,
        scoped=attribute != "userName",
        why=f"{attribute} is caseExact={str(exact).lower()}, so case "
        + ("counts" if exact else "does not count"),
    )


# RFC 7644 §3.4.2.2: "Attribute names and attribute operators used in filters are case
# insensitive. For example, the following two expressions will evaluate to the same logical
# value: filter=userName Eq "john" filter=Username eq "john"".
@requirement("filter/names-case-insensitive")
@needs("filter")
@writes
def test_names_and_operators_ignore_case(
    scim: ScimClient, factory: Factory, capabilities: Capabilities
) -> None:
    people = population(scim, factory, capabilities)
    target = people.resources[2]
    expression = f'USERNAME Eq "{target.name}"'
    if _text(target.body, FAMILY):
        expression += " and Name.FamilyName PR"
    expect_matches(scim, people, expression, lambda body: str(body.get("id")) == target.id)


# RFC 7644 §3.10: attributes "are uniquely identified by prefixing the attribute name with
# its schema URN"; Figure 1: attrPath = [URI ":"] ATTRNAME *1subAttr.
@requirement("filter/extension-attribute")
@needs("filter")
@writes
def test_extension_attribute_by_urn(
    scim: ScimClient, factory: Factory, capabilities: Capabilities
) -> None:
    users = capabilities.users
    if not users or ENTERPRISE_USER not in users.extensions:
        pytest.skip("the User resource type lists no enterprise extension")
    people = population(scim, factory, capabilities)
    path = f"{ENTERPRISE_USER}:employeeNumber"
    numbers = [v for v in (_text(b, path) for b in people.bodies) if v]
    if not numbers:
        pytest.skip("the target stored no enterprise employeeNumber for the run's users")
    wanted = numbers[len(numbers) // 2]
    expect_matches(scim, people, f'{path} eq "{wanted}"', lambda body: _text(body, path) == wanted)


INVALID = {
    "unknown-operator": 'userName zz "{prefix}"',
    "unbalanced": '(userName sw "{prefix}"',
    "boolean-gt": 'userName sw "{prefix}" and active gt true',
}


# RFC 7644 §3.4.2.2: "Providers MUST decline to filter results if the specified filter
# operation is not recognized and return an HTTP 400 error with a "scimType" error of
# "invalidFilter""; Table 3, gt/ge/lt/le: "Boolean and Binary attributes SHALL cause a failed
# response (HTTP status code 400) with "scimType" of "invalidFilter""; Table 9 invalidFilter:
# "The specified filter syntax was invalid (does not comply with Figure 1)".
@requirement("filter/invalid")
@needs("filter")
@pytest.mark.parametrize("kind", list(INVALID))
def test_invalid_filter_is_400(kind: str, scim: ScimClient, factory: Factory) -> None:
    expression = INVALID[kind].format(prefix=factory.run_prefix)
    response = scim.get(factory.users_path, params={"filter": expression})
    if kind == "unbalanced":
        # Only the status is a MUST here; where a scimType is given it must be invalidFilter.
        body = expect_scim_error(response, 400)
        if body.get("scimType") not in (None, "invalidFilter"):
            fail(
                f"{request_line(response)}: a filter that breaks Figure 1 is an invalidFilter "
                f"error (RFC 7644 Table 9); got scimType {body.get('scimType')!r}.\n"
                f"Actual: {describe(response)}"
            )
        return
    expect_scim_error(response, 400, "invalidFilter")


# RFC 7644 §3.4.2: "A query that does not return any matches SHALL return success (HTTP
# status code 200) with "totalResults" set to a value of 0."
@requirement("filter/no-match")
@needs("filter")
@writes
def test_no_match_is_empty_200(
    scim: ScimClient, factory: Factory, capabilities: Capabilities
) -> None:
    people = population(scim, factory, capabilities)
    expression = f'userName eq "{people.prefix}-nobody@example.invalid"'
    full = people.scoped(scim, expression)
    response = scim.get(people.users_path, params={"filter": full})
    skip_if_declined(response, expression)
    page = read_page(response)
    if page.total != 0 or page.resources:
        fail(
            f"{request_line(response)} matches nobody, so it must answer totalResults 0 "
            f"(RFC 7644 §3.4.2).\nExpected: 200 with totalResults 0\n"
            f"Actual: totalResults {page.total}, {len(page.resources)} resource(s)"
        )
