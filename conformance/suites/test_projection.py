"""Attribute projection (RFC 7644 §3.4.2.5 and §3.9): attributes and excludedAttributes.

Judged on the first user of the run's population, whose stored representation (read back
after creation) says which default attributes it has. Only attributes the resource really
has are expected to disappear or stay; meta and schemas are left alone (their treatment
under projection is not pinned down precisely enough to fail a target on).
"""

from __future__ import annotations

from typing import Any

import pytest

from conformance.checks import (
    describe,
    expect_json_object,
    expect_status,
    fail,
    needs,
    request_line,
    requirement,
    writes,
)
from conformance.discovery import Capabilities
from conformance.factory import Factory, Resource
from conformance.http import ScimClient
from conformance.suites._querying import (
    Population,
    collect,
    defaults_held,
    has_value,
    population,
    projection_leaks,
    returned_always,
    value_at,
)


def _subject(
    scim: ScimClient, factory: Factory, capabilities: Capabilities
) -> tuple[Population, Resource]:
    people = population(scim, factory, capabilities)
    return people, people.resources[0]


def _others(subject: Resource, capabilities: Capabilities, *keep: str) -> list[str]:
    return defaults_held(subject.body, capabilities, *keep)


def _get(scim: ScimClient, factory: Factory, subject: Resource, **params: str) -> dict[str, Any]:
    response = scim.get(factory.path(subject), params=params)
    expect_status(response, 200)
    body = expect_json_object(response)
    if str(body.get("id")) != subject.id:
        fail(
            f"{request_line(response)}: id is returned always (RFC 7643 §3.1), so it must be "
            f"present whatever the projection.\nExpected: id {subject.id}\n"
            f"Actual: {describe(response)}"
        )
    return body


# RFC 7644 §3.9: attributes "When specified, the default list of attributes SHALL be
# overridden, and each resource returned MUST contain the minimum set of resource attributes
# and any attributes or sub-attributes explicitly requested by the "attributes" parameter."
@requirement("projection/attributes-get")
@writes
def test_attributes_on_get(scim: ScimClient, factory: Factory, capabilities: Capabilities) -> None:
    _, subject = _subject(scim, factory, capabilities)
    body = _get(scim, factory, subject, attributes="userName")
    leaks = projection_leaks(body, _others(subject, capabilities, "userName"))
    if not has_value(body.get("userName")) or leaks:
        fail(
            f"GET {factory.path(subject)}?attributes=userName must return id and userName "
            f"only, the default list being overridden (RFC 7644 §3.9).\n"
            f"Expected: userName present; absent: {', '.join(_others(subject, capabilities))}\n"
            f"Actual: userName {'present' if has_value(body.get('userName')) else 'missing'}; "
            f"still present: {', '.join(leaks) or 'none'}"
        )


# RFC 7644 §3.9: "any attributes or sub-attributes explicitly requested"; §3.10:
# "Complex attributes' sub-attributes are referenced via nested dot ('.') notation".
@requirement("projection/attributes-sub-attribute")
@writes
def test_attributes_selects_a_sub_attribute(
    scim: ScimClient, factory: Factory, capabilities: Capabilities
) -> None:
    _, subject = _subject(scim, factory, capabilities)
    family = value_at(subject.body, "name.familyName")
    given = value_at(subject.body, "name.givenName")
    if not (has_value(family) and has_value(given)):
        pytest.skip("the target stored no name.familyName and name.givenName for the user")
    body = _get(scim, factory, subject, attributes="name.familyName")
    name = body.get("name") if isinstance(body.get("name"), dict) else {}
    leaks = projection_leaks(body, _others(subject, capabilities, "name"))
    sibling = has_value(value_at(body, "name.givenName"))
    if value_at(body, "name.familyName") != family or sibling or leaks:
        fail(
            f"GET {factory.path(subject)}?attributes=name.familyName must return "
            f"name.familyName and not its siblings or other attributes (RFC 7644 §3.9).\n"
            f"Expected: name {{familyName: {family!r}}}\n"
            f"Actual: name {name!r}; other attributes still present: {', '.join(leaks) or 'none'}"
        )


# RFC 7644 §3.9: excludedAttributes "When specified, each resource returned MUST contain the
# minimum set of resource attributes. Additionally, the default set of attributes minus those
# attributes listed in "excludedAttributes" is returned."
@requirement("projection/excluded-get")
@writes
def test_excluded_attributes_on_get(
    scim: ScimClient, factory: Factory, capabilities: Capabilities
) -> None:
    _, subject = _subject(scim, factory, capabilities)
    always = returned_always(capabilities)
    excluded = [
        a
        for a in ("emails", "name")
        if has_value(value_at(subject.body, a)) and a.lower() not in always
    ]
    if not excluded:
        pytest.skip("the target stored neither emails nor name for the user")
    kept = [a for a in ("userName", "displayName") if has_value(value_at(subject.body, a))]
    body = _get(scim, factory, subject, excludedAttributes=",".join(excluded))
    leaks = projection_leaks(body, excluded)
    lost = [a for a in kept if not has_value(body.get(a))]
    if leaks or lost:
        fail(
            f"GET {factory.path(subject)}?excludedAttributes={','.join(excluded)} must omit "
            f"those and keep the other defaults (RFC 7644 §3.9).\n"
            f"Expected: absent {', '.join(excluded)}; present {', '.join(kept)}\n"
            f"Actual: still present {', '.join(leaks) or 'none'}; lost {', '.join(lost) or 'none'}"
        )


# RFC 7644 §3.4.2.5: excludedAttributes "This parameter SHALL have no effect on attributes
# whose schema "returned" setting is "always""; RFC 7643 §3.1: id has "a "returned"
# characteristic of "always"".
@requirement("projection/excluded-keeps-id")
@writes
def test_excluded_attributes_cannot_remove_id(
    scim: ScimClient, factory: Factory, capabilities: Capabilities
) -> None:
    _, subject = _subject(scim, factory, capabilities)
    _get(scim, factory, subject, excludedAttributes="id")


# RFC 7643 §7 returned "always": "The attribute is always returned, regardless of the
# contents of the "attributes" parameter."
@requirement("projection/always-returned")
@writes
def test_always_returned_attributes_stay(
    scim: ScimClient, factory: Factory, capabilities: Capabilities
) -> None:
    _, subject = _subject(scim, factory, capabilities)
    always = sorted(
        a
        for a in returned_always(capabilities)
        if a not in ("id", "displayname") and has_value(value_at(subject.body, a))
    )
    body = _get(scim, factory, subject, attributes="displayName")
    missing = [a for a in always if not has_value(value_at(body, a))]
    if missing:
        fail(
            f"GET {factory.path(subject)}?attributes=displayName dropped attributes the "
            f'target\'s own schema marks returned "always" (RFC 7643 §7).\n'
            f"Expected: present {', '.join(always)}\nActual: missing {', '.join(missing)}"
        )


def _list(scim: ScimClient, people: Population, **params: str) -> tuple[str, list[dict[str, Any]]]:
    query = {"filter": people.scope(scim).require_reliable(), **params}
    resources, _ = collect(scim, people.users_path, query)
    mine = [r for r in resources if str(r.get("id")) in people.ids]
    shown = "&".join(f"{k}={v}" for k, v in params.items())
    return f"GET {people.users_path}?filter=...&{shown}", mine


def _expect_each(
    where: str,
    people: Population,
    resources: list[dict[str, Any]],
    present: list[str],
    absent: list[str],
) -> None:
    if len(resources) != len(people.ids):
        fail(f"{where} returned {len(resources)} of the run's {len(people.ids)} users.")
    for resource in resources:
        lost = [a for a in ["id", *present] if not has_value(value_at(resource, a))]
        leaks = projection_leaks(resource, absent)
        if lost or leaks:
            fail(
                f"{where}: user {resource.get('id')} lacks {', '.join(lost) or 'nothing'} and "
                f"still carries {', '.join(leaks) or 'nothing'} (RFC 7644 §3.4.2.5).\n"
                f"Expected: present id, {', '.join(present)}; absent {', '.join(absent)}"
            )


# RFC 7644 §3.4.2.5: "The following attributes control which attributes SHALL be returned
# with a returned resource. SCIM clients MAY use one of these two OPTIONAL parameters, which
# MUST be supported by SCIM service providers".
@requirement("projection/attributes-list")
@needs("filter")
@writes
def test_attributes_on_list(scim: ScimClient, factory: Factory, capabilities: Capabilities) -> None:
    people, subject = _subject(scim, factory, capabilities)
    where, resources = _list(scim, people, attributes="userName")
    _expect_each(where, people, resources, ["userName"], _others(subject, capabilities, "userName"))


@requirement("projection/excluded-list")
@needs("filter")
@writes
def test_excluded_attributes_on_list(
    scim: ScimClient, factory: Factory, capabilities: Capabilities
) -> None:
    people, subject = _subject(scim, factory, capabilities)
    if not has_value(value_at(subject.body, "emails")) or "emails" in returned_always(capabilities):
        pytest.skip("the target stored no emails for the user")
    where, resources = _list(scim, people, excludedAttributes="emails")
    _expect_each(where, people, resources, ["userName"], ["emails"])
