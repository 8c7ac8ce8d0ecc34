"""The contract check: schemathesis drives malformed and boundary requests built from the
target's own discovery (an OpenAPI document derived from /ResourceTypes and /Schemas).

RFC 7644 §3.12: "implementers MUST return the errors in the body of the response in a JSON
format, using the attributes described below" (schemas with the Error URN, status as a JSON
string). A 5xx to a request the client got wrong is never the right answer: Table 8 keeps
500 for "An internal error" and 400 for a request that "is unparsable, syntactically
incorrect, or violates schema".
"""

from conformance.catalogue import Level, req

REQUIREMENTS = [
    # Table 8 is introduced with "Implementers SHOULD handle the identified HTTP status
    # codes as described below": a 5xx for bad input is a SHOULD missed, never a failure.
    req("contract/no-server-error", "RFC7644 §3.12", Level.SHOULD,
        "Malformed and boundary requests generated from the target's own discovery never "
        "answer 5xx: input the client got wrong is a 4xx (400 \"violates schema\")."),
    req("contract/errors-are-scim", "RFC7644 §3.12", Level.MUST,
        "Every 4xx answer to a generated request carries a SCIM Error body: the Error "
        "schema URN and status equal to the HTTP status as a JSON string."),
]  # fmt: skip
