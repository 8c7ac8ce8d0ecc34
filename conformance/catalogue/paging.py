"""Pagination (RFC 7644 §3.4.2.4): startIndex, count and the ListResponse page elements."""

from conformance.catalogue import Level, req

MUST = Level.MUST

REQUIREMENTS = [
    req(
        "paging/start-index-one-based",
        "RFC7644 §3.4.2.4",
        MUST,
        "startIndex is 1-based: startIndex=1 starts at the first result.",
    ),
    req(
        "paging/start-index-below-one",
        "RFC7644 §3.4.2.4",
        MUST,
        "A startIndex below 1 is interpreted as 1.",
    ),
    req(
        "paging/count-caps-page",
        "RFC7644 §3.4.2.4",
        MUST,
        "A page never holds more resources than count.",
    ),
    req(
        "paging/count-zero",
        "RFC7644 §3.4.2.4",
        MUST,
        "count=0 returns no resources, only totalResults.",
    ),
    req("paging/count-negative", "RFC7644 §3.4.2.4", MUST, "A negative count is interpreted as 0."),
    req(
        "paging/total-results",
        "RFC7644 §3.4.2.4",
        MUST,
        "totalResults is the number of all matching resources, not the size of the page.",
    ),
    req(
        "paging/page-elements",
        "RFC7644 §3.4.2",
        MUST,
        "A partial page carries startIndex and itemsPerPage, consistent with the page.",
    ),
    req(
        "paging/walk",
        "RFC7644 §3.4.2.4",
        MUST,
        "Walking the pages with startIndex and count visits every result once: no gaps, "
        "no duplicates.",
    ),
]
