"""Bizagi's own rules (help.bizagi.com, "Synchronizing users using SCIM's REST methods" and
the pages it links), checked on Bizagi profiles only: userName addressing, the userName@domain
length limit, the UserProperties extension, the OAuth token endpoint.

Bizagi "Get user information": "The username or ID ( guidUser from the WFUser table) sent in
the URL." ... "If you have multiple domains you can send this parameter using this format
userName@domain". Entra ID, which provisions Bizagi, uses the id instead (entra/id-addressing):
both must reach the same User.
"""

from __future__ import annotations

import json

import httpx
import pytest

from conformance.auth import ClientCredentialsAuth
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
from conformance.discovery import Capabilities
from conformance.errors import AuthenticationFailed
from conformance.factory import Factory
from conformance.http import ScimClient, json_or_none
from conformance.profile import Profile
from conformance.suites._crud import ensure_budget, record_if_created
from conformance.suites._patching import Blocked, member, operation, patch_request, render
from conformance.suites._profiles import (
    BIZAGI_URN,
    activate,
    applied,
    extension_user,
    fresh_text,
    id_path,
    name_path,
    offered_extensions,
    read,
    require_bizagi,
    same_user,
    same_value,
    subject,
)

METHODS = ["GET", pytest.param("PATCH", marks=needs("patch")), "PUT", "DELETE"]


# Bizagi: GET/PATCH/PUT/DELETE [Project_URL]/scim/v2/Users/{userName} ("Read", "Update",
# "Replace", "Delete"); the path takes "The username or ID"; with several domains
# "userName@domain". The same User must answer at /Users/{id}.
@requirement("bizagi/username-addressing")
@writes
@pytest.mark.parametrize("method", METHODS)
def test_username_addressing(
    scim: ScimClient, factory: Factory, profile: Profile, method: str
) -> None:
    require_bizagi(profile)
    user = subject(factory)
    by_id, by_name = id_path(factory, user), name_path(factory, user.name)
    activate(scim, by_id)
    if method == "GET":
        response = scim.get(by_name)
        expect_status(response, 200, why=f"the User {user.name!r} exists")
        expect_json_object(response)
        expect(
            same_user(response, user) and same_user(scim.get(by_id), user),
            f"GET {by_name} and GET {by_id} do not return the same User (id {user.id}).\n"
            f"Actual: {describe(response)}",
        )
        return
    if method == "PATCH":
        family = fresh_text(factory, "fam")
        response = scim.patch(
            by_name, patch_request(operation("replace", "name.familyName", family))
        )
        expect_status(response, 200, 204, why="PATCH by userName@domain")
        _shows(scim, by_id, "name", "familyName", family, f"PATCH {by_name}")
        return
    if method == "PUT":
        given = fresh_text(factory, "giv")
        local = user.name.split("@", 1)[0]
        name = {"givenName": given, "familyName": local, "formatted": f"{given} {local}"}
        response = scim.put(by_name, factory.user_payload(user.name, name=name))
        expect_status(response, 200, 204, why="PUT by userName@domain")
        _shows(scim, by_id, "name", "givenName", given, f"PUT {by_name}")
        return
    response = scim.delete(by_name)
    try:
        applied(response, f"DELETE {by_name}", "Bizagi deactivates the User")
        after = scim.get(by_id)
        if after.status_code == 404:
            return  # it acted on this User; that it removed it is lifecycle/'s verdict
        state = json_or_none(after)
        active = member(state, "active") if isinstance(state, dict) else None
        expect(
            after.status_code == 200 and same_value(active, False),
            f"DELETE {by_name} answered {response.status_code}, but GET {by_id} shows the "
            f"User unchanged.\nExpected: the same User, deactivated\nActual: {describe(after)}",
        )
    finally:
        try:
            activate(scim, by_id)
        except Blocked:
            pass


def _shows(scim: ScimClient, path: str, parent: str, sub: str, value: str, what: str) -> None:
    state = read(scim, path)
    actual = member(member(state, parent), sub)
    expect(
        same_value(actual, value),
        f"{what} answered success, but GET {path} (the same User by id) shows "
        f"{parent}.{sub} {render(actual)}.\nExpected: {json.dumps(value)}",
    )


# Bizagi: "[Project_URL]/scim/v2/Users/MarkW" (the userName without its domain) reads a user;
# "If you have multiple domains you can send this parameter using this format userName@domain".
@requirement("bizagi/short-username-addressing")
@writes
def test_short_username_addressing(scim: ScimClient, factory: Factory, profile: Profile) -> None:
    require_bizagi(profile)
    user = subject(factory)
    local = user.name.split("@", 1)[0]
    response = scim.get(name_path(factory, local))
    expect_status(response, 200, why=f"the User {user.name!r} exists and one domain is in use")
    expect_json_object(response)
    expect(
        same_user(response, user),
        f"{request_line(response)} returns another User than {user.name!r} (id {user.id}).\n"
        f"Actual: {describe(response)}",
    )


# Bizagi: the id is "guidUser from the WFUser table". RFC 7643 §3.1 id: "It MUST be a stable,
# non-reassignable identifier that does not change when the same resource is returned in
# subsequent requests" - a userName can be renamed, so an id equal to it is fragile.
@requirement("bizagi/id-not-username")
@writes
def test_id_is_not_the_username(factory: Factory, profile: Profile) -> None:
    require_bizagi(profile)
    user = subject(factory)
    local = user.name.split("@", 1)[0]
    expect(
        user.id.lower() not in (user.name.lower(), local.lower()),
        f"the User {user.name!r} has the id {user.id!r}: the userName, not Bizagi's guidUser.",
    )


def _limit(profile: Profile) -> int:
    if profile.username_max_length is None:
        pytest.skip(f"profile {profile.name} sets no username_max_length")
    return profile.username_max_length


# Bizagi "Create a user": "Username@domain cannot exceed 25 characters." RFC 7644 §3.12 Table
# 8: 400 "Request is unparsable, syntactically incorrect, or violates schema."
@requirement("bizagi/username-too-long")
@writes
def test_username_over_the_limit_is_refused(
    scim: ScimClient, factory: Factory, profile: Profile
) -> None:
    require_bizagi(profile)
    limit = _limit(profile)
    try:
        name = factory.username_of_length(limit + 1, "long")
    except ValueError as exc:
        pytest.skip(str(exc))
    ensure_budget(factory)
    response = scim.post(factory.users_path, factory.user_payload(name))
    record_if_created(factory, response, name)
    expect_status(response, 400, why=f"{name!r} has {len(name)} characters; the limit is {limit}")


# Bizagi "Create a user": "Username@domain cannot exceed 25 characters" - so 25 is allowed.
# Judged on the User the extension checks create, whose userName@domain has exactly the limit.
@requirement("bizagi/username-max-accepted")
@writes
def test_username_at_the_limit_is_accepted(factory: Factory, profile: Profile) -> None:
    require_bizagi(profile)
    limit = _limit(profile)
    created = extension_user(factory)
    name = str(json.loads(created.post.request.content or b"{}").get("userName", ""))
    if len(name) != limit:
        pytest.skip(f"the created User's name {name!r} does not have {limit} characters")
    expect_status(created.post, 201, why=f"{name!r} has exactly {limit} characters")


# Bizagi: "BizagiUserProperties: This resource is an extended schema for the User resource";
# "each custom property must be preceded by the following prefix:
# urn:ietf:params:scim:schemas:extension:bizagi:2.0:UserProperties:". RFC 7643 §6
# schemaExtensions.schema: "This MUST be equal to the "id" attribute of a "Schema" resource."
@requirement("bizagi/extension-advertised")
def test_user_properties_advertised(capabilities: Capabilities, profile: Profile) -> None:
    require_bizagi(profile)
    served = capabilities.schema(BIZAGI_URN) is not None
    listed = any(urn.lower() == BIZAGI_URN.lower() for urn in offered_extensions(capabilities))
    expect(
        served and listed,
        f"{BIZAGI_URN} is not offered as Bizagi documents it.\n"
        "Expected: served by /Schemas and listed in the User resource type's schemaExtensions\n"
        f"Actual: /Schemas serves it: {served}; User schemaExtensions: "
        f"{json.dumps(offered_extensions(capabilities))}",
    )


# Bizagi "Get OAuth token service": "POST [Project_URL]/oauth2/server/token" with the client id
# and secret ("Bizagi expects the credentials as a single string encoded in base64").
@requirement("bizagi/token-endpoint")
def test_token_endpoint_issues_tokens(scim: ScimClient, profile: Profile) -> None:
    require_bizagi(profile)
    auth = scim.auth
    if not isinstance(auth, ClientCredentialsAuth):
        pytest.skip(
            "the run does not authenticate with OAuth client credentials (a static bearer "
            'token, Bizagi\'s "Bearer token" application, is used instead)'
        )
    fresh = auth.renewed()
    try:
        response: httpx.Response = scim.get("/ServiceProviderConfig", auth=fresh)
    except AuthenticationFailed as exc:
        fail(f"the token endpoint {auth.token_url} did not issue a usable token: {exc}")
    expect_status(response, 200, why="a request with the token just issued")
    expect(
        fresh.tokens_fetched == 1,
        f"{fresh.tokens_fetched} tokens were fetched for one request (expected 1).",
    )
