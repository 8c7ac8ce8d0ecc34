"""Create, read, replace and delete of a single resource: RFC 7644 §3.3-§3.6, RFC 7643 §3.1.

Levels follow the clause's own keyword. Where a clause makes the outcome a MUST but names the
status code only through Table 8 ("Implementers SHOULD handle the identified HTTP status codes
as described below"), the MUST check accepts any refusal and the status code is judged by a
SHOULD check of its own (errors/status-code, read/unknown-404).
"""

from conformance.catalogue import Level, req

MUST, SHOULD = Level.MUST, Level.SHOULD

REQUIREMENTS = [
    # -- create (RFC 7644 §3.3) ----------------------------------------------------------
    req("create/status-201", "RFC7644 §3.3", MUST,
        "POST of a new User answers 201 Created."),
    req("create/returns-resource", "RFC7644 §3.3", SHOULD,
        "The 201 answer's body is the service provider's representation of the new User."),
    req("create/location-header", "RFC7644 §3.3", MUST,
        "The 201 answer carries the new resource's URI in a Location header, the same URI as "
        "meta.location in the body."),
    req("create/resource-type", "RFC7644 §3.3.1", MUST,
        "A User created at the User endpoint has meta.resourceType set to the resource "
        "type's name (\"User\")."),
    req("create/id-assigned", "RFC7643 §3.1", MUST,
        "The service provider assigns a non-empty id on create, and later reads return that "
        "same id."),
    req("create/readonly-ignored", "RFC7644 §3.3", MUST,
        "readOnly attributes sent on create (meta, a client-chosen id) are ignored: the User "
        "is created with the server's own id and meta."),
    req("create/required-missing-rejected", "RFC7643 §4.1.1", MUST,
        "A User without the REQUIRED userName is not created."),
    req("create/duplicate-409", "RFC7644 §3.3", MUST,
        "A User with the userName of an existing User is refused with 409 Conflict and "
        "scimType \"uniqueness\"."),
    req("create/duplicate-case-409", "RFC7643 §4.1.1", SHOULD,
        "userName is case insensitive: a userName that differs from an existing one only in "
        "case is refused with 409 and scimType \"uniqueness\"."),
    # -- read (RFC 7644 §3.4.1, RFC 7643 §3.1) -------------------------------------------
    req("read/get-200", "RFC7644 §3.4.1", MUST,
        "GET of an existing User answers 200 OK with the resource in the body."),
    req("read/common-attributes", "RFC7643 §3.1", MUST,
        "A User read back carries schemas (with the core User URN), a non-empty id, and meta "
        "with resourceType, created, lastModified and location."),
    req("read/meta-timestamps", "RFC7643 §3.1", MUST,
        "meta.created and meta.lastModified are DateTimes; lastModified is never before "
        "created, and equals it while the resource has never been modified."),
    req("read/meta-location", "RFC7643 §3.1", MUST,
        "meta.location is the URI of the resource: a GET on it returns the same resource."),
    req("read/meta-version", "RFC7644 §3.14", SHOULD,
        "When ETags are advertised, meta.version carries the resource's ETag, the same value "
        "as the ETag header."),
    req("read/password-never-returned", "RFC7643 §4.1.1", MUST,
        "A password set on create is never returned: not by the POST, a GET, a GET that asks "
        "for it with attributes=password, nor a query."),
    req("read/unknown-404", "RFC7644 §3.12", SHOULD,
        "GET of a resource that does not exist answers 404 Not Found (Table 8)."),
    # -- replace (RFC 7644 §3.5.1) -------------------------------------------------------
    req("replace/put-replaces", "RFC7644 §3.5.1", MUST,
        "PUT of a full representation succeeds and the values it provides replace the stored "
        "ones."),
    req("replace/omitted-cleared", "RFC7644 §3.5.1", SHOULD,
        "A readWrite attribute left out of a PUT no longer keeps its old value (the RFC lets "
        "the server clear it or apply a default)."),
    req("replace/id-created-unchanged", "RFC7643 §3.1", MUST,
        "PUT leaves the resource's id and meta.created unchanged."),
    req("replace/last-modified-advances", "RFC7643 §3.1", MUST,
        "After a PUT that changes the resource, meta.lastModified is later than before."),
    req("replace/readonly-ignored", "RFC7644 §3.5.1", MUST,
        "readOnly attributes sent in a PUT (id, meta) are ignored: the PUT succeeds and they "
        "are not stored."),
    req("replace/immutable-kept", "RFC7644 §3.5.1", MUST,
        "A PUT that gives an immutable attribute a different value does not change the value "
        "already set."),
    req("replace/immutable-400", "RFC7644 §3.5.1", SHOULD,
        "A PUT that gives an immutable attribute a different value is answered 400 with "
        "scimType \"mutability\"."),
    req("replace/unknown-not-created", "RFC7644 §3.5.1", MUST,
        "PUT to a resource that does not exist does not create it."),
    # -- delete (RFC 7644 §3.6) ----------------------------------------------------------
    req("delete/status-204", "RFC7644 §3.6", MUST,
        "A successful DELETE answers 204 No Content."),
    req("delete/gone-404", "RFC7644 §3.6", MUST,
        "After DELETE, every operation on the resource (GET, PUT, PATCH, DELETE) answers 404 "
        "Not Found."),
    req("delete/omitted-from-queries", "RFC7644 §3.6", MUST,
        "After DELETE, the resource is omitted from query results."),
    req("delete/username-reusable", "RFC7644 §3.6", SHOULD,
        "A deleted User is not considered in conflict calculation: its userName can be "
        "created again without 409."),
]  # fmt: skip
