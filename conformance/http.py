"""The SCIM HTTP client: every exchange is recorded, redacted, as evidence of the running check."""

from __future__ import annotations

import json
import time
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

import httpx

from conformance import __version__
from conformance.errors import TargetUnavailable
from conformance.evidence import CHECK_HEADER, EvidenceLog, Exchange, truncate
from conformance.redact import Redactor

SCIM_MEDIA_TYPE = "application/scim+json"
_ACCEPT = f"{SCIM_MEDIA_TYPE}, application/json;q=0.9"


class ScimClient:
    """A thin layer over httpx.Client: SCIM headers, relative paths, evidence, redaction.

    Status codes are data: nothing raises on 4xx/5xx, because checks judge them. Only a
    transport failure (refused, timed out) raises, as TargetUnavailable, so that the check
    is reported as an error of the suite rather than a failure of the target.
    """

    def __init__(
        self,
        base_url: str,
        *,
        auth: httpx.Auth | None,
        redactor: Redactor,
        evidence: EvidenceLog,
        run_id: str,
        timeout: float = 30.0,
        verify: bool = True,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.redactor = redactor
        self.evidence = evidence
        self.run_id = run_id
        # Our own transport, so that its pool can be emptied after a 5xx (see request()).
        self._transport = httpx.HTTPTransport(verify=verify)
        self._http = httpx.Client(
            auth=auth,
            timeout=timeout,
            transport=self._transport,
            headers={"Accept": _ACCEPT, "User-Agent": f"scim-conformance/{__version__}"},
        )
        self._seq = 0

    def close(self) -> None:
        self._http.close()

    @property
    def auth(self) -> httpx.Auth | None:
        """How the run authenticates (a check may renew OAuth credentials to test them)."""
        return self._http.auth

    @property
    def has_credentials(self) -> bool:
        """True when the run authenticates (a run against an open target sends none)."""
        return self._http.auth is not None

    def url(self, path: str) -> str:
        """Absolute URL of a path relative to the base URL; absolute URLs pass through."""
        if path.startswith(("http://", "https://")):
            return path
        return f"{self.base_url}/{path.lstrip('/')}"

    def request(
        self,
        method: str,
        path: str,
        *,
        json_body: Any = None,
        content: str | bytes | None = None,
        params: Mapping[str, str | int] | None = None,
        headers: Mapping[str, str] | None = None,
        auth: httpx.Auth | None | bool = True,
    ) -> httpx.Response:
        """Send one request and record it. `auth=False` sends it without credentials."""
        sent_headers = {CHECK_HEADER: f"{self.evidence.check_id or '-'};run={self.run_id}"}
        if json_body is not None:
            content = json.dumps(json_body, ensure_ascii=False)
        if content is not None:
            sent_headers["Content-Type"] = SCIM_MEDIA_TYPE
        sent_headers.update(headers or {})
        request = self._http.build_request(
            method, self.url(path), content=content, params=params, headers=sent_headers
        )
        started = time.perf_counter()
        try:
            if auth is True:
                response = self._http.send(request)
            elif auth is False or auth is None:
                response = self._http.send(request, auth=None)
            else:
                response = self._http.send(request, auth=auth)
        except httpx.TransportError as exc:
            elapsed = (time.perf_counter() - started) * 1000
            self._record(request, None, elapsed, error=f"{type(exc).__name__}: {exc}")
            raise TargetUnavailable(
                f"{method} {self.redactor.text(str(request.url))}: {type(exc).__name__}: {exc}"
            ) from exc
        elapsed = (time.perf_counter() - started) * 1000
        self._record(response.request, response, elapsed)
        if response.status_code >= 500:
            # Some servers (Express's final handler) destroy the socket right after a 5xx
            # without `Connection: close`; reusing it would turn the next check into an error.
            self._transport.close()
        return response

    def get(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, body: Any = None, **kwargs: Any) -> httpx.Response:
        return self.request("POST", path, json_body=body, **kwargs)

    def put(self, path: str, body: Any = None, **kwargs: Any) -> httpx.Response:
        return self.request("PUT", path, json_body=body, **kwargs)

    def patch(self, path: str, body: Any = None, **kwargs: Any) -> httpx.Response:
        return self.request("PATCH", path, json_body=body, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.request("DELETE", path, **kwargs)

    def _record(
        self,
        request: httpx.Request,
        response: httpx.Response | None,
        elapsed_ms: float,
        *,
        error: str | None = None,
    ) -> None:
        self._seq += 1
        redact = self.redactor
        body = request.content if request.content else None
        self.evidence.record(
            Exchange(
                seq=self._seq,
                method=request.method,
                url=redact.text(str(request.url)),
                request_headers=redact.headers(dict(request.headers)),
                request_body=truncate(redact.body(body)),
                status=response.status_code if response is not None else None,
                reason=response.reason_phrase if response is not None else "",
                response_headers=redact.headers(dict(response.headers)) if response else {},
                response_body=truncate(redact.body(response.content)) if response else None,
                elapsed_ms=round(elapsed_ms, 1),
                error=redact.text(error) if error else None,
            )
        )


def segment(value: str) -> str:
    """One URL path segment, percent-encoded (userName addressing puts '@' and spaces there)."""
    return quote(value, safe="@")


def json_or_none(response: httpx.Response) -> Any:
    """The parsed body, or None when it is empty or not JSON (a check then says so)."""
    if not response.content:
        return None
    try:
        return response.json()
    except ValueError:
        return None
