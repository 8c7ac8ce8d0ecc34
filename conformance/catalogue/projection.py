"""Attribute projection (RFC 7644 §3.4.2.5 and §3.9): attributes and excludedAttributes."""

from conformance.catalogue import Level, req

MUST = Level.MUST

REQUIREMENTS = [
    req(
        "projection/attributes-get",
        "RFC7644 §3.9",
        MUST,
        "GET by id with attributes returns id and the requested attributes, none of the "
        "other defaults.",
    ),
    req(
        "projection/attributes-sub-attribute",
        "RFC7644 §3.9",
        MUST,
        "attributes=name.familyName returns that sub-attribute and not its siblings.",
    ),
    req(
        "projection/excluded-get",
        "RFC7644 §3.9",
        MUST,
        "GET by id with excludedAttributes omits those attributes and keeps the other defaults.",
    ),
    req(
        "projection/excluded-keeps-id",
        "RFC7644 §3.4.2.5",
        MUST,
        "excludedAttributes has no effect on id, whose returned characteristic is always.",
    ),
    req(
        "projection/always-returned",
        "RFC7644 §3.9",
        MUST,
        'Attributes returned "always" (id, and any the target declares) stay present '
        "whatever attributes asks for.",
    ),
    req(
        "projection/attributes-list",
        "RFC7644 §3.4.2.5",
        MUST,
        "attributes on a list query applies to every resource of the ListResponse.",
    ),
    req(
        "projection/excluded-list",
        "RFC7644 §3.4.2.5",
        MUST,
        "excludedAttributes on a list query applies to every resource of the ListResponse.",
    ),
]
