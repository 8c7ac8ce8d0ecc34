"""Discovery: what the target says it supports, read once per run from its three documents.

Checks use Capabilities to skip, with the reason, anything the target does not advertise;
the discovery suite checks that the documents themselves are right.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from conformance.http import ScimClient, json_or_none

CORE_USER = "urn:ietf:params:scim:schemas:core:2.0:User"
CORE_GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group"
ENTERPRISE_USER = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
LIST_RESPONSE = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
ERROR = "urn:ietf:params:scim:api:messages:2.0:Error"
PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
SEARCH_REQUEST = "urn:ietf:params:scim:api:messages:2.0:SearchRequest"
BULK_REQUEST = "urn:ietf:params:scim:api:messages:2.0:BulkRequest"


@dataclass(frozen=True)
class ResourceTypeInfo:
    """One ResourceType as discovered: name, endpoint (relative), core schema, extensions."""

    name: str
    endpoint: str
    schema: str
    extensions: dict[str, bool] = field(default_factory=dict)

    @property
    def path(self) -> str:
        """The endpoint as a path relative to the base URL (`/Users`)."""
        endpoint = self.endpoint
        if endpoint.startswith(("http://", "https://")):
            endpoint = "/" + endpoint.split("://", 1)[1].split("/", 1)[1].split("/")[-1]
        return "/" + endpoint.strip("/")


@dataclass
class Capabilities:
    """What the ServiceProviderConfig, ResourceTypes and Schemas documents claim."""

    service_provider_config: dict[str, Any] = field(default_factory=dict)
    resource_types: dict[str, ResourceTypeInfo] = field(default_factory=dict)
    schemas: dict[str, dict[str, Any]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    def feature(self, name: str) -> dict[str, Any]:
        value = self.service_provider_config.get(name)
        return value if isinstance(value, dict) else {}

    def supports(self, name: str) -> bool:
        """`patch`, `bulk`, `filter`, `changePassword`, `sort`, `etag`: advertised as supported?"""
        return self.feature(name).get("supported") is True

    @property
    def max_results(self) -> int | None:
        value = self.feature("filter").get("maxResults")
        return value if isinstance(value, int) and value > 0 else None

    def resource_type(self, name: str) -> ResourceTypeInfo | None:
        for info in self.resource_types.values():
            if info.name.lower() == name.lower():
                return info
        return None

    def resource_type_for_schema(self, schema_id: str) -> ResourceTypeInfo | None:
        for info in self.resource_types.values():
            if info.schema == schema_id:
                return info
        return None

    def attribute(self, schema_id: str, path: str) -> dict[str, Any] | None:
        """The definition of `name` or `name.sub` in a schema, matched case-insensitively."""
        schema = self.schemas.get(schema_id)
        if not schema:
            return None
        attributes: list[dict[str, Any]] = schema.get("attributes") or []
        found: dict[str, Any] | None = None
        for part in path.split("."):
            found = next(
                (a for a in attributes if str(a.get("name", "")).lower() == part.lower()), None
            )
            if found is None:
                return None
            attributes = found.get("subAttributes") or []
        return found

    @property
    def users(self) -> ResourceTypeInfo | None:
        return self.resource_type_for_schema(CORE_USER) or self.resource_type("User")

    @property
    def groups(self) -> ResourceTypeInfo | None:
        return self.resource_type_for_schema(CORE_GROUP) or self.resource_type("Group")


def list_resources(body: Any) -> list[dict[str, Any]]:
    """The resources of a discovery answer: a ListResponse, a bare list, or one document."""
    if isinstance(body, list):
        return [item for item in body if isinstance(item, dict)]
    if isinstance(body, dict):
        if isinstance(body.get("Resources"), list):
            return [item for item in body["Resources"] if isinstance(item, dict)]
        if "totalResults" not in body:
            return [body]
    return []


def discover(client: ScimClient) -> Capabilities:
    """Read the three discovery documents; what cannot be read is noted, not raised."""
    capabilities = Capabilities()
    spc = client.get("/ServiceProviderConfig")
    body = json_or_none(spc)
    if spc.status_code == 200 and isinstance(body, dict):
        capabilities.service_provider_config = body
    else:
        capabilities.problems.append(f"GET /ServiceProviderConfig answered {spc.status_code}")
    response = client.get("/ResourceTypes")
    if response.status_code == 200:
        for item in list_resources(json_or_none(response)):
            info = _resource_type(item)
            if info is not None:
                capabilities.resource_types[info.name] = info
    else:
        capabilities.problems.append(f"GET /ResourceTypes answered {response.status_code}")
    response = client.get("/Schemas")
    if response.status_code == 200:
        for item in list_resources(json_or_none(response)):
            if isinstance(item.get("id"), str):
                capabilities.schemas[item["id"]] = item
    else:
        capabilities.problems.append(f"GET /Schemas answered {response.status_code}")
    return capabilities


def _resource_type(item: dict[str, Any]) -> ResourceTypeInfo | None:
    name, endpoint, schema = item.get("name"), item.get("endpoint"), item.get("schema")
    if not (isinstance(name, str) and isinstance(endpoint, str) and isinstance(schema, str)):
        return None
    extensions = {
        ext["schema"]: bool(ext.get("required", False))
        for ext in item.get("schemaExtensions") or []
        if isinstance(ext, dict) and isinstance(ext.get("schema"), str)
    }
    return ResourceTypeInfo(name=name, endpoint=endpoint, schema=schema, extensions=extensions)
