"""Resource versioning with ETags (RFC 7644 §3.14), checked where etag is advertised."""

from conformance.catalogue import Level, req

MUST, SHOULD = Level.MUST, Level.SHOULD

REQUIREMENTS = [
    req(
        "etag/header",
        "RFC7644 §3.14",
        MUST,
        "A response carrying a resource (create, GET) carries its ETag as an HTTP header.",
    ),
    req(
        "etag/version-matches",
        "RFC7644 §3.14",
        SHOULD,
        "meta.version holds the same entity tag as the ETag header.",
    ),
    req(
        "etag/changes-on-modify",
        "RFC7644 §3.14",
        SHOULD,
        "The ETag changes when the resource is modified (RFC 7232 §2.1).",
    ),
    req(
        "etag/if-none-match",
        "RFC7644 §3.14",
        SHOULD,
        "GET with If-None-Match of the current version answers 304 Not Modified.",
    ),
    req(
        "etag/if-match-stale",
        "RFC7644 §3.14",
        MUST,
        "PUT, PATCH or DELETE with a stale If-Match is refused with 412 and changes nothing "
        "(RFC 7232 §3.1).",
    ),
]
