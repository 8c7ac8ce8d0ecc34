"""Groups (RFC 7643 §4.2): displayName, members, and how clients manage them.

Members are users of the run's query population, so the checks create no extra users; the
two Groups they need (one created empty, one with two members) go through the ledger.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote, urlparse

import httpx
import pytest

from conformance.checks import (
    describe,
    expect_json_object,
    expect_status,
    fail,
    needs,
    needs_resource,
    request_line,
    requirement,
    writes,
)
from conformance.discovery import CORE_GROUP, PATCH_OP, Capabilities
from conformance.factory import Factory, Resource
from conformance.http import ScimClient, json_or_none
from conformance.suites._querying import (
    Population,
    has_value,
    once,
    population,
    read_page,
    skip_if_declined,
)


def plain_group(scim: ScimClient, factory: Factory) -> tuple[Resource, httpx.Response]:
    """A Group created with a displayName only, and the answer to its POST."""

    def build() -> tuple[Resource, httpx.Response]:
        payload = factory.group_payload()
        response = scim.post(factory.groups_path, payload)
        return factory.record_created("Group", response, name=payload["displayName"]), response

    return once(factory, "group-plain", build)


def member_group(
    scim: ScimClient, factory: Factory, capabilities: Capabilities
) -> tuple[Resource, Population]:
    """A Group created with the first two population users as members."""
    people = population(scim, factory, capabilities)

    def build() -> Resource:
        members = [{"value": r.id} for r in people.resources[:2]]
        payload = factory.group_payload(members=members)
        response = scim.post(factory.groups_path, payload)
        return factory.record_created("Group", response, name=payload["displayName"])

    return once(factory, "group-members", build), people


def read_group(scim: ScimClient, factory: Factory, group: Resource) -> dict[str, Any]:
    response = scim.get(factory.path(group))
    expect_status(response, 200)
    return expect_json_object(response)


def member_values(group: dict[str, Any]) -> list[str]:
    members = group.get("members")
    if not isinstance(members, list):
        return []
    return [str(m.get("value")) for m in members if isinstance(m, dict)]


def _names(people: Population, ids: list[str]) -> list[str]:
    return [people.name_of(i) for i in ids]


# RFC 7643 §4.2: displayName "A human-readable name for the Group. REQUIRED."; RFC 7644 §3.3:
# "When the service provider successfully creates the new resource, an HTTP response SHALL be
# returned with HTTP status code 201 (Created)."
@requirement("groups/create")
@needs_resource("Group")
@writes
def test_create_group(scim: ScimClient, factory: Factory) -> None:
    group, created = plain_group(scim, factory)
    stored = read_group(scim, factory, group)
    echoed = (json_or_none(created) or {}).get("displayName")
    if stored.get("displayName") != group.name or echoed != group.name:
        fail(
            f"{request_line(created)} created a Group that does not keep its displayName.\n"
            f"Expected: displayName {group.name!r}\n"
            f"Actual: on create {echoed!r}, on GET {stored.get('displayName')!r}"
        )


# RFC 7643 §4.2: displayName "A human-readable name for the Group. REQUIRED." RFC 7644 Table 8:
# 400 "Request is unparsable, syntactically incorrect, or violates schema."
@requirement("groups/display-name-required")
@needs_resource("Group")
@writes
def test_group_without_display_name_is_refused(scim: ScimClient, factory: Factory) -> None:
    response = scim.post(factory.groups_path, {"schemas": [CORE_GROUP]})
    if response.status_code == 201:
        factory.record_created("Group", response, name="")
    expect_status(response, 400, why="displayName is REQUIRED for a Group (RFC 7643 §4.2)")


# RFC 7643 §4.2 members: "The "value" sub-attribute contains the value of an "id" attribute
# of a SCIM resource, and the "$ref" sub-attribute must be the URI of a SCIM resource such as
# a "User""; §2.3.7: a reference "MUST be the absolute or relative URI of the target
# resource" and "a reference is commonly represented as a "$ref" sub-attribute ... however,
# this is OPTIONAL".
@requirement("groups/member-reference")
@needs_resource("Group")
@writes
def test_member_value_is_the_user_id(
    scim: ScimClient, factory: Factory, capabilities: Capabilities
) -> None:
    group, people = member_group(scim, factory, capabilities)
    stored = read_group(scim, factory, group)
    wanted = [r.id for r in people.resources[:2]]
    values = member_values(stored)
    if not values:
        # RFC 7644 §3.3: "the server is free to alter and/or ignore POSTed content"; with no
        # member shown there is no value to judge (groups/patch-add-member judges adding).
        pytest.skip(f"GET {factory.path(group)} shows none of the members it was created with")
    if sorted(values) != sorted(wanted):
        fail(
            f"GET {factory.path(group)}: members must carry the ids of the Users added "
            "(RFC 7643 §4.2).\n"
            f"Expected: values {wanted}\nActual: values {values}"
        )
    for member in stored.get("members") or []:
        ref = member.get("$ref") if isinstance(member, dict) else None
        if ref is None:
            continue
        last = unquote(urlparse(str(ref)).path.rstrip("/").rsplit("/", 1)[-1])
        if last != member.get("value"):
            fail(
                f"GET {factory.path(group)}: member {member.get('value')} has $ref {ref!r}, "
                "which is not the URI of that User (RFC 7643 §2.3.7, §4.2)."
            )


# RFC 7644 §3.4.2.5: excludedAttributes "A multi-valued list of strings indicating the names
# of resource attributes to be removed from the default set of attributes to return."
@requirement("groups/excluded-members")
@needs_resource("Group")
@writes
def test_excluded_members(scim: ScimClient, factory: Factory, capabilities: Capabilities) -> None:
    group, _ = member_group(scim, factory, capabilities)
    response = scim.get(factory.path(group), params={"excludedAttributes": "members"})
    expect_status(response, 200)
    body = expect_json_object(response)
    if has_value(body.get("members")) or body.get("id") != group.id:
        fail(
            f"{request_line(response)} must omit members and keep id and displayName "
            "(RFC 7644 §3.4.2.5).\n"
            f"Expected: no members; id {group.id}\nActual: {describe(response)}"
        )
    if body.get("displayName") != group.name:
        fail(
            f"{request_line(response)} dropped displayName, which was not excluded "
            f"(RFC 7644 §3.9).\nActual: {describe(response)}"
        )


# RFC 7644 §3.4.2.2: "When specified, only those resources matching the filter expression
# SHALL be returned."
@requirement("groups/filter-display-name")
@needs_resource("Group")
@needs("filter")
@writes
def test_filter_by_display_name(scim: ScimClient, factory: Factory) -> None:
    group, _ = plain_group(scim, factory)
    expression = f'displayName eq "{group.name}"'
    response = scim.get(factory.groups_path, params={"filter": expression})
    skip_if_declined(response, expression)
    page = read_page(response)
    if page.ids != [group.id] or page.total != 1:
        fail(
            f"{request_line(response)} must find exactly the Group named {group.name!r}.\n"
            f"Expected: [{group.id}] (totalResults 1)\n"
            f"Actual: {page.ids} (totalResults {page.total})"
        )


def _patch(scim: ScimClient, factory: Factory, group: Resource, *ops: dict[str, Any]) -> None:
    response = scim.patch(factory.path(group), {"schemas": [PATCH_OP], "Operations": list(ops)})
    # RFC 7644 §3.5.2: "the server either MUST return a 200 OK response code and the entire
    # resource within the response body ... or MAY return HTTP status code 204 (No Content)".
    expect_status(response, 200, 204)
    if response.status_code == 200 and not isinstance(json_or_none(response), dict):
        fail(f"{request_line(response)} answered 200 without the resource.\n{describe(response)}")


# RFC 7644 §3.5.2.1: "If the target location specifies a multi-valued attribute, a new value
# is added to the attribute."
@requirement("groups/patch-add-member")
@needs_resource("Group")
@needs("patch")
@writes
def test_patch_adds_members(scim: ScimClient, factory: Factory, capabilities: Capabilities) -> None:
    people = population(scim, factory, capabilities)
    group, _ = plain_group(scim, factory)
    first, second = people.resources[2].id, people.resources[3].id
    _patch(scim, factory, group, {"op": "add", "path": "members", "value": [{"value": first}]})
    _patch(scim, factory, group, {"op": "add", "path": "members", "value": [{"value": second}]})
    values = member_values(read_group(scim, factory, group))
    if sorted(values) != sorted([first, second]):
        fail(
            f"PATCH {factory.path(group)} added two members one at a time; the second add "
            "must keep the first (RFC 7644 §3.5.2.1).\n"
            f"Expected: {_names(people, [first, second])}\nActual: {_names(people, values)}"
        )


# RFC 7644 §3.5.2.2: "If the target location is a multi-valued attribute and a complex
# filter is specified comparing a "value", the values matched by the filter are removed."
# (Example: "path":"members[value eq \"2819c223-7f76-...413861904646\"]".)
@requirement("groups/patch-remove-member")
@needs_resource("Group")
@needs("patch")
@writes
def test_patch_removes_one_member(
    scim: ScimClient, factory: Factory, capabilities: Capabilities
) -> None:
    group, people = member_group(scim, factory, capabilities)
    gone, kept = people.resources[0].id, people.resources[1].id
    if sorted(member_values(read_group(scim, factory, group))) != sorted([gone, kept]):
        pytest.skip(
            "the Group does not hold the two members it was created with "
            "(groups/member-reference reports it)"
        )
    _patch(scim, factory, group, {"op": "remove", "path": f'members[value eq "{gone}"]'})
    values = member_values(read_group(scim, factory, group))
    if values != [kept]:
        fail(
            f'PATCH {factory.path(group)} remove members[value eq "{gone}"] must remove '
            "that member only (RFC 7644 §3.5.2.2).\n"
            f"Expected: {_names(people, [kept])}\nActual: {_names(people, values)}"
        )
