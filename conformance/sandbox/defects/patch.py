"""Faults of PATCH (RFC 7644 §3.5.2), including Entra ID's dialect."""

from __future__ import annotations

import re
from typing import Any
from wsgiref.types import WSGIEnvironment

from scim2_server.routing import Operation, Target

from conformance.sandbox import wsgi
from conformance.sandbox.defects.base import FaultLayer, keep_operations, op_name, patch_operations

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
