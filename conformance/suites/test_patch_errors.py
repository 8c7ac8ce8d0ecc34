"""PATCH requests that must be refused: no target, no path, malformed path, wrong value,
readOnly, immutable and required attributes (RFC 7644 §3.5.2, §3.5.2.2, §3.5.2.3, §3.12).

These judge what is refused and that nothing changed; how the SCIM Error body is written is
the errors area's check. The scimType is judged at MUST only where the clause itself names it
with SHALL, else in a separate SHOULD check (§3.12 makes scimType OPTIONAL, and only Table 9
says which keyword fits).
"""

from __future__ import annotations

from typing import Any

import pytest

from conformance.checks import describe, expect, fail, needs, needs_resource, requirement, writes
from conformance.discovery import CORE_USER, Capabilities
from conformance.factory import Factory
from conformance.http import ScimClient, json_or_none
from conformance.suites._patching import (
    Operation,
    Subject,
    definition,
    fresh,
    fresh_email,
    operation,
    render,
    require_writable,
    same,
    shared_subject,
    show,
    unassigned,
    unchanged,
    value_at,
    victim_subject,
)

pytestmark = [needs("patch"), needs_resource("User"), writes]

MALFORMED_PATH = 'emails[type eq "work"'  # the value filter is never closed


@pytest.fixture
def subject(scim: ScimClient, factory: Factory) -> Subject:
    """The run's shared PATCH user (created on first use)."""
    return shared_subject(scim, factory)


@pytest.fixture
def victim(scim: ScimClient, factory: Factory) -> Subject:
    """A user that a nonconformant target may break (its id changed, its userName gone)."""
    return victim_subject(scim, factory)


def _with_one_email(subject: Subject, capabilities: Capabilities) -> dict[str, Any]:
    """One work email and nothing else, so that a filter on type "other" matches nothing."""
    require_writable(capabilities, "emails")
    subject.prepare(
        operation(
            "replace", "emails", [{"value": fresh_email(subject.factory, "w"), "type": "work"}]
        )
    )
    return subject.read()


def _expect_unchanged(
    subject: Subject, before: dict[str, Any], operations: tuple[Operation, ...]
) -> None:
    problem = unchanged(before)(subject.read())
    expect(
        problem is None,
        f"PATCH {subject.path} {show(operations)} was refused, yet the resource changed.\n"
        "Expected: the resource as before (RFC 7644 §3.5.2: the original resource MUST be "
        f"restored)\nActual: {problem}",
    )


# RFC 7644 §3.5.2.3: "If the target location is a multi-valued attribute for which a value
# selection filter ("valuePath") has been supplied and no record match was made, the service
# provider SHALL indicate failure by returning HTTP status code 400 and a "scimType" error
# code of "noTarget"."
@requirement("patch/replace-filter-no-match-notarget")
def test_replace_filter_without_match(subject: Subject, capabilities: Capabilities) -> None:
    before = _with_one_email(subject, capabilities)
    operations = (
        operation("replace", 'emails[type eq "other"].value', fresh_email(subject.factory, "x")),
    )
    response = subject.send(*operations)
    subject.refused(
        response, operations, status=400, scim_type="noTarget", why="the filter matches no email"
    )
    _expect_unchanged(subject, before, operations)


# RFC 7644 §3.5.2.2: "If "path" is unspecified, the operation fails with HTTP status code 400
# and a "scimType" error code of "noTarget"." §3.5.2: the "path" attribute "is REQUIRED for
# "remove" operations".
@requirement("patch/remove-no-path-400")
def test_remove_without_path_fails(subject: Subject) -> None:
    before = subject.read()
    operations = (operation("remove"),)
    response = subject.send(*operations)
    subject.refused(response, operations, status=400, why="remove requires a path")
    _expect_unchanged(subject, before, operations)


# RFC 7644 §3.5.2.2: "If "path" is unspecified, the operation fails with HTTP status code 400
# and a "scimType" error code of "noTarget"." The sentence carries no RFC 2119 keyword and
# §3.12 makes scimType OPTIONAL, so a different keyword is a warning.
@requirement("patch/remove-no-path-notarget")
def test_remove_without_path_scimtype(subject: Subject) -> None:
    operations = (operation("remove"),)
    response = subject.send(*operations)
    subject.refused(
        response, operations, status=400, scim_type="noTarget", why="remove requires a path"
    )


# RFC 7644 §3.5.2: "Each operation against an attribute MUST be compatible with the
# attribute's mutability and schema ... An operation that is not compatible with an
# attribute's mutability or schema SHALL return the appropriate HTTP response status code and
# a JSON detail error response as defined in Section 3.12." A path outside the PATH rule
# (Figure 7) addresses no attribute at all.
@requirement("patch/invalid-path-rejected")
def test_malformed_path_rejected(subject: Subject, capabilities: Capabilities) -> None:
    before = _with_one_email(subject, capabilities)
    operations = (operation("replace", MALFORMED_PATH, fresh_email(subject.factory, "m")),)
    response = subject.send(*operations)
    subject.refused(response, operations, why="the path is malformed (Figure 7)")
    _expect_unchanged(subject, before, operations)


# RFC 7644 §3.12 Table 9: invalidPath "The "path" attribute was invalid or malformed (see
# Figure 7)."; invalidFilter covers "PATCH (Path Filter - Section 3.5.2)". Table 8 ("SHOULD
# handle"): 400 "Request is unparsable, syntactically incorrect, or violates schema."
@requirement("patch/invalid-path-scimtype")
def test_malformed_path_scimtype(subject: Subject, capabilities: Capabilities) -> None:
    _with_one_email(subject, capabilities)
    operations = (operation("replace", MALFORMED_PATH, fresh_email(subject.factory, "m")),)
    response = subject.send(*operations)
    subject.refused(
        response,
        operations,
        status=400,
        scim_type=("invalidPath", "invalidFilter"),
        why="the path is malformed (Figure 7)",
    )


def _wrong_value() -> dict[str, str]:
    """A JSON object where the schema wants a string (displayName is a simple string)."""
    return {"value": "an object is not a string"}


# RFC 7644 §3.5.2: "Each operation against an attribute MUST be compatible with the
# attribute's mutability and schema ... An operation that is not compatible with an
# attribute's mutability or schema SHALL return the appropriate HTTP response status code and
# a JSON detail error response as defined in Section 3.12."
@requirement("patch/invalid-value-rejected")
def test_wrong_type_value_rejected(subject: Subject, capabilities: Capabilities) -> None:
    require_writable(capabilities, "displayName")
    before = subject.read()
    operations = (operation("replace", "displayName", _wrong_value()),)
    response = subject.send(*operations)
    subject.refused(response, operations, why="displayName is a string, not an object")
    _expect_unchanged(subject, before, operations)


# RFC 7644 §3.12 Table 9: invalidValue "the value specified was not compatible with the
# operation or attribute type (see Section 2.2 of [RFC7643])".
@requirement("patch/invalid-value-scimtype")
def test_wrong_type_value_scimtype(subject: Subject, capabilities: Capabilities) -> None:
    require_writable(capabilities, "displayName")
    operations = (operation("replace", "displayName", _wrong_value()),)
    response = subject.send(*operations)
    subject.refused(
        response,
        operations,
        status=400,
        scim_type="invalidValue",
        why="displayName is a string, not an object",
    )


# RFC 7644 §3.5.2: "a client MUST NOT modify an attribute that has mutability "readOnly" or
# "immutable". ... An operation that is not compatible with an attribute's mutability or
# schema SHALL return the appropriate HTTP response status code and a JSON detail error
# response as defined in Section 3.12." RFC 7643 §3.1: id has "a mutability of "readOnly""
# and "MUST be a stable, non-reassignable identifier".
@requirement("patch/readonly-rejected")
def test_readonly_id_rejected(victim: Subject) -> None:
    operations = (operation("replace", "id", f"{victim.factory.run_prefix}-not-the-id"),)
    response = victim.send(*operations)
    after = victim.scim.get(victim.path)
    body = json_or_none(after)
    kept = (
        after.status_code == 200
        and isinstance(body, dict)
        and str(body.get("id")) == victim.user.id
    )
    if response.status_code < 400:
        fail(
            f"PATCH {victim.path} {show(operations)} was accepted ({response.status_code}); id is "
            f"readOnly.\nExpected: a 4xx, id unchanged\nActual: {describe(response)}; "
            f"then GET {victim.path} -> " + ("id unchanged" if kept else describe(after))
        )
    victim.refused(response, operations, why="id is readOnly")
    expect(
        kept,
        f"PATCH {victim.path} {show(operations)} was refused, yet the user is no longer at its "
        f"id.\nExpected: GET {victim.path} -> 200 with id {victim.user.id!r}\n"
        f"Actual: {describe(after)}",
    )


# RFC 7644 §3.12 Table 9: mutability "The attempted modification is not compatible with the
# target attribute's mutability or current state".
@requirement("patch/readonly-scimtype")
def test_readonly_id_scimtype(victim: Subject) -> None:
    operations = (operation("replace", "id", f"{victim.factory.run_prefix}-not-the-id"),)
    response = victim.send(*operations)
    victim.refused(response, operations, status=400, scim_type="mutability", why="id is readOnly")


@pytest.fixture
def immutable_path(capabilities: Capabilities) -> str:
    """A singular string User attribute the target's schemas declare immutable (else skip).

    Requested before `victim`, so that no user is created for a check that skips."""
    users = capabilities.users
    for urn in [CORE_USER, *(users.extensions if users else {})]:
        schema = capabilities.schemas.get(urn) or {}
        for attribute in schema.get("attributes") or []:
            name = attribute.get("name")
            if (
                isinstance(name, str)
                and attribute.get("mutability") == "immutable"
                and attribute.get("type", "string") == "string"
                and not attribute.get("multiValued")
            ):
                return name if urn == CORE_USER else f"{urn}:{name}"
    pytest.skip("not applicable: the target's User schemas declare no immutable string")


# RFC 7644 §3.5.2: "a client MUST NOT modify an attribute that has mutability "readOnly" or
# "immutable". However, a client MAY "add" a value to an "immutable" attribute if the
# attribute had no previous value. An operation that is not compatible with an attribute's
# mutability or schema SHALL return the appropriate HTTP response status code and a JSON
# detail error response". RFC 7643 §7 immutable: "The attribute SHALL NOT be updated."
@requirement("patch/immutable-rejected")
def test_immutable_attribute_rejected(immutable_path: str, victim: Subject) -> None:
    path = immutable_path
    current = value_at(victim.read(), path)
    if unassigned(current):
        current = fresh(victim.factory, "imm")
        victim.prepare(operation("add", path, current))  # allowed once: it had no value
    operations = (operation("replace", path, fresh(victim.factory, "changed")),)
    response = victim.send(*operations)
    victim.refused(response, operations, why=f"{path} is immutable and has a value")
    stored = value_at(victim.read(), path)
    expect(
        same(stored, current),
        f"PATCH {victim.path} {show(operations)} was refused, yet {path} changed.\n"
        f"Expected: {render(current)}\nActual: {render(stored)}",
    )


@pytest.fixture
def username_required(capabilities: Capabilities) -> None:
    """Skip unless userName is required (RFC 7643 §4.1; the target's schema may say otherwise).

    Requested before `victim`, so that no user is created for a check that skips."""
    found = definition(capabilities, "userName")
    if isinstance(found, dict) and found.get("required") is not True:
        pytest.skip("not applicable: the target's User schema does not declare userName required")


# RFC 7644 §3.5.2.2: "If an attribute is removed or becomes unassigned and is defined as a
# required attribute or a read-only attribute, the server SHALL return an HTTP response status
# code and a JSON detail error response as defined in Section 3.12, with a "scimType" error
# code of "mutability"." RFC 7643 §4.1: userName "REQUIRED".
@requirement("patch/remove-required-mutability")
def test_remove_required_attribute(username_required: None, victim: Subject) -> None:
    operations = (operation("remove", "userName"),)
    response = victim.send(*operations)
    victim.refused(
        response, operations, scim_type="mutability", why="userName is a required attribute"
    )
    after = victim.scim.get(victim.path)
    body = json_or_none(after)
    stored = value_at(body, "userName") if isinstance(body, dict) else None
    expect(
        isinstance(stored, str) and stored.casefold() == victim.user.name.casefold(),
        f"PATCH {victim.path} {show(operations)} was refused, yet userName changed.\n"
        f"Expected: GET {victim.path} -> userName {victim.user.name!r}\n"
        f"Actual: {render(stored) if after.status_code == 200 else describe(after)}",
    )
