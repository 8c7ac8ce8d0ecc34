"""Pagination (RFC 7644 §3.4.2.4), judged on a list scoped to the run's own population.

The reference is the whole scoped list, sorted by userName where sort is advertised. Checks
that compare positions first make sure the target returns the same order twice: without a
sort, RFC 7644 promises no order, and an unstable one cannot be judged by position.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from conformance.checks import describe, fail, needs, request_line, requirement, writes
from conformance.discovery import Capabilities
from conformance.factory import Factory
from conformance.http import ScimClient
from conformance.suites._querying import MAX_PAGES, Page, collect, population, read_page


@dataclass
class Reference:
    """The whole scoped list, in the target's order, and the parameters that produced it."""

    path: str
    params: dict[str, str | int]
    ids: list[str]

    def page(self, scim: ScimClient, **paging: int) -> Page:
        return read_page(scim.get(self.path, params={**self.params, **paging}))

    def page_any(self, scim: ScimClient, **paging: int) -> Page:
        """A page that may legitimately hold no Resources at all (count=0)."""
        response = scim.get(self.path, params={**self.params, **paging})
        return read_page(response, resources_required=False)


def reference(
    scim: ScimClient,
    factory: Factory,
    capabilities: Capabilities,
    *,
    stable: bool = False,
) -> Reference:
    people = population(scim, factory, capabilities)
    params: dict[str, str | int] = {"filter": people.scope(scim).require_reliable()}
    if capabilities.supports("sort"):
        params["sortBy"] = "userName"
    resources, _ = collect(scim, people.users_path, params)
    ids = [str(r.get("id")) for r in resources]
    if len(ids) < 3:
        pytest.skip(f"the scoped list holds {len(ids)} resource(s); paging needs at least 3")
    if stable:
        again = [str(r.get("id")) for r in collect(scim, people.users_path, params)[0]]
        if again != ids:
            pytest.skip(
                "the target returned the same query in two different orders (no sortBy is "
                "advertised to fix one), so positions within pages cannot be judged"
            )
    return Reference(people.users_path, params, ids)


def _expect_positions(page: Page, expected: list[str], why: str, ref: Reference) -> None:
    if not page.ids or page.ids != expected[: len(page.ids)]:
        fail(
            f"{request_line(page.response)}: {why}.\n"
            f"Expected: the first {max(1, len(page.ids))} of {_ordinals(expected, ref)}\n"
            f"Actual: {_ordinals(page.ids, ref)}"
        )


def _ordinals(ids: list[str], ref: Reference) -> str:
    """Ids as positions in the reference list (1-based), which is what paging is about."""
    return (
        "["
        + ", ".join(f"#{ref.ids.index(i) + 1}" if i in ref.ids else f"unknown {i}" for i in ids)
        + "]"
    )


# RFC 7644 §3.4.2.4 Table 6: startIndex "The 1-based index of the first query result."
# Table 7: startIndex "The 1-based index of the first result in the current set".
@requirement("paging/start-index-one-based")
@needs("filter")
@writes
def test_start_index_is_one_based(
    scim: ScimClient, factory: Factory, capabilities: Capabilities
) -> None:
    ref = reference(scim, factory, capabilities, stable=True)
    first = ref.page(scim, startIndex=1, count=2)
    _expect_positions(first, ref.ids, "startIndex=1 must start at the first result", ref)
    echoed = first.body.get("startIndex")
    if echoed is not None and echoed != 1:
        fail(
            f"{request_line(first.response)} answered startIndex {echoed!r} for a page that "
            "starts at the first result (1-based, RFC 7644 Table 7)."
        )
    second = ref.page(scim, startIndex=2, count=1)
    _expect_positions(second, ref.ids[1:], "startIndex=2 must start at the second result", ref)


# RFC 7644 §3.4.2.4 Table 6: startIndex "A value less than 1 SHALL be interpreted as 1."
@requirement("paging/start-index-below-one")
@needs("filter")
@writes
@pytest.mark.parametrize("start", [0, -3])
def test_start_index_below_one_is_one(
    start: int, scim: ScimClient, factory: Factory, capabilities: Capabilities
) -> None:
    ref = reference(scim, factory, capabilities, stable=True)
    page = ref.page(scim, startIndex=start, count=2)
    _expect_positions(page, ref.ids, f"startIndex={start} SHALL be interpreted as 1", ref)
    echoed = page.body.get("startIndex")
    if echoed is not None and echoed != 1:
        fail(
            f"{request_line(page.response)}: startIndex={start} is interpreted as 1, so the "
            f"page starts at index 1; the response says startIndex {echoed!r}."
        )


# RFC 7644 §3.4.2.4 Table 6: count "When specified, the service provider MUST NOT return
# more results than specified, although it MAY return fewer results."
@requirement("paging/count-caps-page")
@needs("filter")
@writes
@pytest.mark.parametrize("count", [1, 2])
def test_count_caps_the_page(
    count: int, scim: ScimClient, factory: Factory, capabilities: Capabilities
) -> None:
    ref = reference(scim, factory, capabilities)
    page = ref.page(scim, count=count)
    if len(page.resources) > count:
        fail(
            f"{request_line(page.response)} returned {len(page.resources)} resources; "
            f"count={count} MUST NOT be exceeded (RFC 7644 §3.4.2.4).\n"
            f"Expected: at most {count}\nActual: {len(page.resources)}"
        )


def _expect_only_total(page: Page, ref: Reference, asked: str) -> None:
    if page.resources:
        fail(
            f"{request_line(page.response)} returned {len(page.resources)} resource(s); "
            f"{asked} asks for none, only totalResults (RFC 7644 Table 6).\n"
            f"Actual: {describe(page.response)}"
        )
    if page.total != len(ref.ids):
        fail(
            f"{request_line(page.response)}: with {asked}, totalResults must still count every "
            f"match (RFC 7644 Table 6).\nExpected: {len(ref.ids)}\nActual: {page.total}"
        )


# RFC 7644 §3.4.2.4 Table 6: count "A value of "0" indicates that no resource results are
# to be returned except for "totalResults"."
@requirement("paging/count-zero")
@needs("filter")
@writes
def test_count_zero_returns_only_total(
    scim: ScimClient, factory: Factory, capabilities: Capabilities
) -> None:
    ref = reference(scim, factory, capabilities)
    _expect_only_total(ref.page_any(scim, count=0), ref, "count=0")


# RFC 7644 §3.4.2.4 Table 6: count "A negative value SHALL be interpreted as "0"."
@requirement("paging/count-negative")
@needs("filter")
@writes
def test_negative_count_is_zero(
    scim: ScimClient, factory: Factory, capabilities: Capabilities
) -> None:
    ref = reference(scim, factory, capabilities)
    _expect_only_total(ref.page_any(scim, count=-1), ref, "count=-1 (interpreted as 0)")


# RFC 7644 §3.4.2.4 Table 7: totalResults "Specifies the total number of results matching
# the client query"; §3.4.2: "The value may be larger than the number of resources returned,
# such as when returning a single page".
@requirement("paging/total-results")
@needs("filter")
@writes
def test_total_results_counts_every_match(
    scim: ScimClient, factory: Factory, capabilities: Capabilities
) -> None:
    ref = reference(scim, factory, capabilities)
    page = ref.page(scim, count=1)
    if page.total != len(ref.ids):
        fail(
            f"{request_line(page.response)}: totalResults must count every match, not the "
            f"page (RFC 7644 Table 7).\nExpected: {len(ref.ids)}\nActual: {page.total}"
        )


# RFC 7644 §3.4.2: startIndex and itemsPerPage are "REQUIRED when partial results are
# returned due to pagination"; itemsPerPage is "The number of resources returned in a list
# response page".
@requirement("paging/page-elements")
@needs("filter")
@writes
def test_partial_page_elements(
    scim: ScimClient, factory: Factory, capabilities: Capabilities
) -> None:
    ref = reference(scim, factory, capabilities)
    page = ref.page(scim, startIndex=2, count=2)
    problems = []
    if page.body.get("startIndex") != 2:
        problems.append(f"startIndex is {page.body.get('startIndex')!r}, expected 2")
    if page.body.get("itemsPerPage") != len(page.resources):
        problems.append(
            f"itemsPerPage is {page.body.get('itemsPerPage')!r}, but the page holds "
            f"{len(page.resources)} resource(s)"
        )
    if problems:
        fail(
            f"{request_line(page.response)} returned a partial page (totalResults "
            f"{page.total}); " + "; ".join(problems) + " (RFC 7644 §3.4.2).\n"
            f"Actual: {describe(page.response)}"
        )


# RFC 7644 §3.4.2.4: "Given the example above, to continue paging, set the startIndex to 11
# and re-fetch"; Table 6: startIndex "The 1-based index of the first query result".
@requirement("paging/walk")
@needs("filter")
@writes
def test_walking_pages_visits_each_once(
    scim: ScimClient, factory: Factory, capabilities: Capabilities
) -> None:
    ref = reference(scim, factory, capabilities, stable=True)
    seen: list[str] = []
    start, total = 1, len(ref.ids)
    requests: list[str] = []
    for _ in range(MAX_PAGES):
        page = ref.page(scim, startIndex=start, count=2)
        requests.append(f"startIndex={start}")
        seen.extend(page.ids)
        if not page.resources or len(seen) >= total:
            break
        start += len(page.resources)
    duplicates = sorted({i for i in seen if seen.count(i) > 1})
    gaps = [i for i in ref.ids if i not in seen]
    if duplicates or gaps:
        fail(
            f"walking {ref.path} with count=2 ({', '.join(requests)}) visited "
            f"{_ordinals(seen, ref)} of {total} results: "
            f"{len(gaps)} never returned, {len(duplicates)} returned twice "
            "(RFC 7644 §3.4.2.4).\n"
            f"Expected: {_ordinals(ref.ids, ref)}\nActual: {_ordinals(seen, ref)}"
        )
