"""Credentials of the sandbox: a static bearer token and an OAuth 2.0 token endpoint.

The token endpoint copies Bizagi's (`POST [Project_URL]/oauth2/server/token`): client
credentials in HTTP Basic, a form body `grant_type=client_credentials&scope=api`, and an
answer with a lower-case `token_type` and an extra `http_status_code` member, as Bizagi's.
The static token stands for Bizagi's "Bearer token" application mode.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import secrets
import threading
import time
from collections.abc import Callable, Iterable
from urllib.parse import parse_qs
from wsgiref.types import StartResponse, WSGIApplication, WSGIEnvironment

from scim2_server.routing import Operation

from conformance.sandbox import wsgi

TOKEN_PATH = "/oauth2/server/token"
REQUIRED_SCOPE = "api"


class TokenStore:
    """Which bearer tokens are valid now: the static one, and the issued ones until expiry.

    :param honour_expiry: False is the ``token-expiry-ignored`` fault.
    """

    def __init__(
        self,
        static_token: str,
        client_id: str,
        client_secret: str,
        lifetime: int,
        *,
        honour_expiry: bool = True,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.static_token = static_token
        self.client_id = client_id
        self.client_secret = client_secret
        self.lifetime = lifetime
        self.honour_expiry = honour_expiry
        self.clock = clock
        self._issued: dict[str, float] = {}
        self._lock = threading.Lock()

    def check_client(self, client_id: str, client_secret: str) -> bool:
        return hmac.compare_digest(client_id, self.client_id) & hmac.compare_digest(
            client_secret, self.client_secret
        )

    def issue(self) -> str:
        token = secrets.token_urlsafe(32)
        with self._lock:
            self._issued[token] = self.clock() + self.lifetime
        return token

    def is_valid(self, token: str) -> bool:
        if not token:
            return False
        if hmac.compare_digest(token, self.static_token):
            return True
        with self._lock:
            expiry = self._issued.get(token)
        if expiry is None:
            return False
        return not self.honour_expiry or self.clock() < expiry


class BearerAuthentication(wsgi.Layer):
    """Refuse a SCIM request without a valid bearer token: 401 with a SCIM Error.

    It sits outside every other layer, so that nothing answers an unauthenticated request
    but this 401. /ServiceProviderConfig stays open, as RFC 7643 §5 asks for its
    authenticationSchemes (scim2-server makes the same exception).

    :param challenge: Send the WWW-Authenticate header (RFC 7644 §2). False is the
        ``www-authenticate-missing`` fault.
    """

    def __init__(self, app: WSGIApplication, tokens: TokenStore, *, challenge: bool = True):
        super().__init__(app)
        self.tokens = tokens
        self.challenge = challenge

    def handle(self, environ: WSGIEnvironment) -> wsgi.Response:
        found = wsgi.target(environ)
        if found is not None and found.operation is Operation.service_provider_config:
            return self.forward(environ)
        scheme, _, token = environ.get("HTTP_AUTHORIZATION", "").partition(" ")
        if scheme.lower() == "bearer" and self.tokens.is_valid(token.strip()):
            return self.forward(environ)
        response = wsgi.scim_error(
            401, "Authorization failure. The authorization header is invalid or missing"
        )
        if self.challenge:
            # RFC 6750 §3.1: name the error when a token was presented.
            error = ', error="invalid_token"' if token.strip() else ""
            response.set_header("WWW-Authenticate", f'Bearer realm="SCIM"{error}')
        return response


class TokenEndpoint:
    """The OAuth 2.0 client credentials grant (RFC 6749 §4.4), shaped as Bizagi answers it."""

    def __init__(self, tokens: TokenStore) -> None:
        self.tokens = tokens

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        return wsgi.send(self.handle(environ), start_response)

    def handle(self, environ: WSGIEnvironment) -> wsgi.Response:
        if environ["REQUEST_METHOD"].upper() != "POST":
            response = _oauth_error(405, "invalid_request")
            response.set_header("Allow", "POST")
            return response
        form = {
            k: v[-1] for k, v in parse_qs(wsgi.body(environ).decode("utf-8", "replace")).items()
        }
        client_id, client_secret = _client_credentials(environ, form)
        if not self.tokens.check_client(client_id, client_secret):
            # RFC 6749 §5.2: 401 with WWW-Authenticate when the client used HTTP Basic.
            response = _oauth_error(401, "invalid_client")
            response.set_header("WWW-Authenticate", 'Basic realm="oauth2"')
            return response
        if form.get("grant_type") != "client_credentials":
            return _oauth_error(400, "unsupported_grant_type")
        scope = form.get("scope") or REQUIRED_SCOPE
        if REQUIRED_SCOPE not in scope.lower().split():
            return _oauth_error(400, "invalid_scope")
        response = wsgi.json_response(
            200,
            {
                "access_token": self.tokens.issue(),
                "token_type": "bearer",
                "expires_in": self.tokens.lifetime,
                "scope": scope,
                "http_status_code": 200,
            },
            content_type="application/json",
        )
        response.set_header("Cache-Control", "no-store")
        response.set_header("Pragma", "no-cache")
        return response


def _oauth_error(status: int, error: str) -> wsgi.Response:
    return wsgi.json_response(status, {"error": error}, content_type="application/json")


def _client_credentials(environ: WSGIEnvironment, form: dict[str, str]) -> tuple[str, str]:
    """HTTP Basic client authentication (RFC 6749 §2.3.1), or the form parameters."""
    scheme, _, encoded = environ.get("HTTP_AUTHORIZATION", "").partition(" ")
    if scheme.lower() == "basic":
        try:
            decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            return "", ""
        client_id, _, client_secret = decoded.partition(":")
        return client_id, client_secret
    return form.get("client_id", ""), form.get("client_secret", "")
