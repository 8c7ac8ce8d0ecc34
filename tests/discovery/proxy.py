"""A loopback proxy in front of a real SCIM server that breaks one discovery document per case.

`http://127.0.0.1:PORT/<case>/v2/...` forwards to the real server's `/v2/...` and lets the
case's mutation rewrite the answer; every other exchange passes through untouched. One proxy
serves every case at once, so the suite's runs against the cases can go in parallel.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

import httpx

_FORWARDED = ("authorization", "accept", "content-type", "if-match", "if-none-match")


@dataclass
class Answer:
    """The real server's answer, as a mutation may rewrite it."""

    method: str
    path: str
    """Request path below the base URL, without the query (`/Schemas/urn:...`)."""
    status: int
    content_type: str
    body: bytes
    extra_headers: dict[str, str] = field(default_factory=dict)

    def json(self) -> Any:
        try:
            return json.loads(self.body)
        except ValueError:
            return None

    def set_json(self, document: Any) -> None:
        self.body = json.dumps(document).encode()


Mutation = Callable[[Answer], None]


def unchanged(answer: Answer) -> None:
    """The identity mutation."""


def edit_json(applies: Callable[[Answer], bool], edit: Callable[[Any], object]) -> Mutation:
    """Change, in place, the JSON body of the answers `applies` selects."""
    return replace_json(applies, lambda document: (edit(document), document)[1])


def replace_json(applies: Callable[[Answer], bool], make: Callable[[Any], Any]) -> Mutation:
    """Replace the JSON body of the answers `applies` selects with `make(body)`."""

    def mutate(answer: Answer) -> None:
        document = answer.json()
        if applies(answer) and document is not None:
            answer.set_json(make(document))

    return mutate


def documents(body: Any) -> list[dict[str, Any]]:
    """The resources of a listing or the single document itself."""
    if isinstance(body, dict) and isinstance(body.get("Resources"), list):
        return [item for item in body["Resources"] if isinstance(item, dict)]
    return [body] if isinstance(body, dict) else []


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    wbufsize = 1 << 16
    server: _ProxyServer

    def _relay(self) -> None:
        case, _, rest = self.path.lstrip("/").partition("/")
        mutation = self.server.cases.get(case)
        if mutation is None:
            self.send_error(404, f"no such case {case!r}")
            return
        length = int(self.headers.get("Content-Length") or 0)
        content = self.rfile.read(length) if length else None
        headers = {k: v for k, v in self.headers.items() if k.lower() in _FORWARDED}
        real = self.server.client().request(
            self.command, f"{self.server.upstream}/{rest}", content=content, headers=headers
        )
        path = urlsplit("/" + rest).path
        below_base = "/" + path.removeprefix(self.server.base_path).lstrip("/")
        answer = Answer(
            self.command, below_base, real.status_code, real.headers.get("Content-Type", ""),
            real.content,
        )  # fmt: skip
        mutation(answer)
        self.send_response(answer.status)
        if answer.content_type:
            self.send_header("Content-Type", answer.content_type)
        for name in ("ETag", "Location", "WWW-Authenticate"):
            if name in real.headers:
                self.send_header(name, real.headers[name])
        for name, value in answer.extra_headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(answer.body)))
        self.end_headers()
        self.wfile.write(answer.body)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _relay

    def log_message(self, *args: object) -> None:
        pass


class _ProxyServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, upstream: str, base_path: str, cases: dict[str, Mutation]) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.upstream = upstream
        self.base_path = base_path
        self.cases = cases
        self._local = threading.local()

    def client(self) -> httpx.Client:
        """One client per handler thread: a fresh httpx client costs ~0.1 s (TLS context)."""
        client = getattr(self._local, "client", None)
        if client is None:
            client = self._local.client = httpx.Client(timeout=30)
        return client


@contextmanager
def breaking_proxy(
    real_base_url: str, cases: dict[str, Mutation]
) -> Iterator[Callable[[str], str]]:
    """Serve the cases in front of the real server; yields `case -> base URL of that case`."""
    parts = urlsplit(real_base_url)
    base_path = parts.path.rstrip("/")
    server = _ProxyServer(f"{parts.scheme}://{parts.netloc}", base_path, cases)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    root = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield lambda case: f"{root}/{case}{base_path}"
    finally:
        server.shutdown()
        server.server_close()
