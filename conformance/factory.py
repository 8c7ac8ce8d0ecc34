"""Test data and the resources made from it: names that fit the target, tracked in the ledger.

Every userName starts with the profile's prefix and the run id, so that a run can find (and
only ever touch) its own data, and it fits the profile's maximum length (Bizagi: 25
characters for userName@domain).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, TypeVar, cast
from urllib.parse import urljoin, urlsplit

import httpx

from conformance.discovery import CORE_GROUP, CORE_USER, Capabilities
from conformance.errors import BudgetExhausted, Nonconformance
from conformance.evidence import Exchange
from conformance.http import ScimClient, json_or_none, segment
from conformance.ledger import Ledger, read_ledger
from conformance.profile import Profile

T = TypeVar("T")
_LEDGER_LOOKUPS = 5
"""How many users of earlier ledgers a run looks up one by one, at most (newest first)."""


@dataclass
class Resource:
    """A resource the run created: how to address it, and what the target returned."""

    resource_type: str
    id: str
    location: str
    name: str
    body: dict[str, Any] = field(default_factory=dict)
    response: httpx.Response | None = None
    """The answer that created it (headers such as Location and ETag), when known."""
    reused: bool = False
    """A deactivated user of an earlier run that this run reactivated (see reusable_user)."""


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
        self._shared: dict[str, tuple[Any, Exception | None, list[Exchange]]] = {}
        self._taken: set[str] = set()

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

    def username_of_length(self, length: int, tag: str = "x") -> str:
        """A fresh userName of this run with exactly `length` characters (boundary tests:
        Bizagi's userName@domain limit), padded with the tag's letters; ValueError when even
        the shortest name of the run is longer."""
        number = next(self._counter)
        fixed = len(self.run_prefix) + 3 + 1 + len(self.profile.username_domain)
        room = length - fixed
        if room < 0:
            raise ValueError(f"no userName of this run fits in {length} characters")
        letters = "".join(c for c in tag.lower() if "a" <= c <= "z") or "x"
        filler = (letters * (room // len(letters) + 1))[:room]
        return f"{self.run_prefix}{filler}{number:03d}@{self.profile.username_domain}"

    def is_run_username(self, name: str) -> bool:
        """Does a userName follow this suite's naming scheme for the profile (any run)?"""
        prefix = re.escape(self.profile.username_prefix)
        domain = re.escape(self.profile.username_domain)
        scheme = rf"{prefix}[a-z][a-z0-9]{{4}}[a-z]*[0-9]{{3}}@{domain}"
        return re.fullmatch(scheme, name, flags=re.IGNORECASE) is not None

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

    def shared(self, key: str, build: Callable[[], T]) -> T:
        """Build something once per run (a user, a scenario) for several checks to judge.

        Saves the user budget (Bizagi allows 10 and never deletes). The first caller runs
        `build`; every later caller gets the same result, or the same error, and the exchanges
        `build` made are attached to its evidence too, so each verdict shows its requests.
        """
        evidence = self.client.evidence
        if key not in self._shared:
            mark = len(evidence.exchanges)
            try:
                result: Any = build()
                error: Exception | None = None
            except Exception as exc:  # cached, so a later check neither retries nor hides it
                result, error = None, exc
            self._shared[key] = (result, error, list(evidence.exchanges[mark:]))
        else:
            present = {exchange.seq for exchange in evidence.exchanges}
            evidence.exchanges.extend(e for e in self._shared[key][2] if e.seq not in present)
        result, error, _ = self._shared[key]
        if error is not None:
            raise error
        return cast(T, result)

    def shared_user(self) -> Resource:
        """One plain User per run for checks that only read it; never change it."""
        return self.shared("factory/shared-user", self.create_user)

    # -- reuse (targets that never delete) -------------------------------------------------

    def reusable_user(self, fallback: Callable[[], Resource] | None = None) -> Resource:
        """A User for checks that change it but do not judge its creation.

        Where DELETE only deactivates (Bizagi: users can never be removed), every user a run
        creates stays behind; so this first takes over a deactivated user of an earlier run
        (one named in an earlier ledger beside this run's, or one whose userName follows the
        naming scheme under the profile's prefix), resets it with a PUT of a fresh payload and
        reactivates it. Only users with the profile's prefix that are inactive are considered,
        so neither real users nor a concurrent run's live users are touched. The user is put
        in the ledger (not counted against the budget), so cleanup deactivates it again and
        the report lists it as left behind. Elsewhere, or when none is found: `fallback()`
        (a user the run has anyway, say), else a new user.
        """
        if self.profile.deletes_logically:
            for user_id, name in self._reuse_candidates():
                resource = self._take_over(user_id, name)
                if resource is not None:
                    return resource
        return fallback() if fallback is not None else self.create_user()

    def _reuse_candidates(self) -> Iterator[tuple[str, str]]:
        """(id, userName) of users that earlier runs left behind on this target.

        One query under the prefix finds them (deactivated users named in an earlier ledger
        or following the naming scheme); where filtering is not offered, or deactivated users
        are not listed, the newest few ledger entries are looked up one by one.
        """
        ledgered = self._ledgered_users()
        names = {name.lower() for _, name in ledgered}
        seen: set[str] = set(self._taken)
        if self.capabilities.supports("filter") and self.profile.username_prefix:
            query = {"filter": f'userName sw "{self.profile.username_prefix}"', "count": "100"}
            response = self.client.get(self.users_path, params=query)
            body = json_or_none(response)
            items = body.get("Resources") if isinstance(body, dict) else None
            for item in items if response.status_code == 200 and isinstance(items, list) else []:
                if not isinstance(item, dict):
                    continue
                user_id, name = str(item.get("id") or ""), str(item.get("userName") or "")
                ours = name.lower() in names or self.is_run_username(name)
                if user_id and user_id not in seen and ours and self._reusable(item, name):
                    seen.add(user_id)
                    yield user_id, name
        looked_up = 0
        for user_id, name in ledgered:
            if looked_up >= _LEDGER_LOOKUPS:
                return
            if user_id not in seen:
                seen.add(user_id)
                looked_up += 1
                yield user_id, name

    def _ledgered_users(self) -> list[tuple[str, str]]:
        """Users named in the ledgers of earlier runs written beside this run's ledger."""
        own = self.ledger.path
        if own is None or not own.parent.parent.is_dir():
            return []
        found: list[tuple[float, str, str]] = []
        for path in own.parent.parent.glob("*/ledger.jsonl"):
            if path.resolve() == own.resolve():
                continue
            try:
                entries = read_ledger(path).values()
            except (OSError, ValueError, KeyError):
                continue
            for entry in entries:
                name = str(entry.get("name") or "")
                if entry.get("resource_type") == "User" and self._prefixed(name):
                    found.append((float(entry.get("created_at") or 0), str(entry["id"]), name))
        return [(user_id, name) for _, user_id, name in sorted(found, reverse=True)]

    def _prefixed(self, name: str) -> bool:
        prefix = self.profile.username_prefix.lower()
        lowered = name.lower()
        return (
            bool(prefix)
            and lowered.startswith(prefix)
            and not lowered.startswith(self.run_prefix.lower())
        )

    def _reusable(self, body: dict[str, Any], name: str) -> bool:
        """Under the prefix, of another run, and deactivated."""
        return self._prefixed(name) and body.get("active") is False

    def _take_over(self, user_id: str, name: str) -> Resource | None:
        """Reset and reactivate an earlier run's user; None when it is not ours to take."""
        path = self.path_of("User", user_id, name)
        current = self.client.get(path)
        body = json_or_none(current)
        if current.status_code != 200 or not isinstance(body, dict):
            return None
        if str(body.get("id")) != user_id or str(body.get("userName", "")).lower() != name.lower():
            return None
        if not (self._prefixed(name) and body.get("active") is False):
            return None
        self._taken.add(user_id)
        reset = self.client.put(path, self.user_payload(name, active=True))
        if not 200 <= reset.status_code < 300:
            activate = {
                "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                "Operations": [{"op": "replace", "path": "active", "value": True}],
            }
            if not 200 <= self.client.patch(path, activate).status_code < 300:
                return None
        after = json_or_none(self.client.get(path))
        if not isinstance(after, dict) or after.get("active") is not True:
            return None
        location = str((after.get("meta") or {}).get("location") or "")
        self.ledger.created(
            "User",
            user_id,
            location=location,
            name=name,
            check=self.client.evidence.check_id or "-",
            reused=True,
        )
        return Resource("User", user_id, location, name, after, reused=True)

    def create_group(self, payload: dict[str, Any] | None = None) -> Resource:
        payload = payload or self.group_payload()
        response = self.client.post(self.groups_path, payload)
        return self._created("Group", response, name=str(payload.get("displayName", "")))

    def record_created(self, resource_type: str, response: httpx.Response, name: str) -> Resource:
        """Record a resource a check created by its own POST (so cleanup finds it)."""
        return self._created(resource_type, response, name=name)

    def _created(self, resource_type: str, response: httpx.Response, *, name: str) -> Resource:
        body = json_or_none(response)
        if response.status_code == 201 and not (isinstance(body, dict) and body.get("id")):
            body = self._read_back(response)  # RFC 7644 §3.3: the body is only a SHOULD
        if (
            response.status_code != 201
            and 200 <= response.status_code < 300
            and isinstance(body, dict)
            and body.get("id")
        ):
            # Created, though not answered 201: still the run's to clean up (never leak it).
            self.ledger.created(
                resource_type,
                str(body["id"]),
                location=str((body.get("meta") or {}).get("location") or ""),
                name=name,
                check=self.client.evidence.check_id or "-",
            )
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
        return Resource(resource_type, resource_id, location, name, body, response)

    def _read_back(self, response: httpx.Response) -> Any:
        """The representation at the 201's Location, when the answer had none (same origin
        only: credentials never go to another host)."""
        header = response.headers.get("Location")
        if not header:
            return None
        url = urljoin(str(response.request.url), header)
        if urlsplit(url)[:2] != urlsplit(self.client.base_url)[:2]:
            return None
        read = self.client.get(url)
        return json_or_none(read) if read.status_code == 200 else None

    def path(self, resource: Resource) -> str:
        """Where the resource is addressed: by id, or by userName where the profile says so."""
        if resource.resource_type == "User":
            if self.profile.user_addressing == "userName":
                return f"{self.users_path}/{segment(resource.name)}"
            return f"{self.users_path}/{segment(resource.id)}"
        return f"{self.groups_path}/{segment(resource.id)}"

    def path_of(self, resource_type: str, resource_id: str, name: str = "") -> str:
        return self.path(Resource(resource_type, resource_id, "", name))
