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


def _edit_user_schema_attribute(
    response: wsgi.Response, found: Target, name: str, edit: Any
) -> wsgi.Response:
    """Apply edit(attribute) to the core User schema's top-level attribute `name`."""
    if found.operation not in (Operation.schemas, Operation.schema) or response.status != 200:
        return response

    def change(document: Any) -> None:
        for schema in _schema_documents(document, found):
            if schema.get("id") == USER_URN:
                for attribute in schema.get("attributes") or []:
                    if str(attribute.get("name", "")).lower() == name.lower():
                        edit(attribute)

    return edit_json(response, change)


def _schema_documents(document: Any, found: Target) -> list[dict[str, Any]]:
    if isinstance(document, list):  # a listing already turned into a bare array
        return [item for item in document if isinstance(item, dict)]
    return resources_of(document, found)


class SpcEmptyAuthenticationSchemes(FaultLayer):
    """The ``spc-authentication-schemes-empty`` fault (RFC7643 §5).

    /ServiceProviderConfig lists no authentication scheme (an empty array).
    """

    def after(
        self, environ: WSGIEnvironment, found: Target, response: wsgi.Response
    ) -> wsgi.Response:
        if found.operation is Operation.service_provider_config and response.status == 200:
            edit_json(response, lambda document: document.update(authenticationSchemes=[]))
        return response


class SchemasBareArray(FaultLayer):
    """The ``schemas-bare-array`` fault (RFC7644 §4).

    GET /Schemas answers a bare JSON array of schemas instead of a ListResponse.
    """

    def after(
        self, environ: WSGIEnvironment, found: Target, response: wsgi.Response
    ) -> wsgi.Response:
        document = response.json() if found.operation is Operation.schemas else None
        if response.status == 200 and isinstance(document, dict):
            response.set_json(document.get("Resources") or [])
        return response


class DiscoveryJsonMediaType(FaultLayer):
    """The ``discovery-json-media-type`` fault (RFC7644 §8.1).

    Discovery endpoints label their answers application/json, not application/scim+json.
    """

    def after(
        self, environ: WSGIEnvironment, found: Target, response: wsgi.Response
    ) -> wsgi.Response:
        if found.operation in wsgi.DISCOVERY and response.status == 200:
            response.set_header("Content-Type", "application/json; charset=utf-8")
        return response


class ResourceTypeExtensionRequiredMissing(FaultLayer):
    """The ``resourcetype-extension-required-missing`` fault (RFC7643 §6).

    The User resource type's schemaExtensions entries omit their REQUIRED "required".
    """

    def after(
        self, environ: WSGIEnvironment, found: Target, response: wsgi.Response
    ) -> wsgi.Response:
        if found.operation not in (Operation.resource_types, Operation.resource_type):
            return response

        def edit(document: Any) -> None:
            for resource_type in resources_of(document, found):
                if resource_type.get("name") == "User":
                    for extension in resource_type.get("schemaExtensions") or []:
                        if isinstance(extension, dict):
                            extension.pop("required", None)

        return edit_json(response, edit)


class ResourceTypeByIdMissing(FaultLayer):
    """The ``resourcetype-by-id-missing`` fault (RFC7644 §4).

    GET /ResourceTypes/{id} answers 404 for a resource type that /ResourceTypes lists.
    """

    def before(self, environ: WSGIEnvironment, found: Target) -> wsgi.Response | None:
        if found.operation is Operation.resource_type:
            return wsgi.scim_error(404, f"No resource type {found.resource_id!r}")
        return None


class DiscoveryUnknownId200(FaultLayer):
    """The ``discovery-unknown-id-200`` fault (RFC7644 §3.12).

    GET /Schemas/{unknown} or /ResourceTypes/{unknown} answers 200 with the whole listing.
    """

    def handle(self, environ: WSGIEnvironment) -> wsgi.Response:
        found = wsgi.target(environ)
        response = self.forward(environ)
        listing = {Operation.schema: "Schemas", Operation.resource_type: "ResourceTypes"}
        if found is None or found.operation not in listing or response.status != 404:
            return response
        path = f"{wsgi.version_prefix(environ)}/{listing[found.operation]}"
        return self.forward(wsgi.derive(environ, path=path))


class SchemaMutabilityInvalid(FaultLayer):
    """The ``schema-mutability-invalid`` fault (RFC7643 §7).

    The User schema gives nickName the mutability "writable", which is not an RFC keyword.
    """

    def after(
        self, environ: WSGIEnvironment, found: Target, response: wsgi.Response
    ) -> wsgi.Response:
        return _edit_user_schema_attribute(
            response, found, "nickName", lambda attribute: attribute.update(mutability="writable")
        )


class SchemaPasswordReturned(FaultLayer):
    """The ``schema-password-returned-default`` fault (RFC7643 §4.1.1).

    The User schema describes password with returned "default" instead of "never".
    """

    def after(
        self, environ: WSGIEnvironment, found: Target, response: wsgi.Response
    ) -> wsgi.Response:
        return _edit_user_schema_attribute(
            response, found, "password", lambda attribute: attribute.update(returned="default")
        )


class SchemaComplexWithoutSubAttributes(FaultLayer):
    """The ``schema-complex-without-subattributes`` fault (RFC7643 §7).

    The User schema's complex x509Certificates lists no subAttributes.
    """

    def after(
        self, environ: WSGIEnvironment, found: Target, response: wsgi.Response
    ) -> wsgi.Response:
        return _edit_user_schema_attribute(
            response,
            found,
            "x509Certificates",
            lambda attribute: attribute.pop("subAttributes", None),
        )


class SchemaByIdDiffers(FaultLayer):
    """The ``schema-by-id-differs`` fault (RFC7644 §4).

    GET /Schemas/{User URN} answers the User schema without its ims attribute, which the
    /Schemas listing describes.
    """

    def after(
        self, environ: WSGIEnvironment, found: Target, response: wsgi.Response
    ) -> wsgi.Response:
        document = response.json() if found.operation is Operation.schema else None
        if response.status == 200 and isinstance(document, dict) and document.get("id") == USER_URN:
            document["attributes"] = [
                a for a in document.get("attributes") or [] if a.get("name") != "ims"
            ]
            response.set_json(document)
        return response
