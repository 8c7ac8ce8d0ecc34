"""A small SCIM client for the sandbox tests: real HTTP over loopback, no mocks."""

from __future__ import annotations

import itertools
from typing import Any

import httpx

from conformance.sandbox import SandboxServer

USER = "urn:ietf:params:scim:schemas:core:2.0:User"
GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group"
ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
BIZAGI = "urn:ietf:params:scim:schemas:extension:bizagi:2.0:UserProperties"
PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
ERROR = "urn:ietf:params:scim:api:messages:2.0:Error"
LIST = "urn:ietf:params:scim:api:messages:2.0:ListResponse"

_serial = itertools.count(1)


def user_name(stem: str = "u") -> str:
    """A fresh userName valid in both flavours (userName@domain, at most 25 characters)."""
    return f"{stem}{next(_serial)}@ex.com"


def raw_client() -> httpx.Client:
    """An httpx client without credentials (cheap: no CA bundle for plain HTTP)."""
    return httpx.Client(timeout=10, verify=False)


class Scim:
    """httpx bound to a sandbox's base URL and bearer token."""

    def __init__(self, server: SandboxServer, token: str | None = None) -> None:
        self.server = server
        self.http = httpx.Client(
            base_url=server.base_url,
            headers={
                "Authorization": f"Bearer {token or server.token}",
                "Accept": "application/scim+json",
            },
            timeout=10,
            verify=False,  # plain HTTP; skips loading the CA bundle for every client
        )

    def __enter__(self) -> Scim:
        return self

    def __exit__(self, *exc: object) -> None:
        self.http.close()

    def get(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.http.get(path, **kwargs)

    def post(self, path: str, document: Any, **kwargs: Any) -> httpx.Response:
        return self.http.post(path, json=document, **kwargs)

    def put(self, path: str, document: Any, **kwargs: Any) -> httpx.Response:
        return self.http.put(path, json=document, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.http.delete(path, **kwargs)

    def patch(self, path: str, *operations: dict[str, Any], **kwargs: Any) -> httpx.Response:
        document = {"schemas": [PATCH], "Operations": list(operations)}
        return self.http.patch(path, json=document, **kwargs)

    def create_user(self, name: str | None = None, /, **attributes: Any) -> dict[str, Any]:
        document = {"schemas": [USER], "userName": name or user_name(), **attributes}
        for urn in (ENTERPRISE, BIZAGI):
            if urn in document:
                document["schemas"].append(urn)
        response = self.post("/Users", document)
        assert response.status_code == 201, response.text
        created: dict[str, Any] = response.json()
        return created

    def user(self, user_id: str) -> dict[str, Any]:
        response = self.get(f"/Users/{user_id}")
        assert response.status_code == 200, response.text
        found: dict[str, Any] = response.json()
        return found

    def search(self, **params: Any) -> dict[str, Any]:
        response = self.get("/Users", params=params)
        assert response.status_code == 200, response.text
        found: dict[str, Any] = response.json()
        return found
