"""Reading a known resource (RFC 7644 §3.4.1; RFC 7643 §3.1 common attributes, §4.1.1 password).

The checks read the run's shared User (`factory.shared_user()`), which no check changes.
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
    needs,
    request_line,
    requirement,
    writes,
)
from conformance.discovery import CORE_USER
from conformance.factory import Factory, Resource
from conformance.http import ScimClient, json_or_none
from conformance.suites._crud import (
    as_utc,
    core_user_attribute,
    ensure_budget,
    has_member,
    member,
    meta_location_base,
    meta_of,
    parse_datetime,
    password_value,
    probe,
    resolve,
    same_origin,
)


def _read(scim: ScimClient, factory: Factory) -> tuple[Resource, httpx.Response, dict[str, Any]]:
    """GET the shared User; a read that fails is read/get-200's failure, the others skip."""
    user = factory.shared_user()
    response = scim.get(factory.path(user))
    body = json_or_none(response)
    if response.status_code != 200 or not isinstance(body, dict):
        pytest.skip(f"the User could not be read ({describe(response)}); see read/get-200")
    return user, response, body


# RFC 7644 §3.4.1: "If the resource exists, the server responds with HTTP status code 200
# (OK) and includes the result in the body of the response."
@requirement("read/get-200")
@writes
def test_read_known_resource(scim: ScimClient, factory: Factory) -> None:
    user = factory.shared_user()
    response = scim.get(factory.path(user))
    expect_status(response, 200, why="the User exists: the run created it")
    body = expect_json_object(response)
    got = member(body, "id")  # a missing id is read/common-attributes' failure
    expect(
        got is None or got == user.id,
        f"{request_line(response)} returned another resource: id {json.dumps(got)}, expected "
        f"{json.dumps(user.id)}.",
    )


# RFC 7643 §3.1: "When accepted by a service provider (e.g., after a SCIM create), the
# attributes "id" and "meta" (and its associated sub-attributes) MUST be assigned values by
# the service provider." id: "Each representation of the resource MUST include a non-empty
# "id" value." meta sub-attributes have "a "returned" characteristic of "default"". RFC 7643
# §3: "The "schemas" attribute is a REQUIRED attribute". (version is optional: see
# read/meta-version.)
@requirement("read/common-attributes")
@writes
def test_read_common_attributes(scim: ScimClient, factory: Factory) -> None:
    user, response, body = _read(scim, factory)
    problems = []
    schemas = member(body, "schemas")
    if not isinstance(schemas, list) or CORE_USER not in schemas:
        problems.append(f"schemas {json.dumps(schemas)} lacks {CORE_USER}")
    resource_id = member(body, "id")
    if not isinstance(resource_id, str) or not resource_id:
        problems.append(f"id is {json.dumps(resource_id)}, not a non-empty string")
    meta = member(body, "meta")
    if not isinstance(meta, dict):
        problems.append("meta is missing")
    else:
        for key in ("resourceType", "created", "lastModified", "location"):
            value = meta.get(key)
            if not isinstance(value, str) or not value:
                problems.append(f"meta.{key} is {json.dumps(value)}")
    expect(
        not problems,
        f"{request_line(response)}: the User lacks common attributes (RFC 7643 §3.1): "
        + "; ".join(problems)
        + ".",
    )


# RFC 7643 §3.1 meta: "created  The "DateTime" that the resource was added to the service
# provider. This attribute MUST be a DateTime. lastModified  The most recent DateTime that the
# details of this resource were updated at the service provider. If this resource has never
# been modified since its initial creation, the value MUST be the same as the value of
# "created"." The 201 body is the never-modified state; later reads must not go backwards.
@requirement("read/meta-timestamps")
@writes
def test_read_meta_timestamps(scim: ScimClient, factory: Factory) -> None:
    user, response, body = _read(scim, factory)
    meta = meta_of(body)
    if meta.get("created") is None or meta.get("lastModified") is None:
        pytest.skip("meta.created or meta.lastModified is missing; see read/common-attributes")
    created, modified = (
        parse_datetime(meta.get("created")),
        parse_datetime(meta.get("lastModified")),
    )
    where = request_line(response)
    expect(
        created is not None and modified is not None,
        f"{where}: meta.created {json.dumps(meta.get('created'))} and meta.lastModified "
        f"{json.dumps(meta.get('lastModified'))} must both be xsd:dateTime values "
        "(RFC 7643 §2.3.5), e.g. 2008-01-23T04:56:22Z.",
    )
    assert created is not None and modified is not None
    expect(
        as_utc(modified) >= as_utc(created),
        f"{where}: meta.lastModified {meta.get('lastModified')} is before meta.created "
        f"{meta.get('created')}.",
    )
    first = meta_of(json_or_none(user.response)) if user.response is not None else {}
    at_create = (parse_datetime(first.get("created")), parse_datetime(first.get("lastModified")))
    if at_create[0] is not None and at_create[1] is not None:
        expect(
            as_utc(at_create[0]) == as_utc(at_create[1]),
            f"POST {factory.users_path}: the new User's meta.lastModified "
            f"{first.get('lastModified')} differs from meta.created {first.get('created')}; "
            "a resource never modified since its creation must have the same value in both.",
        )


# RFC 7643 §3.1 meta: "location  The URI of the resource being returned." RFC 7643 §2.3.7: a
# relative reference resolves against the service provider root.
@requirement("read/meta-location")
@writes
def test_read_meta_location_names_the_resource(scim: ScimClient, factory: Factory) -> None:
    user, response, body = _read(scim, factory)
    location = meta_of(body).get("location")
    if location is None:
        pytest.skip("the User has no meta.location; see read/common-attributes")
    if not isinstance(location, str) or not location:
        fail(f"{request_line(response)}: meta.location is {json.dumps(location)}, not a URI.")
    target = resolve(meta_location_base(scim), location)
    if not same_origin(target, scim.base_url):
        pytest.skip(
            f"meta.location {location} is on another origin than the target {scim.base_url}; "
            "the suite sends no credentials there"
        )
    followed = scim.get(target)
    expect_status(followed, 200, why=f"meta.location {location} must name the resource")
    found = expect_json_object(followed)
    got, name = member(found, "id"), member(found, "userName")
    same = got == user.id if got is not None else str(name).lower() == user.name.lower()
    expect(
        same,
        f"GET {target} (meta.location) returned another resource (id {json.dumps(got)}, "
        f"userName {json.dumps(name)}), not the User {json.dumps(user.id)}.",
    )


# RFC 7644 §3.14: "When supported, SCIM ETags MUST be specified as an HTTP header and SHOULD
# be specified within the 'version' attribute contained in the resource's 'meta' attribute."
# RFC 7643 §3.1 version: "This value must be the same as the entity-tag (ETag) HTTP response
# header".
@requirement("read/meta-version")
@needs("etag")
@writes
def test_read_meta_version_is_the_etag(scim: ScimClient, factory: Factory) -> None:
    user, response, body = _read(scim, factory)
    version = meta_of(body).get("version")
    expect(
        isinstance(version, str) and version,
        f"{request_line(response)}: etag.supported is true but the User has no meta.version.",
    )
    etag = response.headers.get("ETag")
    if etag:
        expect(
            etag == version,
            f"{request_line(response)}: meta.version {version!r} differs from the ETag header "
            f"{etag!r}.",
        )


# RFC 7643 §4.1.1 password: "The cleartext value or the hashed value of a password SHALL NOT
# be returnable by a service provider. [...] indicating that the value MUST NOT be returned
# by a service provider in any form (the attribute characteristic "returned" is "never")."
# RFC 7643 §7 never: "The attribute is never returned."
@requirement("read/password-never-returned")
@writes
def test_read_never_returns_password(scim: ScimClient, factory: Factory) -> None:
    if factory.capabilities.schemas.get(CORE_USER) and not core_user_attribute(factory, "password"):
        pytest.skip("the target's User schema has no password attribute")
    ensure_budget(factory)
    name = factory.username("pw")
    create = factory.client.post(
        factory.users_path, factory.user_payload(name, password=password_value())
    )
    if not 200 <= create.status_code < 300:
        pytest.skip(f"the target did not create a User with a password ({describe(create)})")
    user = factory.record_created("User", create, name=name)
    answers = [create, scim.get(factory.path(user))]
    projected = scim.get(factory.path(user), params={"attributes": "password"})
    if projected.status_code == 200:
        answers.append(projected)
    if factory.capabilities.supports("filter"):
        answers.append(scim.get(factory.users_path, params={"filter": f'userName eq "{name}"'}))
    for answer in answers:
        body = json_or_none(answer)
        resources = member(body, "Resources") if has_member(body, "Resources") else [body]
        for resource in resources if isinstance(resources, list) else []:
            expect(
                not has_member(resource, "password"),
                f"{request_line(answer)} returned the password "
                f"({json.dumps(member(resource, 'password'))[:40]}); its characteristic "
                '"returned" is "never".',
            )


# RFC 7644 §3.12 Table 8: 404 (Not Found) "Specified resource (e.g., User) or endpoint does
# not exist." ("Implementers SHOULD handle the identified HTTP status codes as described
# below.") The body is judged by errors/scim-error-body.
@requirement("read/unknown-404")
def test_read_unknown_resource_is_404(factory: Factory) -> None:
    expect_status(probe(factory, "get-unknown"), 404, why="no such resource exists")
