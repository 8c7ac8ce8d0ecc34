"""Discovery documents: RFC 7643 §5-§7 and RFC 7644 §4.

Levels follow the clause's keyword. Two judgement calls, written down so a reader can
disagree: the media type is a MUST only as far as "a JSON document" goes (RFC 7644 §3.8);
`application/scim+json` itself is the SHOULD of RFC 7644 §8.1, which names plain
`application/json` as the informal type of older SCIM. And "404 for an unknown id" is the
SHOULD of RFC 7644 §3.12 ("Implementers SHOULD handle the identified HTTP status codes as
described"), while the SCIM Error body of an error answer is a MUST.
"""

from conformance.catalogue import Level, req

MUST, SHOULD = Level.MUST, Level.SHOULD

REQUIREMENTS = [
    # -- ServiceProviderConfig ------------------------------------------------------------
    req(
        "discovery/spc-get",
        "RFC7644 §4",
        MUST,
        "GET /ServiceProviderConfig returns the service provider's configuration (200).",
    ),
    req(
        "discovery/spc-schema",
        "RFC7643 §5",
        MUST,
        "The ServiceProviderConfig carries its schema URN and every REQUIRED attribute "
        "(patch, bulk, filter, changePassword, sort, etag, authenticationSchemes) with the "
        "right JSON type.",
    ),
    req(
        "discovery/spc-authentication-schemes",
        "RFC7643 §5",
        MUST,
        "authenticationSchemes (REQUIRED) lists at least one scheme; an empty array is "
        "unassigned (RFC 7643 §2.5).",
    ),
    # -- the three endpoints ----------------------------------------------------------------
    req(
        "discovery/resource-types-list",
        "RFC7644 §4",
        MUST,
        "GET /ResourceTypes answers 200 with the resource types in the ListResponse form.",
    ),
    req(
        "discovery/schemas-list",
        "RFC7644 §4",
        MUST,
        "GET /Schemas answers 200 with all supported schemas in the ListResponse form.",
    ),
    req(
        "discovery/content-type-json",
        "RFC7644 §3.8",
        MUST,
        "Asked with Accept: application/scim+json, a discovery endpoint answers a JSON "
        "document labelled as JSON (application/scim+json or application/json).",
    ),
    req(
        "discovery/content-type-scim",
        "RFC7644 §8.1",
        SHOULD,
        "Discovery answers are labelled application/scim+json, not only application/json.",
    ),
    # -- ResourceTypes ----------------------------------------------------------------------
    req(
        "discovery/resource-type-valid",
        "RFC7643 §6",
        MUST,
        "Each ResourceType carries its schema URN, name, endpoint and schema; each "
        "schemaExtensions entry carries schema and required.",
    ),
    req(
        "discovery/resource-type-schemas-known",
        "RFC7643 §6",
        MUST,
        "A ResourceType's schema and every schemaExtensions schema equal the id of a Schema "
        "that /Schemas serves.",
    ),
    # RFC 7644 §4 says a single ResourceType or Schema "is returned" / "can be returned" with
    # no RFC 2119 keyword: a target that only serves the listings is warned, not failed.
    req(
        "discovery/resource-type-by-id",
        "RFC7644 §4",
        SHOULD,
        "GET of a single ResourceType answers 200 with the same document as the listing.",
    ),
    # -- Schemas ----------------------------------------------------------------------------
    req(
        "discovery/schema-wellformed",
        "RFC7643 §7",
        MUST,
        "Each Schema and its attribute definitions are well formed: names, data types and "
        "characteristic keywords from the RFC, subAttributes only on complex attributes and "
        "never nested deeper.",
    ),
    req(
        "discovery/schema-complete",
        "RFC7643 §7",
        SHOULD,
        "Complex attributes list their subAttributes; reference attributes, and only they, "
        "carry referenceTypes.",
    ),
    req(
        "discovery/schema-by-id",
        "RFC7644 §3.4.1",
        SHOULD,
        "GET /Schemas/{id} answers 200 with the same document as the listing.",
    ),
    # -- unknown ids --------------------------------------------------------------------------
    req(
        "discovery/unknown-id-404",
        "RFC7644 §3.12",
        SHOULD,
        "GET of an unknown schema id or resource type answers 404 Not Found.",
    ),
    req(
        "discovery/unknown-id-error",
        "RFC7644 §3.12",
        MUST,
        "An error answer to an unknown schema id or resource type carries a SCIM Error body "
        "whose status is the HTTP status as a JSON string.",
    ),
    # -- the core User schema -----------------------------------------------------------------
    req(
        "discovery/user-schema-username",
        "RFC7643 §4.1.1",
        MUST,
        "The core User schema, when offered, defines userName as required, unique (server or "
        "global) and case-insensitive.",
    ),
    req(
        "discovery/user-schema-password",
        "RFC7643 §4.1.1",
        MUST,
        "The core User schema, when it defines password, makes it writeOnly and returned never.",
    ),
    req(
        "discovery/user-schema-id",
        "RFC7643 §3.1",
        SHOULD,
        "When the core User schema lists the common attribute id, it gives it the §3.1 "
        "characteristics: readOnly, returned always, caseExact.",
    ),
]
