"""The PATCH request as a whole: order of its operations, atomicity, and the success answer
(RFC 7644 §3.5.2)."""

from __future__ import annotations

import pytest

from conformance.checks import (
    describe,
    expect,
    expect_json_object,
    expect_status,
    needs,
    needs_resource,
    requirement,
    writes,
)
from conformance.discovery import Capabilities
from conformance.factory import Factory
from conformance.http import ScimClient
from conformance.suites._patching import (
    ABSENT,
    Subject,
    fresh,
    fresh_email,
    operation,
    render,
    require_writable,
    same_instant,
    shared_subject,
    show,
    shows,
    unchanged,
    value_at,
)

pytestmark = [needs("patch"), needs_resource("User"), writes]


@pytest.fixture
def subject(scim: ScimClient, factory: Factory) -> Subject:
    """The run's shared PATCH user (created on first use)."""
    return shared_subject(scim, factory)


# RFC 7644 §3.5.2: "Operations are applied sequentially in the order they appear in the
# array. Each operation in the sequence is applied to the target resource; the resulting
# resource becomes the target of the next operation."
@requirement("patch/operations-in-order")
def test_operations_applied_in_order(subject: Subject, capabilities: Capabilities) -> None:
    require_writable(capabilities, "displayName")
    first, last = fresh(subject.factory, "first"), fresh(subject.factory, "last")
    applied = subject.apply(
        operation("replace", "displayName", first), operation("replace", "displayName", last)
    )
    subject.confirm(
        applied, shows("displayName", last), f"displayName {last!r} (the later operation wins)"
    )


# RFC 7644 §3.5.2: "A PATCH request, regardless of the number of operations, SHALL be treated
# as atomic. If a single operation encounters an error condition, the original SCIM resource
# MUST be restored, and a failure status SHALL be returned."
@requirement("patch/atomic")
def test_failed_operation_rolls_back_request(subject: Subject, capabilities: Capabilities) -> None:
    require_writable(capabilities, "displayName")
    require_writable(capabilities, "emails")
    subject.prepare(
        operation(
            "replace", "emails", [{"value": fresh_email(subject.factory, "a"), "type": "work"}]
        )
    )
    before = subject.read()
    # The second operation fails by §3.5.2.3: "If the target location is a multi-valued
    # attribute for which a value selection filter ("valuePath") has been supplied and no
    # record match was made, the service provider SHALL indicate failure".
    operations = (
        operation("replace", "displayName", fresh(subject.factory, "atomic")),
        operation("replace", 'emails[type eq "other"].value', fresh_email(subject.factory, "n")),
    )
    response = subject.send(*operations)
    if response.status_code < 400:
        pytest.skip(
            f"cannot judge: the target accepted an operation it must refuse ({response.status_code}"
            "); see patch/replace-filter-no-match-notarget"
        )
    problem = unchanged(before)(subject.read())
    expect(
        problem is None,
        f"PATCH {subject.path} {show(operations)} failed ({response.status_code}) on its second "
        "operation, but the first one stayed applied.\n"
        "Expected: the resource as it was before the request (RFC 7644 §3.5.2: atomic)\n"
        f"Actual: {problem}",
    )


# RFC 7644 §3.5.2: "On successful completion, the server either MUST return a 200 OK response
# code and the entire resource within the response body, subject to the "attributes" query
# parameter (see Section 3.9), or MAY return HTTP status code 204 (No Content)".
@requirement("patch/success-200-or-204")
def test_success_answers_resource_or_no_content(
    subject: Subject, capabilities: Capabilities
) -> None:
    require_writable(capabilities, "displayName")
    value = fresh(subject.factory, "ok")
    applied = subject.apply(operation("replace", "displayName", value))
    if applied.body is not None:
        returned_id = applied.body.get("id", ABSENT)
        expect(
            str(returned_id) == subject.user.id,
            f"PATCH {subject.path} answered 200 with a body that is not the entire resource.\n"
            f"Expected: the resource, with id {subject.user.id!r}\n"
            f"Actual: id {render(returned_id)}; {describe(applied.response)}",
        )
    subject.confirm(applied, shows("displayName", value), f"displayName {value!r}")


# RFC 7644 §3.5.2: "The server MUST return a 200 OK if the "attributes" parameter is specified
# in the request."
@requirement("patch/attributes-param-200")
def test_attributes_parameter_answers_200(subject: Subject, capabilities: Capabilities) -> None:
    require_writable(capabilities, "displayName")
    value = fresh(subject.factory, "attrs")
    operations = (operation("replace", "displayName", value),)
    response = subject.send(*operations, params={"attributes": "displayName"})
    expect_status(response, 200, why="a PATCH with ?attributes= MUST answer 200")
    body = expect_json_object(response)
    expect(
        shows("displayName", value)(body) is None,
        f"PATCH {subject.path}?attributes=displayName {show(operations)} answered 200 without "
        f"the requested attribute.\nExpected: displayName {value!r}\n"
        f"Actual: {describe(response)}",
    )
    state = subject.read()
    expect(
        shows("displayName", value)(state) is None,
        f"after PATCH {subject.path}?attributes=displayName {show(operations)} answered 200, "
        f"the GET that follows shows displayName {render(value_at(state, 'displayName'))}.\n"
        f"Expected: displayName {value!r}",
    )


# RFC 7643 §3.1 meta: "All "meta" sub-attributes are assigned by the service provider (have a
# "mutability" of "readOnly")"; created: "The "DateTime" that the resource was added to the
# service provider." §7 readOnly: "The attribute SHALL NOT be modified."
@requirement("patch/meta-created-unchanged")
def test_patch_keeps_created(subject: Subject, capabilities: Capabilities) -> None:
    require_writable(capabilities, "displayName")
    created = value_at(subject.read(), "meta.created")
    if not isinstance(created, str):
        pytest.skip("not applicable: the user carries no meta.created to compare")
    applied = subject.apply(operation("replace", "displayName", fresh(subject.factory, "meta")))

    def judge(state: dict[str, object]) -> str | None:
        now = value_at(state, "meta.created")
        return None if same_instant(now, created) else f"meta.created is {render(now)}"

    subject.confirm(applied, judge, f"meta.created still {created}")
