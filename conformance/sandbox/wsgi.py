"""WSGI plumbing: buffered requests and responses, so that small layers can rewrite them.

Every layer of the sandbox (Bizagi behaviour, faults) wraps scim2-server's WSGI application.
A layer sees the request environ with its body buffered, calls the inner application, and
gets the whole response back as a :class:`Response` it may change before it is sent.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any, TypeGuard
from urllib.parse import parse_qsl, quote, urlencode
from wsgiref.types import StartResponse, WSGIApplication, WSGIEnvironment

from scim2_server.applications.base import BaseApplication
from scim2_server.routing import Operation, Target, match

SCIM_MEDIA_TYPE = "application/scim+json"
ERROR_URN = "urn:ietf:params:scim:api:messages:2.0:Error"
PATCH_URN = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
_BODY_KEY = "conformance.sandbox.body"

DISCOVERY = frozenset(
    {
        Operation.service_provider_config,
        Operation.resource_types,
        Operation.resource_type,
        Operation.schemas,
        Operation.schema,
    }
)
SEARCHES = frozenset({Operation.search, Operation.search_with_body})


@dataclass
class Response:
    """A complete HTTP response, as an inner application produced it."""

    status: int
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""

    def header(self, name: str) -> str | None:
        """The value of a header, whatever the case of its name."""
        return next((v for k, v in self.headers if k.lower() == name.lower()), None)

    def set_header(self, name: str, value: str | None) -> None:
        """Replace a header, or remove it when value is None."""
        self.headers = [(k, v) for k, v in self.headers if k.lower() != name.lower()]
        if value is not None:
            self.headers.append((name, value))

    def json(self) -> Any:
        """The JSON body, or None when the body is empty or not JSON."""
        if not self.body:
            return None
        try:
            return json.loads(self.body)
        except ValueError:
            return None

    def set_json(self, document: Any) -> None:
        """Replace the body with a JSON document (the server recomputes Content-Length)."""
        self.set_body(json.dumps(document).encode())

    def set_body(self, body: bytes) -> None:
        self.body = body
        self.set_header("Content-Length", None)


def json_response(status: int, document: Any, content_type: str = SCIM_MEDIA_TYPE) -> Response:
    """A response carrying a JSON document."""
    response = Response(status, [("Content-Type", content_type)])
    response.set_json(document)
    return response


def scim_error(status: int, detail: str, scim_type: str | None = None) -> Response:
    """A SCIM Error response (RFC 7644 §3.12), with its status as a string."""
    error: dict[str, Any] = {"schemas": [ERROR_URN], "status": str(status), "detail": detail}
    if scim_type:
        error["scimType"] = scim_type
    return json_response(status, error)


def call(app: WSGIApplication, environ: WSGIEnvironment) -> Response:
    """Run a WSGI application and collect its whole response."""
    captured: dict[str, Any] = {}
    chunks: list[bytes] = []

    def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
        captured["status"], captured["headers"] = status, list(headers)
        return chunks.append

    result = app(environ, start_response)
    try:
        chunks.extend(result)
    finally:
        close = getattr(result, "close", None)
        if close is not None:
            close()
    return Response(int(captured["status"].split(" ", 1)[0]), captured["headers"], b"".join(chunks))


def send(response: Response, start_response: StartResponse) -> Iterable[bytes]:
    """Send a collected response through WSGI."""
    try:
        phrase = HTTPStatus(response.status).phrase
    except ValueError:
        phrase = "Unknown"
    start_response(f"{response.status} {phrase}", response.headers)
    return [response.body]


# -- requests ------------------------------------------------------------------------------


def body(environ: WSGIEnvironment) -> bytes:
    """The request body, read once and kept so that several layers can read it."""
    if _BODY_KEY not in environ:
        length = int(environ.get("CONTENT_LENGTH") or 0)
        data = environ["wsgi.input"].read(length) if length > 0 else b""
        set_body(environ, data)
    data_: bytes = environ[_BODY_KEY]
    return data_


def set_body(environ: WSGIEnvironment, data: bytes) -> None:
    """Replace the request body."""
    environ[_BODY_KEY] = data
    environ["wsgi.input"] = io.BytesIO(data)
    environ["CONTENT_LENGTH"] = str(len(data))


def json_body(environ: WSGIEnvironment) -> Any:
    """The request body as JSON, or None when it is empty or not JSON."""
    data = body(environ)
    if not data:
        return None
    try:
        return json.loads(data)
    except ValueError:
        return None


def set_json_body(environ: WSGIEnvironment, document: Any) -> None:
    set_body(environ, json.dumps(document).encode())


def query(environ: WSGIEnvironment) -> dict[str, str]:
    """The query parameters (the last value wins, as scim2-server reads them)."""
    return dict(parse_qsl(environ.get("QUERY_STRING", ""), keep_blank_values=True))


def set_query(environ: WSGIEnvironment, parameters: dict[str, str]) -> None:
    environ["QUERY_STRING"] = urlencode(parameters, quote_via=quote)


def derive(
    environ: WSGIEnvironment,
    *,
    method: str | None = None,
    path: str | None = None,
    document: Any = None,
) -> WSGIEnvironment:
    """A copy of a request environ, with another method, path or JSON body."""
    copy = dict(environ)
    set_body(copy, body(environ))
    if method is not None:
        copy["REQUEST_METHOD"] = method
    if path is not None:
        copy["PATH_INFO"] = path
    if document is not None:
        set_json_body(copy, document)
        copy["CONTENT_TYPE"] = SCIM_MEDIA_TYPE
    return copy


def scim_path(environ: WSGIEnvironment) -> str:
    """The path relative to the SCIM root, without the /v2 prefix and the .scim suffix."""
    return BaseApplication.split_path(environ.get("PATH_INFO", ""))


def version_prefix(environ: WSGIEnvironment) -> str:
    """The "/v2" prefix when the request path has the version segment (RFC 7644 §3.13)."""
    path = environ.get("PATH_INFO", "")
    return "/v2" if path == "/v2" or path.startswith("/v2/") else ""


def target(environ: WSGIEnvironment) -> Target | None:
    """What the request asks for, as scim2-server routes it, or None for an unknown path."""
    try:
        return match(environ["REQUEST_METHOD"].upper(), scim_path(environ))
    except Exception:
        return None


def is_users(found: Target | None) -> TypeGuard[Target]:
    """Whether a request targets the /Users endpoint (or one User)."""
    return found is not None and (found.endpoint or "").lower() == "users"


def path_text(segment: str) -> str:
    """A path segment as text: WSGI hands over the decoded bytes as latin-1 (PEP 3333)."""
    try:
        return segment.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return segment


class Layer:
    """A WSGI middleware over a buffered exchange: override :meth:`handle`."""

    def __init__(self, app: WSGIApplication) -> None:
        self.app = app

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        body(environ)  # buffered, so that a layer can read it or send it again after the server
        return send(self.handle(environ), start_response)

    def handle(self, environ: WSGIEnvironment) -> Response:
        return self.forward(environ)

    def forward(self, environ: WSGIEnvironment) -> Response:
        return call(self.app, environ)
