"""httpx.Auth implementations: static bearer, HTTP Basic, and OAuth 2.0 client credentials.

The client-credentials flow is Bizagi's documented one (RFC 6749 §4.4): POST to the token
endpoint with the client id and secret in HTTP Basic and a form body
`grant_type=client_credentials&scope=...`. Tokens are cached and refreshed shortly before
they expire, or once after a 401.
"""

from __future__ import annotations

import base64
import time
from collections.abc import Generator

import httpx

from conformance.errors import AuthenticationFailed
from conformance.redact import Redactor

_EXPIRY_MARGIN_SECONDS = 30.0


def basic_header(user: str, secret: str) -> str:
    """`Basic base64(user:secret)`, as Bizagi documents it for its token endpoint."""
    return "Basic " + base64.b64encode(f"{user}:{secret}".encode()).decode("ascii")


class BearerAuth(httpx.Auth):
    """A static bearer token (a long-lived token, or Bizagi's "Bearer token" application)."""

    def __init__(self, token: str) -> None:
        self._token = token

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["Authorization"] = f"Bearer {self._token}"
        yield request


class ClientCredentialsAuth(httpx.Auth):
    """OAuth 2.0 client credentials with a cached token, refreshed on expiry or on a 401."""

    requires_response_body = True

    def __init__(
        self,
        token_url: str,
        client_id: str,
        client_secret: str,
        *,
        scope: str | None = None,
        redactor: Redactor | None = None,
    ) -> None:
        self.token_url = token_url
        self._client_id = client_id
        self._client_secret = client_secret
        self._scope = scope
        self._redactor = redactor
        self._token: str | None = None
        self._expires_at = 0.0
        self.tokens_fetched = 0

    def renewed(self) -> ClientCredentialsAuth:
        """The same client without its cached token: its first request fetches a new one."""
        return ClientCredentialsAuth(
            self.token_url,
            self._client_id,
            self._client_secret,
            scope=self._scope,
            redactor=self._redactor,
        )

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        if self._token is None or time.monotonic() >= self._expires_at:
            yield from self._refresh()
        request.headers["Authorization"] = f"Bearer {self._token}"
        response = yield request
        if response.status_code == 401:
            yield from self._refresh()
            request.headers["Authorization"] = f"Bearer {self._token}"
            yield request

    def _refresh(self) -> Generator[httpx.Request, httpx.Response, None]:
        form = {"grant_type": "client_credentials"}
        if self._scope:
            form["scope"] = self._scope
        token_request = httpx.Request(
            "POST",
            self.token_url,
            data=form,
            headers={
                "Authorization": basic_header(self._client_id, self._client_secret),
                "Accept": "application/json",
            },
        )
        response = yield token_request
        self._accept(response)

    def _accept(self, response: httpx.Response) -> None:
        where = f"POST {self.token_url}"
        if response.status_code != 200:
            raise AuthenticationFailed(
                f"authentication failed: {response.status_code} at {where} (token endpoint)"
            )
        try:
            payload = response.json()
        except ValueError:
            raise AuthenticationFailed(
                f"authentication failed: {where} answered {response.status_code} without JSON"
            ) from None
        token = payload.get("access_token") if isinstance(payload, dict) else None
        token_type = str(payload.get("token_type", "bearer")) if isinstance(payload, dict) else ""
        if not isinstance(token, str) or not token:
            raise AuthenticationFailed(f"authentication failed: {where} returned no access_token")
        if token_type.lower() != "bearer":
            raise AuthenticationFailed(
                f"authentication failed: {where} returned token_type {token_type!r}, not bearer"
            )
        lifetime = _seconds(payload.get("expires_in"), default=3600.0)
        self._token = token
        self._expires_at = time.monotonic() + max(lifetime - _EXPIRY_MARGIN_SECONDS, lifetime / 2)
        self.tokens_fetched += 1
        if self._redactor is not None:
            self._redactor.add(token)


def _seconds(value: object, *, default: float) -> float:
    """`expires_in` as seconds; servers send numbers or numeric strings, or nothing."""
    try:
        return float(value) if value is not None else default  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return default
