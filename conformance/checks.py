"""What a check author uses: the requirement marker, preconditions and verdict helpers.

    @requirement("crud/create-201")
    @needs("patch")
    def test_patch_add(scim, factory): ...

A check asserts with `expect...` helpers; they raise Nonconformance, which becomes FAIL for
a MUST and WARN for a SHOULD/MAY. Preconditions that do not hold produce SKIP with a reason.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any, NoReturn, TypeVar

import httpx
import pytest

from conformance.catalogue import CATALOGUE
from conformance.errors import Nonconformance
from conformance.http import json_or_none

F = TypeVar("F", bound=Callable[..., Any])
_BODY_EXCERPT = 400


def requirement(requirement_id: str) -> pytest.MarkDecorator:
    """Tie a check to its catalogue entry; an unknown id fails at import, loudly."""
    if requirement_id not in CATALOGUE:
        raise KeyError(f"check names unknown requirement {requirement_id!r}")
    return pytest.mark.scim_requirement(requirement_id)


def needs(*features: str) -> pytest.MarkDecorator:
    """Skip unless the ServiceProviderConfig advertises every feature (patch, sort, etag...)."""
    return pytest.mark.scim_needs(*features)


def needs_resource(*resource_types: str) -> pytest.MarkDecorator:
    """Skip unless the target offers these resource types (and the profile keeps them in scope)."""
    return pytest.mark.scim_needs_resource(*resource_types)


writes = pytest.mark.scim_writes
"""The check creates or changes data: skipped in --read-only runs."""


def fail(message: str) -> NoReturn:
    raise Nonconformance(message)


def expect(condition: object, message: str) -> None:
    if not condition:
        raise Nonconformance(message)


def describe(response: httpx.Response) -> str:
    """`400 Bad Request: {"detail": ...}` with the body trimmed: the Actual of a message."""
    text = response.text.strip().replace("\n", " ")
    if len(text) > _BODY_EXCERPT:
        text = text[:_BODY_EXCERPT] + "..."
    head = f"{response.status_code} {response.reason_phrase}"
    return f"{head}: {text}" if text else f"{head} (empty body)"


def request_line(response: httpx.Response) -> str:
    request = response.request
    return f"{request.method} {request.url.path}" + (
        f"?{request.url.query.decode()}" if request.url.query else ""
    )


def expect_status(response: httpx.Response, *acceptable: int, why: str = "") -> None:
    """The status must be one of the acceptable ones; the message lists them all."""
    if response.status_code in acceptable:
        return
    wanted = " or ".join(str(code) for code in acceptable)
    reason = f" ({why})" if why else ""
    fail(
        f"{request_line(response)} answered {response.status_code}; expected {wanted}{reason}.\n"
        f"Expected: {wanted}\nActual: {describe(response)}"
    )


def expect_json_object(response: httpx.Response) -> dict[str, Any]:
    """The body must be a JSON object; returns it."""
    body = json_or_none(response)
    if not isinstance(body, dict):
        fail(
            f"{request_line(response)} answered without a JSON object body.\n"
            f"Actual: {describe(response)}"
        )
    return body


def expect_scim_error(
    response: httpx.Response,
    status: int | Iterable[int],
    scim_type: str | Iterable[str] | None = None,
) -> dict[str, Any]:
    """An error answer must carry the status and be a SCIM Error (RFC 7644 §3.12)."""
    statuses = (status,) if isinstance(status, int) else tuple(status)
    expect_status(response, *statuses)
    body = expect_json_object(response)
    schemas = body.get("schemas") or []
    expect(
        "urn:ietf:params:scim:api:messages:2.0:Error" in schemas,
        f"{request_line(response)} error body lacks the Error schema URN.\n"
        f"Actual: {describe(response)}",
    )
    expect(
        body.get("status") == str(response.status_code),
        f"{request_line(response)} error `status` must be the HTTP status as a string "
        f"({str(response.status_code)!r}); got {json.dumps(body.get('status'))}.",
    )
    if scim_type is not None:
        kinds = (scim_type,) if isinstance(scim_type, str) else tuple(scim_type)
        expect(
            body.get("scimType") in kinds,
            f"{request_line(response)} error scimType must be {' or '.join(kinds)}; "
            f"got {json.dumps(body.get('scimType'))}.",
        )
    return body
