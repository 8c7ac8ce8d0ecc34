"""Faults of the protocol around resources: ETags and errors."""

from __future__ import annotations

from wsgiref.types import WSGIEnvironment

from scim2_server.routing import Operation, Target

from conformance.sandbox import wsgi
from conformance.sandbox.defects.base import FaultLayer


class EtagIfMatchIgnored(FaultLayer):
    """The ``etag-if-match-ignored`` fault (RFC7644 §3.14).

    PUT/PATCH/DELETE with a stale If-Match succeed instead of 412.
    """

    def before(self, environ: WSGIEnvironment, found: Target) -> wsgi.Response | None:
        if found.operation in (Operation.replace, Operation.patch, Operation.delete):
            environ.pop("HTTP_IF_MATCH", None)
        return None


class EtagHeaderMissing(FaultLayer):
    """The ``etag-header-missing`` fault (RFC7644 §3.14).

    Responses carry no ETag header although etag.supported is true.
    """

    def after(
        self, environ: WSGIEnvironment, found: Target, response: wsgi.Response
    ) -> wsgi.Response:
        response.set_header("ETag", None)
        return response


class ErrorStatusInteger(FaultLayer):
    """The ``error-status-integer`` fault (RFC7644 §3.12).

    SCIM Error bodies carry status as a JSON number instead of a string.
    """

    def after(
        self, environ: WSGIEnvironment, found: Target, response: wsgi.Response
    ) -> wsgi.Response:
        document = response.json() if response.status >= 400 else None
        if isinstance(document, dict) and wsgi.ERROR_URN in (document.get("schemas") or []):
            document["status"] = int(document.get("status") or response.status)
            response.set_json(document)
        return response
