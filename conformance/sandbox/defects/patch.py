"""Faults of PATCH (RFC 7644 §3.5.2), including Entra ID's dialect."""

from __future__ import annotations

import functools
import json
import re
from datetime import UTC, datetime
from typing import Any
from wsgiref.types import WSGIEnvironment

from scim2_server.routing import Operation, Target
from scim2_server.utils import load_default_schemas

from conformance.sandbox import wsgi
from conformance.sandbox.defects.base import (
    FaultLayer,
    edit_json,
    keep_operations,
    op_name,
    patch_operations,
    unchanged,
)
from conformance.sandbox.storage import SandboxStorage

_VALUE_PATH = re.compile(r"^(?P<attribute>[^\[\]]+)\[(?P<filter>.*)\](?:\.(?P<sub>[\w$-]+))?$")


class PatchRemoveIgnored(FaultLayer):
    """The ``patch-remove-ignored`` fault (RFC7644 §3.5.2.2).

    PATCH remove operations succeed but change nothing.
    """

    def before(self, environ: WSGIEnvironment, found: Target) -> wsgi.Response | None:
        if found.operation is not Operation.patch:
            return None
        return keep_operations(self, environ, lambda operation: op_name(operation) != "remove")


class PatchPathlessIgnored(FaultLayer):
    """The ``patch-pathless-ignored`` fault (RFC7644 §3.5.2.3).

    Add/replace operations without a path succeed but change nothing.
    """

    def before(self, environ: WSGIEnvironment, found: Target) -> wsgi.Response | None:
        if found.operation is not Operation.patch:
            return None

        def keep(operation: Any) -> bool:
            return op_name(operation) == "remove" or bool(
                isinstance(operation, dict) and operation.get("path")
            )

        return keep_operations(self, environ, keep)


class PatchValuePathTruncates(FaultLayer):
    """The ``patch-valuepath-truncates`` fault (RFC7644 §3.5.2.3).

    A replace through a valuePath filter replaces the whole multi-valued attribute.
    """

    def before(self, environ: WSGIEnvironment, found: Target) -> wsgi.Response | None:
        parsed = patch_operations(environ) if found.operation is Operation.patch else None
        if parsed is None:
            return None
        document, operations = parsed
        for operation in operations:
            if op_name(operation) not in ("add", "replace") or not isinstance(
                operation.get("path"), str
            ):
                continue
            value_path = _VALUE_PATH.match(operation["path"])
            if value_path is None:
                continue
            value = operation.get("value")
            if value_path["sub"]:
                value = [{value_path["sub"]: value}]
            elif not isinstance(value, list):
                value = [value]
            operation.update(op="replace", path=value_path["attribute"], value=value)
        wsgi.set_json_body(environ, document)
        return None


class PatchNotAtomic(FaultLayer):
    """The ``patch-not-atomic`` fault (RFC7644 §3.5.2).

    Operations before a failing one stay applied although the PATCH answers an error.
    """

    def handle(self, environ: WSGIEnvironment) -> wsgi.Response:
        found = wsgi.target(environ)
        parsed = patch_operations(environ)
        response = self.forward(environ)
        if (
            found is None
            or found.operation is not Operation.patch
            or parsed is None
            or len(parsed[1]) < 2
            or response.status < 400
        ):
            return response
        # Replay the operations one by one, as a non-atomic server applies them, until one
        # fails; then answer the original error.
        document, operations = parsed
        for operation in operations:
            single = {**document, "Operations": [operation]}
            if self.forward(wsgi.derive(environ, document=single)).status >= 400:
                break
        return response


class EntraOpCaseRejected(FaultLayer):
    """The ``entra-op-case-rejected`` fault (Entra: PATCH op values are case-insensitive).

    PATCH with op "Replace"/"Add"/"Remove" is refused with 400.
    """

    def before(self, environ: WSGIEnvironment, found: Target) -> wsgi.Response | None:
        parsed = patch_operations(environ) if found.operation is Operation.patch else None
        for operation in parsed[1] if parsed else []:
            op = str(operation.get("op", "")) if isinstance(operation, dict) else ""
            if op != op.lower():
                return wsgi.scim_error(400, f"Unsupported operation {op!r}", "invalidSyntax")
        return None


class EntraStringBooleanRejected(FaultLayer):
    """The ``entra-string-boolean-rejected`` fault (Entra: string booleans "True"/"False" in PATCH).

    PATCH values "True"/"False" (strings) are refused with 400.
    """

    def before(self, environ: WSGIEnvironment, found: Target) -> wsgi.Response | None:
        parsed = patch_operations(environ) if found.operation is Operation.patch else None
        for operation in parsed[1] if parsed else []:
            value = operation.get("value") if isinstance(operation, dict) else None
            values = list(value.values()) if isinstance(value, dict) else [value]
            if any(isinstance(v, str) and v.lower() in ("true", "false") for v in values):
                return wsgi.scim_error(400, "A boolean must be true or false", "invalidValue")
        return None


class EntraDottedKeysIgnored(FaultLayer):
    """The ``entra-dotted-keys-ignored`` fault (Entra: path-less replace with dotted keys).

    Keys such as "name.givenName" or "urn:...:attr" in a path-less value are dropped.
    """

    def before(self, environ: WSGIEnvironment, found: Target) -> wsgi.Response | None:
        parsed = patch_operations(environ) if found.operation is Operation.patch else None
        if parsed is None:
            return None
        document, operations = parsed

        def plain(key: str, value: Any) -> bool:
            if key.lower().startswith("urn:"):
                return isinstance(value, dict)  # an extension container, not urn:...:attr
            return "." not in key

        for operation in operations:
            if isinstance(operation, dict) and not operation.get("path"):
                value = operation.get("value")
                if isinstance(value, dict):
                    operation["value"] = {k: v for k, v in value.items() if plain(k, v)}
        wsgi.set_json_body(environ, document)
        return keep_operations(
            self,
            environ,
            lambda operation: not (isinstance(operation, dict) and operation.get("value") == {}),
        )


class PatchUrnPathRejected(FaultLayer):
    """The ``patch-urn-path-rejected`` fault (RFC7644 §3.10).

    PATCH paths qualified with a schema URN are refused with 400 invalidPath.
    """

    def before(self, environ: WSGIEnvironment, found: Target) -> wsgi.Response | None:
        parsed = patch_operations(environ) if found.operation is Operation.patch else None
        for operation in parsed[1] if parsed else []:
            path = operation.get("path") if isinstance(operation, dict) else None
            if isinstance(path, str) and path.lower().startswith("urn:"):
                return wsgi.scim_error(400, f"Unsupported path {path!r}", "invalidPath")
        return None


# -- helpers of the PATCH faults below -------------------------------------------------------


def _is_patch(found: Target) -> bool:
    return found.operation is Operation.patch


def _attribute_path(path: str) -> str:
    """The attribute part of a PATCH path: without a schema URN prefix (filters kept)."""
    head, bracket, tail = path.partition("[")
    if head.lower().startswith("urn:"):
        head = head.rpartition(":")[2]
    return head + bracket + tail


def _resource_id(storage: SandboxStorage, found: Target) -> str | None:
    """The id of the resource a request addresses (Bizagi may address Users by userName)."""
    if found.resource_id is None:
        return None
    if wsgi.is_users(found):
        return storage.user_id(wsgi.path_text(found.resource_id))
    return found.resource_id


def _representation(layer: wsgi.Layer, environ: WSGIEnvironment) -> dict[str, Any] | None:
    """The resource a PATCH addresses, as a GET returns it now."""
    probe = wsgi.derive(environ, method="GET")
    probe["QUERY_STRING"] = ""
    for header in ("HTTP_IF_MATCH", "HTTP_IF_NONE_MATCH"):
        probe.pop(header, None)
    response = layer.forward(probe)
    document = response.json() if response.status == 200 else None
    return document if isinstance(document, dict) else None


def _member(document: dict[str, Any], name: str) -> Any:
    return next((v for k, v in document.items() if k.lower() == name.lower()), None)


@functools.cache
def _canonical_names() -> dict[str, str]:
    """Every attribute and sub-attribute name the sandbox's schemas define, by folded name."""
    names: dict[str, str] = {}

    def collect(attributes: Any) -> None:
        for attribute in attributes or []:
            names.setdefault(attribute.name.lower(), attribute.name)
            collect(attribute.sub_attributes)

    for schema in load_default_schemas().values():
        collect(schema.attributes)
    return names


def _rewrite_scim_type(response: wsgi.Response, found: Target, was: str, now: str) -> wsgi.Response:
    document = response.json() if _is_patch(found) and response.status == 400 else None
    if isinstance(document, dict) and str(document.get("scimType", "")).lower() == was.lower():
        document["scimType"] = now
        response.set_json(document)
    return response


# -- PATCH faults on what is applied -----------------------------------------------------------


class PatchPathCaseSensitive(FaultLayer):
    """The ``patch-path-case-sensitive`` fault (RFC7644 §3.10).

    A PATCH path whose attribute names differ in case from the schema's (DISPLAYNAME) is
    refused with 400 invalidPath.
    """

    def before(self, environ: WSGIEnvironment, found: Target) -> wsgi.Response | None:
        parsed = patch_operations(environ) if _is_patch(found) else None
        names = _canonical_names()
        for operation in parsed[1] if parsed else []:
            path = operation.get("path") if isinstance(operation, dict) else None
            if not isinstance(path, str):
                continue
            outside_filter = re.sub(r"\[.*?\]", "", _attribute_path(path))
            for name in re.findall(r"[A-Za-z$][\w$-]*", outside_filter):
                canonical = names.get(name.lower())
                if canonical is not None and canonical != name:
                    return wsgi.scim_error(400, f"No attribute {name!r}", "invalidPath")
        return None


class PatchReadOnlyIgnored(FaultLayer):
    """The ``patch-readonly-ignored`` fault (RFC7644 §3.5.2).

    PATCH operations on readOnly attributes (id, meta) succeed (204) and change nothing.
    """

    def before(self, environ: WSGIEnvironment, found: Target) -> wsgi.Response | None:
        if not _is_patch(found):
            return None

        def keep(operation: Any) -> bool:
            path = operation.get("path") if isinstance(operation, dict) else None
            if not isinstance(path, str):
                return True
            name = _attribute_path(path).split(".")[0].split("[")[0].lower()
            return name not in ("id", "meta")

        return keep_operations(self, environ, keep)


class PatchNoopTouchesLastModified(FaultLayer):
    """The ``patch-noop-touches-lastmodified`` fault (RFC7644 §3.5.2.1).

    Every successful PATCH moves meta.lastModified, even one that changes nothing (an add of
    a value the resource already holds).
    """

    def after(
        self, environ: WSGIEnvironment, found: Target, response: wsgi.Response
    ) -> wsgi.Response:
        resource_id = _resource_id(self.storage, found) if _is_patch(found) else None
        if resource_id is None or response.status not in (200, 204):
            return response
        now = datetime.now(UTC)
        with self.storage.lock:
            stored = self.storage.find(resource_id)
            if stored is not None and stored.meta is not None:
                stored.meta.last_modified = now
        stamp = now.isoformat().replace("+00:00", "Z")
        return edit_json(
            response,
            lambda document: (
                document["meta"].update(lastModified=stamp)
                if isinstance(document, dict) and isinstance(document.get("meta"), dict)
                else None
            ),
        )


def _plain_multi_valued_adds(
    environ: WSGIEnvironment,
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The PATCH document, and its add operations that name a multi-valued attribute without
    a filter (the operations are the document's own: change them, then set the body)."""
    parsed = patch_operations(environ)
    if parsed is None:
        return {}, []
    document, operations = parsed
    return document, [
        operation
        for operation in operations
        if op_name(operation) == "add"
        and isinstance(operation.get("path"), str)
        and "[" not in operation["path"]
        and "." not in _attribute_path(operation["path"])
        and isinstance(operation.get("value"), list)
    ]


class PatchAddReplacesValues(FaultLayer):
    """The ``patch-add-replaces-multivalued`` fault (RFC7644 §3.5.2.1).

    An add on a multi-valued attribute (emails, members) replaces its values instead of
    adding to them.
    """

    def before(self, environ: WSGIEnvironment, found: Target) -> wsgi.Response | None:
        document, adds = _plain_multi_valued_adds(environ) if _is_patch(found) else ({}, [])
        if adds:
            for operation in adds:
                operation["op"] = "replace"
            wsgi.set_json_body(environ, document)
        return None


class PatchAddDuplicates(FaultLayer):
    """The ``patch-add-duplicates`` fault (RFC7644 §3.5.2.1).

    An add on a multi-valued attribute appends its values blindly: a value the attribute
    already holds is stored a second time.
    """

    def before(self, environ: WSGIEnvironment, found: Target) -> wsgi.Response | None:
        document, adds = _plain_multi_valued_adds(environ) if _is_patch(found) else ({}, [])
        current = _representation(self, environ) if adds else None
        if current is None:
            return None
        for operation in adds:
            held = _member(current, _attribute_path(operation["path"]))
            if isinstance(held, list):
                operation.update(op="replace", value=[*held, *operation["value"]])
        wsgi.set_json_body(environ, document)
        return None


class PatchComplexReplaceClears(FaultLayer):
    """The ``patch-complex-replace-clears`` fault (RFC7644 §3.5.2.3).

    A replace on a complex attribute (name) clears the sub-attributes its value leaves out.
    """

    def before(self, environ: WSGIEnvironment, found: Target) -> wsgi.Response | None:
        parsed = patch_operations(environ) if _is_patch(found) else None
        if parsed is None:
            return None
        document, operations = parsed
        rewritten: list[Any] = []
        for operation in operations:
            path = operation.get("path") if isinstance(operation, dict) else None
            if (
                op_name(operation) == "replace"
                and isinstance(path, str)
                and not path.lower().startswith("urn:")
                and not re.search(r"[.\[]", path)
                and isinstance(operation.get("value"), dict)
            ):
                rewritten.append({"op": "remove", "path": path})
            rewritten.append(operation)
        document["Operations"] = rewritten
        wsgi.set_json_body(environ, document)
        return None


class PatchSubAttributeIgnored(FaultLayer):
    """The ``patch-subattribute-ignored`` fault (RFC7644 §3.5.2.3).

    Add and replace operations whose path names a sub-attribute (name.givenName) succeed
    but change nothing.
    """

    def before(self, environ: WSGIEnvironment, found: Target) -> wsgi.Response | None:
        if not _is_patch(found):
            return None

        def keep(operation: Any) -> bool:
            path = operation.get("path") if isinstance(operation, dict) else None
            return not (
                op_name(operation) in ("add", "replace")
                and isinstance(path, str)
                and "[" not in path
                and "." in _attribute_path(path)
            )

        return keep_operations(self, environ, keep)


class PatchRemoveFilterRemovesAll(FaultLayer):
    """The ``patch-remove-filter-removes-all`` fault (RFC7644 §3.5.2.2).

    A remove through a value filter (emails[type eq "home"]) removes every value of the
    attribute, not only the matching ones.
    """

    def before(self, environ: WSGIEnvironment, found: Target) -> wsgi.Response | None:
        parsed = patch_operations(environ) if _is_patch(found) else None
        if parsed is None:
            return None
        document, operations = parsed
        for operation in operations:
            path = operation.get("path") if isinstance(operation, dict) else None
            value_path = _VALUE_PATH.match(path) if isinstance(path, str) else None
            if op_name(operation) == "remove" and value_path and not value_path["sub"]:
                operation["path"] = value_path["attribute"]
        wsgi.set_json_body(environ, document)
        return None


class PatchPrimaryNotExclusive(FaultLayer):
    """The ``patch-primary-not-exclusive`` fault (RFC7644 §3.5.2).

    A PATCH that sets primary true on one value leaves primary true on the value that had it.
    """

    def handle(self, environ: WSGIEnvironment) -> wsgi.Response:
        found = wsgi.target(environ)
        parsed = patch_operations(environ) if found is not None and _is_patch(found) else None
        if found is None or parsed is None or "primary" not in json.dumps(parsed[1]).lower():
            return self.forward(environ)
        before = _representation(self, environ) or {}
        response = self.forward(environ)
        resource_id = _resource_id(self.storage, found)
        if response.status not in (200, 204) or resource_id is None:
            return response
        with self.storage.lock:
            stored = self.storage.find(resource_id)
            for field, info in type(stored).model_fields.items() if stored else []:
                held = _member(before, info.serialization_alias or field)
                if not isinstance(held, list):
                    continue
                primary = {
                    str(v.get("value")) for v in held if isinstance(v, dict) and v.get("primary")
                }
                for value in getattr(stored, field, None) or []:
                    if str(getattr(value, "value", None)) in primary:
                        value.primary = True
        if response.status == 200:
            response = _representation_response(self, environ, response)
        return response


def _representation_response(
    layer: wsgi.Layer, environ: WSGIEnvironment, response: wsgi.Response
) -> wsgi.Response:
    """The 200 answer of a PATCH, with the body the resource now has."""
    current = _representation(layer, environ)
    if current is not None and not wsgi.query(environ):
        response.set_json(current)
    return response


class PatchOperationsReversed(FaultLayer):
    """The ``patch-operations-reversed`` fault (RFC7644 §3.5.2).

    The operations of a PATCH request are applied last to first.
    """

    def before(self, environ: WSGIEnvironment, found: Target) -> wsgi.Response | None:
        parsed = patch_operations(environ) if _is_patch(found) else None
        if parsed is not None and len(parsed[1]) > 1:
            document, operations = parsed
            document["Operations"] = list(reversed(operations))
            wsgi.set_json_body(environ, document)
        return None


# -- PATCH faults on the answer ----------------------------------------------------------------


class Patch200WithoutResource(FaultLayer):
    """The ``patch-200-without-resource`` fault (RFC7644 §3.5.2).

    A successful PATCH answers 200 OK with an empty body.
    """

    def after(
        self, environ: WSGIEnvironment, found: Target, response: wsgi.Response
    ) -> wsgi.Response:
        if _is_patch(found) and response.status in (200, 204):
            response.status = 200
            response.set_header("Content-Type", None)
            response.set_body(b"")
        return response


class PatchAttributes204(FaultLayer):
    """The ``patch-attributes-204`` fault (RFC7644 §3.5.2).

    A successful PATCH with the attributes query parameter answers 204 No Content.
    """

    def after(
        self, environ: WSGIEnvironment, found: Target, response: wsgi.Response
    ) -> wsgi.Response:
        asked = any(k.lower() == "attributes" for k in wsgi.query(environ))
        if _is_patch(found) and asked and response.status == 200:
            response.status = 204
            response.set_header("Content-Type", None)
            response.set_body(b"")
        return response


class PatchInvalidPathIgnored(FaultLayer):
    """The ``patch-invalid-path-ignored`` fault (RFC7644 §3.5.2).

    A PATCH whose path is malformed answers 204 and changes nothing.
    """

    def after(
        self, environ: WSGIEnvironment, found: Target, response: wsgi.Response
    ) -> wsgi.Response:
        document = response.json() if _is_patch(found) and response.status == 400 else None
        if isinstance(document, dict) and document.get("scimType") == "invalidPath":
            return unchanged(self, environ)
        return response


class PatchInvalidValueIgnored(FaultLayer):
    """The ``patch-invalid-value-ignored`` fault (RFC7644 §3.5.2).

    A PATCH whose value does not fit the attribute's type answers 204 and changes nothing.
    """

    def after(
        self, environ: WSGIEnvironment, found: Target, response: wsgi.Response
    ) -> wsgi.Response:
        document = response.json() if _is_patch(found) and response.status == 400 else None
        if isinstance(document, dict) and document.get("scimType") == "invalidValue":
            return unchanged(self, environ)
        return response


class PatchNoTargetScimType(FaultLayer):
    """The ``patch-notarget-scimtype`` fault (RFC7644 §3.5.2.3).

    PATCH failures that call for scimType noTarget answer invalidValue.
    """

    def after(
        self, environ: WSGIEnvironment, found: Target, response: wsgi.Response
    ) -> wsgi.Response:
        return _rewrite_scim_type(response, found, "noTarget", "invalidValue")


class PatchMutabilityScimType(FaultLayer):
    """The ``patch-mutability-scimtype`` fault (RFC7644 §3.5.2.2).

    PATCH failures that call for scimType mutability (removing userName) answer invalidValue.
    """

    def after(
        self, environ: WSGIEnvironment, found: Target, response: wsgi.Response
    ) -> wsgi.Response:
        return _rewrite_scim_type(response, found, "mutability", "invalidValue")


class PatchInvalidPathScimType(FaultLayer):
    """The ``patch-invalidpath-scimtype`` fault (RFC7644 §3.12).

    A malformed PATCH path answers 400 with scimType invalidValue instead of invalidPath.
    """

    def after(
        self, environ: WSGIEnvironment, found: Target, response: wsgi.Response
    ) -> wsgi.Response:
        return _rewrite_scim_type(response, found, "invalidPath", "invalidValue")
