"""Replacing a resource with PUT (RFC 7644 §3.5.1; RFC 7643 §3.1 id and meta, §7 mutability).

Most checks judge one scenario (`replace_scenario`): a User given a nickName, read, then
replaced after a pause by a PUT that changes displayName and leaves nickName out. On targets
that never delete (Bizagi) the User is an earlier run's, taken over (`reusable_user`).
"""

from __future__ import annotations

import json
import secrets
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
    request_line,
    requirement,
    writes,
)
from conformance.discovery import CORE_USER
from conformance.factory import Factory, Resource
from conformance.http import ScimClient, json_or_none
from conformance.suites._crud import (
    ReplaceScenario,
    as_utc,
    ensure_budget,
    member,
    meta_of,
    parse_datetime,
    probe,
    replace_scenario,
)


def _succeeded(factory: Factory) -> tuple[ReplaceScenario, dict[str, Any], dict[str, Any]]:
    """The scenario with its reads before and after; skips when the PUT itself failed."""
    scenario = replace_scenario(factory)
    if not scenario.put_ok:
        pytest.skip(scenario.failed_put())
    before, after = json_or_none(scenario.before), json_or_none(scenario.after)
    if not isinstance(before, dict) or not isinstance(after, dict):
        pytest.skip("the User could not be read before and after the PUT; see read/get-200")
    return scenario, before, after


# RFC 7644 §3.5: "Implementers MUST support HTTP PUT as specified in Section 4.3 of
# [RFC7231]." §3.5.1 readWrite: "Any values provided SHALL replace the existing attribute
# values." ("a successful PUT operation returns a 200 OK response code and the entire
# resource": 204 No Content is accepted too, as HTTP allows it.)
@requirement("replace/put-replaces")
@writes
def test_put_replaces_values(factory: Factory) -> None:
    scenario = replace_scenario(factory)
    expect_status(scenario.put, 200, 204, why="a PUT of a full, valid representation")
    expect_status(scenario.after, 200, why="reading the User back after the PUT")
    shown = member(expect_json_object(scenario.after), "displayName")
    expect(
        shown == scenario.display_name,
        f"{request_line(scenario.put)} set displayName {scenario.display_name!r}, but "
        f"{request_line(scenario.after)} shows {json.dumps(shown)}.",
    )


# RFC 7644 §3.5.1 readWrite: "Attributes whose mutability is "readWrite" that are omitted
# from the request body MAY be assumed to be not asserted by the client. The service provider
# MAY assume that any existing values are to be cleared, or the service provider MAY assign a
# default value to the final resource representation." Keeping the old value is neither.
@requirement("replace/omitted-cleared")
@writes
def test_put_clears_omitted_attributes(factory: Factory) -> None:
    scenario, before, after = _succeeded(factory)
    if member(before, "nickName") != scenario.nick_name:
        pytest.skip("the target did not store the nickName given on create; nothing to clear")
    expect(
        member(after, "nickName") != scenario.nick_name,
        f"{request_line(scenario.put)} left nickName out, yet "
        f"{request_line(scenario.after)} still shows the old {scenario.nick_name!r}: a PUT "
        "replaces the resource, so an omitted attribute is cleared (or defaulted).",
    )


# RFC 7643 §3.1 id: "It MUST be a stable, non-reassignable identifier that does not change
# when the same resource is returned in subsequent requests." meta: sub-attributes "have a
# "mutability" of "readOnly""; created is "The "DateTime" that the resource was added to the
# service provider." RFC 7643 §7 readOnly: "The attribute SHALL NOT be modified."
@requirement("replace/id-created-unchanged")
@writes
def test_put_keeps_id_and_created(factory: Factory) -> None:
    scenario, before, after = _succeeded(factory)
    expect(
        member(after, "id") in (None, scenario.user.id),  # None: see read/common-attributes
        f"after {request_line(scenario.put)} the id is {json.dumps(member(after, 'id'))}; it "
        f"was {json.dumps(scenario.user.id)} and must not change.",
    )
    was, now = meta_of(before).get("created"), meta_of(after).get("created")
    expect(
        _same_moment(was, now),
        f"{request_line(scenario.put)} changed meta.created from {json.dumps(was)} to "
        f"{json.dumps(now)}; created is when the resource was added and is readOnly.",
    )


def _same_moment(first: Any, second: Any) -> bool:
    a, b = parse_datetime(first), parse_datetime(second)
    if a is not None and b is not None:
        return as_utc(a) == as_utc(b)
    return bool(first == second)


# RFC 7643 §3.1 lastModified: "The most recent DateTime that the details of this resource
# were updated at the service provider." The PUT comes more than a second after the read
# before it, so even a one-second clock shows the change.
@requirement("replace/last-modified-advances")
@writes
def test_put_advances_last_modified(factory: Factory) -> None:
    scenario, before, after = _succeeded(factory)
    was_text, now_text = meta_of(before).get("lastModified"), meta_of(after).get("lastModified")
    was, now = parse_datetime(was_text), parse_datetime(now_text)
    if was is None or now is None:
        pytest.skip(
            f"meta.lastModified is not a DateTime ({json.dumps(was_text)} -> "
            f"{json.dumps(now_text)}); see read/meta-timestamps"
        )
    if {k: v for k, v in before.items() if k != "meta"} == {
        k: v for k, v in after.items() if k != "meta"
    }:
        # Nothing the target shows was updated (it ignored the new displayName), so an
        # unchanged lastModified is right; replace/put-replaces judges the ignored value.
        pytest.skip(f"{request_line(scenario.put)} changed nothing the target shows")
    expect(
        as_utc(now) > as_utc(was),
        f"{request_line(scenario.put)} changed displayName, but meta.lastModified went from "
        f"{was_text} to {now_text}; it must be the time of the latest update.",
    )


# RFC 7644 §3.5.1: "As the operation's intent is to replace all attributes, SCIM clients MAY
# send all attributes, regardless of each attribute's mutability. [...] readOnly  Any values
# provided SHALL be ignored." RFC 7643 §3.1 meta: "This attribute SHALL be ignored when
# provided by clients."
@requirement("replace/readonly-ignored")
@writes
def test_put_ignores_readonly_attributes(factory: Factory) -> None:
    scenario = replace_scenario(factory)
    user = scenario.user
    path = factory.path(user)
    before = factory.client.get(path)
    expect_status(before, 200, why="reading the User before the PUT")
    fake_meta = {
        "resourceType": "Group",
        "created": "2001-01-01T00:00:00Z",
        "lastModified": "2001-01-01T00:00:00Z",
        "location": f"https://client.invalid/Users/{user.id}",
    }
    payload = factory.user_payload(user.name, id=user.id, meta=fake_meta)
    put = factory.client.put(path, payload)
    expect_status(put, 200, 204, why="id and meta are readOnly: SHALL be ignored, not refused")
    after = factory.client.get(path)
    expect_status(after, 200, why="reading the User back after the PUT")
    meta = meta_of(expect_json_object(after))
    stored = [key for key in fake_meta if meta.get(key) == fake_meta[key]]
    expect(
        not stored,
        f"{request_line(put)} stored the client's readOnly meta."
        + "".join(f"\n  meta.{key}: {json.dumps(meta.get(key))}" for key in stored),
    )
    expect(
        _same_moment(meta.get("created"), meta_of(json_or_none(before)).get("created")),
        f"{request_line(put)} moved meta.created to {json.dumps(meta.get('created'))}.",
    )


@dataclass
class ImmutableScenario:
    """A User created with an immutable attribute set, then PUT with another value."""

    attribute: str
    extension: str | None
    first: str
    second: str
    user: Resource
    put: httpx.Response
    after: httpx.Response


def _immutable_scenario(factory: Factory) -> ImmutableScenario:
    return factory.shared("crud/immutable-scenario", lambda: _immutable(factory))


def _immutable_attribute(factory: Factory) -> tuple[str, str | None] | None:
    """An immutable, single-valued string attribute of the User's core or extension schemas."""
    users = factory.capabilities.users
    urns = [CORE_USER] + (list(users.extensions) if users else [])
    for urn in urns:
        schema = factory.capabilities.schemas.get(urn) or {}
        for attribute in schema.get("attributes") or []:
            if (
                attribute.get("mutability") == "immutable"
                and attribute.get("type") == "string"
                and not attribute.get("multiValued")
                and not attribute.get("canonicalValues")
                and str(attribute.get("name", "")).lower() not in ("id", "username")
            ):
                return str(attribute["name"]), (None if urn == CORE_USER else urn)
    return None


def _with_value(
    factory: Factory, payload: dict[str, Any], attribute: str, extension: str | None, value: str
) -> dict[str, Any]:
    if extension is None:
        payload[attribute] = value
    else:
        if extension not in payload["schemas"]:
            payload["schemas"].append(extension)
        payload[extension] = {**payload.get(extension, {}), attribute: value}
    return payload


def _immutable(factory: Factory) -> ImmutableScenario:
    found = _immutable_attribute(factory)
    if found is None:
        pytest.skip("the target's User schemas declare no immutable single-valued string")
    attribute, extension = found
    ensure_budget(factory)
    name = factory.username("imm")
    first, second = f"first-{secrets.token_hex(3)}", f"second-{secrets.token_hex(3)}"
    payload = _with_value(factory, factory.user_payload(name), attribute, extension, first)
    create = factory.client.post(factory.users_path, payload)
    if not 200 <= create.status_code < 300:
        pytest.skip(f"the target did not create a User with {attribute} set ({describe(create)})")
    user = factory.record_created("User", create, name=name)
    path = factory.path(user)
    replacement = _with_value(factory, factory.user_payload(name), attribute, extension, second)
    put = factory.client.put(path, replacement)
    after = factory.client.get(path)
    return ImmutableScenario(attribute, extension, first, second, user, put, after)


def _stored(scenario: ImmutableScenario) -> Any:
    body = json_or_none(scenario.after)
    holder = member(body, scenario.extension) if scenario.extension else body
    return member(holder, scenario.attribute)


# RFC 7644 §3.5.1 immutable: "If one or more values are already set for the attribute, the
# input value(s) MUST match, or HTTP status code 400 SHOULD be returned with a "scimType"
# error code of "mutability"." RFC 7643 §7 immutable: "The attribute SHALL NOT be updated."
@requirement("replace/immutable-kept")
@writes
def test_put_keeps_immutable_value(factory: Factory) -> None:
    scenario = _immutable_scenario(factory)
    expect_status(scenario.after, 200, why="reading the User back after the PUT")
    stored = _stored(scenario)
    expect(
        stored != scenario.second,
        f"{request_line(scenario.put)} changed the immutable {scenario.attribute} from "
        f"{scenario.first!r} to {json.dumps(stored)} ({describe(scenario.put)}).",
    )


@requirement("replace/immutable-400")
@writes
def test_put_immutable_change_is_400_mutability(factory: Factory) -> None:
    scenario = _immutable_scenario(factory)
    put = scenario.put
    if put.status_code != 400:
        fail(
            f"{request_line(put)} gave the immutable {scenario.attribute} a new value and "
            f'answered {put.status_code}; expected 400 with scimType "mutability".\n'
            f"Actual: {describe(put)}"
        )
    scim_type = member(json_or_none(put), "scimType")
    expect(
        scim_type == "mutability",
        f"{request_line(put)} answered 400 with scimType {json.dumps(scim_type)}; expected "
        '"mutability".',
    )


# RFC 7644 §3.5.1: "Because SCIM resource identifiers are assigned by the service provider,
# HTTP PUT MUST NOT be used to create new resources." (The status, 404 by Table 8, is judged
# by errors/status-code.)
@requirement("replace/unknown-not-created")
@writes
def test_put_to_unknown_resource_does_not_create(scim: ScimClient, factory: Factory) -> None:
    response = probe(factory, "put-unknown")
    expect(
        response.status_code >= 400,
        f"{request_line(response)} for a resource that does not exist answered "
        f"{response.status_code}; PUT MUST NOT create resources.\nActual: {describe(response)}",
    )
    read = scim.get(str(response.request.url))
    expect(
        read.status_code != 200,
        f"{request_line(response)} answered {response.status_code}, yet {request_line(read)} "
        "now finds the resource: the PUT created it.",
    )
