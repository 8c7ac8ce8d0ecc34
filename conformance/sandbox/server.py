"""Run a sandbox on a free loopback port, in a daemon thread, until stopped."""

from __future__ import annotations

import secrets
import threading
from collections.abc import Iterable
from socketserver import ThreadingMixIn
from types import TracebackType
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from conformance.sandbox.app import BASE_PATHS, Credentials, build_application
from conformance.sandbox.auth import TOKEN_PATH
from conformance.sandbox.faults import check_selection

HOST = "127.0.0.1"


class _ThreadingServer(ThreadingMixIn, WSGIServer):
    """One thread per request, so that a slow client never blocks the suite."""

    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


class SandboxServer:
    """A running sandbox: its URLs and credentials. Stop it, or use it as a context manager."""

    def __init__(
        self,
        flavour: str,
        faults: tuple[str, ...],
        credentials: Credentials,
        *,
        port: int,
        username_max_length: int,
        log_requests: bool,
    ) -> None:
        self.flavour = flavour
        self.faults = faults
        self.token = credentials.token
        self.client_id = credentials.client_id
        self.client_secret = credentials.client_secret
        self.token_lifetime = credentials.token_lifetime
        app = build_application(
            flavour, faults, credentials, username_max_length=username_max_length
        )
        handler = WSGIRequestHandler if log_requests else _QuietHandler
        self._server = make_server(
            HOST, port, app, server_class=_ThreadingServer, handler_class=handler
        )
        self.port: int = self._server.server_port
        self.project_url = f"http://{HOST}:{self.port}"
        self.base_url = self.project_url + BASE_PATHS[flavour]
        self.token_url = self.project_url + TOKEN_PATH
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.02},
            name=f"scim-sandbox-{self.port}",
            daemon=True,
        )
        self._thread.start()
        self._stopped = False

    def stop(self) -> None:
        """Stop serving and release the port (idempotent)."""
        if self._stopped:
            return
        self._stopped = True
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> SandboxServer:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def __repr__(self) -> str:
        faults = ",".join(self.faults) or "none"
        return f"<SandboxServer {self.flavour} {self.base_url} faults={faults}>"


def start_sandbox(
    flavour: str = "rfc",
    faults: Iterable[str] = (),
    *,
    port: int = 0,
    token: str | None = None,
    token_lifetime: int = 3600,
    username_max_length: int = 25,
    log_requests: bool = False,
) -> SandboxServer:
    """Start a sandbox of a flavour with some faults; port 0 picks a free port.

    :raises ValueError: For an unknown flavour or fault, or a fault of another flavour.
    """
    selected = check_selection(flavour, faults)
    credentials = Credentials(
        token=token or secrets.token_urlsafe(32),
        client_id="sandbox-" + secrets.token_hex(8),
        client_secret=secrets.token_urlsafe(32),
        token_lifetime=token_lifetime,
    )
    return SandboxServer(
        flavour,
        selected,
        credentials,
        port=port,
        username_max_length=username_max_length,
        log_requests=log_requests,
    )
