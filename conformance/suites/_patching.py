"""PATCH plumbing for the test_patch_* modules: send operations, read back, judge both.

RFC 7644 §3.5.2 lets a successful PATCH answer 200 with the resource or 204 without it, so a
check never trusts the PATCH answer alone: it judges the 200 body when there is one, and
always the GET that follows. To spend few users (Bizagi never deletes one), the PATCH checks
share one user of the run; each check puts that user into the state it needs first, with a
preparatory PATCH whose failure makes the check an error (it could not judge), not a failure.
Checks that could break a user (changing its id, removing its userName) use a separate
"victim" user, replaced if an earlier check broke it.
"""

from __future__ import annotations

import itertools
import json
import weakref
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import httpx
import pytest

from conformance.checks import describe, fail
from conformance.discovery import CORE_USER, PATCH_OP, Capabilities
from conformance.errors import SuiteError
from conformance.factory import Factory, Resource
from conformance.http import ScimClient, json_or_none

Operation = dict[str, Any]
Judge = Callable[[dict[str, Any]], "str | None"]
"""Looks at one representation of the resource; says what is wrong with it, or None."""


class _Absent:
    def __repr__(self) -> str:
        return "absent"


ABSENT: Any = _Absent()
"""An attribute that is not in the representation at all (distinct from null)."""


class Blocked(SuiteError):
    """A step that only prepares or reads back failed, so the check cannot judge (an error)."""


# -- requests --------------------------------------------------------------------------


def operation(op: str, path: str | None = None, value: Any = ABSENT) -> Operation:
    """One PATCH operation; `path` and `value` are left out when not given."""
    item: Operation = {"op": op}
    if path is not None:
        item["path"] = path
    if value is not ABSENT:
        item["value"] = value
    return item


def patch_request(*operations: Operation) -> dict[str, Any]:
    return {"schemas": [PATCH_OP], "Operations": list(operations)}


def show(operations: Iterable[Operation]) -> str:
    """The operations as compact JSON, for messages."""
    return json.dumps(list(operations), ensure_ascii=False)


@dataclass
class Applied:
    """A PATCH the target accepted: what was sent, the answer, and the 200 body if any."""

    operations: tuple[Operation, ...]
    response: httpx.Response
    body: dict[str, Any] | None


class Subject:
    """A User under PATCH: send operations to it, read it back, judge what comes back."""

    def __init__(self, scim: ScimClient, factory: Factory, user: Resource) -> None:
        self.scim = scim
        self.factory = factory
        self.user = user

    @property
    def path(self) -> str:
        return self.factory.path(self.user)

    def send(self, *operations: Operation, params: dict[str, str] | None = None) -> httpx.Response:
        return self.scim.patch(self.path, patch_request(*operations), params=params)

    def read(self) -> dict[str, Any]:
        """GET the user; a failure here is the suite's dead end, not a verdict."""
        response = self.scim.get(self.path)
        body = json_or_none(response)
        if response.status_code != 200 or not isinstance(body, dict):
            raise Blocked(f"could not read the user back: GET {self.path} -> {describe(response)}")
        return body

    def prepare(self, *operations: Operation, holds: Judge | None = None) -> None:
        """Put the user into the state a check starts from; Blocked when refused, or when
        `holds` finds the state a GET shows afterwards is not the one the check needs."""
        response = self.send(*operations)
        if response.status_code not in (200, 204):
            raise Blocked(
                f"could not prepare the user: PATCH {show(operations)} -> {describe(response)}"
            )
        if holds is not None:
            problem = holds(self.read())
            if problem is not None:
                raise Blocked(
                    f"could not prepare the user: PATCH {show(operations)} answered "
                    f"{response.status_code}, but then {problem}"
                )

    def apply(self, *operations: Operation, params: dict[str, str] | None = None) -> Applied:
        """Send operations that must succeed: 200 with the resource, or 204 (§3.5.2)."""
        response = self.send(*operations, params=params)
        if response.status_code not in (200, 204):
            fail(
                f"PATCH {self.path} {show(operations)} was not applied.\n"
                "Expected: 200 with the updated resource, or 204 (RFC 7644 §3.5.2)\n"
                f"Actual: {describe(response)}"
            )
        body = None
        if response.status_code == 200:
            body = json_or_none(response)
            if not isinstance(body, dict):
                fail(
                    f"PATCH {self.path} {show(operations)} answered 200 without the resource.\n"
                    "Expected: 200 with the entire resource in the body, or 204 "
                    "(RFC 7644 §3.5.2)\n"
                    f"Actual: {describe(response)}"
                )
        return Applied(tuple(operations), response, body)

    def confirm(self, applied: Applied, judge: Judge, expected: str) -> dict[str, Any]:
        """Judge the 200 body (if any) and a fresh GET; returns what the GET showed."""
        if applied.body is not None:
            self._verdict(applied, judge(applied.body), expected, "the 200 response body")
        state = self.read()
        self._verdict(applied, judge(state), expected, "the GET that follows")
        return state

    def _verdict(self, applied: Applied, problem: str | None, expected: str, where: str) -> None:
        if problem is None:
            return
        fail(
            f"PATCH {self.path} {show(applied.operations)} answered "
            f"{applied.response.status_code}, but {where} is not what the operations call for.\n"
            f"Expected: {expected}\nActual: {problem}"
        )

    def refused(
        self,
        response: httpx.Response,
        operations: Iterable[Operation],
        *,
        why: str,
        status: int | None = None,
        scim_type: str | tuple[str, ...] | None = None,
    ) -> None:
        """The PATCH must be refused: `status` (any 4xx when None), and `scim_type` if given.

        Only what was refused is judged here; the form of the SCIM Error body (schema URN,
        status as a string) is the errors area's check, made on every kind of request.
        """
        kinds = (scim_type,) if isinstance(scim_type, str) else tuple(scim_type or ())
        code = response.status_code
        body = json_or_none(response)
        given = body.get("scimType") if isinstance(body, dict) else None
        status_ok = code == status if status is not None else 400 <= code < 500
        type_ok = not kinds or (
            isinstance(given, str) and given.casefold() in {k.casefold() for k in kinds}
        )
        if status_ok and type_ok:
            return
        wanted = str(status) if status is not None else "a 4xx status"
        if kinds:
            wanted += " with scimType " + " or ".join(kinds)
        fail(
            f"PATCH {self.path} {show(operations)} must be refused ({why}).\n"
            f"Expected: {wanted}\nActual: {describe(response)}"
        )


# -- users -----------------------------------------------------------------------------

_SHARED: weakref.WeakKeyDictionary[Factory, Resource] = weakref.WeakKeyDictionary()
_VICTIMS: weakref.WeakKeyDictionary[Factory, Resource] = weakref.WeakKeyDictionary()


def _new_user(factory: Factory) -> Resource:
    return factory.create_user(factory.user_payload(factory.username("patch")))


def _reused_or_new_user(factory: Factory) -> Resource:
    """Where DELETE only deactivates (Bizagi), an earlier run's user is taken over first."""
    return factory.reusable_user(lambda: _new_user(factory))


def shared_subject(scim: ScimClient, factory: Factory) -> Subject:
    """The run's PATCH user, created on first use (call from a fixture: a refused POST is
    then an error of the check, not its failure)."""
    user = _SHARED.get(factory)
    if user is None:
        user = _SHARED[factory] = _reused_or_new_user(factory)
    return Subject(scim, factory, user)


def victim_subject(scim: ScimClient, factory: Factory) -> Subject:
    """A user for checks that could break it; replaced when a GET shows it was broken."""
    user = _VICTIMS.get(factory)
    if user is not None:
        response = scim.get(factory.path(user))
        body = json_or_none(response)
        intact = (
            response.status_code == 200
            and isinstance(body, dict)
            and str(body.get("id")) == user.id
            and isinstance(member(body, "userName"), str)
            and str(member(body, "userName")).casefold() == user.name.casefold()
        )
        if not intact:
            user = None
    if user is None:
        user = _VICTIMS[factory] = _new_user(factory)
    return Subject(scim, factory, user)


# -- values ----------------------------------------------------------------------------

_SEQUENCE = itertools.count(1)


def fresh(factory: Factory, tag: str) -> str:
    """A new string value of this run, recognisable by its prefix."""
    return f"{tag} {factory.run_prefix} {next(_SEQUENCE)}"


def fresh_email(factory: Factory, tag: str) -> str:
    return f"{factory.run_prefix}.{tag}{next(_SEQUENCE)}@{factory.profile.username_domain}"


def fresh_phone() -> str:
    """A number in the range reserved for fiction (555-01xx)."""
    return f"+1201555{100 + next(_SEQUENCE) % 100:04d}"


# -- reading representations -----------------------------------------------------------


def member(obj: Any, name: str) -> Any:
    """obj[name], matched exactly first, then case-insensitively (RFC 7643 §2.1); ABSENT."""
    if not isinstance(obj, dict):
        return ABSENT
    if name in obj:
        return obj[name]
    folded = name.casefold()
    for key, value in obj.items():
        if isinstance(key, str) and key.casefold() == folded:
            return value
    return ABSENT


def split_urn(path: str) -> tuple[str | None, str]:
    """`urn:...:User:employeeNumber` -> (`urn:...:User`, `employeeNumber`)."""
    if path.casefold().startswith("urn:"):
        urn, _, rest = path.rpartition(":")
        return urn, rest
    return None, path


def value_at(resource: dict[str, Any], path: str) -> Any:
    """The value at an attribute path without filter (`a`, `a.b`, `urn:...:a`), or ABSENT."""
    urn, rest = split_urn(path)
    node: Any = member(resource, urn) if urn else resource
    for part in rest.split("."):
        node = member(node, part)
    return node


def unassigned(value: Any) -> bool:
    """RFC 7643 §2.5: unassigned, null and an empty array are the same state."""
    return value is ABSENT or value is None or value == [] or value == {}


def same(actual: Any, expected: Any) -> bool:
    """Equal values; strings compare case-insensitively, the safe side of caseExact."""
    if isinstance(actual, str) and isinstance(expected, str):
        return actual.casefold() == expected.casefold()
    return bool(actual == expected)


def same_instant(first: Any, second: Any) -> bool:
    """Two DateTime strings naming the same moment (equal strings when not parseable)."""

    def instant(stamp: Any) -> Any:
        try:
            return datetime.fromisoformat(str(stamp).replace("Z", "+00:00"))
        except ValueError:
            return stamp

    return isinstance(first, str) and isinstance(second, str) and instant(first) == instant(second)


def render(value: Any) -> str:
    return "absent" if value is ABSENT else json.dumps(value, ensure_ascii=False)


def shows(path: str, expected: Any) -> Judge:
    """Judge: the attribute at `path` holds `expected`."""

    def judge(state: dict[str, Any]) -> str | None:
        actual = value_at(state, path)
        return None if same(actual, expected) else f"{path} is {render(actual)}"

    return judge


def lacks(path: str) -> Judge:
    """Judge: the attribute at `path` is unassigned."""

    def judge(state: dict[str, Any]) -> str | None:
        actual = value_at(state, path)
        return None if unassigned(actual) else f"{path} is still {render(actual)}"

    return judge


def all_of(*judges: Judge) -> Judge:
    def judge(state: dict[str, Any]) -> str | None:
        problems = [p for p in (j(state) for j in judges) if p]
        return "; ".join(problems) if problems else None

    return judge


def _canonical(value: Any) -> Any:
    """Order-free form of a representation: arrays sorted, for before/after comparison."""
    if isinstance(value, dict):
        return {k: _canonical(v) for k, v in value.items()}
    if isinstance(value, list):
        items = [_canonical(v) for v in value]
        return sorted(items, key=lambda v: json.dumps(v, sort_keys=True))
    return value


def unchanged(before: dict[str, Any]) -> Judge:
    """Judge: every attribute but meta is as it was before."""
    old = {k: _canonical(v) for k, v in before.items() if k != "meta"}

    def judge(state: dict[str, Any]) -> str | None:
        new = {k: _canonical(v) for k, v in state.items() if k != "meta"}
        changed = sorted(k for k in old.keys() | new.keys() if old.get(k) != new.get(k))
        if not changed:
            return None
        return "changed: " + ", ".join(
            f"{k} {render(before.get(k, ABSENT))} -> {render(state.get(k, ABSENT))}"
            for k in changed
        )

    return judge


# -- the target's schema ---------------------------------------------------------------


def definition(capabilities: Capabilities, path: str) -> dict[str, Any] | None | _Absent:
    """The attribute's definition; None when the target does not describe that schema
    (then RFC 7643 is assumed), ABSENT when the schema is described without it."""
    urn, rest = split_urn(path)
    schema = urn or CORE_USER
    known = {key.casefold(): key for key in capabilities.schemas}
    if schema.casefold() not in known:
        return None
    found = capabilities.attribute(known[schema.casefold()], rest)
    return ABSENT if found is None else found


def require_writable(capabilities: Capabilities, path: str, *, removable: bool = False) -> None:
    """Skip when the target's schema has no such attribute, or one a client may not change."""
    found = definition(capabilities, path)
    if found is None:
        return
    if isinstance(found, _Absent):
        pytest.skip(f"not offered: the target's User schema has no attribute {path}")
    mutability = found.get("mutability", "readWrite")
    if mutability in ("readOnly", "immutable"):
        pytest.skip(f"not applicable: the target's schema declares {path} {mutability}")
    if removable and found.get("required") is True:
        pytest.skip(f"not applicable: the target's schema declares {path} required")
