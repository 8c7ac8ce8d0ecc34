"""scim2-server's in-memory storage, with hashed passwords, lookups and two storage faults.

Passwords are kept as salted hashes beside the resources, never in them: RFC 7643 §4.1.1
says a held password "SHOULD be hashed", and InMemoryStorage keeps the cleartext.
"""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from scim2_models import Resource, ResourceType
from scim2_server.memory import InMemoryStorage


def hash_password(password: str) -> str:
    """A salted hash; the sandbox never compares it, it only must not hold cleartext."""
    salt = secrets.token_hex(8)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode(), bytes.fromhex(salt), 1000)
    return f"pbkdf2_sha256$1000${salt}${digest.hex()}"


class SandboxStorage(InMemoryStorage):
    """The storage of one sandbox server.

    :param unique: Enforce uniqueness (userName). False is the ``create-duplicate-accepted``
        fault.
    :param keep_created: Keep meta.created on update. False is the ``put-resets-created``
        fault.
    """

    def __init__(self, *, unique: bool = True, keep_created: bool = True) -> None:
        super().__init__()
        self.unique = unique
        self.keep_created = keep_created
        self.password_hashes: dict[str, str] = {}

    def create(self, resource_type: ResourceType, resource: Resource[Any]) -> Resource[Any]:
        resource, password = self._without_password(resource)
        created = super().create(resource_type, resource)
        self._remember_password(created.id, password)
        return created

    def update(
        self,
        resource_type: ResourceType,
        resource: Resource[Any],
        *,
        expected_version: str | None = None,
    ) -> Resource[Any]:
        resource, password = self._without_password(resource)
        updated = super().update(resource_type, resource, expected_version=expected_version)
        self._remember_password(updated.id, password)
        if not self.keep_created:
            with self.lock:
                stored = self.find(updated.id)
                if stored is not None and stored.meta is not None:
                    stored.meta.created = stored.meta.last_modified
                    if updated.meta is not None:
                        updated.meta.created = stored.meta.last_modified
        return updated

    def delete(
        self,
        resource_type: ResourceType,
        resource_id: str,
        *,
        expected_version: str | None = None,
    ) -> None:
        super().delete(resource_type, resource_id, expected_version=expected_version)
        self.password_hashes.pop(resource_id, None)

    def _values_of(self, resource: Resource[Any]) -> dict[str, Any]:
        # The unique values InMemoryStorage indexes; none means no uniqueness at all.
        return super()._values_of(resource) if self.unique else {}

    @staticmethod
    def _without_password(resource: Resource[Any]) -> tuple[Resource[Any], str | None]:
        password = getattr(resource, "password", None)
        if password is None:
            return resource, None
        resource = resource.model_copy(deep=True)
        resource.password = None  # type: ignore[attr-defined]
        return resource, str(password)

    def _remember_password(self, resource_id: str | None, password: str | None) -> None:
        if resource_id is not None and password is not None:
            self.password_hashes[resource_id] = hash_password(password)

    # -- lookups for the layers -----------------------------------------------------------

    def find(self, resource_id: str | None) -> Resource[Any] | None:
        """The stored resource of an id (the live object: copy before changing it)."""
        with self.lock:
            return next((r for r in self.resources if r.id == resource_id), None)

    def document(self, resource_id: str | None) -> dict[str, Any] | None:
        """The stored resource of an id as JSON, or None."""
        with self.lock:
            found = self.find(resource_id)
            return None if found is None else found.model_dump(mode="json")

    def user_id(self, key: str) -> str | None:
        """The id of the User a path segment names: its id, its userName, or the part of its
        userName before "@" when only one User has it (Bizagi's /Users/MarkW)."""
        folded = key.casefold()
        with self.lock:
            users = [
                r for r in self.resources if r.meta is not None and r.meta.resource_type == "User"
            ]
            if any(u.id == key for u in users):
                return key
            names = {u.id: str(getattr(u, "user_name", "") or "").casefold() for u in users}
            exact = [uid for uid, name in names.items() if name == folded]
            if exact:
                return exact[0]
            if "@" not in key:
                local = [uid for uid, name in names.items() if name.partition("@")[0] == folded]
                if len(local) == 1:
                    return local[0]
        return None
