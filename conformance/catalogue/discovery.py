"""Discovery documents: RFC 7643 §5-§7 and RFC 7644 §4."""

from conformance.catalogue import Level, req

MUST, SHOULD = Level.MUST, Level.SHOULD

REQUIREMENTS = [
    req(
        "discovery/spc-get",
        "RFC7644 §4",
        MUST,
        "GET /ServiceProviderConfig returns the service provider's configuration (200).",
    ),
]
