"""The base of the fault layers, and the helpers they share to read and rewrite exchanges."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from wsgiref.types import WSGIApplication, WSGIEnvironment

from scim2_server.routing import Operation, Target

from conformance.sandbox import wsgi
from conformance.sandbox.storage import SandboxStorage


class FaultLayer(wsgi.Layer):
    """A fault layer; some faults read the stored resources to decide what to change."""

    def __init__(self, app: WSGIApplication, storage: SandboxStorage) -> None:
        super().__init__(app)
        self.storage = storage

    def handle(self, environ: WSGIEnvironment) -> wsgi.Response:
        found = wsgi.target(environ)
        if found is None:
            return self.forward(environ)
        early = self.before(environ, found)
        if early is not None:
            return early
        return self.after(environ, found, self.forward(environ))

    def before(self, environ: WSGIEnvironment, found: Target) -> wsgi.Response | None:
        """Rewrite the request in place, or answer it without the server."""
        return None

    def after(
        self, environ: WSGIEnvironment, found: Target, response: wsgi.Response
    ) -> wsgi.Response:
        """Rewrite the response."""
        return response


def resources_of(document: Any, found: Target) -> list[dict[str, Any]]:
    """The resource documents of a single-resource or a list answer."""
    if not isinstance(document, dict):
        return []
    if found.operation in wsgi.SEARCHES or found.operation in (
        Operation.resource_types,
        Operation.schemas,
    ):
        return [r for r in document.get("Resources") or [] if isinstance(r, dict)]
    return [document]


def edit_json(response: wsgi.Response, edit: Callable[[Any], None]) -> wsgi.Response:
    document = response.json()
    if document is not None:
        edit(document)
        response.set_json(document)
    return response


def search_parameters(environ: WSGIEnvironment, found: Target) -> dict[str, Any]:
    """The search parameters of a GET query or of a POST .search body."""
    if found.operation is Operation.search:
        return dict(wsgi.query(environ))
    document = wsgi.json_body(environ)
    return document if isinstance(document, dict) else {}


def parameter(parameters: dict[str, Any], name: str) -> Any:
    return next((v for k, v in parameters.items() if k.lower() == name.lower()), None)


def drop_search_parameters(environ: WSGIEnvironment, found: Target, *names: str) -> None:
    """Remove search parameters, from the query string or from the .search body."""
    lowered = {name.lower() for name in names}
    if found.operation is Operation.search:
        kept = {k: v for k, v in wsgi.query(environ).items() if k.lower() not in lowered}
        wsgi.set_query(environ, kept)
    elif found.operation is Operation.search_with_body:
        document = wsgi.json_body(environ)
        if isinstance(document, dict):
            wsgi.set_json_body(
                environ, {k: v for k, v in document.items() if k.lower() not in lowered}
            )


def patch_operations(environ: WSGIEnvironment) -> tuple[dict[str, Any], list[Any]] | None:
    document = wsgi.json_body(environ)
    if not isinstance(document, dict):
        return None
    operations = document.get("Operations")
    return (document, operations) if isinstance(operations, list) else None


def op_name(operation: Any) -> str:
    return str(operation.get("op", "")).lower() if isinstance(operation, dict) else ""


def keep_operations(
    layer: wsgi.Layer, environ: WSGIEnvironment, keep: Callable[[Any], bool]
) -> wsgi.Response | None:
    """Drop the PATCH operations keep() refuses; answer 204 when none is left."""
    parsed = patch_operations(environ)
    if parsed is None:
        return None
    document, operations = parsed
    kept = [operation for operation in operations if keep(operation)]
    if len(kept) == len(operations):
        return None
    if kept:
        document["Operations"] = kept
        wsgi.set_json_body(environ, document)
        return None
    return unchanged(layer, environ)


def unchanged(layer: wsgi.Layer, environ: WSGIEnvironment) -> wsgi.Response:
    """The 204 a PATCH that changes nothing answers (after the same checks as a GET)."""
    probe = wsgi.derive(environ, method="GET")
    probe["QUERY_STRING"] = ""
    for header in ("HTTP_IF_MATCH", "HTTP_IF_NONE_MATCH"):
        probe.pop(header, None)
    response = layer.forward(probe)
    if response.status != 200:
        return response
    unchanged = wsgi.Response(204)
    unchanged.set_header("ETag", response.header("ETag"))
    return unchanged
