"""Bulk operations (RFC 7644 §3.7), judged where ServiceProviderConfig advertises bulk.

One bulk request creates a User and (where Groups are offered) a Group whose member is that
User by bulkId; both are recorded in the ledger from the BulkResponse, or found by name if
the response does not say where they are. The other checks modify only that User, or address
resources that cannot exist; the limit checks send no operation that creates anything.
"""

from __future__ import annotations

import json
import math
import secrets
from dataclasses import dataclass
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
from conformance.discovery import BULK_REQUEST, PATCH_OP, Capabilities
from conformance.errors import Nonconformance, SuiteError
from conformance.factory import Factory, Resource
from conformance.http import ScimClient, json_or_none
from conformance.suites._querying import check_budget, once

BULK_RESPONSE = "urn:ietf:params:scim:api:messages:2.0:BulkResponse"
LARGEST_REQUEST = 8 * 1024 * 1024
"""The limit checks never send more than this (8 MiB); a larger limit is skipped."""
MOST_OPERATIONS = 10_000
"""The maxOperations check never sends more operations than this (plus one)."""


def send(scim: ScimClient, operations: list[dict[str, Any]], **extra: Any) -> httpx.Response:
    return scim.post("/Bulk", {"schemas": [BULK_REQUEST], **extra, "Operations": operations})


def results_of(response: httpx.Response) -> list[dict[str, Any]]:
    body = json_or_none(response)
    operations = body.get("Operations") if isinstance(body, dict) else None
    return [r for r in operations if isinstance(r, dict)] if isinstance(operations, list) else []


def status_code(result: dict[str, Any]) -> int | None:
    """An operation's status: "201", 201 or {"code": "201"} (RFC 7644 §3.7 shows both forms)."""
    status = result.get("status")
    if isinstance(status, dict):
        status = status.get("code")
    try:
        return int(str(status))
    except ValueError:
        return None


def _groups_in_scope(factory: Factory, capabilities: Capabilities) -> bool:
    scope = factory.profile.resource_types
    return capabilities.groups is not None and (not scope or "Group" in scope)


# -- the bulk-created pair ----------------------------------------------------------------------


@dataclass
class Creation:
    """The bulk request that created the run's bulk User (and Group), and what it made."""

    sent: list[dict[str, Any]]
    response: httpx.Response
    user: Resource | None
    group: Resource | None


def created_by_bulk(scim: ScimClient, factory: Factory, capabilities: Capabilities) -> Creation:
    def build() -> Creation:
        check_budget(factory, 1)
        user_name = factory.username("bk")
        sent = [
            {
                "method": "POST",
                "path": factory.users_path,
                "bulkId": "user1",
                "data": factory.user_payload(user_name),
            },
        ]
        if _groups_in_scope(factory, capabilities):
            group = factory.group_payload(members=[{"type": "User", "value": "bulkId:user1"}])
            sent.append(
                {"method": "POST", "path": factory.groups_path, "bulkId": "group1", "data": group}
            )
        response = send(scim, sent)
        made = record_creations(scim, factory, sent, response)
        return Creation(sent, response, made.get("user1"), made.get("group1"))

    return once(factory, "bulk-creation", build)


def record_creations(
    scim: ScimClient, factory: Factory, sent: list[dict[str, Any]], response: httpx.Response
) -> dict[str, Resource]:
    """Put every resource the bulk request created in the ledger, by bulkId."""
    results = results_of(response)
    made: dict[str, Resource] = {}
    for index, operation in enumerate(sent):
        bulk_id = str(operation["bulkId"])
        result = next((r for r in results if r.get("bulkId") == bulk_id), None)
        if result is None and index < len(results) and "bulkId" not in results[index]:
            result = results[index]
        kind = "User" if operation["path"] == factory.users_path else "Group"
        data = operation["data"]
        name = str(data.get("userName") or data.get("displayName") or "")
        code = status_code(result) if result else None
        if code is not None and not 200 <= code < 300:
            continue
        location = str(result.get("location") or "") if result else ""
        resource_id = _id_from(result, location) or _find(scim, factory, kind, name)
        if resource_id is None:
            continue
        factory.ledger.created(
            kind,
            resource_id,
            location=location,
            name=name,
            check=scim.evidence.check_id or "-",
        )
        made[bulk_id] = Resource(kind, resource_id, location, name)
    return made


def _id_from(result: dict[str, Any] | None, location: str) -> str | None:
    body = result.get("response") if result else None
    if isinstance(body, dict) and body.get("id"):
        return str(body["id"])
    if location:
        return unquote(urlparse(location).path.rstrip("/").rsplit("/", 1)[-1]) or None
    return None


def _find(scim: ScimClient, factory: Factory, kind: str, name: str) -> str | None:
    """Look a created resource up by its name, so that cleanup can remove it all the same."""
    path, attribute = (
        (factory.users_path, "userName") if kind == "User" else (factory.groups_path, "displayName")
    )
    response = scim.get(path, params={"filter": f'{attribute} eq "{name}"'})
    body = json_or_none(response)
    found = body.get("Resources") if isinstance(body, dict) else None
    for item in found if isinstance(found, list) else []:
        if isinstance(item, dict) and str(item.get(attribute, "")).casefold() == name.casefold():
            return str(item.get("id"))
    return None


def subject(scim: ScimClient, factory: Factory, capabilities: Capabilities) -> Resource:
    """The User the other bulk checks modify: the bulk-created one, or a plain one."""

    def build() -> Resource:
        try:
            user = created_by_bulk(scim, factory, capabilities).user
        except (Nonconformance, SuiteError):
            user = None
        if user is not None:
            return user
        check_budget(factory, 1)
        return factory.create_user(factory.user_payload(factory.username("bs")))

    return once(factory, "bulk-subject", build)


def display_name(scim: ScimClient, factory: Factory, user: Resource) -> Any:
    response = scim.get(factory.path(user))
    expect_status(response, 200)
    return expect_json_object(response).get("displayName")


def modify(
    scim: ScimClient, factory: Factory, capabilities: Capabilities, user: Resource, value: str
) -> dict[str, Any]:
    """A bulk operation setting displayName: PATCH where supported, else PUT."""
    path = factory.path(user)
    if capabilities.supports("patch"):
        operations = [{"op": "replace", "path": "displayName", "value": value}]
        return {
            "method": "PATCH",
            "path": path,
            "data": {"schemas": [PATCH_OP], "Operations": operations},
        }
    response = scim.get(path)
    expect_status(response, 200)
    document = {k: v for k, v in expect_json_object(response).items() if k != "meta"}
    document["displayName"] = value
    return {"method": "PUT", "path": path, "data": document}


def missing_user(factory: Factory) -> Resource:
    """A User that cannot exist: a random id, and a userName of this run that was never made."""
    token = secrets.token_hex(8)
    name = f"{factory.run_prefix}nobody{token[:4]}@{factory.profile.username_domain}"
    return Resource("User", f"nonexistent{token}", "", name)


# -- checks ---------------------------------------------------------------------------------------


# RFC 7644 §3.7: "If a bulk job is processed successfully, HTTP response code 200 OK MUST be
# returned"; bulk responses "are identified using the following URI:
# urn:ietf:params:scim:api:messages:2.0:BulkResponse"; §3.7.3: "The service provider response
# MUST include the result of all processed operations"; "The status attribute MUST include the
# code attribute that holds the HTTP response code".
@requirement("bulk/response")
@needs("bulk")
@writes
def test_bulk_response(scim: ScimClient, factory: Factory, capabilities: Capabilities) -> None:
    creation = created_by_bulk(scim, factory, capabilities)
    response = creation.response
    expect_status(response, 200)
    body = expect_json_object(response)
    if BULK_RESPONSE not in (body.get("schemas") or []):
        fail(
            f"{request_line(response)}: the body lacks the BulkResponse schema URN.\n"
            f"Actual: {describe(response)}"
        )
    results = results_of(response)
    if len(results) != len(creation.sent) or any(status_code(r) is None for r in results):
        fail(
            f"{request_line(response)} processed {len(creation.sent)} operations; the response "
            "must hold the result of each, with its status code (RFC 7644 §3.7.3).\n"
            f"Actual: {describe(response)}"
        )


# RFC 7644 §3.7: "The service provider MUST return the same "bulkId" together with the newly
# created resource."; §3.7.3: "A "location" attribute that includes the resource's endpoint
# MUST be returned for all operations except for failed POST operations".
@requirement("bulk/bulk-id-returned")
@needs("bulk")
@writes
def test_bulk_id_returned(scim: ScimClient, factory: Factory, capabilities: Capabilities) -> None:
    creation = created_by_bulk(scim, factory, capabilities)
    expect_status(creation.response, 200)
    results = results_of(creation.response)
    for index, operation in enumerate(creation.sent):
        bulk_id = operation["bulkId"]
        result = next((r for r in results if r.get("bulkId") == bulk_id), None)
        if result is None and index < len(results):
            result = results[index]
        if result is None:
            fail(
                f"{request_line(creation.response)}: no result for the POST to "
                f'{operation["path"]} (RFC 7644 §3.7.3: "MUST include the result of all '
                f'processed operations").\nActual: {describe(creation.response)}'
            )
        code = status_code(result)
        created = code is not None and 200 <= code < 300
        if created and result.get("bulkId") != bulk_id:
            fail(
                f"{request_line(creation.response)}: the result of the POST to "
                f"{operation['path']} carries bulkId {result.get('bulkId')!r}, not "
                f'{bulk_id!r} (RFC 7644 §3.7: "MUST return the same bulkId together with '
                f'the newly created resource").\nActual: {json.dumps(result)[:400]}'
            )
        if bulk_id == "user1" and code != 201:
            fail(
                f"{request_line(creation.response)}: the POST of a valid User answered "
                f"{code} inside the bulk request; a create answers 201 (RFC 7644 §3.3, "
                f"§3.7.3).\nActual: {json.dumps(result)[:400]}"
            )
        if created and not result.get("location"):
            fail(
                f"{request_line(creation.response)}: the result of bulkId {bulk_id!r} has no "
                "location (RFC 7644 §3.7.3).\n"
                f"Actual: {json.dumps(result)[:400]}"
            )


# RFC 7644 §3.7.2: "The "bulkId" attribute value must be prepended with the literal
# "bulkId:"; e.g., if the bulkId is 'qwerty', the value is "bulkId:qwerty". The service
# provider MUST replace the string "bulkId:qwerty" with the permanent resource id once
# created."
@requirement("bulk/bulk-id-reference")
@needs("bulk")
@needs_resource("Group")
@writes
def test_bulk_id_reference(scim: ScimClient, factory: Factory, capabilities: Capabilities) -> None:
    creation = created_by_bulk(scim, factory, capabilities)
    if creation.user is None:
        pytest.skip("the bulk request created no User (bulk/bulk-id-returned reports it)")
    if creation.group is None:
        fail(
            f'{request_line(creation.response)}: the Group whose member is "bulkId:user1" '
            "was not created (RFC 7644 §3.7.2).\n"
            f"Actual: {describe(creation.response)}"
        )
    response = scim.get(factory.path(creation.group))
    expect_status(response, 200)
    members = expect_json_object(response).get("members") or []
    values = [m.get("value") for m in members if isinstance(m, dict)]
    if values != [creation.user.id]:
        fail(
            f'{request_line(response)}: the member sent as "bulkId:user1" must now be the '
            "User's id (RFC 7644 §3.7.2).\n"
            f"Expected: [{creation.user.id!r}]\nActual: {values}"
        )


# RFC 7644 §3.7: "The service provider MUST continue performing as many changes as possible
# and disregard partial failures. The client MAY override this behavior by specifying a value
# for the "failOnErrors" attribute."
@requirement("bulk/continue-on-error")
@needs("bulk")
@writes
def test_continues_after_an_error(
    scim: ScimClient, factory: Factory, capabilities: Capabilities
) -> None:
    user = subject(scim, factory, capabilities)
    marker = f"after error {secrets.token_hex(3)}"
    operations = [
        modify(scim, factory, capabilities, missing_user(factory), "never"),
        modify(scim, factory, capabilities, user, marker),
    ]
    response = send(scim, operations)
    expect_status(response, 200, why="a bulk job with a partial failure is still processed")
    now = display_name(scim, factory, user)
    if now != marker:
        fail(
            f"{request_line(response)}: the second operation must be performed although the "
            'first failed (RFC 7644 §3.7: "MUST continue performing as many changes as '
            f'possible").\nExpected: displayName {marker!r}\nActual: {now!r}\n'
            f"Response: {describe(response)}"
        )


# RFC 7644 §3.7: failOnErrors "An integer specifying the number of errors that the service
# provider will accept before the operation is terminated and an error response is returned";
# the §3.7.3 example with "failOnErrors":1 stops "after one error". Two errors come first,
# so both readings (stop at the first, or at the one after the first) skip the third.
@requirement("bulk/fail-on-errors")
@needs("bulk")
@writes
def test_fail_on_errors_stops(
    scim: ScimClient, factory: Factory, capabilities: Capabilities
) -> None:
    user = subject(scim, factory, capabilities)
    before = display_name(scim, factory, user)
    marker = f"not applied {secrets.token_hex(3)}"
    operations = [
        modify(scim, factory, capabilities, missing_user(factory), "never"),
        modify(scim, factory, capabilities, missing_user(factory), "never"),
        modify(scim, factory, capabilities, user, marker),
    ]
    response = send(scim, operations, failOnErrors=1)
    now = display_name(scim, factory, user)
    if now == marker:
        fail(
            f"{request_line(response)} with failOnErrors 1 performed the third operation after "
            "two errors (RFC 7644 §3.7).\n"
            f"Expected: displayName {before!r}\nActual: {now!r}\n"
            f"Response: {describe(response)}"
        )


def _limit(capabilities: Capabilities, name: str) -> int:
    value = capabilities.feature("bulk").get(name)
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        pytest.skip(f"ServiceProviderConfig bulk.{name} is not a positive integer")
    return value


def _size(operations: list[dict[str, Any]]) -> int:
    document = {"schemas": [BULK_REQUEST], "Operations": operations}
    return len(json.dumps(document, ensure_ascii=False).encode("utf-8"))


def _expect_413(response: httpx.Response, limit: str, value: int, sent: str) -> None:
    expect_status(response, 413, why=f"{sent} exceeds {limit} {value}")
    text = response.text.lower()
    if str(value) not in text and limit.lower() not in text:
        fail(
            f"{request_line(response)} answered 413 without naming the limit (RFC 7644 §3.7.4: "
            '"The returned response MUST specify the limit exceeded in the body of the error '
            f'response").\nExpected: {limit} ({value}) in the body\nActual: {describe(response)}'
        )


# RFC 7644 §3.7.4: "The service provider MUST define the maximum number of operations and
# maximum payload size a client may send in a single request."; "If either limit is exceeded,
# the service provider MUST return HTTP response code 413 (Payload Too Large). The returned
# response MUST specify the limit exceeded in the body of the error response."
@requirement("bulk/max-operations")
@needs("bulk")
@writes
def test_too_many_operations_is_413(
    scim: ScimClient, factory: Factory, capabilities: Capabilities
) -> None:
    most = _limit(capabilities, "maxOperations")
    if most > MOST_OPERATIONS:
        pytest.skip(f"maxOperations is {most}; this check sends at most {MOST_OPERATIONS + 1}")
    user = subject(scim, factory, capabilities)
    current = display_name(scim, factory, user)
    same = modify(scim, factory, capabilities, user, str(current or "bulk subject"))
    operations = [same] * (most + 1)
    size = _size(operations)
    payload = capabilities.feature("bulk").get("maxPayloadSize")
    if size > LARGEST_REQUEST or (isinstance(payload, int) and size > payload):
        pytest.skip(
            f"{most + 1} operations take {size} bytes, beyond maxPayloadSize or 8 MiB: the "
            "operation limit cannot be exceeded on its own"
        )
    response = send(scim, operations)
    _expect_413(response, "maxOperations", most, f"{most + 1} operations")


@requirement("bulk/max-payload")
@needs("bulk")
@writes
def test_too_large_payload_is_413(
    scim: ScimClient, factory: Factory, capabilities: Capabilities
) -> None:
    largest = _limit(capabilities, "maxPayloadSize")
    if largest + 8192 > LARGEST_REQUEST:
        pytest.skip(f"maxPayloadSize is {largest} bytes; this check sends at most 8 MiB")
    most = capabilities.feature("bulk").get("maxOperations")
    count = min(most, 4) if isinstance(most, int) and most >= 1 else 4
    user = subject(scim, factory, capabilities)
    original = str(display_name(scim, factory, user) or "bulk subject")
    fillers = max(1, count - 1)
    width = math.ceil((largest + 4096) / fillers)
    operations = [modify(scim, factory, capabilities, user, "x" * width) for _ in range(fillers)]
    if count > 1:
        # Should the target perform them after all, the last one restores the user.
        operations.append(modify(scim, factory, capabilities, user, original))
    response = send(scim, operations)
    _expect_413(response, "maxPayloadSize", largest, f"a {_size(operations)}-byte request")
