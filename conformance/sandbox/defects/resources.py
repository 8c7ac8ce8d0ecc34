"""Faults of resource writes and reads: create, read, replace, extension, integrity, bulk."""

from __future__ import annotations

from typing import Any
from wsgiref.types import WSGIEnvironment

from scim2_server.routing import Operation, Target

from conformance.sandbox import wsgi
from conformance.sandbox.defects.base import FaultLayer, edit_json, resources_of


class CreateLocationMissing(FaultLayer):
    """The ``create-location-missing`` fault (RFC7644 §3.3).

    201 Created answers carry no Location header.
    """

    def after(
        self, environ: WSGIEnvironment, found: Target, response: wsgi.Response
    ) -> wsgi.Response:
        if found.operation is Operation.create and response.status == 201:
            response.set_header("Location", None)
        return response


class ReadPasswordReturned(FaultLayer):
    """The ``read-password-returned`` fault (RFC7643 §4.1.1).

    Users are returned with their (hashed) password.
    """

    def after(
        self, environ: WSGIEnvironment, found: Target, response: wsgi.Response
    ) -> wsgi.Response:
        if found.operation not in (Operation.query, *wsgi.SEARCHES) or response.status != 200:
            return response

        def edit(document: Any) -> None:
            for resource in resources_of(document, found):
                hashed = self.storage.password_hashes.get(str(resource.get("id")))
                if hashed:
                    resource["password"] = hashed

        return edit_json(response, edit)


class ReadIdMissing(FaultLayer):
    """The ``read-id-missing`` fault (RFC7643 §3.1).

    GET of a single resource omits its id.
    """

    def after(
        self, environ: WSGIEnvironment, found: Target, response: wsgi.Response
    ) -> wsgi.Response:
        if found.operation is Operation.query and response.status == 200:
            edit_json(response, lambda document: document.pop("id", None))
        return response


class ReadMetaMissing(FaultLayer):
    """The ``read-meta-missing`` fault (RFC7643 §3.1).

    Resources are returned without their meta attribute.
    """

    def after(
        self, environ: WSGIEnvironment, found: Target, response: wsgi.Response
    ) -> wsgi.Response:
        if found.operation not in (Operation.query, *wsgi.SEARCHES) or response.status != 200:
            return response

        def edit(document: Any) -> None:
            for resource in resources_of(document, found):
                resource.pop("meta", None)

        return edit_json(response, edit)


class NotFoundNotScimError(FaultLayer):
    """The ``not-found-not-scim-error`` fault (RFC7644 §3.12).

    404 answers carry an HTML page instead of a SCIM Error.
    """

    def after(
        self, environ: WSGIEnvironment, found: Target, response: wsgi.Response
    ) -> wsgi.Response:
        if response.status == 404:
            response.set_header("Content-Type", "text/html; charset=utf-8")
            response.set_body(b"<html><body><h1>404 Not Found</h1></body></html>")
        return response


class PutCreatesUnknown(FaultLayer):
    """The ``put-creates-unknown`` fault (RFC7644 §3.5.1).

    PUT to an unknown id creates a new resource (201) instead of 404.
    """

    def handle(self, environ: WSGIEnvironment) -> wsgi.Response:
        found = wsgi.target(environ)
        response = self.forward(environ)
        if found is None or found.operation is not Operation.replace or response.status != 404:
            return response
        collection = f"{wsgi.version_prefix(environ)}/{found.endpoint}"
        return self.forward(wsgi.derive(environ, method="POST", path=collection))


class ExtensionDroppedOnPut(FaultLayer):
    """The ``extension-dropped-on-put`` fault (RFC7644 §3.5.1).

    PUT drops the extension attributes it was given.
    """

    def before(self, environ: WSGIEnvironment, found: Target) -> wsgi.Response | None:
        document = wsgi.json_body(environ) if found.operation is Operation.replace else None
        if not isinstance(document, dict):
            return None
        dropped = {
            k for k, v in document.items() if k.lower().startswith("urn:") and isinstance(v, dict)
        }
        kept = {k: v for k, v in document.items() if k not in dropped}
        if isinstance(kept.get("schemas"), list):
            kept["schemas"] = [urn for urn in kept["schemas"] if urn not in dropped]
        wsgi.set_json_body(environ, kept)
        return None


class ExtensionNotAdvertised(FaultLayer):
    """The ``extension-not-advertised`` fault (RFC7643 §3).

    Users carry extension URNs in schemas that the User resource type does not list.
    """

    def after(
        self, environ: WSGIEnvironment, found: Target, response: wsgi.Response
    ) -> wsgi.Response:
        if found.operation not in (Operation.resource_types, Operation.resource_type):
            return response

        def edit(document: Any) -> None:
            for resource_type in resources_of(document, found):
                resource_type.pop("schemaExtensions", None)

        return edit_json(response, edit)


def _mangle(value: Any) -> Any:
    if isinstance(value, str):
        return "".join(c if ord(c) < 128 else "?" for c in value)
    if isinstance(value, list):
        return [_mangle(item) for item in value]
    if isinstance(value, dict):
        return {k: _mangle(v) for k, v in value.items()}
    return value


class NonAsciiMangled(FaultLayer):
    """The ``non-ascii-mangled`` fault (RFC7644 §3.8).

    Non-ASCII characters in written string values are stored as '?'.
    """

    def before(self, environ: WSGIEnvironment, found: Target) -> wsgi.Response | None:
        writes = (Operation.create, Operation.replace, Operation.patch, Operation.bulk)
        document = wsgi.json_body(environ) if found.operation in writes else None
        if document is not None:
            wsgi.set_json_body(environ, _mangle(document))
        return None


class CaseExactAltered(FaultLayer):
    """The ``case-exact-altered`` fault (RFC7643 §7).

    ExternalId (caseExact true) is stored lower-cased.
    """

    def before(self, environ: WSGIEnvironment, found: Target) -> wsgi.Response | None:
        document = wsgi.json_body(environ)
        if not isinstance(document, dict):
            return None

        def lower(container: dict[str, Any]) -> None:
            for key, value in container.items():
                if key.lower() == "externalid" and isinstance(value, str):
                    container[key] = value.lower()

        if found.operation in (Operation.create, Operation.replace):
            lower(document)
        elif found.operation is Operation.patch:
            for operation in document.get("Operations") or []:
                if not isinstance(operation, dict):
                    continue
                path = str(operation.get("path") or "")
                if path.lower() == "externalid":
                    if isinstance(operation.get("value"), str):
                        operation["value"] = operation["value"].lower()
                elif not path and isinstance(operation.get("value"), dict):
                    lower(operation["value"])
        wsgi.set_json_body(environ, document)
        return None


class BulkBulkIdMissing(FaultLayer):
    """The ``bulk-bulkid-missing`` fault (RFC7644 §3.7).

    BulkResponse operations omit the bulkId of the POST they answer.
    """

    def after(
        self, environ: WSGIEnvironment, found: Target, response: wsgi.Response
    ) -> wsgi.Response:
        if found.operation is not Operation.bulk or response.status != 200:
            return response

        def edit(document: Any) -> None:
            for operation in document.get("Operations") or []:
                if isinstance(operation, dict):
                    operation.pop("bulkId", None)

        return edit_json(response, edit)
