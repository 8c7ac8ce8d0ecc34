"""Error responses: RFC 7644 §3.12 (SCIM Error body, Table 8 status codes, Table 9 scimType)."""

from conformance.catalogue import Level, req

MUST, SHOULD = Level.MUST, Level.SHOULD

REQUIREMENTS = [
    req("errors/scim-error-body", "RFC7644 §3.12", MUST,
        "Every error answer carries a SCIM Error body: the Error schema URN, status equal to "
        "the HTTP status as a JSON string, and a scimType from Table 9 when one is given."),
    req("errors/status-code", "RFC7644 §3.12", SHOULD,
        "Errors use the status codes of Table 8 (404 for an unknown resource, 400 for an "
        "unparsable request or one that violates the schema), with the Table 9 scimType that "
        "fits when one is given."),
]  # fmt: skip
