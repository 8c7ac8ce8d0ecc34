"""Test data and the resources made from it: names that fit the target, tracked in the ledger.

Every userName starts with the profile's prefix and the run id, so that a run can find (and
only ever touch) its own data, and it fits the profile's maximum length (Bizagi: 25
characters for userName@domain).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

import httpx

from conformance.discovery import CORE_GROUP, CORE_USER, Capabilities
from conformance.errors import BudgetExhausted, Nonconformance
from conformance.http import ScimClient, json_or_none, segment
from conformance.ledger import Ledger
from conformance.profile import Profile


@dataclass
class Resource:
    """A resource the run created: how to address it, and what the target returned."""

    resource_type: str
    id: str
    location: str
    name: str
    body: dict[str, Any] = field(default_factory=dict)


class Factory:
    """Builds payloads that suit the target and creates resources through the ledger."""

    def __init__(
        self,
        client: ScimClient,
        capabilities: Capabilities,
        profile: Profile,
        ledger: Ledger,
        run_id: str,
    ) -> None:
        self.client = client
        self.capabilities = capabilities
        self.profile = profile
        self.ledger = ledger
        self.run_id = run_id
        self._counter = itertools.count(1)

    # -- names ---------------------------------------------------------------------------

    @property
    def run_prefix(self) -> str:
        """The prefix every userName of this run starts with (used to scope list queries)."""
        return f"{self.profile.username_prefix}{self.run_id}"

    def username(self, tag: str = "") -> str:
        """A fresh userName of this run, within the profile's length limit."""
        number = next(self._counter)
        local = f"{self.run_prefix}{tag[:6]}{number:03d}"
        name = f"{local}@{self.profile.username_domain}"
        limit = self.profile.username_max_length
        if limit is not None and len(name) > limit:
            local = f"{self.run_prefix}{number:03d}"
            name = f"{local}@{self.profile.username_domain}"[:limit]
        return name

    # -- payloads ------------------------------------------------------------------------

    @property
    def users_path(self) -> str:
        info = self.capabilities.users
        return info.path if info else "/Users"

    @property
    def groups_path(self) -> str:
        info = self.capabilities.groups
        return info.path if info else "/Groups"

    def user_payload(self, user_name: str | None = None, **attributes: Any) -> dict[str, Any]:
        """A User that every target should accept: core attributes plus required extensions."""
        user_name = user_name or self.username()
        local = user_name.split("@", 1)[0]
        payload: dict[str, Any] = {
            "schemas": [CORE_USER],
            "userName": user_name,
            "name": {"givenName": "Test", "familyName": local, "formatted": f"Test {local}"},
            "displayName": f"Test {local}",
            "emails": [{"value": user_name, "type": "work", "primary": True}],
            "active": True,
        }
        for urn, values in self.profile.required_extensions.items():
            payload["schemas"].append(urn)
            payload[urn] = dict(values)
        payload.update(attributes)
        return payload

    def group_payload(self, display_name: str | None = None, **attributes: Any) -> dict[str, Any]:
        name = display_name or f"{self.run_prefix}g{next(self._counter):03d}"
        return {"schemas": [CORE_GROUP], "displayName": name, **attributes}

    # -- resources -----------------------------------------------------------------------

    def create_user(self, payload: dict[str, Any] | None = None) -> Resource:
        """POST a user (within the budget) and record it; a refusal is the target's failure."""
        if self.ledger.users_left <= 0:
            raise BudgetExhausted(
                f"user budget of {self.ledger.user_budget} reached; raise it with --max-users"
            )
        payload = payload or self.user_payload()
        response = self.client.post(self.users_path, payload)
        resource = self._created("User", response, name=str(payload.get("userName", "")))
        return resource

    def create_group(self, payload: dict[str, Any] | None = None) -> Resource:
        payload = payload or self.group_payload()
        response = self.client.post(self.groups_path, payload)
        return self._created("Group", response, name=str(payload.get("displayName", "")))

    def record_created(self, resource_type: str, response: httpx.Response, name: str) -> Resource:
        """Record a resource a check created by its own POST (so cleanup finds it)."""
        return self._created(resource_type, response, name=name)

    def _created(self, resource_type: str, response: httpx.Response, *, name: str) -> Resource:
        body = json_or_none(response)
        if response.status_code != 201 or not isinstance(body, dict) or not body.get("id"):
            raise Nonconformance(
                f"could not create a {resource_type} to test with: POST answered "
                f"{response.status_code} {response.reason_phrase}"
                + (f": {response.text[:300]}" if response.text else "")
            )
        resource_id = str(body["id"])
        location = str(
            (body.get("meta") or {}).get("location") or response.headers.get("Location") or ""
        )
        self.ledger.created(
            resource_type,
            resource_id,
            location=location,
            name=name,
            check=self.client.evidence.check_id or "-",
        )
        return Resource(resource_type, resource_id, location, name, body)

    def path(self, resource: Resource) -> str:
        """Where the resource is addressed: by id, or by userName where the profile says so."""
        if resource.resource_type == "User":
            if self.profile.user_addressing == "userName":
                return f"{self.users_path}/{segment(resource.name)}"
            return f"{self.users_path}/{segment(resource.id)}"
        return f"{self.groups_path}/{segment(resource.id)}"

    def path_of(self, resource_type: str, resource_id: str, name: str = "") -> str:
        return self.path(Resource(resource_type, resource_id, "", name))
