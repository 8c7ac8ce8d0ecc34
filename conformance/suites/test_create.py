"""Creating resources (RFC 7644 §3.3; RFC 7643 §3.1, §4.1.1).

Most checks judge one POST, the run's shared User (`factory.shared_user()`), so that the run
creates few users; each shows that POST as its evidence.
"""

from __future__ import annotations

import json
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
    ensure_budget,
    has_member,
    member,
    meta_location_base,
    meta_of,
    probe,
    resolve,
    same_uri,
)


def _created(factory: Factory) -> tuple[Resource, httpx.Response]:
    """The run's shared User and the 201 answer that created it."""
    user = factory.shared_user()
    assert user.response is not None  # set by the factory for everything it creates
    return user, user.response


# RFC 7644 §3.3: "When the service provider successfully creates the new resource, an HTTP
# response SHALL be returned with HTTP status code 201 (Created)."
@requirement("create/status-201")
@writes
def test_create_answers_201(factory: Factory) -> None:
    user, response = _created(factory)  # factory refuses anything but 201 with an id
    expect_status(response, 201)


# RFC 7644 §3.3: "The response body SHOULD contain the service provider's representation of
# the newly created resource."
@requirement("create/returns-resource")
@writes
def test_create_returns_the_resource(factory: Factory) -> None:
    user, response = _created(factory)
    body = expect_json_object(response)
    schemas = member(body, "schemas")
    expect(
        isinstance(schemas, list) and CORE_USER in schemas,
        f"{request_line(response)}: the created User's schemas lack {CORE_USER}.\n"
        f"Actual: {json.dumps(schemas)}",
    )
    returned = member(body, "userName")
    expect(
        isinstance(returned, str) and returned.lower() == user.name.lower(),
        f"{request_line(response)}: the 201 body is not the new User: userName "
        f"{json.dumps(returned)}, sent {json.dumps(user.name)}.",
    )


# RFC 7644 §3.3: "The URI of the created resource SHALL include, in the HTTP "Location"
# header and the HTTP body, a JSON representation [RFC7159] with the attribute
# "meta.location"."
@requirement("create/location-header")
@writes
def test_create_location_header(scim: ScimClient, factory: Factory) -> None:
    user, response = _created(factory)
    header = response.headers.get("Location")
    expect(
        header,
        f"{request_line(response)} answered 201 without a Location header; RFC 7644 §3.3 "
        f"requires the new resource's URI there.\nActual: {describe(response)}",
    )
    body = json_or_none(response)
    if not has_member(body, "meta"):  # no representation in the 201 (a SHOULD): read it
        body = _representation(factory, user, response)
    location = meta_of(body).get("location")
    if not isinstance(location, str) or not location:
        fail(
            f"{request_line(response)}: the new User has no meta.location to match the "
            f"Location header {header!r}.\nActual: {describe(response)}"
        )
    from_header = resolve(str(response.request.url), str(header))
    from_body = resolve(meta_location_base(scim), location)
    expect(
        same_uri(from_header, from_body),
        f"{request_line(response)}: the Location header and meta.location name different "
        f"URIs.\nLocation: {header}\nmeta.location: {location}",
    )


# RFC 7644 §3.3.1: "When adding a resource to a specific endpoint, the meta attribute
# "resourceType" SHALL be set by the HTTP service provider to the corresponding resource type
# for the endpoint."
@requirement("create/resource-type")
@writes
def test_create_sets_resource_type(scim: ScimClient, factory: Factory) -> None:
    user, response = _created(factory)
    body = json_or_none(response)
    if not has_member(body, "meta"):  # no representation in the 201: judge the first read
        response = scim.get(factory.path(user))
        body = json_or_none(response)
    expected = factory.capabilities.users.name if factory.capabilities.users else "User"
    actual = meta_of(body).get("resourceType")
    expect(
        actual == expected,
        f"{request_line(response)}: meta.resourceType is {json.dumps(actual)}; a User created "
        f"at {factory.users_path} must have {json.dumps(expected)}.",
    )


# RFC 7643 §3.1 id: "Each representation of the resource MUST include a non-empty "id"
# value. [...] It MUST be a stable, non-reassignable identifier that does not change when the
# same resource is returned in subsequent requests. The value of the "id" attribute is always
# issued by the service provider".
@requirement("create/id-assigned")
@writes
def test_create_assigns_a_stable_id(scim: ScimClient, factory: Factory) -> None:
    user, response = _created(factory)
    for attempt in ("first", "second"):
        read = scim.get(factory.path(user))
        expect_status(read, 200, why="reading back the User just created")
        got = member(expect_json_object(read), "id")
        expect(
            got == user.id,
            f"{request_line(read)} ({attempt} read): id is {json.dumps(got)}; the POST "
            f"assigned {json.dumps(user.id)}, and an id must not change.",
        )


# RFC 7644 §3.3: "In the request body, attributes whose mutability is "readOnly" [...] SHALL
# be ignored." RFC 7643 §3.1 meta: "This attribute SHALL be ignored when provided by clients."
# id "is always issued by the service provider and MUST NOT be specified by the client": a
# client that sends one breaks that rule itself, so refusing it is allowed; adopting it is not.
@requirement("create/readonly-ignored")
@writes
def test_create_ignores_readonly_attributes(factory: Factory) -> None:
    client_id = f"client-chosen-{factory.run_id}"
    fake_meta = {
        "resourceType": "Group",
        "created": "2001-01-01T00:00:00Z",
        "lastModified": "2001-01-01T00:00:00Z",
        "location": "https://client.invalid/Users/" + client_id,
    }
    name = factory.username("ro")
    ensure_budget(factory)
    response = factory.client.post(
        factory.users_path, factory.user_payload(name, id=client_id, meta=fake_meta)
    )
    if 400 <= response.status_code < 500:  # refused over the id: meta alone must be accepted
        response = factory.client.post(
            factory.users_path, factory.user_payload(name, meta=fake_meta)
        )
        if response.status_code != 201:
            fail(
                f"{request_line(response)} with a client-sent meta answered "
                f"{response.status_code}; meta is readOnly and SHALL be ignored, not refused.\n"
                f"Actual: {describe(response)}"
            )
    user = factory.record_created("User", response, name=name)
    body = _representation(factory, user, response)
    meta = meta_of(body)
    problems = []
    if member(body, "id") == client_id:
        problems.append(f"the server adopted the client's id {client_id!r}")
    for key in ("created", "lastModified", "location", "resourceType"):
        if meta.get(key) == fake_meta[key]:
            problems.append(f"meta.{key} is the client's {fake_meta[key]!r}")
    expect(
        not problems,
        f"{request_line(response)}: readOnly attributes from the client were stored: "
        + "; ".join(problems)
        + ".",
    )


def _representation(factory: Factory, user: Resource, response: httpx.Response) -> Any:
    body = json_or_none(response)
    if has_member(body, "meta"):
        return body
    read = factory.client.get(factory.path(user))
    expect_status(read, 200, why="reading back the User just created")
    return expect_json_object(read)


# RFC 7643 §4.1.1 userName: "Each User MUST include a non-empty userName value. [...] This
# attribute is REQUIRED". (The status code is judged by errors/status-code.)
@requirement("create/required-missing-rejected")
@writes
def test_create_without_username_is_refused(factory: Factory) -> None:
    response = probe(factory, "missing-username")
    expect(
        response.status_code >= 400,
        f"{request_line(response)} without userName answered {response.status_code}: a User "
        f"without its REQUIRED userName was accepted.\nActual: {describe(response)}",
    )


# RFC 7644 §3.3: "If the service provider determines that the creation of the requested
# resource conflicts with existing resources (e.g., a "User" resource with a duplicate
# "userName"), the service provider MUST return HTTP status code 409 (Conflict) with a
# "scimType" error code of "uniqueness", as per Section 3.12."
@requirement("create/duplicate-409")
@writes
def test_create_duplicate_username_conflicts(factory: Factory) -> None:
    _expect_uniqueness_conflict(probe(factory, "duplicate"))


# RFC 7643 §4.1.1 userName: "This identifier MUST be unique across the service provider's
# entire set of Users. This attribute is REQUIRED and is case insensitive." The schema's
# uniqueness "server" reads "The value SHOULD be unique" (§7), and RFC 7644 §5 leaves the
# case mapping to PRECIS (RFC 7613 §3.4): hence SHOULD.
@requirement("create/duplicate-case-409")
@writes
def test_create_case_variant_username_conflicts(factory: Factory) -> None:
    user = factory.shared_user()
    if user.name.swapcase() == user.name:
        pytest.skip("the shared userName has no letters to change the case of")
    _expect_uniqueness_conflict(probe(factory, "duplicate-case"))


def _expect_uniqueness_conflict(response: httpx.Response) -> None:
    """409 with scimType uniqueness; the rest of the Error body is errors/scim-error-body's."""
    expect_status(response, 409, why="the userName is already taken")
    scim_type = member(json_or_none(response), "scimType")
    expect(
        scim_type == "uniqueness",
        f"{request_line(response)} answered 409 with scimType {json.dumps(scim_type)}; "
        f'expected "uniqueness".\nActual: {describe(response)}',
    )
