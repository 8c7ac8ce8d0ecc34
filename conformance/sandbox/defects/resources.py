"""Faults of resource writes and reads: create, read, replace, extension, integrity, bulk."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta
from typing import Any
from wsgiref.types import WSGIEnvironment

from scim2_server.routing import Operation, Target

from conformance.sandbox import wsgi
from conformance.sandbox.defects.base import FaultLayer, edit_json, resources_of
from conformance.sandbox.storage import SandboxStorage


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


# -- helpers of the faults below ---------------------------------------------------------------

_ANSWERS_WITH_RESOURCES = (
    Operation.create,
    Operation.query,
    Operation.replace,
    Operation.patch,
    *wsgi.SEARCHES,
)


def _stored_id(storage: SandboxStorage, found: Target, document: Any = None) -> str | None:
    """The id of the resource an exchange is about: from the answer, else from the path."""
    if isinstance(document, dict) and isinstance(document.get("id"), str):
        return str(document["id"])
    if found.resource_id is None:
        return None
    if wsgi.is_users(found):
        return storage.user_id(wsgi.path_text(found.resource_id))
    return found.resource_id


def _instant(value: Any) -> datetime | None:
    try:
        return datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


# -- create, read, replace, delete ----------------------------------------------------------------


class CreateAnswers200(FaultLayer):
    """The ``create-answers-200`` fault (RFC7644 §3.3).

    POST of a new resource answers 200 OK instead of 201 Created.
    """

    def after(
        self, environ: WSGIEnvironment, found: Target, response: wsgi.Response
    ) -> wsgi.Response:
        if found.operation is Operation.create and response.status == 201:
            response.status = 200
        return response


class CreateUserNameMissing(FaultLayer):
    """The ``create-username-missing`` fault (RFC7643 §4.1.1).

    A User posted without userName is created (201), and stored and returned without one.
    """

    def handle(self, environ: WSGIEnvironment) -> wsgi.Response:
        found = wsgi.target(environ)
        document = wsgi.json_body(environ)
        if not (
            wsgi.is_users(found)
            and found.operation is Operation.create
            and isinstance(document, dict)
            and not any(key.lower() == "username" for key in document)
        ):
            return self.forward(environ)
        # scim2-server insists on a userName: give it one, then take it away again.
        document["userName"] = f"gone{secrets.token_hex(3)}@ex.com"
        wsgi.set_json_body(environ, document)
        response = self.forward(environ)
        created = response.json() if response.status == 201 else None
        if not isinstance(created, dict):
            return response
        with self.storage.lock:
            stored = self.storage.find(str(created.get("id")))
            if stored is not None:
                stored.user_name = None  # type: ignore[attr-defined]
        created.pop("userName", None)
        response.set_json(created)
        return response


class MetaResourceTypeWrong(FaultLayer):
    """The ``meta-resourcetype-wrong`` fault (RFC7644 §3.3.1).

    meta.resourceType carries the endpoint name ("Users") instead of the resource type's name.
    """

    def after(
        self, environ: WSGIEnvironment, found: Target, response: wsgi.Response
    ) -> wsgi.Response:
        if found.operation not in _ANSWERS_WITH_RESOURCES or response.status not in (200, 201):
            return response

        def edit(document: Any) -> None:
            for resource in resources_of(document, found):
                meta = resource.get("meta")
                if isinstance(meta, dict) and meta.get("resourceType") in ("User", "Group"):
                    meta["resourceType"] += "s"

        return edit_json(response, edit)


class ReadOnlyMetaStored(FaultLayer):
    """The ``readonly-meta-stored`` fault (RFC7643 §3.1).

    meta.created and meta.lastModified sent by the client on POST or PUT are stored.
    """

    def handle(self, environ: WSGIEnvironment) -> wsgi.Response:
        found = wsgi.target(environ)
        sent = wsgi.json_body(environ)
        response = self.forward(environ)
        if (
            found is None
            or found.operation not in (Operation.create, Operation.replace)
            or response.status not in (200, 201)
            or not isinstance(sent, dict)
            or not isinstance(sent.get("meta"), dict)
        ):
            return response
        client = {
            key: _instant(sent["meta"].get(key))
            for key in ("created", "lastModified")
            if _instant(sent["meta"].get(key)) is not None
        }
        resource_id = _stored_id(self.storage, found, response.json())
        with self.storage.lock:
            stored = self.storage.find(resource_id)
            if stored is None or stored.meta is None or not client:
                return response
            if "created" in client:
                stored.meta.created = client["created"]
            if "lastModified" in client:
                stored.meta.last_modified = client["lastModified"]

        def edit(document: Any) -> None:
            if isinstance(document, dict) and isinstance(document.get("meta"), dict):
                document["meta"].update({k: _stamp(v) for k, v in client.items() if v})

        return edit_json(response, edit)


class CreatedLastModifiedDiffers(FaultLayer):
    """The ``created-lastmodified-differ`` fault (RFC7643 §3.1).

    A new resource's meta.lastModified is a second after its meta.created.
    """

    def after(
        self, environ: WSGIEnvironment, found: Target, response: wsgi.Response
    ) -> wsgi.Response:
        if found.operation is not Operation.create or response.status != 201:
            return response
        resource_id = _stored_id(self.storage, found, response.json())
        with self.storage.lock:
            stored = self.storage.find(resource_id)
            if stored is None or stored.meta is None or stored.meta.created is None:
                return response
            stored.meta.last_modified = stored.meta.created + timedelta(seconds=1)
            stamp = _stamp(stored.meta.last_modified)

        def edit(document: Any) -> None:
            if isinstance(document, dict) and isinstance(document.get("meta"), dict):
                document["meta"]["lastModified"] = stamp

        return edit_json(response, edit)


class MetaLocationCollection(FaultLayer):
    """The ``meta-location-collection`` fault (RFC7643 §3.1).

    meta.location names the resource's collection (/Users) instead of the resource.
    """

    def after(
        self, environ: WSGIEnvironment, found: Target, response: wsgi.Response
    ) -> wsgi.Response:
        if found.operation not in _ANSWERS_WITH_RESOURCES or response.status not in (200, 201):
            return response

        def edit(document: Any) -> None:
            for resource in resources_of(document, found):
                meta = resource.get("meta")
                if not isinstance(meta, dict):
                    continue
                location = meta.get("location")
                if isinstance(location, str) and "/" in location:
                    meta["location"] = location.rstrip("/").rpartition("/")[0]

        return edit_json(response, edit)


class PutIgnored(FaultLayer):
    """The ``put-ignored`` fault (RFC7644 §3.5.1).

    PUT of an existing resource answers 200 with the resource as it was, and changes nothing.
    """

    def before(self, environ: WSGIEnvironment, found: Target) -> wsgi.Response | None:
        if found.operation is not Operation.replace:
            return None
        probe = wsgi.derive(environ, method="GET")
        probe["QUERY_STRING"] = ""
        for header in ("HTTP_IF_MATCH", "HTTP_IF_NONE_MATCH"):
            probe.pop(header, None)
        current = self.forward(probe)
        return current if current.status == 200 else None


class PutKeepsLastModified(FaultLayer):
    """The ``put-keeps-lastmodified`` fault (RFC7643 §3.1).

    A PUT that changes the resource leaves meta.lastModified at its earlier value.
    """

    def handle(self, environ: WSGIEnvironment) -> wsgi.Response:
        found = wsgi.target(environ)
        if found is None or found.operation is not Operation.replace:
            return self.forward(environ)
        resource_id = _stored_id(self.storage, found)
        with self.storage.lock:
            stored = self.storage.find(resource_id)
            earlier = stored.meta.last_modified if stored and stored.meta else None
        response = self.forward(environ)
        if earlier is None or response.status != 200:
            return response
        with self.storage.lock:
            stored = self.storage.find(resource_id)
            if stored is not None and stored.meta is not None:
                stored.meta.last_modified = earlier

        def edit(document: Any) -> None:
            if isinstance(document, dict) and isinstance(document.get("meta"), dict):
                document["meta"]["lastModified"] = _stamp(earlier)

        return edit_json(response, edit)


class DeleteAnswers200(FaultLayer):
    """The ``delete-answers-200`` fault (RFC7644 §3.6).

    A successful DELETE answers 200 OK instead of 204 No Content.
    """

    def after(
        self, environ: WSGIEnvironment, found: Target, response: wsgi.Response
    ) -> wsgi.Response:
        if found.operation is Operation.delete and response.status == 204:
            return wsgi.json_response(200, {"detail": "deleted"}, "application/json")
        return response


# -- bulk ----------------------------------------------------------------------------------------


class BulkStopsOnError(FaultLayer):
    """The ``bulk-stops-on-error`` fault (RFC7644 §3.7).

    Without failOnErrors, a bulk request stops at its first failed operation.
    """

    def before(self, environ: WSGIEnvironment, found: Target) -> wsgi.Response | None:
        document = wsgi.json_body(environ) if found.operation is Operation.bulk else None
        if isinstance(document, dict) and not any(k.lower() == "failonerrors" for k in document):
            document["failOnErrors"] = 1
            wsgi.set_json_body(environ, document)
        return None


def _literal_bulk_ids(value: Any) -> Any:
    if isinstance(value, str) and value.startswith("bulkId:"):
        return value[len("bulkId:") :]
    if isinstance(value, list):
        return [_literal_bulk_ids(item) for item in value]
    if isinstance(value, dict):
        return {k: _literal_bulk_ids(v) for k, v in value.items()}
    return value


class BulkIdReferenceUnresolved(FaultLayer):
    """The ``bulk-bulkid-reference-unresolved`` fault (RFC7644 §3.7.2).

    "bulkId:<id>" references in bulk data are stored as the bare bulkId, not replaced with
    the id of the resource created under it.
    """

    def before(self, environ: WSGIEnvironment, found: Target) -> wsgi.Response | None:
        document = wsgi.json_body(environ) if found.operation is Operation.bulk else None
        if isinstance(document, dict) and isinstance(document.get("Operations"), list):
            for operation in document["Operations"]:
                if isinstance(operation, dict) and "data" in operation:
                    operation["data"] = _literal_bulk_ids(operation["data"])
            wsgi.set_json_body(environ, document)
        return None


class BulkLimitUnnamed(FaultLayer):
    """The ``bulk-limit-unnamed`` fault (RFC7644 §3.7.4).

    413 answers to a bulk request over maxOperations or maxPayloadSize do not say which limit.
    """

    def after(
        self, environ: WSGIEnvironment, found: Target, response: wsgi.Response
    ) -> wsgi.Response:
        if found.operation is Operation.bulk and response.status == 413:
            return wsgi.scim_error(413, "Request Entity Too Large")
        return response
