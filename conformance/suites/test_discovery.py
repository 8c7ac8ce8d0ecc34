"""Discovery documents (RFC 7644 §4; RFC 7643 §5-§7): what the target says about itself.

Every other area trusts these documents to decide what to test, so they are judged first
and one by one: each endpoint, each ResourceType and each Schema gets its own verdict.
Checks per ResourceType and per Schema are parametrized from what the run's discovery found
(`discovery/schema-wellformed[urn:ietf:params:scim:schemas:core:2.0:User]`); an entry
without a usable name or id is checked under its position in the listing (`[#2]`).

Each check fetches what it judges itself, so that its evidence shows the exchange.
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import quote

import httpx
import pytest

from conformance.checks import (
    describe,
    expect,
    expect_json_object,
    expect_scim_error,
    expect_status,
    fail,
    request_line,
    requirement,
)
from conformance.discovery import CORE_USER, LIST_RESPONSE, list_resources
from conformance.http import SCIM_MEDIA_TYPE, ScimClient, json_or_none
from conformance.plugin import run_context
from conformance.suites._jsonschema import (
    expect_valid,
    json_path,
    problem_report,
    problems,
    shown,
)

ENDPOINTS = ("ServiceProviderConfig", "ResourceTypes", "Schemas")
LISTINGS = ("Schemas", "ResourceTypes")
SCIM_ONLY = {"Accept": SCIM_MEDIA_TYPE}
JSON_MEDIA_TYPES = (SCIM_MEDIA_TYPE, "application/json")
RESOURCE_TYPE_URN = "urn:ietf:params:scim:schemas:core:2.0:ResourceType"
SCHEMA_URN = "urn:ietf:params:scim:schemas:core:2.0:Schema"
NONE_LISTED = "none-listed"
_ATTRIBUTE_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9$_-]*$")
_MISSING = object()


# -- parametrization from the run's discovery -----------------------------------------------


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """One check per endpoint, per listing, per ResourceType and per Schema discovered."""
    if "endpoint" in metafunc.fixturenames:
        metafunc.parametrize("endpoint", ENDPOINTS)
    if "listing" in metafunc.fixturenames:
        metafunc.parametrize("listing", LISTINGS)
    if "schema_key" in metafunc.fixturenames:
        documents = run_context(metafunc.config).capabilities.schema_documents
        metafunc.parametrize("schema_key", _keys(documents, "id") or [NONE_LISTED])
    if "resource_type_key" in metafunc.fixturenames:
        documents = run_context(metafunc.config).capabilities.resource_type_documents
        metafunc.parametrize("resource_type_key", _keys(documents, "name") or [NONE_LISTED])


def _keys(documents: list[dict[str, Any]], field: str) -> list[str]:
    """The name or id of each listed document; `#index` when it has none (or a repeated one)."""
    keys: list[str] = []
    for index, document in enumerate(documents):
        value = document.get(field)
        usable = isinstance(value, str) and value.strip() and value not in keys
        keys.append(str(value) if usable else f"#{index}")
    return keys


def _find(documents: list[dict[str, Any]], key: str, field: str) -> dict[str, Any] | None:
    if key.startswith("#") and key[1:].isdigit():
        index = int(key[1:])
        return documents[index] if index < len(documents) else None
    return next((d for d in documents if d.get(field) == key), None)


# -- fetching -------------------------------------------------------------------------------


def _listed(scim: ScimClient, listing: str) -> list[dict[str, Any]]:
    """The documents GET /Schemas or /ResourceTypes lists now (any form, to judge each one)."""
    response = scim.get(f"/{listing}")
    body = json_or_none(response)
    if response.status_code != 200 or body is None:
        slug = "schemas-list" if listing == "Schemas" else "resource-types-list"
        pytest.skip(f"GET /{listing} answered {describe(response)[:120]} (see discovery/{slug})")
    return list_resources(body)


def _listed_item(scim: ScimClient, listing: str, key: str, field: str) -> dict[str, Any]:
    what = "Schema" if listing == "Schemas" else "ResourceType"
    if key == NONE_LISTED:
        pytest.skip(f"discovery found no {what} to check")
    found = _find(_listed(scim, listing), key, field)
    if found is None:
        pytest.skip(f"{what} {key} is no longer listed by GET /{listing}")
    return found


def _service_provider_config(scim: ScimClient) -> dict[str, Any]:
    response = scim.get("/ServiceProviderConfig")
    body = json_or_none(response)
    if response.status_code != 200 or not isinstance(body, dict):
        pytest.skip(
            f"no ServiceProviderConfig to judge: {describe(response)[:120]} (see discovery/spc-get)"
        )
    return body


def _media_type(response: httpx.Response) -> str:
    return response.headers.get("Content-Type", "").split(";")[0].strip().lower()


# -- ServiceProviderConfig ------------------------------------------------------------------


# RFC 7644 §4: "An HTTP GET to this endpoint will return a JSON structure that describes the
# SCIM specification features available on a service provider."
@requirement("discovery/spc-get")
def test_service_provider_config_is_served(scim: ScimClient) -> None:
    response = scim.get("/ServiceProviderConfig")
    expect_status(response, 200)
    expect_json_object(response)


# RFC 7644 §4: "This endpoint SHALL return responses with a JSON object using a "schemas"
# attribute of "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"." RFC 7643 §5:
# patch, bulk, filter, changePassword, sort, etag and authenticationSchemes are each
# "REQUIRED", as are "supported" ("A Boolean value"), maxOperations, maxPayloadSize and
# maxResults ("An integer value").
@requirement("discovery/spc-schema")
def test_service_provider_config_document(scim: ScimClient) -> None:
    spc = _service_provider_config(scim)
    expect_valid(
        spc, "service-provider-config", label="ServiceProviderConfig", clause="RFC 7643 §5"
    )


# RFC 7643 §5 authenticationSchemes: "A multi-valued complex type that specifies supported
# authentication scheme properties. [...] REQUIRED." RFC 7643 §2.5: "Unassigned attributes,
# the null value, or an empty array (in the case of a multi-valued attribute) SHALL be
# considered to be equivalent in "state"."
@requirement("discovery/spc-authentication-schemes")
def test_service_provider_config_lists_authentication_schemes(scim: ScimClient) -> None:
    spc = _service_provider_config(scim)
    schemes = spc.get("authenticationSchemes", _MISSING)
    got = "missing" if schemes is _MISSING else f"{shown(schemes)}"
    expect(
        isinstance(schemes, list) and len(schemes) > 0,
        f"ServiceProviderConfig: $.authenticationSchemes is {got}; RFC 7643 §5 makes it "
        "REQUIRED, and an empty array or null counts as unassigned (RFC 7643 §2.5). "
        'Expected: at least one scheme, e.g. {"type": "oauthbearertoken", ...}.',
    )


# -- the listings ---------------------------------------------------------------------------


# RFC 7644 §4 /Schemas: "An HTTP GET to the endpoint "/Schemas" SHALL return all supported
# schemas in ListResponse format (see Figure 3)." And: "When returning multiple ResourceTypes
# or Schemas, the message form described by the
# "urn:ietf:params:scim:api:messages:2.0:ListResponse" (ListResponse) form SHALL be used [...]
# Query parameters described in Section 3.4.2, such as filtering, sorting, and pagination,
# SHALL be ignored."
@requirement("discovery/schemas-list")
def test_schemas_listing(scim: ScimClient) -> None:
    _expect_complete_list_response(scim.get("/Schemas"), "Schemas")


# RFC 7644 §4: "When returning multiple ResourceTypes or Schemas, the [...] ListResponse form
# SHALL be used as shown in Figure 3 and in Figure 9 below." A target with a single resource
# type may answer it as itself: the clause covers "multiple" ones.
@requirement("discovery/resource-types-list")
def test_resource_types_listing(scim: ScimClient) -> None:
    response = scim.get("/ResourceTypes")
    body = json_or_none(response)
    if response.status_code == 200 and isinstance(body, dict) and "Resources" not in body:
        if RESOURCE_TYPE_URN in (body.get("schemas") or []):
            return  # one ResourceType, returned as itself: allowed for a single one
    _expect_complete_list_response(response, "ResourceTypes")


def _expect_complete_list_response(response: httpx.Response, listing: str) -> None:
    expect_status(response, 200)
    body = json_or_none(response)
    if isinstance(body, list):
        fail(
            f"GET /{listing} answered a bare JSON array of {len(body)} item(s); RFC 7644 §4 "
            f"requires the ListResponse form ({LIST_RESPONSE}).\nActual: {describe(response)}"
        )
    body = expect_json_object(response)
    expect_valid(body, "list-response", label=f"GET /{listing}", clause="RFC 7644 §3.4.2")
    resources = body.get("Resources") or []
    total = body.get("totalResults")
    expect(
        not isinstance(total, int) or total == len(resources),
        f"GET /{listing} returned {len(resources)} resource(s) but totalResults {total}; "
        "RFC 7644 §4: pagination SHALL be ignored on discovery endpoints, so one answer "
        "lists them all.",
    )


# -- media type -----------------------------------------------------------------------------


# RFC 7644 §3.8: "Servers MUST accept requests and be able to return JSON-structured
# responses using UTF-8 encoding [...] Service providers MUST support the "Accept" header
# "Accept: application/scim+json" and SHOULD support the header "Accept: application/json",
# both of which specify JSON documents conforming to [RFC7159]."
@requirement("discovery/content-type-json")
def test_discovery_answers_json(scim: ScimClient, endpoint: str) -> None:
    response = scim.get(f"/{endpoint}", headers=SCIM_ONLY)
    if response.status_code == 406:
        fail(
            f"GET /{endpoint} with Accept: {SCIM_MEDIA_TYPE} answered 406 Not Acceptable; "
            "RFC 7644 §3.8: service providers MUST support that Accept header."
        )
    if response.status_code != 200:
        pytest.skip(f"GET /{endpoint} answered {response.status_code}: judged by its own check")
    media = _media_type(response)
    expect(
        media in JSON_MEDIA_TYPES or not media,
        f"GET /{endpoint} with Accept: {SCIM_MEDIA_TYPE} answered Content-Type "
        f"{response.headers.get('Content-Type')!r}; RFC 7644 §3.8 asks for a JSON document "
        f"(application/scim+json; application/json is tolerated).",
    )
    expect(
        json_or_none(response) is not None,
        f"GET /{endpoint} answered a body that is not JSON; RFC 7644 §3.8: servers MUST be "
        f"able to return JSON-structured responses.\nActual: {describe(response)}",
    )


# RFC 7644 §8.1: "Applications intending to use the SCIM protocol SHOULD use the
# "application/scim+json" media type." ("Older versions of SCIM are known to informally use
# "application/json".")
@requirement("discovery/content-type-scim")
def test_discovery_answers_scim_media_type(scim: ScimClient, endpoint: str) -> None:
    response = scim.get(f"/{endpoint}", headers=SCIM_ONLY)
    media = _media_type(response)
    if response.status_code != 200 or (media and media not in JSON_MEDIA_TYPES):
        pytest.skip("not a JSON answer: judged by discovery/content-type-json")
    expect(
        media == SCIM_MEDIA_TYPE,
        f"GET /{endpoint} answered Content-Type "
        f"{response.headers.get('Content-Type') or '(none)'}; RFC 7644 §8.1: SCIM answers "
        f"SHOULD use {SCIM_MEDIA_TYPE}.",
    )


# -- ResourceTypes --------------------------------------------------------------------------


# RFC 7643 §6: "Unlike other core resources, all attributes are REQUIRED unless otherwise
# specified." name, endpoint and schema are "REQUIRED"; schemaExtensions is "A list" (erratum
# 7522) whose "schema" and "required" ("A Boolean value") are "REQUIRED"; resource type
# resources are "identified using the following schema URI:
# "urn:ietf:params:scim:schemas:core:2.0:ResourceType"".
@requirement("discovery/resource-type-valid")
def test_resource_type_document(scim: ScimClient, resource_type_key: str) -> None:
    document = _listed_item(scim, "ResourceTypes", resource_type_key, "name")
    expect_valid(
        document, "resource-type", label=f"ResourceType {resource_type_key}", clause="RFC 7643 §6"
    )


# RFC 7643 §6 schema: "This MUST be equal to the "id" attribute of the associated "Schema"
# resource." schemaExtensions.schema: "This MUST be equal to the "id" attribute of a "Schema"
# resource." (URNs compare case-insensitively: RFC 7644 §3.10.)
@requirement("discovery/resource-type-schemas-known")
def test_resource_type_schemas_are_served(scim: ScimClient, resource_type_key: str) -> None:
    document = _listed_item(scim, "ResourceTypes", resource_type_key, "name")
    served = [s["id"] for s in _listed(scim, "Schemas") if isinstance(s.get("id"), str)]
    known = {schema_id.lower() for schema_id in served}
    wanted: list[tuple[list[str | int], Any]] = [(["schema"], document.get("schema"))]
    for index, extension in enumerate(document.get("schemaExtensions") or []):
        if isinstance(extension, dict):
            wanted.append((["schemaExtensions", index, "schema"], extension.get("schema")))
    missing = [
        f"{json_path(parts)} {shown(value)} is not the id of any Schema served by GET /Schemas "
        "(RFC 7643 §6: it MUST be equal to the id of a Schema resource)"
        for parts, value in wanted
        if isinstance(value, str) and value.lower() not in known
    ]
    if missing:
        missing.append(f"served: {', '.join(served) or 'none'}")
        fail(problem_report(f"ResourceType {resource_type_key}", missing))


# RFC 7644 §4: "In cases where a request is for a specific "ResourceType" or "Schema", the
# single JSON object is returned in the same way that a single User or Group is retrieved, as
# per Section 3.4.1." §3.4.1: "If the resource exists, the server responds with HTTP status
# code 200 (OK)". The RFC does not fix the path segment; its example uses the id, which "is
# often the same value as the name" (RFC 7643 §6), and meta.location: all three are tried.
@requirement("discovery/resource-type-by-id")
def test_resource_type_by_id(scim: ScimClient, resource_type_key: str) -> None:
    listed = _listed_item(scim, "ResourceTypes", resource_type_key, "name")
    names = [listed.get("id"), listed.get("name")]
    paths = [f"/ResourceTypes/{quote(n, safe=':@')}" for n in names if isinstance(n, str) and n]
    _expect_same_single(scim, listed, paths, f"ResourceType {resource_type_key}")


# -- Schemas --------------------------------------------------------------------------------


# RFC 7643 §7: each attribute definition has "name", "type" ("Valid values are "string",
# "boolean", "decimal", "integer", "dateTime", "reference", and "complex"", erratum 8435 adds
# "binary"), "multiValued" ("A Boolean value"), "mutability", "returned" and "uniqueness"
# from their listed keywords; "subAttributes" only "When an attribute is of type "complex"".
# RFC 7643 §1.2: "A simple attribute MUST NOT contain sub-attributes."; §2.3.8: "A complex
# attribute MUST NOT contain sub-attributes that have sub-attributes (i.e., that are
# complex)" (the Schema resource itself excepted, §7); §2.1: "Attribute names MUST conform
# to the following ABNF rules: ATTRNAME = ALPHA *(nameChar)".
@requirement("discovery/schema-wellformed")
def test_schema_is_well_formed(scim: ScimClient, schema_key: str) -> None:
    document = _listed_item(scim, "Schemas", schema_key, "id")
    found = [f"{p} (RFC 7643 §7)" for p in problems(document, "schema")]
    attributes = document.get("attributes")
    if isinstance(attributes, list):
        nested_allowed = str(document.get("id", "")).lower() == SCHEMA_URN.lower()
        found += _attribute_problems(attributes, ["attributes"], nested_allowed, inside=False)
    if found:
        fail(problem_report(f"Schema {schema_key}", found))


def _attribute_problems(
    attributes: list[Any], parts: list[str | int], nested_allowed: bool, *, inside: bool
) -> list[str]:
    found: list[str] = []
    for index, attribute in enumerate(attributes):
        if not isinstance(attribute, dict):
            continue  # the JSON Schema reports it
        here = [*parts, index]
        name, kind = attribute.get("name"), str(attribute.get("type", "")).lower()
        where = f"{json_path(here)} ({name})" if isinstance(name, str) else json_path(here)
        if isinstance(name, str) and name != "$ref" and not _ATTRIBUTE_NAME.match(name):
            found.append(
                f"{json_path([*here, 'name'])} {shown(name)} is not a valid attribute name "
                '(RFC 7643 §2.1: ATTRNAME = ALPHA *("$" / "-" / "_" / DIGIT / ALPHA))'
            )
        subs = attribute.get("subAttributes")
        has_subs = isinstance(subs, list) and len(subs) > 0
        if inside and not nested_allowed and (kind == "complex" or has_subs):
            found.append(
                f"{where} is a sub-attribute that is complex or has sub-attributes (RFC 7643 "
                "§2.3.8: a complex attribute MUST NOT contain sub-attributes that have "
                "sub-attributes)"
            )
        elif has_subs and kind != "complex":
            found.append(
                f"{where} has subAttributes but type {shown(attribute.get('type'))}; only "
                "complex attributes have sub-attributes (RFC 7643 §1.2, §7)"
            )
        if isinstance(subs, list) and has_subs:
            found += _attribute_problems(
                subs, [*here, "subAttributes"], nested_allowed, inside=True
            )
    return found


# RFC 7643 §7 type: "When an attribute is of type "complex", there SHOULD be a corresponding
# schema attribute "subAttributes" defined". referenceTypes: "This attribute is only
# applicable for attributes that are of type "reference""; §2.3.7: "A reference has a
# "referenceTypes" attribute that indicates what types of resources may be linked".
@requirement("discovery/schema-complete")
def test_schema_is_complete(scim: ScimClient, schema_key: str) -> None:
    document = _listed_item(scim, "Schemas", schema_key, "id")
    attributes = document.get("attributes")
    if not isinstance(attributes, list):
        pytest.skip("the Schema has no attributes list (judged by discovery/schema-wellformed)")
    found = _completeness_problems(attributes, ["attributes"])
    if found:
        fail(problem_report(f"Schema {schema_key}", found))


def _completeness_problems(attributes: list[Any], parts: list[str | int]) -> list[str]:
    found: list[str] = []
    for index, attribute in enumerate(attributes):
        if not isinstance(attribute, dict):
            continue
        here = [*parts, index]
        where = f"{json_path(here)} ({attribute.get('name')})"
        kind = str(attribute.get("type", "")).lower()
        subs, references = attribute.get("subAttributes"), attribute.get("referenceTypes")
        if kind == "complex" and not subs:
            found.append(f"{where} is complex but lists no subAttributes (RFC 7643 §7: SHOULD)")
        if kind == "reference" and not references:
            found.append(f"{where} is a reference without referenceTypes (RFC 7643 §2.3.7, §7)")
        if kind != "reference" and references:
            found.append(
                f"{where} has referenceTypes {shown(references)} but type "
                f"{shown(attribute.get('type'))}; they apply only to references (RFC 7643 §7)"
            )
        if isinstance(subs, list):
            found += _completeness_problems(subs, [*here, "subAttributes"])
    return found


# RFC 7644 §3.4.1: "To retrieve a known resource, clients send GET requests to the resource
# endpoint, e.g., "/Users/{id}", "/Groups/{id}", or "/Schemas/{id}" [...] If the resource
# exists, the server responds with HTTP status code 200 (OK)". §4: "Individual schema
# definitions can be returned by appending the schema URI to the /Schemas endpoint."
@requirement("discovery/schema-by-id")
def test_schema_by_id(scim: ScimClient, schema_key: str) -> None:
    listed = _listed_item(scim, "Schemas", schema_key, "id")
    schema_id = listed.get("id")
    paths = [f"/Schemas/{quote(schema_id, safe=':@')}"] if isinstance(schema_id, str) else []
    _expect_same_single(scim, listed, paths, f"Schema {schema_key}")


def _expect_same_single(
    scim: ScimClient, listed: dict[str, Any], paths: list[str], label: str
) -> None:
    """GET the single document (at its paths, then its meta.location) and compare it."""
    location = (listed.get("meta") or {}).get("location")
    if isinstance(location, str) and location.startswith(scim.base_url + "/"):
        paths.append(location)
    paths = list(dict.fromkeys(paths))
    if not paths:
        pytest.skip(f"{label} has no id, name or meta.location to address it by")
    answers: list[httpx.Response] = []
    for path in paths:
        answers.append(scim.get(path))
        if answers[-1].status_code == 200:
            break
    response = answers[-1]
    if response.status_code != 200:
        tried = "; ".join(f"{request_line(a)} -> {a.status_code}" for a in answers)
        fail(
            f"{label} is listed but cannot be read on its own: {tried}. RFC 7644 §4: a "
            "specific ResourceType or Schema is returned like a single User (§3.4.1: 200)."
            f"\nActual: {describe(response)}"
        )
    single = expect_json_object(response)
    difference = _difference(_without_meta(listed), _without_meta(single), "$")
    if difference is not None:
        where, in_listing, alone = difference
        fail(
            f"{label}: {request_line(response)} differs from the listing at {where}: "
            f"listing {_render(in_listing)}, single {_render(alone)} (RFC 7644 §4: the same "
            "resource)."
        )


def _without_meta(document: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in document.items() if k != "meta"}


def _render(value: Any) -> str:
    return "(absent)" if value is _MISSING else shown(value)


def _difference(a: Any, b: Any, path: str) -> tuple[str, Any, Any] | None:
    """The first place two JSON documents differ; list order does not count."""
    if isinstance(a, dict) and isinstance(b, dict):
        for key in sorted(set(a) | set(b)):
            here = json_path([key], path)
            if key not in a or key not in b:
                return here, a.get(key, _MISSING), b.get(key, _MISSING)
            found = _difference(a[key], b[key], here)
            if found is not None:
                return found
        return None
    if isinstance(a, list) and isinstance(b, list):
        named_a, named_b = _by_name(a), _by_name(b)
        if named_a is not None and named_b is not None:
            for name in sorted(set(named_a) | set(named_b)):
                here = f'{path}[?(@.name=="{name}")]'
                found = _difference(named_a.get(name, _MISSING), named_b.get(name, _MISSING), here)
                if found is not None:
                    return found
            return None
        if len(a) != len(b):
            return path, a, b
        ordered = zip(_sorted_json(a), _sorted_json(b), strict=True)
        for index, (x, y) in enumerate(ordered):
            found = _difference(x, y, json_path([index], path))
            if found is not None:
                return found
        return None
    same = a == b and isinstance(a, bool) == isinstance(b, bool)
    return None if same else (path, a, b)


def _by_name(items: list[Any]) -> dict[str, Any] | None:
    """Attribute definitions by their (case-insensitive) name; None unless all are named."""
    if not all(isinstance(i, dict) and isinstance(i.get("name"), str) for i in items):
        return None
    named = {str(i["name"]).lower(): i for i in items}
    return named if len(named) == len(items) else None


def _sorted_json(items: list[Any]) -> list[Any]:
    return sorted(items, key=lambda item: json.dumps(item, sort_keys=True))


# -- unknown ids ------------------------------------------------------------------------------


def _unknown_path(scim: ScimClient, listing: str) -> str:
    if listing == "Schemas":
        return f"/Schemas/urn:ietf:params:scim:schemas:extension:conformance{scim.run_id}:2.0:Nope"
    return f"/ResourceTypes/ConformanceNope{scim.run_id}"


# RFC 7644 §3.12 Table 8: 404 (Not Found) "Specified resource (e.g., User) or endpoint does
# not exist." "Implementers SHOULD handle the identified HTTP status codes as described".
@requirement("discovery/unknown-id-404")
def test_unknown_id_is_not_found(scim: ScimClient, listing: str) -> None:
    response = scim.get(_unknown_path(scim, listing))
    expect_status(response, 404, why="RFC 7644 §3.12: the resource does not exist")


# RFC 7644 §3.12: "In addition to returning an HTTP response code, implementers MUST return
# the errors in the body of the response in a JSON format, using the attributes described
# below. Error responses are identified using the following "schema" URI:
# "urn:ietf:params:scim:api:messages:2.0:Error"." status: "The HTTP status code [...]
# expressed as a JSON string. REQUIRED."
@requirement("discovery/unknown-id-error")
def test_unknown_id_error_body(scim: ScimClient, listing: str) -> None:
    response = scim.get(_unknown_path(scim, listing))
    if response.status_code < 400:
        pytest.skip(
            f"{request_line(response)} answered {response.status_code}, not an error "
            "(see discovery/unknown-id-404)"
        )
    body = expect_scim_error(response, response.status_code)
    expect_valid(body, "error", label=f"{request_line(response)} Error", clause="RFC 7644 §3.12")


# -- the core User schema -------------------------------------------------------------------


def _user_attribute(scim: ScimClient, name: str) -> tuple[dict[str, Any], str] | None:
    """The core User schema's top-level attribute `name` and its JSON path; skip if no schema."""
    schemas = _listed(scim, "Schemas")
    user = next((s for s in schemas if str(s.get("id", "")).lower() == CORE_USER.lower()), None)
    if user is None:
        pytest.skip("the target does not offer the core User schema")
    for index, attribute in enumerate(user.get("attributes") or []):
        if isinstance(attribute, dict) and str(attribute.get("name", "")).lower() == name.lower():
            return attribute, f"{json_path(['attributes', index])} ({attribute.get('name')})"
    return None


def _characteristic(attribute: dict[str, Any], name: str, default: Any) -> tuple[Any, str]:
    """The value, with the RFC 7643 §2.2 default when unassigned (absent or null, §2.5)."""
    value = attribute.get(name)
    if value is None:
        return default, f"unassigned, which RFC 7643 §2.2 defines as {shown(default)}"
    return value, shown(value)


def _expect_characteristics(
    attribute: dict[str, Any],
    where: str,
    wanted: list[tuple[str, Any, tuple[Any, ...], str]],
) -> None:
    """Each (characteristic, default, acceptable values, clause) must hold."""
    found = []
    for name, default, acceptable, clause in wanted:
        value, said = _characteristic(attribute, name, default)
        if value not in acceptable or isinstance(value, bool) != isinstance(acceptable[0], bool):
            expected = " or ".join(shown(a) for a in acceptable)
            found.append(f"{where}.{name} is {said}; expected {expected} ({clause})")
    if found:
        fail(problem_report(f"Schema {CORE_USER}", found))


# RFC 7643 §4.1.1 userName: "Each User MUST include a non-empty userName value. This
# identifier MUST be unique across the service provider's entire set of Users. This attribute
# is REQUIRED and is case insensitive." (§8.7.1: "required" : true, "caseExact" : false,
# "uniqueness" : "server".)
@requirement("discovery/user-schema-username")
def test_user_schema_username(scim: ScimClient) -> None:
    found = _user_attribute(scim, "userName")
    if found is None:
        fail(
            f'Schema {CORE_USER} defines no userName attribute; RFC 7643 §4.1.1: "Each User '
            'MUST include a non-empty userName value" and it "is REQUIRED".'
        )
    attribute, where = found
    _expect_characteristics(
        attribute,
        where,
        [
            ("required", False, (True,), 'RFC 7643 §4.1.1: "This attribute is REQUIRED"'),
            (
                "uniqueness",
                "none",
                ("server", "global"),
                "RFC 7643 §4.1.1: \"MUST be unique across the service provider's entire set "
                'of Users"',
            ),
            ("caseExact", False, (False,), 'RFC 7643 §4.1.1: "is case insensitive"'),
        ],
    )


# RFC 7643 §4.1.1 password: "The cleartext value or the hashed value of a password SHALL NOT
# be returnable by a service provider. [...] The mutability of the password attribute is
# "writeOnly", indicating that the value MUST NOT be returned by a service provider in any
# form (the attribute characteristic "returned" is "never")."
@requirement("discovery/user-schema-password")
def test_user_schema_password(scim: ScimClient) -> None:
    found = _user_attribute(scim, "password")
    if found is None:
        pytest.skip(
            "the User schema defines no password (a provider may support a subset of the "
            "schema, RFC 7644 §3.1)"
        )
    attribute, where = found
    _expect_characteristics(
        attribute,
        where,
        [
            ("mutability", "readWrite", ("writeOnly",), "RFC 7643 §4.1.1"),
            ("returned", "default", ("never",), "RFC 7643 §4.1.1"),
        ],
    )


# RFC 7643 §3.1: "For backward compatibility, some existing schema definitions MAY list
# common attributes as part of the schema. The attribute characteristics [...] listed here
# SHALL take precedence over older definitions". id: "The attribute characteristics are
# "caseExact" as "true", a mutability of "readOnly", and a "returned" characteristic of
# "always"." Listing other values misleads clients, but the §3.1 values prevail: a SHOULD.
@requirement("discovery/user-schema-id")
def test_user_schema_id(scim: ScimClient) -> None:
    found = _user_attribute(scim, "id")
    if found is None:
        pytest.skip("the User schema does not list the common attribute id (RFC 7643 §3.1)")
    attribute, where = found
    _expect_characteristics(
        attribute,
        where,
        [
            ("mutability", "readWrite", ("readOnly",), "RFC 7643 §3.1"),
            ("returned", "default", ("always",), "RFC 7643 §3.1"),
            ("caseExact", False, (True,), "RFC 7643 §3.1"),
        ],
    )
