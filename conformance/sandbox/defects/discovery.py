"""Faults of the discovery endpoints: /ServiceProviderConfig, /ResourceTypes, /Schemas."""

from __future__ import annotations

from typing import Any
from wsgiref.types import WSGIEnvironment

from scim2_server.routing import Operation, Target

from conformance.sandbox import wsgi
from conformance.sandbox.defects.base import FaultLayer, edit_json, resources_of
from conformance.sandbox.provider import USER_URN

PHANTOM_EXTENSION = "urn:ietf:params:scim:schemas:extension:sandbox:2.0:Phantom"


class SpcMissingSchemas(FaultLayer):
    """The ``spc-missing-schemas`` fault (RFC7644 §4).

    /ServiceProviderConfig answers without its "schemas" attribute.
    """

    def after(
        self, environ: WSGIEnvironment, found: Target, response: wsgi.Response
    ) -> wsgi.Response:
        if found.operation is Operation.service_provider_config and response.status == 200:
            edit_json(response, lambda document: document.pop("schemas", None))
        return response


class ResourceTypeUnknownSchema(FaultLayer):
    """The ``resourcetype-unknown-schema`` fault (RFC7643 §6).

    The User resource type lists a schema extension that /Schemas does not serve.
    """

    def after(
        self, environ: WSGIEnvironment, found: Target, response: wsgi.Response
    ) -> wsgi.Response:
        if found.operation not in (Operation.resource_types, Operation.resource_type):
            return response

        def edit(document: Any) -> None:
            for resource_type in resources_of(document, found):
                if resource_type.get("name") == "User":
                    extensions = resource_type.setdefault("schemaExtensions", [])
                    extensions.append({"schema": PHANTOM_EXTENSION, "required": False})

        return edit_json(response, edit)


class SchemaUserNameOptional(FaultLayer):
    """The ``schema-username-optional`` fault (RFC7643 §4.1.1).

    /Schemas describes the User attribute userName as required: false.
    """

    def after(
        self, environ: WSGIEnvironment, found: Target, response: wsgi.Response
    ) -> wsgi.Response:
        if found.operation not in (Operation.schemas, Operation.schema):
            return response

        def edit(document: Any) -> None:
            for schema in resources_of(document, found):
                if schema.get("id") == USER_URN:
                    for attribute in schema.get("attributes") or []:
                        if str(attribute.get("name", "")).lower() == "username":
                            attribute["required"] = False

        return edit_json(response, edit)


class DiscoveryHtmlContentType(FaultLayer):
    """The ``discovery-html-content-type`` fault (RFC7644 §3.8).

    Discovery endpoints answer Content-Type text/html to Accept: application/scim+json.
    """

    def after(
        self, environ: WSGIEnvironment, found: Target, response: wsgi.Response
    ) -> wsgi.Response:
        if found.operation in wsgi.DISCOVERY:
            response.set_header("Content-Type", "text/html; charset=utf-8")
        return response
