"""Schema extensions of the User resource: RFC 7643 §3 and §3.3, RFC 7644 §3.4-§3.5.

The values a client writes to an extension attribute (the enterprise User extension, or a
custom one such as Bizagi's UserProperties) must round-trip through every way of writing and
reading a User. A PUT that leaves the extension out is not judged: RFC 7644 §3.5.1 lets the
server clear omitted attributes or keep defaults. Listing the extension URN in "schemas" is a
MAY (RFC 7643 §3.3), so it warns; listing one the resource type does not offer is a MUST.
"""

from conformance.catalogue import Level, req

MUST, MAY = Level.MUST, Level.MAY

REQUIREMENTS = [
    req("extension/post-roundtrip", "RFC7643 §3.3", MUST,
        "Extension attribute values set on POST come back on GET, in the extension's URN "
        "container."),
    req("extension/list-roundtrip", "RFC7644 §3.4", MUST,
        "Extension attribute values come back in query (list) results, as on GET."),
    req("extension/put-replaces", "RFC7644 §3.5.1", MUST,
        "A PUT carrying the extension replaces its attribute values."),
    req("extension/patch-urn-path", "RFC7644 §3.5.2", MUST,
        "PATCH replace with a full-URN path (urn:...:attribute) changes the extension "
        "attribute."),
    req("extension/patch-pathless", "RFC7644 §3.5.2.3", MUST,
        "PATCH replace without a path, whose value holds the extension's URN container, "
        "changes the attributes in it."),
    req("extension/patch-remove", "RFC7644 §3.5.2.2", MUST,
        "PATCH remove with a full-URN path leaves the extension attribute unassigned."),
    req("extension/schemas-lists-extension", "RFC7643 §3.3", MAY,
        "A User carrying extension data lists the extension URN in schemas."),
    req("extension/schemas-offered-only", "RFC7643 §3", MUST,
        "A User's schemas lists only the resource type's schema and schemaExtensions."),
    req("extension/unknown-attribute-contained", "RFC7643 §3.3", MUST,
        "An attribute the extension does not define is rejected, or ignored; it is never "
        "stored under another name or in another namespace."),
    req("extension/filter", "RFC7644 §3.4.2.2", MUST,
        "A filter on an extension attribute (urn:...:attribute eq \"value\") returns exactly "
        "the matching Users (unless the target declines the filter with 400)."),
]  # fmt: skip
