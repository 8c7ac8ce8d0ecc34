"""The schemas catch real breakage, and stay lenient where the RFCs are.

Every negative case starts from a valid RFC example (fixtures/rfc7643/), breaks one thing and
expects an error located at that thing, so a case cannot pass because the base document was
already invalid. The lenient cases are documents a conforming service provider (or a real
client such as Microsoft Entra ID) may produce; rejecting them would be a false failure.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

FIXTURE_DIR = Path(__file__).resolve().parents[2] / "fixtures" / "rfc7643"

CORE_USER = "urn:ietf:params:scim:schemas:core:2.0:User"
ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
SPC = "8.5-service-provider-config.json"
USER = "8.2-full-user.json"
ERROR = "rfc7644/3.12-error-mutability.json"
PATCH_ADD = "rfc7644/3.5.2.1-patch-add-member.json"
BULK = "rfc7644/3.7.3-bulk-response.json"
LIST = "rfc7644/3.4.2-list-response.json"

Path_ = tuple[str | int, ...]


def load_fixture(name: str) -> Any:
    return json.loads((FIXTURE_DIR / name).read_text(encoding="utf-8"))


def base(name: str, index: int | None = None) -> Any:
    data = load_fixture(name)
    return data if index is None else data[index]


def put(path: Path_, value: Any) -> Callable[[Any], None]:
    def mutate(document: Any) -> None:
        *parents, last = path
        for key in parents:
            document = document[key]
        document[last] = value

    return mutate


def drop(path: Path_) -> Callable[[Any], None]:
    def mutate(document: Any) -> None:
        *parents, last = path
        for key in parents:
            document = document[key]
        del document[last]

    return mutate


def both(*mutations: Callable[[Any], None]) -> Callable[[Any], None]:
    def mutate(document: Any) -> None:
        for mutation in mutations:
            mutation(document)

    return mutate


@dataclass(frozen=True)
class Case:
    id: str
    ref: str  # schema file, optionally with a '#/$defs/...' pointer
    fixture: str
    mutate: Callable[[Any], None]
    at: Path_  # where the error must be reported (absolute path in the instance)
    index: int | None = None  # element of a fixture that holds a JSON array

    def document(self) -> Any:
        document = copy.deepcopy(base(self.fixture, self.index))
        self.mutate(document)
        return document


def describe(errors: list[Any]) -> str:
    return "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors) or "(none)"


# The case tables are laid out by hand (one case per entry); keep the formatter off them.
# fmt: off
NEGATIVE: list[Case] = [
    # RFC 7643 §5 / RFC 7644 §4 ServiceProviderConfig
    Case("spc-without-schemas", "service-provider-config.json", SPC, drop(("schemas",)), ()),
    Case("spc-schemas-empty", "service-provider-config.json", SPC, put(("schemas",), []),
         ("schemas",)),
    Case("spc-schemas-wrong-urn", "service-provider-config.json", SPC,
         put(("schemas",), [CORE_USER]), ("schemas",)),
    Case("spc-patch-supported-is-a-string", "service-provider-config.json", SPC,
         put(("patch", "supported"), "true"), ("patch", "supported")),
    Case("spc-sort-without-supported", "service-provider-config.json", SPC, put(("sort",), {}),
         ("sort",)),
    Case("spc-without-etag", "service-provider-config.json", SPC, drop(("etag",)), ()),
    Case("spc-without-changePassword", "service-provider-config.json", SPC,
         drop(("changePassword",)), ()),
    Case("spc-bulk-without-maxOperations", "service-provider-config.json", SPC,
         drop(("bulk", "maxOperations")), ("bulk",)),
    Case("spc-bulk-maxPayloadSize-is-a-string", "service-provider-config.json", SPC,
         put(("bulk", "maxPayloadSize"), "1048576"), ("bulk", "maxPayloadSize")),
    Case("spc-filter-without-maxResults", "service-provider-config.json", SPC,
         drop(("filter", "maxResults")), ("filter",)),
    Case("spc-filter-maxResults-is-fractional", "service-provider-config.json", SPC,
         put(("filter", "maxResults"), 200.5), ("filter", "maxResults")),
    Case("spc-without-authenticationSchemes", "service-provider-config.json", SPC,
         drop(("authenticationSchemes",)), ()),
    Case("spc-authenticationSchemes-is-an-object", "service-provider-config.json", SPC,
         put(("authenticationSchemes",), {"type": "httpbasic", "name": "b", "description": "d"}),
         ("authenticationSchemes",)),
    Case("spc-auth-scheme-without-type", "service-provider-config.json", SPC,
         drop(("authenticationSchemes", 1, "type")), ("authenticationSchemes", 1)),
    Case("spc-auth-scheme-without-description", "service-provider-config.json", SPC,
         drop(("authenticationSchemes", 0, "description")), ("authenticationSchemes", 0)),
    Case("spc-rfc9865-pagination-without-cursor", "service-provider-config.json", SPC,
         put(("pagination",), {"index": True}), ("pagination",)),
    # RFC 7643 §6 ResourceType
    Case("rt-without-endpoint", "resource-type.json", "8.6-resource-types.json",
         drop(("endpoint",)), (), index=0),
    Case("rt-without-name", "resource-type.json", "8.6-resource-types.json",
         drop(("name",)), (), index=0),
    Case("rt-without-schema", "resource-type.json", "8.6-resource-types.json",
         drop(("schema",)), (), index=1),
    Case("rt-without-schemas", "resource-type.json", "8.6-resource-types.json",
         drop(("schemas",)), (), index=1),
    Case("rt-empty-endpoint", "resource-type.json", "8.6-resource-types.json",
         put(("endpoint",), ""), ("endpoint",), index=0),
    Case("rt-schema-is-not-a-uri", "resource-type.json", "8.6-resource-types.json",
         put(("schema",), "User"), ("schema",), index=0),
    Case("rt-schemaExtensions-single-object-pre-erratum-7522", "resource-type.json",
         "8.6-resource-types.json",
         put(("schemaExtensions",), {"schema": ENTERPRISE, "required": True}),
         ("schemaExtensions",), index=0),
    Case("rt-extension-without-required", "resource-type.json", "8.6-resource-types.json",
         drop(("schemaExtensions", 0, "required")), ("schemaExtensions", 0), index=0),
    Case("rt-extension-required-is-a-string", "resource-type.json", "8.6-resource-types.json",
         put(("schemaExtensions", 0, "required"), "true"), ("schemaExtensions", 0, "required"),
         index=0),
    # RFC 7643 §7 Schema (base: the §8.7.1 User schema)
    Case("attr-type-text", "schema.json", "8.7.1-resource-schemas.json",
         put(("attributes", 0, "type"), "text"), ("attributes", 0, "type"), index=0),
    Case("attr-type-with-spaces", "schema.json", "8.7.1-resource-schemas.json",
         put(("attributes", 0, "type"), " string"), ("attributes", 0, "type"), index=0),
    Case("sub-attr-type-str", "schema.json", "8.7.1-resource-schemas.json",
         put(("attributes", 1, "subAttributes", 0, "type"), "str"),
         ("attributes", 1, "subAttributes", 0, "type"), index=0),
    Case("attr-mutability-readonly-ish", "schema.json", "8.7.1-resource-schemas.json",
         put(("attributes", 0, "mutability"), "readonly-ish"), ("attributes", 0, "mutability"),
         index=0),
    Case("attr-mutability-wrong-case", "schema.json", "8.7.1-resource-schemas.json",
         put(("attributes", 0, "mutability"), "readonly"), ("attributes", 0, "mutability"),
         index=0),
    Case("attr-returned-sometimes", "schema.json", "8.7.1-resource-schemas.json",
         put(("attributes", 0, "returned"), "sometimes"), ("attributes", 0, "returned"), index=0),
    Case("attr-uniqueness-unique", "schema.json", "8.7.1-resource-schemas.json",
         put(("attributes", 0, "uniqueness"), "unique"), ("attributes", 0, "uniqueness"),
         index=0),
    Case("nested-sub-attr-mutability-bad", "schema.json", "8.7.2-service-provider-schemas.json",
         put(("attributes", 3, "subAttributes", 11, "subAttributes", 0, "mutability"), "never"),
         ("attributes", 3, "subAttributes", 11, "subAttributes", 0, "mutability"), index=2),
    Case("attr-without-name", "schema.json", "8.7.1-resource-schemas.json",
         drop(("attributes", 0, "name")), ("attributes", 0), index=0),
    Case("attr-without-type", "schema.json", "8.7.1-resource-schemas.json",
         drop(("attributes", 0, "type")), ("attributes", 0), index=0),
    Case("attr-without-multiValued", "schema.json", "8.7.1-resource-schemas.json",
         drop(("attributes", 0, "multiValued")), ("attributes", 0), index=0),
    Case("attr-multiValued-is-a-string", "schema.json", "8.7.1-resource-schemas.json",
         put(("attributes", 0, "multiValued"), "false"), ("attributes", 0, "multiValued"),
         index=0),
    Case("attr-required-is-a-string", "schema.json", "8.7.1-resource-schemas.json",
         put(("attributes", 0, "required"), "yes"), ("attributes", 0, "required"), index=0),
    Case("attr-caseExact-is-a-number", "schema.json", "8.7.1-resource-schemas.json",
         put(("attributes", 0, "caseExact"), 0), ("attributes", 0, "caseExact"), index=0),
    Case("attr-referenceTypes-is-a-string", "schema.json", "8.7.1-resource-schemas.json",
         put(("attributes", 4, "referenceTypes"), "external"), ("attributes", 4, "referenceTypes"),
         index=0),
    Case("attr-canonicalValues-is-a-string", "schema.json", "8.7.1-resource-schemas.json",
         put(("attributes", 12, "subAttributes", 2, "canonicalValues"), "work"),
         ("attributes", 12, "subAttributes", 2, "canonicalValues"), index=0),
    Case("attr-subAttributes-is-an-object", "schema.json", "8.7.1-resource-schemas.json",
         put(("attributes", 1, "subAttributes"), {"name": "formatted"}),
         ("attributes", 1, "subAttributes"), index=0),
    Case("schema-without-id", "schema.json", "8.7.1-resource-schemas.json", drop(("id",)), (),
         index=1),
    Case("schema-id-is-not-a-uri", "schema.json", "8.7.1-resource-schemas.json",
         put(("id",), "Group"), ("id",), index=1),
    Case("schema-without-attributes", "schema.json", "8.7.1-resource-schemas.json",
         drop(("attributes",)), (), index=1),
    Case("schema-attributes-is-an-object", "schema.json", "8.7.1-resource-schemas.json",
         put(("attributes",), {}), ("attributes",), index=1),
    Case("schema-without-schemas", "schema.json", "8.7.2-service-provider-schemas.json",
         drop(("schemas",)), (), index=0),
    # RFC 7644 §3.4.2 ListResponse
    Case("lr-without-totalResults", "list-response.json", LIST, drop(("totalResults",)), ()),
    Case("lr-totalResults-is-a-string", "list-response.json", LIST,
         put(("totalResults",), "2"), ("totalResults",)),
    Case("lr-totalResults-negative", "list-response.json", LIST, put(("totalResults",), -1),
         ("totalResults",)),
    Case("lr-nonzero-total-without-Resources", "list-response.json", LIST,
         drop(("Resources",)), ()),
    Case("lr-nonzero-total-Resources-null", "list-response.json", LIST,
         put(("Resources",), None), ("Resources",)),
    Case("lr-Resources-item-is-a-string", "list-response.json", LIST,
         put(("Resources", 0), "bjensen"), ("Resources", 0)),
    Case("lr-startIndex-zero", "list-response.json", LIST, put(("startIndex",), 0),
         ("startIndex",)),
    Case("lr-itemsPerPage-negative", "list-response.json", LIST, put(("itemsPerPage",), -10),
         ("itemsPerPage",)),
    Case("lr-without-schemas", "list-response.json", LIST, drop(("schemas",)), ()),
    Case("lr-schemas-wrong-urn", "list-response.json", LIST,
         put(("schemas",), ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"]),
         ("schemas",)),
    # RFC 7644 §3.12 Error
    Case("err-status-is-an-integer", "error.json", ERROR, put(("status",), 400), ("status",)),
    Case("err-status-with-reason-phrase", "error.json", ERROR, put(("status",), "400 Bad Request"),
         ("status",)),
    Case("err-status-is-2xx", "error.json", ERROR, put(("status",), "200"), ("status",)),
    Case("err-without-status", "error.json", ERROR, drop(("status",)), ()),
    Case("err-scimType-not-in-table-9", "error.json", ERROR, put(("scimType",), "badRequest"),
         ("scimType",)),
    Case("err-scimType-wrong-case", "error.json", ERROR, put(("scimType",), "InvalidFilter"),
         ("scimType",)),
    Case("err-detail-is-an-object", "error.json", ERROR, put(("detail",), {"en": "x"}),
         ("detail",)),
    Case("err-without-schemas", "error.json", ERROR, drop(("schemas",)), ()),
    # RFC 7644 §3.5.2 PatchOp
    Case("patch-without-Operations", "patch-op.json", PATCH_ADD, drop(("Operations",)), ()),
    Case("patch-Operations-empty", "patch-op.json", PATCH_ADD, put(("Operations",), []),
         ("Operations",)),
    Case("patch-op-move", "patch-op.json", PATCH_ADD, put(("Operations", 0, "op"), "move"),
         ("Operations", 0, "op")),
    Case("patch-without-op", "patch-op.json", PATCH_ADD, drop(("Operations", 0, "op")),
         ("Operations", 0)),
    Case("patch-add-without-value", "patch-op.json", PATCH_ADD,
         drop(("Operations", 0, "value")), ("Operations", 0)),
    Case("patch-remove-without-path", "patch-op.json", "rfc7644/3.5.2.2-patch-remove-member.json",
         drop(("Operations", 0, "path")), ("Operations", 0)),
    Case("patch-pathless-add-with-a-string-value", "patch-op.json", PATCH_ADD,
         both(drop(("Operations", 0, "path")), put(("Operations", 0, "value"), "Babs")),
         ("Operations", 0, "value")),
    Case("patch-pathless-replace-with-empty-object", "patch-op.json",
         "rfc7644/3.5.2.3-patch-replace-without-path.json", put(("Operations", 0, "value"), {}),
         ("Operations", 0, "value")),
    Case("patch-empty-path", "patch-op.json", PATCH_ADD, put(("Operations", 0, "path"), ""),
         ("Operations", 0, "path")),
    Case("patch-schemas-wrong-urn", "patch-op.json", PATCH_ADD,
         put(("schemas",), ["urn:ietf:params:scim:api:messages:2.0:BulkRequest"]), ("schemas",)),
    # RFC 7644 §3.7 BulkResponse
    Case("bulk-without-Operations", "bulk-response.json", BULK, drop(("Operations",)), ()),
    Case("bulk-op-without-status", "bulk-response.json", BULK, drop(("Operations", 1, "status")),
         ("Operations", 1)),
    Case("bulk-op-status-is-text", "bulk-response.json", BULK,
         put(("Operations", 1, "status"), "OK"), ("Operations", 1, "status")),
    Case("bulk-op-method-get", "bulk-response.json", BULK,
         put(("Operations", 1, "method"), "GET"), ("Operations", 1, "method")),
    Case("bulk-put-without-location", "bulk-response.json", BULK,
         drop(("Operations", 1, "location")), ("Operations", 1)),
    Case("bulk-successful-post-without-location", "bulk-response.json", BULK,
         drop(("Operations", 0, "location")), ("Operations", 0)),
    Case("bulk-post-without-bulkId", "bulk-response.json", BULK,
         drop(("Operations", 0, "bulkId")), ("Operations", 0)),
    Case("bulk-failure-without-response", "bulk-response.json",
         "rfc7644/3.7.3-bulk-response-all-failed.json", drop(("Operations", 1, "response")),
         ("Operations", 1)),
    # RFC 7643 §4.1 User (structural)
    Case("user-without-userName", "user.json", USER, drop(("userName",)), ()),
    Case("user-empty-userName", "user.json", USER, put(("userName",), ""), ("userName",)),
    Case("user-userName-null", "user.json", USER, put(("userName",), None), ("userName",)),
    Case("user-without-id", "user.json", USER, drop(("id",)), ()),
    Case("user-empty-id", "user.json", USER, put(("id",), ""), ("id",)),
    Case("user-id-contains-bulkId", "user.json", USER, put(("id",), "bulkId:qwerty"), ("id",)),
    Case("user-without-schemas", "user.json", USER, drop(("schemas",)), ()),
    Case("user-schemas-without-core-urn", "user.json", USER, put(("schemas",), [ENTERPRISE]),
         ("schemas",)),
    Case("user-schemas-core-urn-wrong-case", "user.json", USER,
         put(("schemas",), ["urn:ietf:params:scim:schemas:core:2.0:user"]), ("schemas",)),
    Case("user-schemas-duplicated", "user.json", USER, put(("schemas",), [CORE_USER, CORE_USER]),
         ("schemas",)),
    Case("user-active-is-a-string", "user.json", USER, put(("active",), "true"), ("active",)),
    Case("user-name-is-a-string", "user.json", USER, put(("name",), "Babs Jensen"), ("name",)),
    Case("user-emails-is-an-object", "user.json", USER,
         put(("emails",), {"value": "bjensen@example.com"}), ("emails",)),
    Case("user-two-primary-emails", "user.json", USER, put(("emails", 1, "primary"), True),
         ("emails",)),
    Case("user-email-primary-is-a-string", "user.json", USER,
         put(("emails", 0, "primary"), "true"), ("emails", 0, "primary")),
    Case("user-email-value-is-a-number", "user.json", USER, put(("emails", 0, "value"), 42),
         ("emails", 0, "value")),
    Case("user-country-USA-pre-erratum-5990", "user.json", USER,
         put(("addresses", 0, "country"), "USA"), ("addresses", 0, "country")),
    Case("user-x509-value-with-line-breaks", "user.json", USER,
         put(("x509Certificates", 0, "value"), "MIIDQzCCAqygAwIBAgICEAAw\n        EzARBgNV"),
         ("x509Certificates", 0, "value")),
    Case("user-groups-value-is-a-number", "user.json", USER,
         put(("groups", 0, "value"), 7), ("groups", 0, "value")),
    Case("user-meta-created-date-only", "user.json", USER,
         put(("meta", "created"), "2010-01-23"), ("meta", "created")),
    Case("user-meta-lastModified-space-separated", "user.json", USER,
         put(("meta", "lastModified"), "2011-05-13 04:42:34Z"), ("meta", "lastModified")),
    Case("user-extension-is-not-an-object", "user.json", "8.3-enterprise-user.json",
         put((ENTERPRISE,), "701984"), (ENTERPRISE,)),
    Case("user-dotted-extension-attribute", "user.json", USER,
         put((ENTERPRISE + ":employeeNumber",), "701984"), (ENTERPRISE + ":employeeNumber",)),
    Case("user-manager-is-a-string", "user.json", "8.3-enterprise-user.json",
         put((ENTERPRISE, "manager"), "John Smith"), (ENTERPRISE, "manager")),
    Case("user-request-without-userName", "user.json#/$defs/request",
         "rfc7644/3.3-create-user-request.json", drop(("userName",)), ()),
    Case("user-partial-without-id", "user.json#/$defs/partial",
         "rfc7644/3.9-get-user-attributes-username.json", drop(("id",)), ()),
    # RFC 7643 §4.2 Group (structural)
    Case("group-without-displayName", "group.json", "8.4-group.json", drop(("displayName",)), ()),
    Case("group-displayName-null", "group.json", "8.4-group.json", put(("displayName",), None),
         ("displayName",)),
    Case("group-without-id", "group.json", "8.4-group.json", drop(("id",)), ()),
    Case("group-schemas-user-urn", "group.json", "8.4-group.json", put(("schemas",), [CORE_USER]),
         ("schemas",)),
    Case("group-members-is-an-object", "group.json", "8.4-group.json",
         put(("members",), {"value": "2819c223"}), ("members",)),
    Case("group-member-value-is-a-number", "group.json", "8.4-group.json",
         put(("members", 0, "value"), 2819), ("members", 0, "value")),
    Case("group-request-without-displayName", "group.json#/$defs/request", "8.4-group.json",
         both(drop(("id",)), drop(("displayName",))), ()),
]
# fmt: on


def _null_optional_user_attributes(document: Any) -> None:
    optional = "externalId displayName nickName title locale active name emails ims photos groups"
    for name in optional.split():
        document[name] = None
    document["roles"] = []
    document["addresses"][0]["country"] = None
    document["meta"]["version"] = None


# fmt: off
LENIENT: list[Case] = [
    # ServiceProviderConfig: RFC 7643 §5 makes these OPTIONAL or leaves them open
    Case("spc-without-meta-and-documentationUri", "service-provider-config.json", SPC,
         both(drop(("meta",)), drop(("documentationUri",))), ()),
    Case("spc-with-id", "service-provider-config.json", SPC, put(("id",), "spc"), ()),
    Case("spc-no-authentication-schemes", "service-provider-config.json", SPC,
         put(("authenticationSchemes",), []), ()),
    Case("spc-auth-scheme-type-outside-the-five", "service-provider-config.json", SPC,
         put(("authenticationSchemes", 1, "type"), "tlsclientauth"), ()),
    Case("spc-vendor-extension-attribute", "service-provider-config.json", SPC,
         put(("urn:example:scim:vendor:2.0:Config",), {"tenant": "a"}), ()),
    Case("spc-rfc9865-pagination", "service-provider-config.json", SPC,
         put(("pagination",), {"cursor": True, "index": True, "defaultPaginationMethod": "cursor",
                               "defaultPageSize": 100, "maxPageSize": 250, "cursorTimeout": 3600}),
         ()),
    Case("spc-bulk-unsupported-with-zero-limits", "service-provider-config.json", SPC,
         put(("bulk",), {"supported": False, "maxOperations": 0, "maxPayloadSize": 0}), ()),
    # ResourceType: RFC 7643 §6 id and description OPTIONAL, schemaExtensions OPTIONAL
    Case("rt-without-id-and-description", "resource-type.json", "8.6-resource-types.json",
         both(drop(("id",)), drop(("description",))), (), index=0),
    Case("rt-endpoint-without-slash", "resource-type.json", "8.6-resource-types.json",
         put(("endpoint",), "Users"), (), index=0),
    Case("rt-schemaExtensions-empty", "resource-type.json", "8.6-resource-types.json",
         put(("schemaExtensions",), []), (), index=0),
    # Schema: RFC 7643 §7 / §8.7.2 - 'type' is caseExact false, name/description OPTIONAL
    Case("attr-type-capitalised", "schema.json", "8.7.1-resource-schemas.json",
         put(("attributes", 0, "type"), "String"), (), index=0),
    Case("attr-type-datetime-lowercase", "schema.json", "8.7.1-resource-schemas.json",
         put(("attributes", 0, "type"), "datetime"), (), index=0),
    Case("attr-type-binary", "schema.json", "8.7.1-resource-schemas.json",
         put(("attributes", 0, "type"), "binary"), (), index=0),
    Case("attr-with-only-name-type-multiValued", "schema.json", "8.7.1-resource-schemas.json",
         put(("attributes", 0), {"name": "userName", "type": "string", "multiValued": False}), (),
         index=0),
    Case("attr-optional-characteristics-null", "schema.json", "8.7.1-resource-schemas.json",
         both(put(("attributes", 0, "description"), None),
              put(("attributes", 0, "caseExact"), None),
              put(("attributes", 0, "uniqueness"), None)), (), index=0),
    Case("schema-without-name-and-description", "schema.json", "8.7.1-resource-schemas.json",
         both(drop(("name",)), drop(("description",))), (), index=2),
    Case("schema-without-meta", "schema.json", "8.7.1-resource-schemas.json", drop(("meta",)), (),
         index=1),
    Case("schema-with-no-attributes", "schema.json", "8.7.1-resource-schemas.json",
         put(("attributes",), []), (), index=1),
    # ListResponse: RFC 7644 §3.4.2 / Table 6 / RFC 9865
    Case("lr-zero-results-without-Resources", "list-response.json", LIST,
         both(put(("totalResults",), 0), drop(("Resources",))), ()),
    Case("lr-zero-results-empty-Resources", "list-response.json", LIST,
         both(put(("totalResults",), 0), put(("Resources",), [])), ()),
    Case("lr-count-zero-page", "list-response.json", LIST,
         both(put(("totalResults",), 57), put(("itemsPerPage",), 0), drop(("Resources",))), ()),
    Case("lr-paginated-page", "list-response.json", LIST,
         both(put(("totalResults",), 100), put(("startIndex",), 11), put(("itemsPerPage",), 2)),
         ()),
    Case("lr-rfc9865-cursor-page-without-totalResults", "list-response.json", LIST,
         both(drop(("totalResults",)), put(("nextCursor",), "VZUTiyhEQJ94IR"),
              put(("itemsPerPage",), 2)), ()),
    # Error: RFC 7644 §3.12 scimType and detail OPTIONAL
    Case("err-status-only", "error.json", ERROR, both(drop(("scimType",)), drop(("detail",))), ()),
    Case("err-null-scimType-and-detail", "error.json", ERROR,
         both(put(("scimType",), None), put(("detail",), None)), ()),
    Case("err-uniqueness-on-409", "error.json", ERROR,
         both(put(("status",), "409"), put(("scimType",), "uniqueness")), ()),
    Case("err-sensitive-on-403", "error.json", ERROR,
         both(put(("status",), "403"), put(("scimType",), "sensitive")), ()),
    Case("err-rfc9865-invalidCursor", "error.json", ERROR, put(("scimType",), "invalidCursor"), ()),
    # PatchOp: what Microsoft Entra ID sends (both PATCH dialects)
    Case("patch-entra-capitalised-op", "patch-op.json", PATCH_ADD,
         put(("Operations", 0, "op"), "Add"), ()),
    Case("patch-entra-string-false", "patch-op.json", PATCH_ADD,
         put(("Operations",), [{"op": "Replace", "path": "active", "value": "False"}]), ()),
    Case("patch-entra-pathless-dotted-keys", "patch-op.json", PATCH_ADD,
         put(("Operations",), [{"op": "replace", "value": {
             "displayName": "Babs", "name.givenName": "Barbara",
             ENTERPRISE + ":employeeNumber": "701984"}}]), ()),
    Case("patch-entra-remove-member-with-value", "patch-op.json", PATCH_ADD,
         put(("Operations",), [{"op": "Remove", "path": "members",
                                "value": [{"value": "u1091"}]}]), ()),
    Case("patch-replace-with-null-value", "patch-op.json", PATCH_ADD,
         put(("Operations",), [{"op": "replace", "path": "nickName", "value": None}]), ()),
    # BulkResponse: both 'status' shapes of RFC 7644 §3.7.2/§3.7.3
    Case("bulk-status-object-with-integer-code", "bulk-response.json", BULK,
         put(("Operations", 1, "status"), {"code": 200}), ()),
    Case("bulk-status-object-with-description", "bulk-response.json",
         "rfc7644/3.7.3-bulk-response-all-failed.json",
         put(("Operations", 1, "status"), {"code": "412", "description": "changed"}), ()),
    # User: RFC 7643 §2.5 null / [] = unassigned; extensions; case rules
    Case("user-null-optional-attributes", "user.json", USER, _null_optional_user_attributes, ()),
    Case("user-urn-prefix-uppercase", "user.json", USER,
         put(("schemas",), ["URN:IETF:params:scim:schemas:core:2.0:User"]), ()),
    Case("user-unknown-extension-container", "user.json", "8.3-enterprise-user.json",
         put(("urn:ietf:params:scim:schemas:extension:bizagi:2.0:UserProperties",),
             {"DelegateEnabled": False, "enabledForAssignation": True}), ()),
    Case("user-extension-urn-not-in-schemas", "user.json", "8.3-enterprise-user.json",
         put(("schemas",), [CORE_USER]), ()),
    Case("user-entra-meta-and-empty-roles", "user.json#/$defs/request",
         "rfc7644/3.3-create-user-request.json",
         both(put(("meta",), {"resourceType": "User"}), put(("roles",), []),
              put(("active",), True)), ()),
    Case("user-datetime-offset-and-fraction", "user.json", USER,
         both(put(("meta", "created"), "2010-01-23T04:56:22.1234567+02:00"),
              put(("meta", "lastModified"), "2011-05-13T04:42:34")), ()),
    Case("user-lowercase-country", "user.json", USER, put(("addresses", 0, "country"), "us"), ()),
    Case("user-x509-url-safe-unpadded", "user.json", USER,
         put(("x509Certificates", 0, "value"), "MIIDQzCC-_"), ()),
    Case("user-partial-with-emails-only", "user.json#/$defs/partial", USER,
         lambda d: [d.pop(k) for k in list(d) if k not in ("id", "emails")], ()),
    # Group: RFC 7643 §4.2 only says REQUIRED for displayName
    Case("group-empty-members", "group.json", "8.4-group.json", put(("members",), []), ()),
    Case("group-null-members", "group.json", "8.4-group.json", put(("members",), None), ()),
    Case("group-empty-displayName", "group.json", "8.4-group.json", put(("displayName",), ""), ()),
    Case("group-request", "group.json#/$defs/request", "8.4-group.json",
         both(drop(("id",)), drop(("meta",))), ()),
]
# fmt: on


def _ids(cases: list[Case]) -> list[str]:
    ids = [case.id for case in cases]
    assert len(ids) == len(set(ids)), "case ids must be unique"
    return ids


@pytest.mark.parametrize("case", NEGATIVE, ids=_ids(NEGATIVE))
def test_schema_rejects_broken_document(case: Case, scim_errors: Any) -> None:
    assert not scim_errors(case.ref, base(case.fixture, case.index)), "base document must be valid"
    errors = scim_errors(case.ref, case.document())
    assert errors, f"{case.id}: {case.ref} accepted a broken document"
    where = {tuple(error.absolute_path) for error in errors}
    assert case.at in where, f"{case.id}: expected an error at {list(case.at)}:\n{describe(errors)}"


@pytest.mark.parametrize("case", LENIENT, ids=_ids(LENIENT))
def test_schema_accepts_lenient_document(case: Case, scim_errors: Any) -> None:
    errors = scim_errors(case.ref, case.document())
    assert not errors, f"{case.id}: false failure against {case.ref}:\n{describe(errors)}"
