"""Authentication basics (RFC 7644 §2, §3.12; RFC 6750 §3; RFC 7235 §4.1).

Both probes query the User endpoint for a userName that cannot exist, so that an open target
leaks no one's data to them. A run configured without credentials skips these checks: it
tests the target as open on purpose.
"""

from __future__ import annotations

import httpx
import pytest

from conformance.checks import describe, expect, fail, request_line, requirement
from conformance.factory import Factory
from conformance.http import ScimClient
from conformance.suites._crud import probe


def _probe(scim: ScimClient, factory: Factory, key: str) -> httpx.Response:
    if not scim.has_credentials:
        pytest.skip("the run sends no credentials: the target is being tested as open")
    return probe(factory, key)


def _expect_401(response: httpx.Response, sent: str) -> None:
    if 200 <= response.status_code < 300:
        fail(
            f"{request_line(response)} {sent} was served ({response.status_code}); it should "
            f"be refused with 401 Unauthorized.\nActual: {describe(response)}"
        )
    expect(
        response.status_code == 401,
        f"{request_line(response)} {sent} answered {response.status_code}; Table 8 names 401 "
        f"Unauthorized for a missing or invalid authorization.\nActual: {describe(response)}",
    )


# RFC 7644 §3.12 Table 8: 401 (Unauthorized) "Authorization failure. The authorization
# header is invalid or missing." ("Implementers SHOULD handle the identified HTTP status codes
# as described below.") §2.2: "In some SCIM deployments, it MAY be acceptable to permit
# unauthenticated (anonymous) requests": hence a SHOULD.
@requirement("security/no-credentials-401")
def test_request_without_credentials_is_401(scim: ScimClient, factory: Factory) -> None:
    _expect_401(_probe(scim, factory, "anonymous"), "without credentials")


# RFC 6750 §3.1 invalid_token: "The access token provided is expired, revoked, malformed, or
# invalid for other reasons. The resource SHOULD respond with the HTTP 401 (Unauthorized)
# status code."
@requirement("security/wrong-token-401")
def test_request_with_wrong_token_is_401(scim: ScimClient, factory: Factory) -> None:
    _expect_401(_probe(scim, factory, "wrong-token"), "with an invalid bearer token")


# RFC 7644 §2: "As per Section 4.1 of [RFC7235], a SCIM service provider SHALL indicate
# supported HTTP authentication schemes via the "WWW-Authenticate" header." RFC 7235 §4.1: "A
# server generating a 401 (Unauthorized) response MUST send a WWW-Authenticate header field
# containing at least one challenge."
@requirement("security/www-authenticate")
def test_401_carries_www_authenticate(scim: ScimClient, factory: Factory) -> None:
    answers = [_probe(scim, factory, key) for key in ("anonymous", "wrong-token")]
    unauthorized = [answer for answer in answers if answer.status_code == 401]
    if not unauthorized:
        pytest.skip("the target answered no request with 401; see security/no-credentials-401")
    for answer in unauthorized:
        challenge = answer.headers.get("WWW-Authenticate", "").strip()
        expect(
            challenge,
            f"{request_line(answer)} answered 401 without a WWW-Authenticate header naming the "
            f"authentication scheme.\nActual: {describe(answer)}",
        )
