"""Queries with POST /.search (RFC 7644 §3.4.3).

How would a client know a target offers them? It cannot: ServiceProviderConfig has no flag
for /.search, and §3.4.3 says clients "MAY execute queries" that way without saying that a
provider MUST accept them. So a 404, 405 or 501 answer is a skip with its reason; once the
target answers a search, the answer must be the ListResponse §3.4.2 defines.
"""

from __future__ import annotations

from typing import Any

import httpx
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
from conformance.discovery import SEARCH_REQUEST, Capabilities
from conformance.factory import Factory
from conformance.http import ScimClient, json_or_none
from conformance.suites._querying import (
    MAX_PAGES,
    Population,
    collect,
    declined_reason,
    defaults_held,
    has_value,
    population,
    projection_leaks,
    read_page,
    skip_if_no_search,
    value_at,
)


def post_search(scim: ScimClient, endpoint: str, **fields: Any) -> httpx.Response:
    """POST {endpoint}/.search with a SearchRequest (the endpoint "" is the server root)."""
    return scim.post(f"{endpoint.rstrip('/')}/.search", {"schemas": [SEARCH_REQUEST], **fields})


def search_all(
    scim: ScimClient,
    endpoint: str,
    fields: dict[str, Any],
    first: httpx.Response | None = None,
) -> tuple[httpx.Response, list[dict[str, Any]], int]:
    """Every resource of a search, following pages with startIndex in the body."""
    first = first if first is not None else post_search(scim, endpoint, **fields)
    skip_if_no_search(first)
    page = read_page(first)
    resources, total, start = list(page.resources), page.total, 1
    for _ in range(MAX_PAGES - 1):
        if not page.resources or len(resources) >= total:
            break
        start += len(page.resources)
        page = read_page(post_search(scim, endpoint, **fields, startIndex=start))
        resources.extend(page.resources)
    return first, resources, total


def _expect_population(
    response: httpx.Response, people: Population, resources: list[dict[str, Any]]
) -> None:
    returned = [str(r.get("id")) for r in resources]
    missing = [i for i in people.ids if i not in returned]
    strangers = [
        r for r in resources if str(r.get("id")) not in people.ids and not people.in_scope(r)
    ]
    if missing or strangers:
        fail(
            f"{request_line(response)} with the run's scoping filter must return the run's "
            f'users, as GET does (RFC 7644 §3.4.3: "a response is returned as specified in '
            f'Section 3.4.2").\nExpected: {people.names(people.ids)}\n'
            f"Actual: missing {people.names(missing)}; {len(strangers)} resource(s) outside "
            "the filter"
        )


# RFC 7644 §3.4.3: "To create a new query result set, a SCIM client sends an HTTP POST
# request to the desired SCIM resource endpoint (ending in "/.search")"; "After receiving an
# HTTP POST request, a response is returned as specified in Section 3.4.2."
@requirement("search/post-search")
@needs("filter")
@writes
def test_post_search_on_users(
    scim: ScimClient, factory: Factory, capabilities: Capabilities
) -> None:
    people = population(scim, factory, capabilities)
    scope = people.scope(scim).require_reliable()
    response, resources, _ = search_all(scim, people.users_path, {"filter": scope})
    _expect_population(response, people, resources)


# RFC 7644 §3.4.2.1: "A query against a server root indicates that all resources within the
# server SHALL be included, subject to filtering"; "For filtered attributes that are not part
# of a particular resource type, the service provider SHALL treat the attribute as if there
# is no attribute value." A root query may be refused as tooMany (400) instead.
@requirement("search/root")
@needs("filter")
@writes
def test_post_search_at_root(
    scim: ScimClient, factory: Factory, capabilities: Capabilities
) -> None:
    people = population(scim, factory, capabilities)
    scope = people.scope(scim).require_reliable()
    response = post_search(scim, "", filter=scope)
    skip_if_no_search(response)
    body = json_or_none(response)
    if response.status_code == 400 and isinstance(body, dict) and body.get("scimType") == "tooMany":
        pytest.skip("the target refuses queries at the server root as tooMany (§3.4.2.1)")
    reason = declined_reason(response)
    if reason:
        pytest.skip(f"the target declined the scoping filter at the server root with {reason}")
    _, resources, _ = search_all(scim, "", {"filter": scope}, first=response)
    _expect_population(response, people, resources)


# RFC 7644 §3.4.3: startIndex "An integer indicating the 1-based index of the first query
# result"; count "An integer indicating the desired maximum number of query results per
# page"; both "See Section 3.4.2.4".
@requirement("search/paging")
@needs("filter")
@writes
def test_post_search_pages(scim: ScimClient, factory: Factory, capabilities: Capabilities) -> None:
    people = population(scim, factory, capabilities)
    scope = people.scope(scim).require_reliable()
    everything, _ = collect(scim, people.users_path, {"filter": scope})
    response = post_search(scim, people.users_path, filter=scope, startIndex=2, count=2)
    skip_if_no_search(response)
    page = read_page(response)
    problems = []
    if len(page.resources) > 2:
        problems.append(f"{len(page.resources)} resources for count 2")
    if page.total != len(everything):
        problems.append(f"totalResults {page.total}, but {len(everything)} resources match")
    if page.body.get("startIndex") not in (None, 2):
        problems.append(f"startIndex {page.body.get('startIndex')!r} for a page asked at 2")
    if problems:
        fail(
            f"{request_line(response)} with startIndex 2 and count 2 in the body: "
            + "; ".join(problems)
            + " (RFC 7644 §3.4.3, §3.4.2.4).\n"
            f"Actual: {describe(response)}"
        )


def _expect_projected(
    response: httpx.Response,
    people: Population,
    resources: list[dict[str, Any]],
    present: list[str],
    absent: list[str],
    asked: str,
) -> None:
    mine = [r for r in resources if str(r.get("id")) in people.ids]
    if len(mine) != len(people.ids):
        fail(f"{request_line(response)} returned {len(mine)} of the run's {len(people.ids)} users.")
    for resource in mine:
        lost = [a for a in ["id", *present] if not has_value(value_at(resource, a))]
        leaks = projection_leaks(resource, absent)
        if lost or leaks:
            fail(
                f"{request_line(response)} with {asked}: user {resource.get('id')} lacks "
                f"{', '.join(lost) or 'nothing'} and still carries {', '.join(leaks) or 'nothing'}"
                f" (RFC 7644 §3.4.3).\nExpected: present id, {', '.join(present)}; absent "
                f"{', '.join(absent) or 'nothing'}"
            )


# RFC 7644 §3.4.3: attributes "A multi-valued list of strings indicating the names of
# resource attributes to return in the response, overriding the set of attributes that
# would be returned by default."
@requirement("search/attributes")
@needs("filter")
@writes
def test_post_search_attributes(
    scim: ScimClient, factory: Factory, capabilities: Capabilities
) -> None:
    people = population(scim, factory, capabilities)
    scope = people.scope(scim).require_reliable()
    response, resources, _ = search_all(
        scim, people.users_path, {"filter": scope, "attributes": ["userName"]}
    )
    absent = defaults_held(people.bodies[0], capabilities, "userName")
    _expect_projected(
        response, people, resources, ["userName"], absent, '"attributes": ["userName"]'
    )


# RFC 7644 §3.4.3: excludedAttributes "This parameter SHALL have no effect on attributes
# whose schema "returned" setting is "always"".
@requirement("search/excluded-attributes")
@needs("filter")
@writes
def test_post_search_excluded_attributes(
    scim: ScimClient, factory: Factory, capabilities: Capabilities
) -> None:
    people = population(scim, factory, capabilities)
    scope = people.scope(scim).require_reliable()
    absent = [a for a in ("emails",) if a in defaults_held(people.bodies[0], capabilities)]
    response, resources, _ = search_all(
        scim, people.users_path, {"filter": scope, "excludedAttributes": ["emails", "id"]}
    )
    _expect_projected(
        response,
        people,
        resources,
        ["userName"],
        absent,
        '"excludedAttributes": ["emails", "id"]',
    )


# RFC 7644 §3.4.3: filter "The filter string MUST be a valid filter (Section 3.4.2.2)
# expression"; Table 9: invalidFilter applies to "POST (Search - Section 3.4.3)";
# §3.4.2.2: "Providers MUST decline to filter results if the specified filter operation is
# not recognized and return an HTTP 400 error with a "scimType" error of "invalidFilter"".
@requirement("search/invalid-filter")
@needs("filter")
def test_post_search_invalid_filter(scim: ScimClient, factory: Factory) -> None:
    invalid = f'userName zz "{factory.run_prefix}"'
    response = post_search(scim, factory.users_path, filter=invalid)
    skip_if_no_search(response)
    expect_scim_error(response, 400, "invalidFilter")
