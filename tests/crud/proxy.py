"""A loopback reverse proxy in front of a real SCIM server that changes how it answers.

Mode "variants": forms the RFCs allow that scim2-server does not show, which the checks must
accept, plus one genuine defect:

- a successful PUT answered 204 No Content (HTTP allows it; RFC 7644 §3.5.1's 200 is not a
  keyword);
- 201 Created without a body (RFC 7644 §3.3: the representation is a SHOULD, so only
  create/returns-resource may warn) and with a relative Location header (RFC 7231 §7.1.2);
- DateTimes with seven fraction digits and a "+00:00" offset (xsd:dateTime, as .NET writes);
- the defect: /Schemas declare the User's title immutable while the server behind overwrites
  it on PUT (RFC 7643 §7 immutable: "The attribute SHALL NOT be updated").

Mode "defects": genuine violations the sandbox has no fault for, each caught by one check
(see DEFECTS in test_crud_checks.py).
"""

from __future__ import annotations

import json
import re
import secrets
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

import httpx

USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User"
ERROR_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:Error"
IMMUTABLE = "title"
_DROPPED = {"host", "content-length", "connection", "transfer-encoding", "content-encoding"}
_DATETIME = re.compile(r'"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})\.(\d{1,6})Z"')
_GHOST = re.compile(r"/Users/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
_SERVER_ID = re.compile(r"(/Users/[0-9a-f]{32})\b")


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    text: str

    def json(self) -> Any:
        try:
            return json.loads(self.text) if self.text else None
        except ValueError:
            return None

    def set_json(self, document: Any) -> None:
        self.text = json.dumps(document)

    def header(self, name: str, value: str | None) -> None:
        self.headers = {k: v for k, v in self.headers.items() if k.lower() != name.lower()}
        if value is not None:
            self.headers[name] = value


Upstream = Callable[[str, str, bytes, dict[str, str]], Answer]
Mode = Callable[[str, str, bytes, dict[str, str], Upstream], Answer]


def _error(status: int, scim_type: str, detail: str) -> Answer:
    body = {"schemas": [ERROR_SCHEMA], "status": str(status), "scimType": scim_type}
    body["detail"] = detail
    return Answer(status, {"Content-Type": "application/scim+json"}, json.dumps(body))


# -- mode "variants" -------------------------------------------------------------------------


def _mark_immutable(document: Any) -> Any:
    """Declare the User's title immutable in a /Schemas answer (list or single schema)."""
    schemas = document.get("Resources", [document]) if isinstance(document, dict) else []
    for schema in schemas:
        if isinstance(schema, dict) and schema.get("id") == USER_SCHEMA:
            for attribute in schema.get("attributes") or []:
                if attribute.get("name") == IMMUTABLE:
                    attribute["mutability"] = "immutable"
    return document


def variants(method: str, path: str, body: bytes, headers: dict[str, str], up: Upstream) -> Answer:
    answer = up(method, path, body, headers)
    if method == "GET" and "/Schemas" in path and answer.status == 200:
        answer.set_json(_mark_immutable(answer.json()))
    answer.text = _DATETIME.sub(lambda m: f'"{m[1]}.{m[2].ljust(6, "0")}1+00:00"', answer.text)
    if method == "POST" and answer.status == 201:
        location = answer.headers.get("Location") or answer.headers.get("location")
        answer.header("Location", urlsplit(location).path if location else None)
        answer.header("Content-Type", None)
        answer.text = ""
    if method == "PUT" and answer.status == 200:
        answer.status, answer.text = 204, ""
        answer.header("Content-Type", None)
    return answer


# -- mode "defects" --------------------------------------------------------------------------


def _resources(document: Any) -> list[dict[str, Any]]:
    if not isinstance(document, dict):
        return []
    listed = document.get("Resources")
    return [r for r in listed if isinstance(r, dict)] if isinstance(listed, list) else [document]


def defects(method: str, path: str, body: bytes, headers: dict[str, str], up: Upstream) -> Answer:
    sent = _json(body)
    if method in ("POST", "PUT") and isinstance(sent, dict) and "meta" in sent:
        # create/readonly-ignored, replace/readonly-ignored: readOnly meta is refused
        return _error(400, "mutability", "meta is readOnly")
    if method == "POST" and path.endswith("/Users") and isinstance(sent, dict):
        if "userName" not in sent:  # create/required-missing-rejected: accepted anyway
            fake = {"schemas": [USER_SCHEMA], "id": f"fake-{secrets.token_hex(8)}"}
            return Answer(201, {"Content-Type": "application/scim+json"}, json.dumps(fake))
    if method == "PUT" and isinstance(sent, dict):
        # replace/omitted-cleared: PUT merges like a PATCH, keeping what it leaves out
        read = up("GET", path, b"", headers)
        current = read.json() if read.status == 200 else None
        if isinstance(current, dict):
            given = {key.lower() for key in sent}
            for key, value in current.items():
                if key.lower() not in given and key not in ("id", "meta", "schemas"):
                    sent[key] = value
            body = json.dumps(sent).encode()
    if _GHOST.search(urlsplit(path).path) and method in ("GET", "PATCH", "DELETE"):
        answer = up(method, path, body, headers)
        if answer.status == 404:  # read/unknown-404, errors/status-code: 400 for unknown ids
            return _error(400, "invalidValue", "no such id")
        return answer
    answer = up(method, path, body, headers)
    if method == "DELETE" and answer.status == 204:  # delete/status-204: 200 instead
        answer.status = 200
    document = answer.json()
    if method == "POST" and answer.status == 400 and isinstance(document, dict):
        if document.get("scimType") == "invalidSyntax":  # errors/status-code[malformed-json]
            document["scimType"] = "invalidValue"
            answer.set_json(document)
    for resource in _resources(document):
        meta = resource.get("meta")
        if isinstance(meta, dict) and "created" in meta:
            meta["lastModified"] = meta["created"]  # replace/last-modified-advances
            if method == "POST" and answer.status == 201:
                meta["resourceType"] = "UserAccount"  # create/resource-type
    if document is not None and _resources(document):
        answer.set_json(document)
    # read/meta-location: every location names a resource that does not exist (consistently
    # in the Location header too, so create/location-header has nothing to object to)
    answer.text = _SERVER_ID.sub(r"\1x", answer.text)
    for name, value in list(answer.headers.items()):
        if name.lower() in ("location", "content-location"):
            answer.headers[name] = _SERVER_ID.sub(r"\1x", value)
    return answer


def _json(body: bytes) -> Any:
    try:
        return json.loads(body) if body else None
    except ValueError:
        return None


MODES: dict[str, Mode] = {"variants": variants, "defects": defects}


# -- the server ------------------------------------------------------------------------------


def _handler(upstream: str, mode: Mode, client: httpx.Client) -> type[BaseHTTPRequestHandler]:
    parts = urlsplit(upstream)
    origin = f"{parts.scheme}://{parts.netloc}"

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            return

        def _up(self, method: str, path: str, body: bytes, headers: dict[str, str]) -> Answer:
            answer = client.request(method, origin + path, content=body, headers=headers)
            mine = f"http://{self.headers['Host']}"
            kept = {k: v.replace(origin, mine) for k, v in answer.headers.items()}
            kept = {k: v for k, v in kept.items() if k.lower() not in _DROPPED}
            return Answer(answer.status_code, kept, answer.text.replace(origin, mine))

        def _forward(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            headers = {k: v for k, v in self.headers.items() if k.lower() not in _DROPPED}
            answer = mode(self.command, self.path, body, headers, self._up)
            content = answer.text.encode()
            self.send_response(answer.status)
            for key, value in answer.headers.items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(content)))
            self.end_headers()
            self.wfile.write(content)

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _forward

    return Handler


@contextmanager
def scim_proxy(upstream: str, mode: str) -> Iterator[str]:
    """Serve the proxy on a free loopback port; yields its base URL (upstream's path)."""
    with httpx.Client(timeout=30) as client:
        server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(upstream, MODES[mode], client))
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield f"http://127.0.0.1:{server.server_address[1]}{urlsplit(upstream).path}"
        finally:
            server.shutdown()
            server.server_close()
