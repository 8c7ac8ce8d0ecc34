"""Schema extensions round-trip: RFC 7643 §3/§3.3, RFC 7644 §3.4, §3.5.1, §3.5.2.

One User is POSTed with values in every extension the checks write (the enterprise User
extension, custom ones the target offers, Bizagi's UserProperties), read back at once by GET
and by a userName query; later checks change its values by PUT and PATCH and read them back.
The attributes and their types come from the target's /Schemas (Bizagi: its documented ones).

Not judged: a PUT that leaves the extension out. RFC 7644 §3.5.1: "Attributes whose mutability
is "readWrite" that are omitted from the request body MAY be assumed to be not asserted by the
client. The service provider MAY assume that any existing values are to be cleared, or the
service provider MAY assign a default value to the final resource representation."
"""

from __future__ import annotations

import json
from typing import Any

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
from conformance.discovery import Capabilities
from conformance.factory import Factory, Resource
from conformance.http import ScimClient, json_or_none
from conformance.profile import Profile
from conformance.suites._patching import (
    Blocked,
    member,
    operation,
    patch_request,
    render,
    show,
    unassigned,
    value_at,
)
from conformance.suites._profiles import (
    ExtensionAttribute,
    ExtensionUser,
    by_extension,
    extension_attributes,
    extension_differences,
    extension_user,
    extension_values,
    id_path,
    is_bizagi,
    items,
    listed,
    read,
    with_extensions,
)


def _scenario(factory: Factory, profile: Profile) -> ExtensionUser:
    """The User created with extension values; skips when there is nothing to write."""
    if not extension_attributes(factory.capabilities, profile):
        pytest.skip(
            "the User resource type offers no schema extension with a simple attribute a "
            "client may write (ResourceType schemaExtensions and /Schemas)"
        )
    return extension_user(factory)


def _live(scim: ScimClient, factory: Factory, profile: Profile) -> Resource:
    """The extension User, still there (an earlier check's DELETE may have removed it where
    DELETE should only deactivate: lifecycle/deactivated-readable judges that)."""
    user = _scenario(factory, profile).created()
    gone = scim.get(id_path(factory, user))
    if gone.status_code == 404:
        pytest.skip(f"the User {user.name!r} no longer exists ({describe(gone)})")
    return user


def _report(what: str, problems: list[str], expected: str) -> None:
    if problems:
        fail(f"{what}.\nExpected: {expected}\nActual: " + "; ".join(problems))


def _changed(
    factory: Factory, state: dict[str, Any], attributes: list[ExtensionAttribute]
) -> dict[ExtensionAttribute, Any]:
    """New values, each different from the current one."""
    return {a: a.new_value(factory, value_at(state, a.path)) for a in attributes}


# RFC 7643 §3.3: "Except for the base object schema, the schema extension URI SHALL be used as a
# JSON container to distinguish attributes belonging to the extension namespace from base
# schema attributes." RFC 7644 §3.4: "By default, resource attributes returned in a response are
# those attributes whose characteristic "returned" setting is "always" or "default"".
@requirement("extension/post-roundtrip")
@writes
def test_values_set_on_post_come_back(factory: Factory, profile: Profile) -> None:
    scenario = _scenario(factory, profile)
    expect_status(scenario.post, 201, why="a User with extension values in their URN containers")
    assert scenario.read is not None
    state = json_or_none(scenario.read)
    if scenario.read.status_code != 200 or not isinstance(state, dict):
        raise Blocked(f"could not read the new User back: {describe(scenario.read)}")
    _report(
        f"{request_line(scenario.read)} does not return the extension values the POST set",
        extension_differences(state, scenario.values),
        "each value inside its extension's URN container, as sent",
    )


# RFC 7644 §3.4: "By default, resource attributes returned in a response are those attributes
# whose characteristic "returned" setting is "always" or "default"" (queries included: §3.4.2
# "Resources  A multi-valued list of complex objects containing the requested resources").
@requirement("extension/list-roundtrip")
@needs("filter")
@writes
def test_values_come_back_in_list_results(factory: Factory, profile: Profile) -> None:
    scenario = _scenario(factory, profile)
    user = scenario.created()
    assert scenario.query is not None
    expect_status(scenario.query, 200, why="a query by userName")
    item = listed(scenario.query, user.id)
    expect(
        item is not None,
        f"{request_line(scenario.query)} does not list the User {user.name!r} (id {user.id}).\n"
        f"Actual: {describe(scenario.query)}",
    )
    assert item is not None
    _report(
        f"{request_line(scenario.query)} lists the User without the extension values it holds",
        extension_differences(item, scenario.values),
        "the same extension values as GET returns",
    )


# RFC 7644 §3.4.2.2: "When specified, only those resources matching the filter expression SHALL
# be returned."; attrPath = [URI ":"] ATTRNAME *1subAttr ("URI is SCIM "schema" URI"). RFC 7643
# defines no "filterable" characteristic: a target that declines the filter (400) is skipped.
@requirement("extension/filter")
@needs("filter")
@writes
def test_filter_on_extension_attribute(
    scim: ScimClient, factory: Factory, profile: Profile
) -> None:
    if is_bizagi(profile):
        pytest.skip("Bizagi: only userName is filterable (Entra ID's Bizagi provisioning tutorial)")
    user = _live(scim, factory, profile)
    strings = [a for a in extension_attributes(factory.capabilities, profile) if a.type == "string"]
    if not strings:
        pytest.skip("no string extension attribute to filter on")
    attribute = strings[0]
    path = id_path(factory, user)
    value = value_at(read(scim, path), attribute.path)
    if not isinstance(value, str):  # an earlier check removed it: give it one again
        value = attribute.new_value(factory)
        payload = factory.user_payload(user.name)
        with_extensions(payload, {attribute: value})
        given = scim.put(path, payload)
        if (
            given.status_code not in (200, 204)
            or value_at(read(scim, path), attribute.path) != value
        ):
            raise Blocked(f"could not give {attribute.path} a value: {describe(given)}")
    query = f'{attribute.path} eq "{value}"'
    response = scim.get(factory.users_path, params={"filter": query})
    if response.status_code == 400:
        pytest.skip(f"the target declines to filter on {attribute.path} ({describe(response)})")
    expect_status(response, 200, why=f"filter={query}")
    body = expect_json_object(response)
    ids = [str(r.get("id")) for r in items(member(body, "Resources")) if isinstance(r, dict)]
    expect(
        ids == [user.id],
        f"{request_line(response)} must return exactly the User holding that value "
        f"(id {user.id}; the value is unique to this run).\nActual: ids {json.dumps(ids)}, "
        f"totalResults {render(member(body, 'totalResults'))}",
    )


# RFC 7643 §3.3: "The "schemas" attribute MAY contain additional values indicating extended
# schemas that are in use."
@requirement("extension/schemas-lists-extension")
@writes
def test_schemas_lists_extensions_in_use(factory: Factory, profile: Profile) -> None:
    scenario = _scenario(factory, profile)
    scenario.created()
    assert scenario.read is not None
    state = json_or_none(scenario.read)
    if scenario.read.status_code != 200 or not isinstance(state, dict):
        pytest.skip(f"the User could not be read back ({describe(scenario.read)})")
    schemas = [str(s).lower() for s in items(member(state, "schemas"))]
    missing = sorted(
        {
            a.urn
            for a in scenario.values
            if not unassigned(member(state, a.urn)) and a.urn.lower() not in schemas
        }
    )
    expect(
        not missing,
        f"{request_line(scenario.read)} returns data of {', '.join(missing)} without listing "
        f"the URN in schemas.\nExpected: each extension in use listed in schemas "
        f"(RFC 7643 §3.3, MAY)\nActual: schemas {render(member(state, 'schemas'))}",
    )


# RFC 7643 §3: "The "schemas" attribute for a resource MUST only contain values defined as
# "schema" and "schemaExtensions" for the resource's defined "resourceType"."
@requirement("extension/schemas-offered-only")
@writes
def test_schemas_lists_only_offered_schemas(
    factory: Factory, profile: Profile, capabilities: Capabilities
) -> None:
    users = capabilities.users
    if users is None:
        pytest.skip("/ResourceTypes describes no User resource type")
    scenario = extension_user(factory)
    scenario.created()
    assert scenario.read is not None
    state = json_or_none(scenario.read)
    if scenario.read.status_code != 200 or not isinstance(state, dict):
        pytest.skip(f"the User could not be read back ({describe(scenario.read)})")
    offered = {users.schema.lower(), *(urn.lower() for urn in users.extensions)}
    schemas = items(member(state, "schemas"))
    extra = [s for s in schemas if str(s).lower() not in offered]
    expect(
        not extra,
        f"{request_line(scenario.read)} lists in schemas {json.dumps(extra)}, which the User "
        f"resource type does not offer.\nExpected: only {users.schema} and the "
        f"schemaExtensions {json.dumps(list(users.extensions))}\n"
        f"Actual: schemas {json.dumps(schemas)}",
    )


# RFC 7644 §3.5.1: "readWrite, writeOnly  Any values provided SHALL replace the existing
# attribute values."
@requirement("extension/put-replaces")
@writes
def test_put_replaces_extension_values(
    scim: ScimClient, factory: Factory, profile: Profile
) -> None:
    user = _live(scim, factory, profile)
    path = id_path(factory, user)
    attributes = extension_attributes(factory.capabilities, profile)
    wanted = _changed(factory, read(scim, path), attributes)
    payload = factory.user_payload(user.name)
    with_extensions(payload, wanted)
    response = scim.put(path, payload)
    expect_status(response, 200, 204, why="a PUT of the whole User, extension included")
    _report(
        f"after PUT {path} with {json.dumps({a.path: v for a, v in wanted.items()})}, GET "
        "does not show the new extension values",
        extension_differences(read(scim, path), wanted),
        "the values the PUT provided (RFC 7644 §3.5.1: they SHALL replace the existing ones)",
    )


# RFC 7644 §3.5.2: "The attribute notation rules described in Section 3.10 apply for describing
# attribute paths." §3.10: attributes "are uniquely identified by prefixing the attribute name
# with its schema URN separated by a colon (":") character".
@requirement("extension/patch-urn-path")
@needs("patch")
@writes
def test_patch_full_urn_path(scim: ScimClient, factory: Factory, profile: Profile) -> None:
    user = _live(scim, factory, profile)
    path = id_path(factory, user)
    wanted = _changed(
        factory, read(scim, path), extension_attributes(factory.capabilities, profile)
    )
    operations = [operation("replace", a.path, v) for a, v in wanted.items()]
    response = scim.patch(path, patch_request(*operations))
    expect_status(response, 200, 204, why="replace with full-URN paths (RFC 7644 §3.5.2)")
    _report(
        f"after PATCH {path} {show(operations)}, GET does not show the new values",
        extension_differences(read(scim, path), wanted),
        "each extension attribute replaced",
    )


# RFC 7644 §3.5.2.3: "If the "path" parameter is omitted, the target is assumed to be the
# resource itself. In this case, the "value" attribute SHALL contain a list of one or more
# attributes that are to be replaced." The extension's URN container is such an attribute;
# "If the target location specifies a complex attribute, a set of sub-attributes SHALL be
# specified in the "value" parameter, which replaces any existing values".
@requirement("extension/patch-pathless")
@needs("patch")
@writes
def test_patch_pathless_container(scim: ScimClient, factory: Factory, profile: Profile) -> None:
    user = _live(scim, factory, profile)
    path = id_path(factory, user)
    wanted = _changed(
        factory, read(scim, path), extension_attributes(factory.capabilities, profile)
    )
    value: dict[str, Any] = {}
    for attribute, new in wanted.items():
        value.setdefault(attribute.urn, {})[attribute.name] = new
    operations = [operation("replace", None, value)]
    response = scim.patch(path, patch_request(*operations))
    expect_status(response, 200, 204, why="a path-less replace (RFC 7644 §3.5.2.3)")
    _report(
        f"after PATCH {path} {show(operations)}, GET does not show the new values",
        extension_differences(read(scim, path), wanted),
        "the attributes of the extension container replaced",
    )


# RFC 7644 §3.5.2.2: "If the target location is a single-value attribute, the attribute and its
# associated value is removed, and the attribute SHALL be considered unassigned."
@requirement("extension/patch-remove")
@needs("patch")
@writes
def test_patch_remove_extension_attribute(
    scim: ScimClient, factory: Factory, profile: Profile
) -> None:
    user = _live(scim, factory, profile)
    required = {
        (urn.lower(), name.lower())
        for urn, values in profile.required_extensions.items()
        for name in values
    }
    removable = [
        a
        for a in extension_attributes(factory.capabilities, profile)
        if not a.required and (a.urn.lower(), a.name.lower()) not in required
    ]
    if not removable:
        pytest.skip("every extension attribute written is required (by the schema or profile)")
    path = id_path(factory, user)
    state = read(scim, path)
    for attribute in removable:
        if unassigned(value_at(state, attribute.path)):
            value = attribute.new_value(factory)
            given = scim.patch(path, patch_request(operation("replace", attribute.path, value)))
            if given.status_code not in (200, 204):
                raise Blocked(f"could not give {attribute.path} a value: {describe(given)}")
    operations = [operation("remove", a.path) for a in removable]
    response = scim.patch(path, patch_request(*operations))
    expect_status(response, 200, 204, why="remove with full-URN paths (RFC 7644 §3.5.2.2)")
    after = read(scim, path)
    _report(
        f"after PATCH {path} {show(operations)}, GET still shows values",
        [
            f"{a.path} is {render(value_at(after, a.path))}"
            for a in removable
            if not unassigned(value_at(after, a.path))
        ],
        "each removed attribute unassigned (absent or null)",
    )


# RFC 7643 §3: "Unlike core attributes, extended attributes are kept in their own sub-attribute
# namespace identified by the schema extension URI. This avoids attribute name conflicts";
# §3.3: "the schema extension URI SHALL be used as a JSON container to distinguish attributes
# belonging to the extension namespace from base schema attributes." The RFC leaves it to the
# server whether an undefined attribute is refused or ignored; it never lets the value land
# under another name or namespace.
@requirement("extension/unknown-attribute-contained")
@writes
def test_unknown_extension_attribute_is_contained(
    scim: ScimClient, factory: Factory, profile: Profile
) -> None:
    user = _live(scim, factory, profile)
    path = id_path(factory, user)
    attributes = extension_attributes(factory.capabilities, profile)
    current = extension_values(read(scim, path), attributes)
    unknown = f"zzUndefined{factory.run_id}"
    problems: list[str] = []
    for urn in by_extension(attributes):
        marker = f"marker{factory.run_id}{len(problems)}{urn[-4:].lower()}"
        payload = factory.user_payload(user.name)
        kept = {a: v for a, v in current.items() if a.urn == urn and not unassigned(v)}
        with_extensions(payload, kept)
        payload.setdefault(urn, {})[unknown] = marker
        response = scim.put(path, payload)
        if 400 <= response.status_code < 500:
            continue  # refused: allowed
        if response.status_code >= 500:
            problems.append(f"PUT with {urn}:{unknown} answered {describe(response)}")
            continue
        misplaced = [
            where
            for where in _places(read(scim, path), marker)
            if where.lower() != f"{urn}.{unknown}".lower()
        ]
        if misplaced:
            problems.append(f"{urn}:{unknown} was stored as {', '.join(misplaced)}")
    _report(
        f"PUT {path} with an attribute its extension does not define ({unknown})",
        problems,
        "a 4xx refusal, or the attribute ignored; never its value under another name",
    )


def _places(node: Any, marker: str, where: str = "") -> list[str]:
    """The attribute paths (dotted, URN containers as one step) whose value holds the marker."""
    if isinstance(node, dict):
        found: list[str] = []
        for key, value in node.items():
            found += _places(value, marker, f"{where}.{key}" if where else str(key))
        return found
    if isinstance(node, list):
        return [place for item in node for place in _places(item, marker, where)]
    return [where] if isinstance(node, str) and marker in node else []
