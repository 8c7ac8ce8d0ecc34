"""IdP dialect replay: the requests Microsoft Entra ID and Okta really send, on a real User.

Each check replays one documented request shape and then reads the User back: a 2xx status
alone proves nothing (Bizagi documents that a PATCH without a path is ignored, and a server may
ignore what it does not understand). Entra and Okta address a user by the id they cached from
the create answer, so the replay does too, whatever addressing the profile prefers.

Entra sources: "Tutorial: Develop and plan provisioning for a SCIM endpoint in Microsoft Entra
ID" and "Known issues and resolutions with SCIM 2.0 protocol compliance of the Microsoft Entra
user provisioning service" (learn.microsoft.com). Okta: "SCIM 2.0" reference of Okta's
developer documentation for app integrations.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from conformance.checks import (
    describe,
    expect,
    expect_json_object,
    expect_status,
    fail,
    needs,
    needs_resource,
    request_line,
    requirement,
    writes,
)
from conformance.discovery import CORE_USER, ENTERPRISE_USER, Capabilities
from conformance.errors import Nonconformance
from conformance.factory import Factory, Resource
from conformance.http import ScimClient, segment
from conformance.profile import Profile
from conformance.suites._crud import ensure_budget
from conformance.suites._patching import (
    ABSENT,
    Blocked,
    Operation,
    definition,
    member,
    operation,
    patch_request,
    render,
    show,
    unassigned,
    value_at,
)
from conformance.suites._profiles import (
    ExtensionAttribute,
    activate,
    by_extension,
    extension_attributes,
    fresh_text,
    id_path,
    items,
    listed,
    offered_extensions,
    query_user_name,
    read,
    require_dialect,
    same_user,
    same_value,
    subject,
)

ENTRA = ("entra", "entra-2020")


def _send(scim: ScimClient, path: str, *operations: Operation) -> httpx.Response:
    return scim.patch(path, patch_request(*operations))


def _replayed(
    response: httpx.Response, operations: tuple[Operation, ...] | list[Operation]
) -> None:
    """A replayed PATCH must succeed: 200 with the resource or 204 (RFC 7644 §3.5.2)."""
    if response.status_code in (200, 204):
        return
    fail(
        f"{request_line(response)} {show(operations)} was refused.\n"
        "Expected: 200 or 204, the change applied\n"
        f"Actual: {describe(response)}"
    )


def _replay_and_verify(
    scim: ScimClient, path: str, operations: tuple[Operation, ...], expected: dict[str, Any]
) -> None:
    """Send the replayed PATCH, which must succeed, then check its effect with a GET."""
    response = _send(scim, path, *operations)
    _replayed(response, operations)
    _verify(read(scim, path), expected, f"PATCH {path} {show(operations)}")


def _verify(state: dict[str, Any], expected: dict[str, Any], after: str) -> None:
    """The GET after a replay must show every expected value (`path` -> value)."""
    problems = [
        f"{path} is {render(_at(state, path))} (expected {_show(value)})"
        for path, value in expected.items()
        if not _matches(_at(state, path), value)
    ]
    if problems:
        wanted = ", ".join(f"{path} {_show(value)}" for path, value in expected.items())
        fail(
            f"{after} answered success, but the GET that follows does not show the change.\n"
            f"Expected: {wanted}\nActual: " + "; ".join(problems)
        )


def _show(value: Any) -> str:
    return "unassigned" if value is _UNASSIGNED else render(value)


class _Unassigned:
    """Expected value meaning "unassigned" (absent, null or empty: RFC 7643 §2.5)."""

    def __repr__(self) -> str:
        return "unassigned"


_UNASSIGNED: Any = _Unassigned()


def _matches(actual: Any, expected: Any) -> bool:
    if expected is _UNASSIGNED:
        return unassigned(actual)
    return same_value(actual, expected)


def _at(state: dict[str, Any], path: str) -> Any:
    """value_at, plus `emails[type eq "work"].value` (the one filter the replays use)."""
    if path == 'emails[type eq "work"].value':
        for email in items(member(state, "emails")):
            if isinstance(email, dict) and str(member(email, "type")).lower() == "work":
                return member(email, "value")
        return None
    return value_at(state, path)


def _require_attributes(capabilities: Capabilities, *paths: str) -> None:
    """Skip when the target's User schema lacks an attribute the replay writes."""
    for path in paths:
        found = definition(capabilities, path)
        if found is not None and not isinstance(found, dict):
            pytest.skip(f"the target's User schema has no attribute {path}")
        if isinstance(found, dict) and found.get("mutability") in ("readOnly", "immutable"):
            pytest.skip(f"the target's schema declares {path} {found.get('mutability')}")


def _one_per_extension(factory: Factory, profile: Profile) -> list[ExtensionAttribute]:
    """One writable attribute of each offered extension (Entra maps them by full URN)."""
    return [
        group[0]
        for group in by_extension(extension_attributes(factory.capabilities, profile)).values()
    ]


def _new_email(factory: Factory, user: Resource) -> str:
    local = user.name.split("@", 1)[0]
    return f"{local}e@{factory.profile.username_domain}"


# -- Entra: default dialect -----------------------------------------------------------------


# Entra ID: "Don't require a case-sensitive match on structural elements in SCIM, in particular
# PATCH op operation values, as defined in section 3.5.2. Microsoft Entra ID emits the values
# of op as Add, Replace, and Remove." (Entra's "Add single value" example: {"op":"Add",
# "path":"nickName","value":"Babs"}.)
@requirement("entra/op-case-insensitive")
@needs("patch")
@writes
def test_entra_capitalised_ops(
    scim: ScimClient, factory: Factory, profile: Profile, capabilities: Capabilities
) -> None:
    require_dialect(profile, "entra")
    _require_attributes(capabilities, "name.familyName", "name.middleName")
    user = subject(factory)
    path = id_path(factory, user)
    activate(scim, path)
    family, middle = fresh_text(factory, "fam"), fresh_text(factory, "mid")
    first = (
        operation("Replace", "name.familyName", family),
        operation("Add", "name.middleName", middle),
    )
    response = _send(scim, path, *first)
    _replayed(response, first)
    _verify(
        read(scim, path),
        {"name.familyName": family, "name.middleName": middle},
        f"PATCH {path} {show(first)}",
    )
    second = (operation("Remove", "name.middleName"),)
    _replay_and_verify(scim, path, second, {"name.middleName": _UNASSIGNED})


# Entra ID (default, without aadOptscim062020) disables a user with
# {"op":"Replace","path":"active","value":"False"}: "Update PATCH behavior to ensure
# compliance (such as active as boolean ...)" is listed as not fixed, behind the feature flag.
@requirement("entra/string-boolean")
@needs("patch")
@writes
def test_entra_string_false_deactivates(
    scim: ScimClient, factory: Factory, profile: Profile
) -> None:
    require_dialect(profile, "entra")
    user = subject(factory)
    path = id_path(factory, user)
    activate(scim, path)
    replay = (operation("Replace", "active", "False"),)
    try:
        _replay_and_verify(scim, path, replay, {"active": False})
    finally:
        _restore(scim, path)


def _restore(scim: ScimClient, path: str) -> None:
    """Reactivate the subject after a check that deactivated it (the next check re-checks)."""
    try:
        activate(scim, path)
    except Blocked:
        pass


# Entra ID (default) replaces several attributes with one {"op":"Replace","path":...} per
# attribute, including extension attributes by their full URN (e.g.
# urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber).
@requirement("entra/one-op-per-attribute")
@needs("patch")
@writes
def test_entra_one_replace_per_attribute(
    scim: ScimClient, factory: Factory, profile: Profile, capabilities: Capabilities
) -> None:
    require_dialect(profile, "entra")
    _require_attributes(capabilities, "name.givenName", "name.familyName")
    user = subject(factory)
    path = id_path(factory, user)
    activate(scim, path)
    before = read(scim, path)
    expected: dict[str, Any] = {
        "name.givenName": fresh_text(factory, "giv"),
        "name.familyName": fresh_text(factory, "fam"),
        'emails[type eq "work"].value': _new_email(factory, user),
    }
    for attribute in _one_per_extension(factory, profile):
        expected[attribute.path] = attribute.new_value(factory, value_at(before, attribute.path))
    replay = tuple(operation("Replace", p, v) for p, v in expected.items())
    _replay_and_verify(scim, path, replay, expected)


# -- Entra: aadOptscim062020 ----------------------------------------------------------------


# Entra ID with aadOptscim062020 replaces several attributes with {"op":"replace","path":
# "emails[type eq \"work\"].value",...} and one path-less {"op":"replace","value":{
# "displayName":..., "name.givenName":..., "name.familyName":...,
# "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber":...}}.
@requirement("entra/pathless-dotted-keys")
@needs("patch")
@writes
def test_entra_pathless_dotted_keys(
    scim: ScimClient, factory: Factory, profile: Profile, capabilities: Capabilities
) -> None:
    require_dialect(profile, "entra-2020")
    _require_attributes(capabilities, "name.givenName", "name.familyName")
    user = subject(factory)
    path = id_path(factory, user)
    activate(scim, path)
    before = read(scim, path)
    email = _new_email(factory, user)
    value: dict[str, Any] = {
        "name.givenName": fresh_text(factory, "giv"),
        "name.familyName": fresh_text(factory, "fam"),
    }
    for attribute in _one_per_extension(factory, profile):
        value[attribute.path] = attribute.new_value(factory, value_at(before, attribute.path))
    replay = (
        operation("replace", 'emails[type eq "work"].value', email),
        operation("replace", None, value),
    )
    response = _send(scim, path, *replay)
    _replayed(response, replay)
    _verify(
        read(scim, path),
        {'emails[type eq "work"].value': email, **value},
        f"PATCH {path} {show(replay)}",
    )


# Entra ID with aadOptscim062020 removes a group member with {"op":"remove","path":
# "members[value eq \"7f4b...\"]"}. RFC 7644 §3.5.2.2: "If the target location is a
# multi-valued attribute and a complex filter is specified comparing a "value", the values
# matched by the filter are removed."
@requirement("entra/member-filter-remove")
@needs("patch")
@needs_resource("Group")
@writes
def test_entra_member_removed_by_value_filter(
    scim: ScimClient, factory: Factory, profile: Profile
) -> None:
    require_dialect(profile, "entra-2020")
    leaving = subject(factory)
    created = _entra_created(factory, profile)
    if created.user is None:
        raise Blocked(f"Entra's create request was refused: {describe(created.post)}")
    staying = created.user
    try:
        group = factory.create_group(
            factory.group_payload(members=[{"value": leaving.id}, {"value": staying.id}])
        )
    except Nonconformance as exc:
        raise Blocked(f"could not create a Group with two members: {exc}") from None
    path = f"{factory.groups_path}/{segment(group.id)}"
    replay = (operation("remove", f'members[value eq "{leaving.id}"]'),)
    response = _send(scim, path, *replay)
    _replayed(response, replay)
    members = items(member(read(scim, path), "members"))
    ids = sorted(str(member(m, "value")) for m in members if isinstance(m, dict))
    expect(
        ids == [staying.id],
        f"PATCH {path} {show(replay)} answered {response.status_code}, but the Group's members "
        f"are not what the removal leaves.\nExpected: [{json.dumps(staying.id)}]\n"
        f"Actual: {json.dumps(ids)}",
    )


# -- Entra: both dialects -------------------------------------------------------------------


# Entra ID queries for a matching user before it creates one: GET /Users?filter=userName eq
# "..."; with no match the answer is 200 with "totalResults": 0, "Resources": []. RFC 7644
# §3.4.2: "A query that does not return any matches SHALL return success (HTTP status code
# 200) with "totalResults" set to a value of 0." ("Resources ... REQUIRED if "totalResults" is
# non-zero", so an absent Resources is accepted.)
@requirement("entra/match-empty")
@needs("filter")
def test_entra_match_query_without_match(
    scim: ScimClient, factory: Factory, profile: Profile
) -> None:
    require_dialect(profile, *ENTRA)
    nobody = factory.username("none")
    response = query_user_name(scim, factory, nobody)
    expect_status(response, 200, why="Entra's matching query; nothing matches")
    body = expect_json_object(response)
    resources = items(member(body, "Resources"))
    expect(
        member(body, "totalResults") == 0 and not resources,
        f"{request_line(response)} matches no User, yet the ListResponse is not empty.\n"
        'Expected: "totalResults": 0 and no Resources\n'
        f"Actual: {describe(response)}",
    )


# Entra ID: "queries the target system for a matching user using the specified matching
# attributes"; a user it does not find is created again (a duplicate, or a 409 that quarantines
# the job).
@requirement("entra/match-found")
@needs("filter")
@writes
def test_entra_match_query_finds_user(scim: ScimClient, factory: Factory, profile: Profile) -> None:
    require_dialect(profile, *ENTRA)
    user = subject(factory)
    activate(scim, id_path(factory, user))
    response = query_user_name(scim, factory, user.name)
    expect_status(response, 200, why="Entra's matching query")
    body = expect_json_object(response)
    expect(
        listed(response, user.id) is not None and member(body, "totalResults") == 1,
        f"{request_line(response)} does not find exactly the existing User {user.name!r} "
        f"(id {user.id}).\nActual: {describe(response)}",
    )


@dataclass
class EntraCreated:
    """Entra's create request, replayed, and the User it made (None when refused)."""

    payload: dict[str, Any]
    post: httpx.Response
    user: Resource | None


def _entra_created(factory: Factory, profile: Profile) -> EntraCreated:
    return factory.shared("dialects/entra-created", lambda: _entra_create(factory, profile))


def _entra_create(factory: Factory, profile: Profile) -> EntraCreated:
    name = factory.username("entra")
    local = name.split("@", 1)[0]
    schemas = [CORE_USER]
    payload: dict[str, Any] = {
        "schemas": schemas,
        "externalId": local,
        "userName": name,
        "active": True,
        "emails": [{"primary": True, "type": "work", "value": name}],
        "meta": {"resourceType": "User"},
        "name": {"formatted": f"Test {local}", "familyName": local, "givenName": "Test"},
        "roles": [],
    }
    if any(
        urn.lower() == ENTERPRISE_USER.lower() for urn in offered_extensions(factory.capabilities)
    ):
        schemas.append(ENTERPRISE_USER)
        payload[ENTERPRISE_USER] = {"employeeNumber": fresh_text(factory, "emp")}
    for urn, values in profile.required_extensions.items():
        schemas.append(urn)
        payload[urn] = dict(values)
    ensure_budget(factory)
    post = factory.client.post(factory.users_path, payload)
    user = factory.record_created("User", post, name=name) if post.status_code == 201 else None
    return EntraCreated(payload, post, user)


# Entra ID's create request: POST /Users with schemas [core User, enterprise User], externalId,
# userName, "active": true, emails, "meta": {"resourceType": "User"}, name and "roles": [],
# answered "HTTP/1.1 201 Created". RFC 7643 §3.1 meta: "This attribute SHALL be ignored when
# provided by clients."
@requirement("entra/create-payload")
@writes
def test_entra_create_request(scim: ScimClient, factory: Factory, profile: Profile) -> None:
    require_dialect(profile, *ENTRA)
    created = _entra_created(factory, profile)
    expect_status(created.post, 201, why="Entra ID's create request")
    assert created.user is not None
    sent = created.payload
    expected: dict[str, Any] = {
        "userName": sent["userName"],
        "active": True,
        "name.givenName": sent["name"]["givenName"],
        "name.familyName": sent["name"]["familyName"],
        'emails[type eq "work"].value': sent["userName"],
    }
    if ENTERPRISE_USER in sent:
        expected[f"{ENTERPRISE_USER}:employeeNumber"] = sent[ENTERPRISE_USER]["employeeNumber"]
    _verify(
        read(scim, id_path(factory, created.user)),
        expected,
        f"{request_line(created.post)} (Entra's create request)",
    )


# Entra ID: after creating a user it "detects and caches the target system's ID for the new
# user. This ID is used to run all future operations on that user."
@requirement("entra/id-addressing")
@needs("patch")
@writes
def test_entra_cached_id_addresses_user(
    scim: ScimClient, factory: Factory, profile: Profile
) -> None:
    require_dialect(profile, *ENTRA)
    created = _entra_created(factory, profile)
    if created.user is None:
        pytest.skip(f"Entra's create request was refused ({describe(created.post)})")
    user = created.user
    path = id_path(factory, user)
    response = scim.get(path)
    expect_status(response, 200, why=f"GET by the id {user.id!r} the create answer returned")
    expect_json_object(response)
    expect(
        same_user(response, user),
        f"GET {path} does not return the User created as {user.name!r}.\n"
        f"Actual: {describe(response)}",
    )
    family = fresh_text(factory, "fam")
    replay = (operation("replace", "name.familyName", family),)
    _replay_and_verify(scim, path, replay, {"name.familyName": family})


# -- Okta -----------------------------------------------------------------------------------


# Okta deactivates (and reactivates) a user with a PATCH whose single operation has no path:
# {"op":"replace","value":{"active":false}}. RFC 7644 §3.5.2.3: "If the "path" parameter is
# omitted, the target is assumed to be the resource itself. In this case, the "value"
# attribute SHALL contain a list of one or more attributes that are to be replaced."
@requirement("okta/pathless-active")
@needs("patch")
@writes
def test_okta_pathless_active(scim: ScimClient, factory: Factory, profile: Profile) -> None:
    require_dialect(profile, "okta")
    user = subject(factory)
    path = id_path(factory, user)
    activate(scim, path)
    try:
        for active in (False, True):
            replay = (operation("replace", None, {"active": active}),)
            _replay_and_verify(scim, path, replay, {"active": active})
    finally:
        _restore(scim, path)


_RMW_CANDIDATES = ("nickName", "title", "displayName")


# Okta updates a user's profile by read-modify-write: it GETs the user, changes the attributes
# that changed in Okta, and PUTs the whole user back. RFC 7644 §3.5.1: "clients that have
# previously retrieved the entire resource in advance and revised it MAY replace the resource
# using an HTTP PUT"; "readWrite ... Any values provided SHALL replace the existing attribute
# values."
@requirement("okta/put-read-modify-write")
@writes
def test_okta_put_read_modify_write(
    scim: ScimClient, factory: Factory, profile: Profile, capabilities: Capabilities
) -> None:
    require_dialect(profile, "okta")
    attribute = next((a for a in _RMW_CANDIDATES if _writable_string(capabilities, a)), None)
    if attribute is None:
        pytest.skip(f"the target's User schema offers none of {', '.join(_RMW_CANDIDATES)}")
    user = subject(factory)
    path = id_path(factory, user)
    activate(scim, path)
    before = read(scim, path)
    changed = copy.deepcopy(before)
    new = fresh_text(factory, "okta")
    key = next((k for k in changed if k.lower() == attribute.lower()), attribute)
    changed[key] = new
    response = scim.put(path, changed)
    if response.status_code not in (200, 204):
        fail(
            f"PUT {path} of the User as read, with {attribute} changed, was refused.\n"
            f"Expected: 200 (RFC 7644 §3.5.1)\nActual: {describe(response)}"
        )
    after = read(scim, path)
    problems = (
        []
        if same_value(member(after, attribute), new)
        else [f"{attribute} is {render(member(after, attribute))} (expected {json.dumps(new)})"]
    )
    problems += _lost(before, after, ignore={attribute.lower(), "meta"})
    if problems:
        fail(
            f"PUT {path} of the User as read, with {attribute} changed, answered "
            f"{response.status_code}, but the User read afterwards differs.\n"
            f"Expected: {attribute} changed, every other attribute as before\n"
            "Actual: " + "; ".join(problems)
        )


def _writable_string(capabilities: Capabilities, name: str) -> bool:
    found = definition(capabilities, name)
    if found is None:
        return True  # the target does not describe its User schema: RFC 7643 §4.1 applies
    return (
        isinstance(found, dict)
        and found.get("type", "string") == "string"
        and found.get("mutability", "readWrite") == "readWrite"
    )


def _lost(before: dict[str, Any], after: dict[str, Any], *, ignore: set[str]) -> list[str]:
    """Attributes whose value differs between two reads (arrays compared without order;
    absent, null and empty are one state, RFC 7643 §2.5)."""
    old = {k.lower(): v for k, v in before.items() if k.lower() not in ignore}
    new = {k.lower(): v for k, v in after.items() if k.lower() not in ignore}
    problems = []
    for key in sorted(old.keys() | new.keys()):
        was, now = old.get(key, ABSENT), new.get(key, ABSENT)
        if unassigned(was) and unassigned(now):
            continue
        if _canonical(was) != _canonical(now):
            problems.append(f"{key} was {render(was)}, now {render(now)}")
    return problems


def _canonical(value: Any) -> Any:
    if isinstance(value, dict):
        return {k.lower(): _canonical(v) for k, v in value.items()}
    if isinstance(value, list):
        items = [_canonical(v) for v in value]
        return sorted(items, key=lambda v: json.dumps(v, sort_keys=True))
    return value
