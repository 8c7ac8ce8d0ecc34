"""An OpenAPI 3 document of the target, built from its own discovery, for schemathesis.

Each ResourceType endpoint gets POST (collection), GET (collection, scoped to the run by a
fixed filter), and GET/PUT/PATCH of one resource; bodies follow the target's /Schemas
translated to JSON Schema (RFC 7643 §2.3 types; multiValued -> array; extensions as
objects under their URN). The document describes what a well-formed request looks like, so
that schemathesis can generate requests that break it (negative data) and boundary values.
It is deliberately lenient where SCIM is (unknown attributes are not forbidden: RFC 7643
leaves their handling to the service provider), so a request it calls "negative" is one
that breaks the target's own published schema.
"""

from __future__ import annotations

from typing import Any

from conformance.discovery import PATCH_OP
from conformance.model.schema import AttrDef, SchemaView

SCIM_JSON = "application/scim+json"
_TYPES = {
    "string": {"type": "string"},
    "boolean": {"type": "boolean"},
    "decimal": {"type": "number"},
    "integer": {"type": "integer"},
    "dateTime": {"type": "string", "format": "date-time"},
    "reference": {"type": "string"},
    "binary": {"type": "string"},
}


def attribute_schema(attr: AttrDef) -> dict[str, Any]:
    """JSON Schema of one attribute's value."""
    if attr.is_complex:
        value: dict[str, Any] = {
            "type": "object",
            "properties": {
                sub.name: attribute_schema(sub) for sub in attr.sub_attributes if sub.writable
            },
        }
        required = [s.name for s in attr.sub_attributes if s.required and s.writable]
        if required:
            value["required"] = required
    else:
        value = dict(_TYPES.get(attr.type, {}))
        if attr.canonical_values and attr.type == "string":
            value["examples"] = list(attr.canonical_values)
    if attr.multi_valued:
        return {"type": "array", "items": value}
    return value


def resource_schema(view: SchemaView) -> dict[str, Any]:
    """JSON Schema of a resource as a client writes it (readOnly attributes left out)."""
    properties: dict[str, Any] = {
        "schemas": {"type": "array", "items": {"type": "string"}, "minItems": 1}
    }
    required = ["schemas"]
    for attr in view.core.values():
        if not attr.writable:
            continue
        properties[attr.name] = attribute_schema(attr)
        if attr.required:
            required.append(attr.name)
    for urn, attrs in view.extensions.items():
        ext_properties = {a.name: attribute_schema(a) for a in attrs.values() if a.writable}
        ext: dict[str, Any] = {"type": "object", "properties": ext_properties}
        ext_required = [a.name for a in attrs.values() if a.required and a.writable]
        if ext_required:
            ext["required"] = ext_required
        properties[urn] = ext
        if urn in view.required_extensions:
            required.append(urn)
    return {"type": "object", "properties": properties, "required": required}


PATCH_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["schemas", "Operations"],
    "properties": {
        "schemas": {
            "type": "array",
            "items": {"type": "string", "enum": [PATCH_OP]},
            "minItems": 1,
        },
        "Operations": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["op"],
                "properties": {
                    "op": {"type": "string", "enum": ["add", "remove", "replace"]},
                    "path": {"type": "string"},
                    "value": {},
                },
            },
        },
    },
}


def _body(schema: dict[str, Any]) -> dict[str, Any]:
    return {"required": True, "content": {SCIM_JSON: {"schema": schema}}}


def _query(name: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": False, "schema": schema}


_ANY_ANSWER = {"default": {"description": "any answer; the contract is judged by the suite"}}
_PROJECTION = [
    _query("attributes", {"type": "string"}),
    _query("excludedAttributes", {"type": "string"}),
]


def openapi_document(
    endpoints: dict[str, SchemaView],
    *,
    patch: bool,
    item_writes: bool,
    list_params: bool,
    sort: bool,
) -> dict[str, Any]:
    """The document: `endpoints` maps each endpoint path (`/Users`) to its schema view."""
    paths: dict[str, Any] = {}
    for endpoint, view in endpoints.items():
        body = resource_schema(view)
        collection: dict[str, Any] = {
            "post": {
                "operationId": f"create{endpoint[1:]}",
                "requestBody": _body(body),
                "responses": _ANY_ANSWER,
            }
        }
        if list_params:
            parameters = [
                _query("filter", {"type": "string"}),
                _query("startIndex", {"type": "integer"}),
                _query("count", {"type": "integer"}),
                *_PROJECTION,
            ]
            if sort:
                parameters += [
                    _query("sortBy", {"type": "string"}),
                    _query("sortOrder", {"type": "string", "enum": ["ascending", "descending"]}),
                ]
            collection["get"] = {
                "operationId": f"list{endpoint[1:]}",
                "parameters": parameters,
                "responses": _ANY_ANSWER,
            }
        paths[endpoint] = collection
        item: dict[str, Any] = {
            "parameters": [
                {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
            ],
            "get": {
                "operationId": f"get{endpoint[1:]}",
                "parameters": _PROJECTION,
                "responses": _ANY_ANSWER,
            },
        }
        if item_writes:
            item["put"] = {
                "operationId": f"replace{endpoint[1:]}",
                "requestBody": _body(body),
                "responses": _ANY_ANSWER,
            }
            if patch:
                item["patch"] = {
                    "operationId": f"patch{endpoint[1:]}",
                    "requestBody": _body(PATCH_SCHEMA),
                    "responses": _ANY_ANSWER,
                }
        paths[f"{endpoint}/{{id}}"] = item
    return {
        "openapi": "3.0.3",
        "info": {"title": "SCIM target (from its own discovery)", "version": "2.0"},
        "paths": paths,
    }
