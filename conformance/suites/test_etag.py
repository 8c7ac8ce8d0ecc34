"""Resource versioning with ETags (RFC 7644 §3.14), judged where etag is advertised.

Levels follow the clauses: the ETag header is a MUST ("When supported, SCIM ETags MUST be
specified as an HTTP header"), meta.version a SHOULD; honouring a stale If-Match is a MUST
through RFC 7232 §3.1; a 304 for If-None-Match and a new tag after every change are what
§3.14 describes and RFC 7232 asks of validators, graded SHOULD.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

import httpx
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
from conformance.discovery import PATCH_OP, Capabilities
from conformance.factory import Factory, Resource
from conformance.http import ScimClient, json_or_none
from conformance.suites._querying import check_budget, once

STALE_FALLBACK = 'W/"scim-conformance-stale-version"'
"""Sent when the target's tag did not change: a tag that never matched is stale as well."""


@dataclass
class Subject:
    """The run's ETag user and the answer to the POST that created it."""

    resource: Resource
    created: httpx.Response


def subject(scim: ScimClient, factory: Factory) -> Subject:
    def build() -> Subject:
        check_budget(factory, 1)
        user_name = factory.username("et")
        response = scim.post(factory.users_path, factory.user_payload(user_name))
        resource = factory.record_created("User", response, name=user_name)
        return Subject(resource, response)

    return once(factory, "etag-subject", build)


def etag_of(response: httpx.Response) -> str | None:
    value = response.headers.get("ETag")
    return value.strip() if value and value.strip() else None


def read(
    scim: ScimClient, factory: Factory, resource: Resource
) -> tuple[httpx.Response, dict[str, Any]]:
    response = scim.get(factory.path(resource))
    expect_status(response, 200)
    return response, expect_json_object(response)


def modify(
    scim: ScimClient,
    factory: Factory,
    capabilities: Capabilities,
    resource: Resource,
    display_name: str,
    *,
    method: str | None = None,
    headers: dict[str, str] | None = None,
) -> httpx.Response:
    """Change displayName with PATCH (where supported) or PUT of the whole resource."""
    method = method or ("PATCH" if capabilities.supports("patch") else "PUT")
    path = factory.path(resource)
    if method == "PATCH":
        body = {
            "schemas": [PATCH_OP],
            "Operations": [{"op": "replace", "path": "displayName", "value": display_name}],
        }
        return scim.patch(path, body, headers=headers)
    _, current = read(scim, factory, resource)
    document = {k: v for k, v in current.items() if k != "meta"}
    document["displayName"] = display_name
    return scim.put(path, document, headers=headers)


def _skip_unless_changed(response: httpx.Response) -> None:
    """The versioning checks need a change to version; its refusal is judged elsewhere."""
    if response.status_code not in (200, 204):
        pytest.skip(
            f"{request_line(response)} could not change the user ({describe(response)}); "
            "the PATCH and PUT checks judge that"
        )


# RFC 7644 §3.14: "When supported, SCIM ETags MUST be specified as an HTTP header and SHOULD
# be specified within the 'version' attribute contained in the resource's 'meta' attribute."
# The example answers both the create (201) and the GET with an ETag header.
@requirement("etag/header")
@needs("etag")
@writes
@pytest.mark.parametrize("answer", ["create", "get"])
def test_etag_header(answer: str, scim: ScimClient, factory: Factory) -> None:
    user = subject(scim, factory)
    response = user.created if answer == "create" else read(scim, factory, user.resource)[0]
    if etag_of(response) is None:
        fail(
            f"{request_line(response)} returned the resource without an ETag header although "
            'ServiceProviderConfig advertises etag (RFC 7644 §3.14: "SCIM ETags MUST be '
            'specified as an HTTP header").\nExpected: an ETag header\n'
            f"Actual: {describe(response)}"
        )


# RFC 7644 §3.14: ETags "SHOULD be specified within the 'version' attribute contained in the
# resource's 'meta' attribute"; RFC 7643 §3.1 meta.version: "This value must be the same as
# the entity-tag (ETag) HTTP response header".
@requirement("etag/version-matches")
@needs("etag")
@writes
def test_meta_version_matches_header(scim: ScimClient, factory: Factory) -> None:
    user = subject(scim, factory)
    response, body = read(scim, factory, user.resource)
    meta = body.get("meta")
    version = meta.get("version") if isinstance(meta, dict) else None
    header = etag_of(response)
    if version != header:
        fail(
            f"{request_line(response)}: meta.version should hold the ETag of the resource "
            "(RFC 7644 §3.14, RFC 7643 §3.1).\n"
            f"Expected: meta.version {header!r}\nActual: meta.version {version!r}"
        )


# RFC 7644 §3.14: ETags serve for "ensuring that clients do not inadvertently overwrite each
# other's changes"; RFC 7232 §2.1: an origin server "SHOULD change a weak entity-tag whenever
# it considers prior representations to be unacceptable as a substitute for the current
# representation".
@requirement("etag/changes-on-modify")
@needs("etag")
@writes
def test_etag_changes_on_modify(
    scim: ScimClient, factory: Factory, capabilities: Capabilities
) -> None:
    user = subject(scim, factory)
    before = etag_of(read(scim, factory, user.resource)[0])
    if before is None:
        pytest.skip("the target returns no ETag header (etag/header reports it)")
    changed = modify(scim, factory, capabilities, user.resource, f"changed {secrets.token_hex(3)}")
    _skip_unless_changed(changed)
    after = etag_of(read(scim, factory, user.resource)[0])
    if after == before:
        fail(
            f"{request_line(changed)} changed displayName, but the ETag stayed {before!r}: a "
            "stale If-Match can no longer be told from a current one (RFC 7644 §3.14).\n"
            f"Expected: a new ETag\nActual: {after!r}"
        )


# RFC 7644 §3.14: "An example of conditional retrieval, using the If-None-Match header
# (Section 3.2 of [RFC7232])"; "If the resource has not changed, the service provider simply
# returns an empty body with a 304 (Not Modified) response code."
@requirement("etag/if-none-match")
@needs("etag")
@writes
def test_if_none_match_answers_304(scim: ScimClient, factory: Factory) -> None:
    user = subject(scim, factory)
    current = etag_of(read(scim, factory, user.resource)[0])
    if current is None:
        pytest.skip("the target returns no ETag header (etag/header reports it)")
    response = scim.get(factory.path(user.resource), headers={"If-None-Match": current})
    expect_status(response, 304, why=f"If-None-Match: {current} names the current version")


def _stale_version(
    scim: ScimClient, factory: Factory, capabilities: Capabilities, resource: Resource
) -> str:
    """A version the resource had before its latest change (or one it never had)."""
    old = etag_of(read(scim, factory, resource)[0])
    changed = modify(scim, factory, capabilities, resource, f"fresh {secrets.token_hex(3)}")
    _skip_unless_changed(changed)
    new = etag_of(read(scim, factory, resource)[0])
    return old if old and old != new else STALE_FALLBACK


# RFC 7644 §3.14: "the client MAY supply an If-Match header (Section 3.1 of [RFC7232]) for
# PUT and PATCH operations to ensure that the requested operation succeeds only if the
# supplied ETag matches the latest service provider resource"; RFC 7232 §3.1: "An origin
# server MUST NOT perform the requested method if a received If-Match condition evaluates to
# false; instead, the origin server MUST respond with ... the 412 (Precondition Failed) status
# code". RFC 7644 Table 8 also lists 409 for "The specified version number does not match",
# so 409 is accepted too.
@requirement("etag/if-match-stale")
@needs("etag")
@writes
@pytest.mark.parametrize("method", ["PUT", "PATCH", "DELETE"], ids=["put", "patch", "delete"])
def test_stale_if_match_is_refused(
    method: str, scim: ScimClient, factory: Factory, capabilities: Capabilities
) -> None:
    if method == "PATCH" and not capabilities.supports("patch"):
        pytest.skip("not advertised: ServiceProviderConfig patch.supported is not true")
    user = subject(scim, factory)
    stale = _stale_version(scim, factory, capabilities, user.resource)
    headers = {"If-Match": stale}
    attempted = f"stale {secrets.token_hex(3)}"
    if method == "DELETE":
        response = scim.delete(factory.path(user.resource), headers=headers)
    else:
        response = modify(
            scim, factory, capabilities, user.resource, attempted, method=method, headers=headers
        )
    refused = 400 <= response.status_code < 500 and response.status_code not in (409, 412)
    if refused and method != "DELETE":
        # RFC 7232 §5: preconditions are judged only for a request that would otherwise
        # succeed. Send it once more without If-Match to tell the two refusals apart.
        plain = modify(scim, factory, capabilities, user.resource, attempted, method=method)
        if not 200 <= plain.status_code < 300:
            pytest.skip(
                f"the target refuses this {method} even without If-Match "
                f"({plain.status_code}), so the precondition cannot be judged"
            )
    expect_status(response, 412, 409, why=f"If-Match: {stale} is not the current version")
    after = scim.get(factory.path(user.resource))
    body = json_or_none(after)
    if after.status_code != 200 or not isinstance(body, dict):
        fail(
            f"{request_line(response)} was refused, yet the resource is gone afterwards "
            f"(RFC 7232 §3.1: the method MUST NOT be performed).\nActual: {describe(after)}"
        )
    if method != "DELETE" and body.get("displayName") == attempted:
        fail(
            f"{request_line(response)} answered {response.status_code}, yet the change was "
            "applied (RFC 7232 §3.1: the method MUST NOT be performed).\n"
            f"Actual: displayName {attempted!r}"
        )
