"""PATCH on singular and complex attributes, without a path, by URN and in any case
(RFC 7644 §3.5.2, §3.5.2.1 add, §3.5.2.2 remove, §3.5.2.3 replace, §3.10 notation)."""

from __future__ import annotations

import re
import time

import pytest

from conformance.checks import expect, needs, needs_resource, requirement, writes
from conformance.discovery import ENTERPRISE_USER, Capabilities
from conformance.factory import Factory
from conformance.http import ScimClient
from conformance.suites._patching import (
    Subject,
    all_of,
    fresh,
    lacks,
    member,
    operation,
    require_writable,
    same_instant,
    shared_subject,
    shows,
    value_at,
)

pytestmark = [needs("patch"), needs_resource("User"), writes]

SINGULAR = ["displayName", "nickName", "title", "name.givenName"]
EMPLOYEE_NUMBER = f"{ENTERPRISE_USER}:employeeNumber"


@pytest.fixture
def subject(scim: ScimClient, factory: Factory) -> Subject:
    """The run's shared PATCH user (created on first use)."""
    return shared_subject(scim, factory)


# RFC 7644 §3.5.2.1: "If the target location does not exist, the attribute and value are
# added." ... "If the target location specifies a single-valued attribute, the existing value
# is replaced."
@requirement("patch/add-singular")
@pytest.mark.parametrize("path", SINGULAR)
def test_add_singular(subject: Subject, capabilities: Capabilities, path: str) -> None:
    require_writable(capabilities, path)
    value = fresh(subject.factory, "add")
    applied = subject.apply(operation("add", path, value))
    subject.confirm(applied, shows(path, value), f"{path} {value!r}")


# RFC 7644 §3.5.2.3: "If the target location is a single-value attribute, the attributes
# value is replaced."
@requirement("patch/replace-singular")
@pytest.mark.parametrize("path", SINGULAR)
def test_replace_singular(subject: Subject, capabilities: Capabilities, path: str) -> None:
    require_writable(capabilities, path)
    subject.prepare(operation("add", path, fresh(subject.factory, "old")))
    value = fresh(subject.factory, "new")
    applied = subject.apply(operation("replace", path, value))
    subject.confirm(applied, shows(path, value), f"{path} {value!r}")


# RFC 7644 §3.5.2.2: "If the target location is a single-value attribute, the attribute and
# its associated value is removed, and the attribute SHALL be considered unassigned."
@requirement("patch/remove-singular")
@pytest.mark.parametrize("path", SINGULAR)
def test_remove_singular(subject: Subject, capabilities: Capabilities, path: str) -> None:
    require_writable(capabilities, path, removable=True)
    value = fresh(subject.factory, "gone")
    subject.prepare(operation("add", path, value), holds=shows(path, value))
    applied = subject.apply(operation("remove", path))
    subject.confirm(applied, lacks(path), f"{path} unassigned (absent, null)")


# RFC 7644 §3.5.2.3: "If the target location specifies a complex attribute, a set of
# sub-attributes SHALL be specified in the "value" parameter, which replaces any existing
# values or adds where an attribute did not previously exist. Sub-attributes that are not
# specified in the "value" parameter are left unchanged."
@requirement("patch/replace-complex-partial")
def test_replace_complex_keeps_other_subattributes(
    subject: Subject, capabilities: Capabilities
) -> None:
    require_writable(capabilities, "name.givenName")
    require_writable(capabilities, "name.familyName")
    family = fresh(subject.factory, "family")
    subject.prepare(
        operation("add", "name.familyName", family),
        operation("add", "name.givenName", fresh(subject.factory, "given")),
        holds=shows("name.familyName", family),
    )
    given = fresh(subject.factory, "given")
    applied = subject.apply(operation("replace", "name", {"givenName": given}))
    subject.confirm(
        applied,
        all_of(shows("name.givenName", given), shows("name.familyName", family)),
        f"name.givenName {given!r} and name.familyName still {family!r}",
    )


def _two_attributes(capabilities: Capabilities) -> tuple[str, str]:
    """Two simple attributes the target lets a client write (skips when it has fewer)."""
    usable = []
    for path in ("displayName", "nickName", "title"):
        try:
            require_writable(capabilities, path)
        except pytest.skip.Exception:
            continue
        usable.append(path)
    if len(usable) < 2:
        pytest.skip("not applicable: fewer than two of displayName, nickName, title writable")
    return usable[0], usable[1]


# RFC 7644 §3.5.2.1: "If omitted, the target location is assumed to be the resource itself.
# The "value" parameter contains a set of attributes to be added to the resource."
@requirement("patch/add-no-path")
def test_add_without_path(subject: Subject, capabilities: Capabilities) -> None:
    first, second = _two_attributes(capabilities)
    values = {first: fresh(subject.factory, "pl"), second: fresh(subject.factory, "pl")}
    applied = subject.apply(operation("add", value=values))
    subject.confirm(
        applied,
        all_of(*(shows(path, value) for path, value in values.items())),
        ", ".join(f"{path} {value!r}" for path, value in values.items()),
    )


# RFC 7644 §3.5.2.3: "If the "path" parameter is omitted, the target is assumed to be the
# resource itself. In this case, the "value" attribute SHALL contain a list of one or more
# attributes that are to be replaced."
@requirement("patch/replace-no-path")
def test_replace_without_path(subject: Subject, capabilities: Capabilities) -> None:
    first, second = _two_attributes(capabilities)
    subject.prepare(
        operation("add", first, fresh(subject.factory, "old")),
        operation("add", second, fresh(subject.factory, "old")),
    )
    values = {first: fresh(subject.factory, "pl"), second: fresh(subject.factory, "pl")}
    applied = subject.apply(operation("replace", value=values))
    subject.confirm(
        applied,
        all_of(*(shows(path, value) for path, value in values.items())),
        ", ".join(f"{path} {value!r}" for path, value in values.items()),
    )


# RFC 7644 §3.5.2: "The attribute notation rules described in Section 3.10 apply for
# describing attribute paths." §3.10: "All facets (URN, attribute, and sub-attribute name) of
# the fully encoded attribute name are case insensitive." (RFC 7643 §2.1 likewise: "Attribute
# names are case insensitive".)
@requirement("patch/path-case-insensitive")
@pytest.mark.parametrize(
    ("sent", "path"),
    [("DISPLAYNAME", "displayName"), ("Name.GivenName", "name.givenName")],
    ids=["DISPLAYNAME", "Name.GivenName"],
)
def test_path_names_case_insensitive(
    subject: Subject, capabilities: Capabilities, sent: str, path: str
) -> None:
    require_writable(capabilities, path)
    subject.prepare(operation("add", path, fresh(subject.factory, "old")))
    value = fresh(subject.factory, "case")
    applied = subject.apply(operation("replace", sent, value))
    subject.confirm(applied, shows(path, value), f"{path} {value!r} (path sent as {sent!r})")


# RFC 7644 §3.5.2.1: "If the target location already contains the value specified, no changes
# SHOULD be made to the resource, and a success response SHOULD be returned. Unless other
# operations change the resource, this operation SHALL NOT change the modify timestamp of the
# resource."
@requirement("patch/add-existing-keeps-lastmodified")
def test_add_existing_value_keeps_lastmodified(
    subject: Subject, capabilities: Capabilities
) -> None:
    require_writable(capabilities, "displayName")
    value = fresh(subject.factory, "same")
    subject.prepare(operation("add", "displayName", value), holds=shows("displayName", value))
    before = subject.read()
    stamp = value_at(before, "meta.lastModified")
    if not isinstance(stamp, str):
        pytest.skip("not applicable: the user carries no meta.lastModified to compare")
    if not re.search(r"T\d\d:\d\d:\d\d[.,]\d", stamp):
        time.sleep(1.05)  # whole-second stamps: let a wrongly moved stamp become visible
    stored = value_at(before, "displayName")
    response = subject.send(operation("add", "displayName", stored))
    after = value_at(subject.read(), "meta.lastModified")
    expect(
        same_instant(after, stamp),
        f"PATCH {subject.path} added displayName {stored!r}, the value it already held "
        f"(answer {response.status_code}), and meta.lastModified moved.\n"
        f"Expected: meta.lastModified still {stamp} (the operation SHALL NOT change the "
        f"modify timestamp)\nActual: {after}",
    )


def _require_enterprise(capabilities: Capabilities) -> None:
    users = capabilities.users
    if users is None or not any(
        urn.casefold() == ENTERPRISE_USER.casefold() for urn in users.extensions
    ):
        pytest.skip("not offered: the User resource type lists no enterprise extension")
    require_writable(capabilities, EMPLOYEE_NUMBER)


def _lists_enterprise(state: dict[str, object]) -> bool:
    schemas = member(state, "schemas")
    return isinstance(schemas, list) and any(
        isinstance(s, str) and s.casefold() == ENTERPRISE_USER.casefold() for s in schemas
    )


# RFC 7644 §3.5.2: "Clients MAY implicitly modify the "schemas" attribute by adding (or
# replacing) an attribute with its fully qualified name, including schema URN. For example,
# adding the attribute "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:
# employeeNumber" automatically adds the value "urn:ietf:params:scim:schemas:extension:
# enterprise:2.0:User" to the resource's "schemas" attribute." RFC 7643 §3: "All
# representations of SCIM schemas MUST include a non-empty array with value(s) of the URIs
# supported by that representation."
@requirement("patch/extension-adds-schema")
def test_extension_attribute_adds_schema(subject: Subject, capabilities: Capabilities) -> None:
    _require_enterprise(capabilities)
    if _lists_enterprise(subject.read()):
        pytest.skip("not applicable: the user already lists the enterprise extension")
    value = fresh(subject.factory, "emp")
    applied = subject.apply(operation("add", EMPLOYEE_NUMBER, value))

    def lists_extension(state: dict[str, object]) -> str | None:
        if _lists_enterprise(state):
            return None
        return f"schemas is {state.get('schemas')!r}"

    subject.confirm(
        applied,
        all_of(shows(EMPLOYEE_NUMBER, value), lists_extension),
        f"employeeNumber {value!r} and {ENTERPRISE_USER} in schemas",
    )


# RFC 7644 §3.5.2: "The attribute notation rules described in Section 3.10 apply for
# describing attribute paths." §3.10: "attributes are uniquely identified by prefixing the
# attribute name with its schema URN separated by a colon (":") character" ... "Clients MAY
# omit core schema attribute URN prefixes but SHOULD fully qualify extended attributes with
# the associated schema extension URN".
@requirement("patch/extension-urn-path")
@pytest.mark.parametrize("op", ["add", "replace", "remove"])
def test_extension_attribute_by_urn_path(
    subject: Subject, capabilities: Capabilities, op: str
) -> None:
    _require_enterprise(capabilities)
    if op != "add":  # give it a value first, written the plain way (no URN path)
        first = fresh(subject.factory, "e")
        subject.prepare(
            operation("add", value={ENTERPRISE_USER: {"employeeNumber": first}}),
            holds=shows(EMPLOYEE_NUMBER, first) if op == "remove" else None,
        )
    if op == "remove":
        applied = subject.apply(operation("remove", EMPLOYEE_NUMBER))
        subject.confirm(applied, lacks(EMPLOYEE_NUMBER), "employeeNumber unassigned")
        return
    value = fresh(subject.factory, "emp")
    applied = subject.apply(operation(op, EMPLOYEE_NUMBER, value))
    subject.confirm(applied, shows(EMPLOYEE_NUMBER, value), f"employeeNumber {value!r}")
