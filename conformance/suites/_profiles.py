"""What the profile checks share (lifecycle, extensions, IdP dialects, Bizagi rules).

- Gates: a dialect check runs only when the profile lists the dialect, a Bizagi rule only on
  a Bizagi profile; otherwise it is skipped with that reason.
- Users: the run's *subject* is one user that these checks change in turn (each scenario first
  puts it into the state it starts from); it is taken over from an earlier run where users can
  never be deleted (`Factory.reusable_user`), so a Bizagi run creates few users.
- Extension attributes: picked from the target's own /Schemas (string, boolean and integer
  attributes a client may write), plus, on a Bizagi profile, Bizagi's documented ones.
- Requests and reads whose failure means "could not judge" raise Blocked (an error), never a
  failure of the target.
"""

from __future__ import annotations

import itertools
import weakref
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from conformance.checks import describe, fail
from conformance.discovery import CORE_USER, Capabilities
from conformance.factory import Factory, Resource
from conformance.http import ScimClient, json_or_none, segment
from conformance.profile import Profile
from conformance.suites._crud import ensure_budget
from conformance.suites._patching import (
    ABSENT,
    Blocked,
    Operation,
    member,
    operation,
    patch_request,
    render,
    show,
    value_at,
)

BIZAGI_URN = "urn:ietf:params:scim:schemas:extension:bizagi:2.0:UserProperties"
BIZAGI_BOOLEANS = ("enabledForAssignation", "createdCasesSkipAssigRules")
"""Bizagi's documented UserProperties booleans (help.bizagi.com scim_create.htm) that the
checks write. DelegateEnabled is documented too but left alone: enabling delegation on a real
project may need a delegate user, and a refusal there would be no defect."""

_WRITABLE_TYPES = ("string", "boolean", "integer")
_MAX_PER_EXTENSION = 3
_SEQUENCE = itertools.count(1)


# -- gates ------------------------------------------------------------------------------


def is_bizagi(profile: Profile) -> bool:
    """A Bizagi profile: the built-in one, or a user's copy (it keeps the Bizagi flavour)."""
    return profile.name == "bizagi" or profile.sandbox_flavour == "bizagi"


def require_bizagi(profile: Profile) -> None:
    if not is_bizagi(profile):
        pytest.skip(f"Bizagi rule: profile {profile.name} is not a Bizagi profile")


def require_dialect(profile: Profile, *dialects: str) -> None:
    """Skip unless the profile lists one of the dialects."""
    if not any(dialect in profile.dialects for dialect in dialects):
        pytest.skip(f"profile {profile.name} does not list dialect {' or '.join(dialects)}")


def require_deactivating(profile: Profile) -> None:
    if not profile.deletes_logically:
        pytest.skip(
            f"profile {profile.name}: DELETE removes users (delete_mode = {profile.delete_mode}); "
            "RFC 7644 §3.6's 404 rule is judged by the delete/ checks"
        )


# -- users ------------------------------------------------------------------------------


def subject(factory: Factory) -> Resource:
    """The run's user for checks that change it but do not judge its creation: a deactivated
    user of an earlier run where users can never be deleted, else the extension user.

    Replaced when a defect removed it (a DELETE that removes where it should deactivate), so
    that one defect fails its own rule rather than blocking every later check.
    """
    user = _SUBJECTS.get(factory) or factory.shared(
        "profiles/subject", lambda: factory.reusable_user(lambda: _run_user(factory))
    )
    if not same_user(factory.client.get(id_path(factory, user)), user):
        user = factory.reusable_user()
    _SUBJECTS[factory] = user
    return user


def _run_user(factory: Factory) -> Resource:
    """Without an earlier run's user, the user the extension checks created serves (Bizagi
    allows ten users per run, and never deletes one); a plain new one if that POST failed."""
    return extension_user(factory).user or factory.create_user()


_SUBJECTS: weakref.WeakKeyDictionary[Factory, Resource] = weakref.WeakKeyDictionary()


def same_user(response: httpx.Response, user: Resource) -> bool:
    """The answer is this user: 200 with its id (or, when the id is missing, its userName)."""
    body = json_or_none(response)
    if response.status_code != 200 or not isinstance(body, dict):
        return False
    if body.get("id") not in (None, ""):
        return str(body.get("id")) == user.id
    return str(member(body, "userName")).lower() == user.name.lower()


def id_path(factory: Factory, user: Resource) -> str:
    """`/Users/{id}`: how an IdP that cached the id addresses the user, whatever the profile."""
    return f"{factory.users_path}/{segment(user.id)}"


def name_path(factory: Factory, name: str) -> str:
    """`/Users/{userName}`, percent-encoded as one path segment."""
    return f"{factory.users_path}/{segment(name)}"


# -- requests that only prepare or read back ----------------------------------------------


def read(client: ScimClient, path: str) -> dict[str, Any]:
    """GET a resource that must be there; Blocked otherwise (the check cannot judge)."""
    response = client.get(path)
    body = json_or_none(response)
    if response.status_code != 200 or not isinstance(body, dict):
        raise Blocked(f"could not read the resource back: GET {path} -> {describe(response)}")
    return body


def prepare(client: ScimClient, path: str, *operations: Operation) -> None:
    """PATCH the user into the state a scenario starts from; Blocked when refused."""
    response = client.patch(path, patch_request(*operations))
    if response.status_code not in (200, 204):
        raise Blocked(
            f"could not prepare the user: PATCH {path} {show(operations)} -> {describe(response)}"
        )


def activate(client: ScimClient, path: str) -> None:
    prepare(client, path, operation("replace", "active", True))


def query_user_name(client: ScimClient, factory: Factory, name: str) -> httpx.Response:
    return client.get(factory.users_path, params={"filter": f'userName eq "{name}"'})


def items(value: Any) -> list[Any]:
    """The values of a multi-valued attribute; [] when unassigned (absent, null) or not a list."""
    return value if isinstance(value, list) else []


def listed(response: httpx.Response, user_id: str) -> dict[str, Any] | None:
    """The resource of a ListResponse with this id, or None."""
    for item in items(member(json_or_none(response), "Resources")):
        if isinstance(item, dict) and str(item.get("id")) == user_id:
            return item
    return None


def applied(response: httpx.Response, what: str, why: str) -> None:
    """A replayed or judged request must succeed (2xx); the message names what was sent."""
    if 200 <= response.status_code < 300:
        return
    fail(f"{what} was refused.\nExpected: a success status ({why})\nActual: {describe(response)}")


# -- values -----------------------------------------------------------------------------


def fresh_text(factory: Factory, tag: str) -> str:
    """A new string value of this run (letters and digits only, safe for any attribute)."""
    return f"{tag}{factory.run_id}{next(_SEQUENCE):03d}"


def same_value(actual: Any, expected: Any, *, case_exact: bool = False) -> bool:
    """Equal as SCIM compares them: booleans also when sent back as "true"/"false" strings,
    strings case-insensitively unless caseExact."""
    if isinstance(expected, bool):
        if isinstance(actual, str):
            return actual.strip().lower() == str(expected).lower()
        return actual is expected
    if isinstance(expected, str) and isinstance(actual, str):
        return actual == expected if case_exact else actual.casefold() == expected.casefold()
    return bool(actual == expected) and type(actual) is not bool


# -- extension attributes ---------------------------------------------------------------


@dataclass(frozen=True)
class ExtensionAttribute:
    """A writable attribute of a schema extension the User resource type offers."""

    urn: str
    name: str
    type: str
    required: bool = False
    case_exact: bool = False

    @property
    def path(self) -> str:
        return f"{self.urn}:{self.name}"

    def new_value(self, factory: Factory, current: Any = ABSENT) -> Any:
        """A value that differs from the current one (booleans flip; True when unset)."""
        if self.type == "boolean":
            return not (current is True or str(current).lower() == "true")
        if self.type == "integer":
            return 1000 + next(_SEQUENCE)
        return fresh_text(factory, self.name[:4].lower() or "x")


def offered_extensions(capabilities: Capabilities) -> list[str]:
    """The schema extensions the User resource type lists (RFC 7643 §6 schemaExtensions)."""
    users = capabilities.users
    return list(users.extensions) if users else []


def extension_attributes(capabilities: Capabilities, profile: Profile) -> list[ExtensionAttribute]:
    """What the extension checks write: per offered extension, up to three simple attributes
    a client may write and reads back by default, as the target's /Schemas describes them.

    On a Bizagi profile, UserProperties is written through Bizagi's documented attributes
    (its /Schemas content is not documented), whether or not the target advertises it.
    """
    found: list[ExtensionAttribute] = []
    urns = offered_extensions(capabilities)
    bizagi = is_bizagi(profile)
    if bizagi:
        found += [ExtensionAttribute(BIZAGI_URN, name, "boolean") for name in BIZAGI_BOOLEANS]
    for urn in urns:
        if bizagi and urn.lower() == BIZAGI_URN.lower():
            continue
        schema = capabilities.schema(urn) or {}
        picked = [a for a in _writable(schema.get("attributes") or [])]
        found += [
            ExtensionAttribute(
                urn,
                str(a["name"]),
                str(a.get("type", "string")),
                required=a.get("required") is True,
                case_exact=a.get("caseExact") is True,
            )
            for a in picked[:_MAX_PER_EXTENSION]
        ]
    return found


def _writable(attributes: Iterable[Any]) -> list[dict[str, Any]]:
    return [
        a
        for a in attributes
        if isinstance(a, dict)
        and isinstance(a.get("name"), str)
        and str(a.get("type", "string")) in _WRITABLE_TYPES
        and a.get("multiValued") is not True
        and a.get("mutability", "readWrite") == "readWrite"
        and a.get("returned", "default") in ("default", "always")
        and not a.get("canonicalValues")
    ]


def by_extension(attributes: Iterable[ExtensionAttribute]) -> dict[str, list[ExtensionAttribute]]:
    grouped: dict[str, list[ExtensionAttribute]] = {}
    for attribute in attributes:
        grouped.setdefault(attribute.urn, []).append(attribute)
    return grouped


def with_extensions(payload: dict[str, Any], values: dict[ExtensionAttribute, Any]) -> None:
    """Put extension values into a payload, each in its URN container, the URN in schemas."""
    schemas: list[str] = payload.setdefault("schemas", [CORE_USER])
    for attribute, value in values.items():
        container = payload.setdefault(attribute.urn, {})
        container[attribute.name] = value
        if attribute.urn not in schemas:
            schemas.append(attribute.urn)


# -- the user created with extension values ---------------------------------------------


@dataclass
class ExtensionUser:
    """A User POSTed with values in every extension the checks write, read back at once.

    On a profile with a userName limit its userName@domain has exactly that many characters,
    so the same POST proves that the limit itself is accepted (bizagi/username-max-accepted).
    """

    post: httpx.Response
    user: Resource | None
    values: dict[ExtensionAttribute, Any]
    read: httpx.Response | None = None
    query: httpx.Response | None = None

    def created(self) -> Resource:
        """The user, or a skip naming the refused POST (judged by extension/post-roundtrip)."""
        if self.user is None:
            pytest.skip(
                "the User with extension values could not be created "
                f"({describe(self.post)}); see extension/post-roundtrip"
            )
        return self.user


def extension_user(factory: Factory) -> ExtensionUser:
    return factory.shared("profiles/extension-user", lambda: _create_extension_user(factory))


def _create_extension_user(factory: Factory) -> ExtensionUser:
    profile = factory.profile
    attributes = extension_attributes(factory.capabilities, profile)
    values: dict[ExtensionAttribute, Any] = {}
    for attribute in attributes:
        required = _required_value(profile, attribute)
        values[attribute] = required if required is not ABSENT else attribute.new_value(factory)
    limit = profile.username_max_length
    try:
        name = factory.username_of_length(limit, "ext") if limit else factory.username("ext")
    except ValueError:  # a prefix too long for the limit: the suite's names are shorter
        name = factory.username("ext")
    payload = factory.user_payload(name)
    with_extensions(payload, values)
    ensure_budget(factory)
    post = factory.client.post(factory.users_path, payload)
    if post.status_code != 201:
        return ExtensionUser(post, None, values)
    user = factory.record_created("User", post, name=name)
    scenario = ExtensionUser(post, user, values, read=factory.client.get(id_path(factory, user)))
    if factory.capabilities.supports("filter"):
        scenario.query = query_user_name(factory.client, factory, name)
    return scenario


def _required_value(profile: Profile, attribute: ExtensionAttribute) -> Any:
    """The value the profile requires for an extension attribute (Bizagi: enabledFor...)."""
    for urn, required in profile.required_extensions.items():
        if urn.lower() != attribute.urn.lower():
            continue
        for name, value in required.items():
            if name.lower() == attribute.name.lower():
                return value
    return ABSENT


def extension_values(
    state: dict[str, Any], attributes: Iterable[ExtensionAttribute]
) -> dict[ExtensionAttribute, Any]:
    """The current value of each attribute in a representation (ABSENT when unassigned)."""
    return {attribute: value_at(state, attribute.path) for attribute in attributes}


def extension_differences(
    state: dict[str, Any], expected: dict[ExtensionAttribute, Any]
) -> list[str]:
    return [
        f"{a.path} is {render(value_at(state, a.path))} (expected {render(value)})"
        for a, value in expected.items()
        if not same_value(value_at(state, a.path), value, case_exact=a.case_exact)
    ]
