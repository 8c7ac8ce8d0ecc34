"""What each flavour publishes: schemas, resource types and service provider configuration.

scim2-server builds its models and validation from these documents
(``ScimProvider.from_discovery``), so publishing a schema is also what makes the server
accept and store its attributes.
"""

from __future__ import annotations

import functools
from typing import Any

from scim2_models import (
    AuthenticationScheme,
    External,
    Reference,
    Required,
    ResourceType,
    Schema,
    ScimProvider,
    ServiceProviderConfig,
)
from scim2_server.utils import load_default_schemas

USER_URN = "urn:ietf:params:scim:schemas:core:2.0:User"
GROUP_URN = "urn:ietf:params:scim:schemas:core:2.0:Group"
ENTERPRISE_URN = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
BIZAGI_URN = "urn:ietf:params:scim:schemas:extension:bizagi:2.0:UserProperties"
RESOURCE_TYPE_URN = "urn:ietf:params:scim:schemas:core:2.0:ResourceType"
SCHEMA_URN = "urn:ietf:params:scim:schemas:core:2.0:Schema"
SPC_URN = "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"

BEARER_SCHEME = AuthenticationScheme(
    type=AuthenticationScheme.Type.oauthbearertoken,
    name="OAuth Bearer Token",
    description="A static, long-lived bearer token (RFC 6750)",
    spec_uri=Reference[External]("https://www.rfc-editor.org/rfc/rfc6750"),
    primary=True,
)
OAUTH2_SCHEME = AuthenticationScheme(
    type=AuthenticationScheme.Type.oauth2,
    name="OAuth 2.0 client credentials",
    description="Tokens from POST /oauth2/server/token with HTTP Basic client authentication",
    spec_uri=Reference[External]("https://www.rfc-editor.org/rfc/rfc6749"),
)


def _attribute(name: str, type_: str, description: str) -> dict[str, Any]:
    return {
        "name": name,
        "type": type_,
        "multiValued": False,
        "description": description,
        "required": False,
        "caseExact": False,
        "mutability": "readWrite",
        "returned": "default",
        "uniqueness": "none",
    }


# Bizagi documents the three booleans and "[NewUserProperty]" for the properties a project
# adds (help.bizagi.com scim_create.htm); costCenter stands for such a custom property.
BIZAGI_EXTENSION: dict[str, Any] = {
    "schemas": [SCHEMA_URN],
    "id": BIZAGI_URN,
    "name": "UserProperties",
    "description": "Bizagi user properties (BizagiUserProperties)",
    "attributes": [
        _attribute("enabledForAssignation", "boolean", "Whether cases can be assigned to the user"),
        _attribute("DelegateEnabled", "boolean", "Whether the user has a delegate enabled"),
        _attribute(
            "createdCasesSkipAssigRules",
            "boolean",
            "Whether cases created by the user skip the assignation rules",
        ),
        _attribute("costCenter", "string", "A custom user property of the project"),
    ],
}


def _resource_type(
    name: str, endpoint: str, schema: str, extensions: tuple[str, ...] = ()
) -> ResourceType:
    document: dict[str, Any] = {
        "schemas": [RESOURCE_TYPE_URN],
        "id": name,
        "name": name,
        "endpoint": endpoint,
        "description": name,
        "schema": schema,
    }
    if extensions:
        document["schemaExtensions"] = [{"schema": urn, "required": False} for urn in extensions]
    return ResourceType.model_validate(document)


def service_provider_config(flavour: str) -> ServiceProviderConfig:
    """The configuration each flavour announces: what it really does."""
    if flavour == "bizagi":
        return ServiceProviderConfig.model_validate(
            {
                "schemas": [SPC_URN],
                "documentationUri": (
                    "https://help.bizagi.com/platform/en/synchronizing_users_scim.htm"
                ),
                "patch": {"supported": True},
                "bulk": {"supported": False, "maxOperations": 0, "maxPayloadSize": 0},
                "filter": {"supported": True, "maxResults": 500},
                "changePassword": {"supported": True},
                "sort": {"supported": True},
                "etag": {"supported": True},
                "authenticationSchemes": [
                    OAUTH2_SCHEME.model_dump(),
                    BEARER_SCHEME.model_dump(),
                ],
            }
        )
    return ServiceProviderConfig.model_validate(
        {
            "schemas": [SPC_URN],
            "patch": {"supported": True},
            "bulk": {"supported": True, "maxOperations": 1000, "maxPayloadSize": 1048576},
            "filter": {"supported": True, "maxResults": 1000},
            "changePassword": {"supported": True},
            "sort": {"supported": True},
            "etag": {"supported": True},
            "authenticationSchemes": [BEARER_SCHEME.model_dump()],
        }
    )


@functools.cache
def build_provider(flavour: str, *, group_displayname_required: bool = True) -> ScimProvider:
    """The provider of a flavour (built once: scim2-server builds models from the schemas).

    :param group_displayname_required: False is the ``group-displayname-optional`` fault.
    """
    defaults = load_default_schemas()
    user, enterprise = defaults[USER_URN], defaults[ENTERPRISE_URN]
    if flavour == "bizagi":
        # Users only (no Groups in Bizagi). The enterprise extension is served too, because
        # Entra ID's default create lists it in "schemas".
        schemas = [user, enterprise, Schema.model_validate(BIZAGI_EXTENSION)]
        types = [_resource_type("User", "/Users", USER_URN, (ENTERPRISE_URN, BIZAGI_URN))]
    else:
        group = defaults[GROUP_URN]
        if not group_displayname_required:
            group = group.model_copy(deep=True)
            for attribute in group.attributes or []:
                if attribute.name == "displayName":
                    attribute.required = Required.false
        schemas = [user, group, enterprise]
        types = [
            _resource_type("User", "/Users", USER_URN, (ENTERPRISE_URN,)),
            _resource_type("Group", "/Groups", GROUP_URN),
        ]
    return ScimProvider.from_discovery(schemas, types, config=service_provider_config(flavour))
