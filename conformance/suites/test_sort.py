"""Sorting (RFC 7644 §3.4.2.3), judged where ServiceProviderConfig advertises sort.

A target that advertises sort and ignores sortBy fails: the population's creation order
differs from every order asked for here, and ascending and descending cannot both come out
right by accident.
"""

from __future__ import annotations

from typing import Any

import pytest

from conformance.checks import fail, needs, request_line, requirement, writes
from conformance.discovery import Capabilities
from conformance.factory import Factory
from conformance.http import ScimClient
from conformance.suites._querying import Population, case_exact, collect, population, value_at

KEYS = ["userName", "name.familyName"]


def _key(body: dict[str, Any], path: str, exact: bool) -> str | None:
    value = value_at(body, path)
    if not isinstance(value, str) or not value:
        return None
    return value if exact else value.casefold()


def _expected(people: Population, path: str, exact: bool, descending: bool) -> list[str]:
    """Population ids that have a value, in the order the RFC asks for."""
    keyed = [(k, r.id) for r in people.resources if (k := _key(r.body, path, exact)) is not None]
    if len(keyed) < 3:
        pytest.skip(f"the target stored {path} for {len(keyed)} of the run's users; need 3")
    return [i for _, i in sorted(keyed, reverse=descending)]


def expect_sorted(
    scim: ScimClient,
    people: Population,
    capabilities: Capabilities,
    path: str,
    order: str | None,
    *,
    exact: bool | None = None,
) -> None:
    exact = case_exact(capabilities, path, False) if exact is None else exact
    descending = order == "descending"
    expected = _expected(people, path, exact, descending)
    params: dict[str, str | int] = {"filter": people.scope(scim).require_reliable(), "sortBy": path}
    if order:
        params["sortOrder"] = order
    response = scim.get(people.users_path, params=params)
    resources, _ = collect(scim, people.users_path, params, first=response)
    returned = [str(r.get("id")) for r in resources if str(r.get("id")) in expected]
    if returned != expected:
        values = {r.id: value_at(r.body, path) for r in people.resources}
        wanted = "descending" if descending else "ascending"
        fail(
            f"{request_line(response)} did not order the results by {path}, {wanted} "
            f'(RFC 7644 §3.4.2.3: sortBy "SHALL be used to order the returned responses").\n'
            f"Expected: {[values[i] for i in expected]}\n"
            f"Actual: {[values[i] for i in returned]}"
        )


# RFC 7644 §3.4.2.3: "The "sortBy" parameter specifies the attribute whose value SHALL be
# used to order the returned responses"; sortOrder "Allowed values are "ascending" and
# "descending"".
@requirement("sort/ascending")
@needs("sort", "filter")
@writes
@pytest.mark.parametrize("path", KEYS)
def test_sort_ascending(
    path: str, scim: ScimClient, factory: Factory, capabilities: Capabilities
) -> None:
    people = population(scim, factory, capabilities)
    expect_sorted(scim, people, capabilities, path, "ascending")


@requirement("sort/descending")
@needs("sort", "filter")
@writes
@pytest.mark.parametrize("path", KEYS)
def test_sort_descending(
    path: str, scim: ScimClient, factory: Factory, capabilities: Capabilities
) -> None:
    people = population(scim, factory, capabilities)
    expect_sorted(scim, people, capabilities, path, "descending")


# RFC 7644 §3.4.2.3: "If a value for "sortBy" is provided and no "sortOrder" is specified,
# "sortOrder" SHALL default to ascending."
@requirement("sort/default-ascending")
@needs("sort", "filter")
@writes
def test_sort_defaults_to_ascending(
    scim: ScimClient, factory: Factory, capabilities: Capabilities
) -> None:
    people = population(scim, factory, capabilities)
    expect_sorted(scim, people, capabilities, "name.familyName", None)


# RFC 7644 §3.4.2.3: ""sortOrder" MUST sort according to the attribute type; i.e., for
# case-insensitive attributes, sort the result using case-insensitive Unicode alphabetic sort
# order with no specific locale implied". displayName is caseExact false (RFC 7643 §2.2
# default); the population mixes upper- and lower-case initials.
@requirement("sort/case-insensitive")
@needs("sort", "filter")
@writes
def test_sort_ignores_case_where_case_insensitive(
    scim: ScimClient, factory: Factory, capabilities: Capabilities
) -> None:
    if case_exact(capabilities, "displayName", False):
        pytest.skip("the target declares displayName caseExact true")
    people = population(scim, factory, capabilities)
    folded = _expected(people, "displayName", False, False)
    if folded == _expected(people, "displayName", True, False):
        pytest.skip("the displayNames the target stored sort the same with and without case")
    expect_sorted(scim, people, capabilities, "displayName", "ascending", exact=False)
