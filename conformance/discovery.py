"""Discovery: what the target says it supports, read once per run from its three documents.

Checks use Capabilities to skip, with the reason, anything the target does not advertise;
the discovery suite checks that the documents themselves are right.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

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
    base_url: str = field(default="", compare=False, repr=False)
    """The target's base URL, to read an endpoint given as an absolute URL under it."""

    @property
    def path(self) -> str:
        """The endpoint as a path relative to the base URL (`/Users`).

        RFC 7643 §6 asks for an endpoint relative to the base URL, but some targets publish
        an absolute URL: under the base URL it is made relative, otherwise its last segment
        is kept (`https://host/scim/v2/Users/` -> `/Users`).
        """
        endpoint = self.endpoint.strip()
        if endpoint.lower().startswith(("http://", "https://")):
            base = self.base_url.rstrip("/")
            if base and endpoint.lower().startswith(base.lower() + "/"):
                endpoint = endpoint[len(base) :]
            else:
                segments = [s for s in endpoint.split("://", 1)[1].split("/")[1:] if s]
                endpoint = segments[-1] if segments else ""
        else:
            # Some publish the path from the server root (django-scim2: `/scim/v2/Users` under
            # base URL `.../scim/v2`): a path under the base URL's own path is made relative.
            base_path = urlsplit(self.base_url).path.rstrip("/")
            if base_path and endpoint.lower().startswith(base_path.lower() + "/"):
                endpoint = endpoint[len(base_path) :]
        return "/" + endpoint.strip("/")


@dataclass
class Capabilities:
    """What the ServiceProviderConfig, ResourceTypes and Schemas documents claim."""

    service_provider_config: dict[str, Any] = field(default_factory=dict)
    resource_types: dict[str, ResourceTypeInfo] = field(default_factory=dict)
    schemas: dict[str, dict[str, Any]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    resource_type_documents: list[dict[str, Any]] = field(default_factory=list)
    """Every ResourceType object listed, malformed ones included (discovery checks them)."""
    schema_documents: list[dict[str, Any]] = field(default_factory=list)
    """Every Schema object listed, malformed ones included."""

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

    def schema(self, schema_id: str) -> dict[str, Any] | None:
        """A Schema by id; URNs are compared case-insensitively (RFC 7644 §3.10)."""
        found = self.schemas.get(schema_id)
        if found is None:
            wanted = schema_id.lower()
            found = next((s for i, s in self.schemas.items() if i.lower() == wanted), None)
        return found

    def attribute(self, schema_id: str, path: str) -> dict[str, Any] | None:
        """The definition of `name` or `name.sub` in a schema, matched case-insensitively."""
        schema = self.schema(schema_id)
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
            capabilities.resource_type_documents.append(item)
            info = _resource_type(item, client.base_url)
            if info is not None:
                capabilities.resource_types[info.name] = info
    else:
        capabilities.problems.append(f"GET /ResourceTypes answered {response.status_code}")
    response = client.get("/Schemas")
    if response.status_code == 200:
        for item in list_resources(json_or_none(response)):
            capabilities.schema_documents.append(item)
            if isinstance(item.get("id"), str):
                capabilities.schemas[item["id"]] = item
    else:
        capabilities.problems.append(f"GET /Schemas answered {response.status_code}")
    return capabilities


def _resource_type(item: dict[str, Any], base_url: str = "") -> ResourceTypeInfo | None:
    name, endpoint, schema = item.get("name"), item.get("endpoint"), item.get("schema")
    if not (isinstance(name, str) and isinstance(endpoint, str) and isinstance(schema, str)):
        return None
    extensions = {
        ext["schema"]: bool(ext.get("required", False))
        for ext in item.get("schemaExtensions") or []
        if isinstance(ext, dict) and isinstance(ext.get("schema"), str)
    }
    return ResourceTypeInfo(
        name=name, endpoint=endpoint, schema=schema, extensions=extensions, base_url=base_url
    )
