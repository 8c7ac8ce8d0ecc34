"""Sorting (RFC 7644 §3.4.2.3): sortBy and sortOrder, checked where sort is advertised."""

from conformance.catalogue import Level, req

MUST = Level.MUST

REQUIREMENTS = [
    req(
        "sort/ascending",
        "RFC7644 §3.4.2.3",
        MUST,
        "sortBy with sortOrder=ascending orders the results by that attribute, ascending.",
    ),
    req(
        "sort/descending",
        "RFC7644 §3.4.2.3",
        MUST,
        "sortBy with sortOrder=descending orders the results by that attribute, descending.",
    ),
    req(
        "sort/default-ascending",
        "RFC7644 §3.4.2.3",
        MUST,
        "sortBy without sortOrder sorts ascending.",
    ),
    req(
        "sort/case-insensitive",
        "RFC7644 §3.4.2.3",
        MUST,
        "A caseExact=false string attribute (displayName) sorts case-insensitively.",
    ),
]
