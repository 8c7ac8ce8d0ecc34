"""Bulk operations (RFC 7644 §3.7), checked where bulk is advertised."""

from conformance.catalogue import Level, req

MUST, SHOULD = Level.MUST, Level.SHOULD

REQUIREMENTS = [
    req(
        "bulk/response",
        "RFC7644 §3.7",
        MUST,
        "A processed bulk request answers 200 with a BulkResponse holding a status for each "
        "operation.",
    ),
    req(
        "bulk/bulk-id-returned",
        "RFC7644 §3.7",
        MUST,
        "The result of each POST carries the bulkId it was sent with and the new location.",
    ),
    req(
        "bulk/bulk-id-reference",
        "RFC7644 §3.7.2",
        MUST,
        '"bulkId:<id>" in a later operation is replaced with the id of the resource created '
        "under that bulkId.",
    ),
    req(
        "bulk/continue-on-error",
        "RFC7644 §3.7",
        MUST,
        "Without failOnErrors, a failed operation does not stop the operations after it.",
    ),
    req(
        "bulk/fail-on-errors",
        "RFC7644 §3.7",
        SHOULD,
        "With failOnErrors=1, processing stops after the first error.",
    ),
    req(
        "bulk/max-operations",
        "RFC7644 §3.7.4",
        MUST,
        "More operations than maxOperations are refused with 413, naming the limit.",
    ),
    req(
        "bulk/max-payload",
        "RFC7644 §3.7.4",
        MUST,
        "A request larger than maxPayloadSize is refused with 413, naming the limit.",
    ),
]
