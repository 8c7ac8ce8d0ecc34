"""Queries with POST /.search (RFC 7644 §3.4.3), checked where the target answers them."""

from conformance.catalogue import Level, req

MUST = Level.MUST

REQUIREMENTS = [
    req(
        "search/post-search",
        "RFC7644 §3.4.3",
        MUST,
        "POST {endpoint}/.search with a SearchRequest answers a ListResponse with the "
        "resources the same GET query returns.",
    ),
    req(
        "search/root",
        "RFC7644 §3.4.3",
        MUST,
        "POST /.search at the server root answers a ListResponse of the matching resources.",
    ),
    req(
        "search/paging",
        "RFC7644 §3.4.3",
        MUST,
        "startIndex and count in the SearchRequest body are honoured.",
    ),
    req(
        "search/attributes",
        "RFC7644 §3.4.3",
        MUST,
        "attributes in the SearchRequest body limits the attributes returned.",
    ),
    req(
        "search/excluded-attributes",
        "RFC7644 §3.4.3",
        MUST,
        "excludedAttributes in the SearchRequest body removes attributes, but never id.",
    ),
    req(
        "search/invalid-filter",
        "RFC7644 §3.4.3",
        MUST,
        "An invalid filter in a SearchRequest is refused with 400 and scimType invalidFilter.",
    ),
]
