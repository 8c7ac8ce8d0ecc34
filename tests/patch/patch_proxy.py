"""A loopback reverse proxy in front of a real SCIM server, changing what the PATCH checks see.

scim2-server and the sandbox answer a successful PATCH with 204. RFC 7644 §3.5.2 also allows
"200 OK ... and the entire resource within the response body", and the PATCH checks must
accept that too (`answer_200="full"`), and must notice a 200 whose body does not show the
change (`answer_200="stale"`: the body is the resource as it was before the PATCH). With
`immutable`, /Schemas declares an attribute immutable that the server behind it lets
clients change: a target whose behaviour breaks its own schema.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Literal
from urllib.parse import urlsplit

import httpx

Answer200 = Literal["full", "stale"] | None
_DROPPED = {"host", "content-length", "connection", "transfer-encoding", "content-encoding"}


@dataclass
class Proxy:
    """Where the proxy listens, and the token its upstream expects."""

    base_url: str
    token: str


def claim_immutable(document: Any, attribute: str) -> Any:
    """Mark every schema attribute called `attribute` immutable, wherever it appears."""
    if isinstance(document, dict):
        if document.get("name") == attribute and "mutability" in document:
            document["mutability"] = "immutable"
        for value in document.values():
            claim_immutable(value, attribute)
    elif isinstance(document, list):
        for value in document:
            claim_immutable(value, attribute)
    return document


def _handler(
    upstream: str, client: httpx.Client, answer_200: Answer200, immutable: str | None
) -> type[BaseHTTPRequestHandler]:
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(upstream))

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            return

        def _forward(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            headers = {k: v for k, v in self.headers.items() if k.lower() not in _DROPPED}
            auth = {k: v for k, v in headers.items() if k.lower() == "authorization"}
            url = origin + self.path
            is_patch = self.command == "PATCH"
            before = client.get(url, headers=auth) if is_patch and answer_200 == "stale" else None
            answer = client.request(self.command, url, content=body, headers=headers)
            status, content = answer.status_code, answer.content
            out = [(k, v) for k, v in answer.headers.items() if k.lower() not in _DROPPED]
            if is_patch and status == 204 and answer_200 is not None:
                shown = before if before is not None else client.get(url, headers=auth)
                status, content = 200, shown.content
                out = [(k, v) for k, v in out if k.lower() != "content-type"]
                out.append(("Content-Type", "application/scim+json"))
            if immutable and "/Schemas" in self.path and status == 200:
                content = json.dumps(claim_immutable(answer.json(), immutable)).encode()
            self.send_response(status)
            for key, value in out:
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(content)))
            self.end_headers()
            self.wfile.write(content)

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _forward

    return Handler


@contextmanager
def patch_proxy(
    upstream: str,
    token: str,
    *,
    answer_200: Answer200 = None,
    immutable: str | None = None,
) -> Iterator[Proxy]:
    """Serve the proxy on a free loopback port for the duration of the block."""
    with httpx.Client(timeout=30) as client:
        handler = _handler(upstream, client, answer_200, immutable)
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            path = urlsplit(upstream).path
            yield Proxy(f"http://127.0.0.1:{server.server_address[1]}{path}", token)
        finally:
            server.shutdown()
            server.server_close()
