"""Authentication basics: RFC 7644 §2 and §3.12, RFC 6750 §3 (bearer tokens).

RFC 7644 §2.2 lets a deployment accept anonymous requests ("it MAY be acceptable to permit
unauthenticated (anonymous) requests"), and Table 8 gives 401 as a SHOULD, so refusing a
request without (or with wrong) credentials is judged at SHOULD: a WARN that the report shows
plainly. What a 401 must carry is a MUST.
"""

from conformance.catalogue import Level, req

MUST, SHOULD = Level.MUST, Level.SHOULD

REQUIREMENTS = [
    req("security/no-credentials-401", "RFC7644 §3.12", SHOULD,
        "A request to the User endpoint without credentials is refused with 401 Unauthorized "
        "(Table 8: \"The authorization header is invalid or missing\")."),
    req("security/wrong-token-401", "RFC6750 §3.1", SHOULD,
        "A request with an invalid bearer token is refused with 401 Unauthorized "
        "(error \"invalid_token\")."),
    req("security/www-authenticate", "RFC7644 §2", MUST,
        "Every 401 answer carries a WWW-Authenticate header with at least one challenge "
        "(RFC 7235 §4.1)."),
]  # fmt: skip
