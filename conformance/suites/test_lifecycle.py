"""Logical delete and soft delete: a deactivated User stays a User.

On profiles whose DELETE only deactivates (Bizagi), the user must survive a DELETE, and
likewise a PATCH active=false: still returned by GET with active false, still found by the
userName query, and reactivated by PATCH active=true. On profiles whose DELETE removes, these
are skipped: RFC 7644 §3.6 applies there ("MUST return a 404 (Not Found) error code for all
operations associated with the previously deleted resource"), judged by the delete/ checks.

Entra ID soft-deletes with PATCH active=false on every target, so its rules run on every
profile that lists an Entra dialect, whatever its delete mode.

Each scenario runs once per run on the run's subject user (reused from an earlier run where
users can never be deleted) and ends by reactivating it.
"""

from __future__ import annotations

from dataclasses import dataclass

import httpx
import pytest

from conformance.checks import (
    describe,
    expect,
    expect_status,
    fail,
    needs,
    request_line,
    requirement,
    writes,
)
from conformance.factory import Factory, Resource
from conformance.http import json_or_none
from conformance.profile import Profile
from conformance.suites._patching import member, operation, patch_request, render
from conformance.suites._profiles import (
    activate,
    id_path,
    listed,
    query_user_name,
    require_deactivating,
    require_dialect,
    same_value,
    subject,
)


@dataclass
class Deactivation:
    """A User deactivated (by DELETE or PATCH), read, queried, then reactivated and read."""

    user: Resource
    path: str
    deactivate: httpx.Response
    read: httpx.Response
    query: httpx.Response | None
    reactivate: httpx.Response
    final: httpx.Response

    @property
    def deactivated(self) -> bool:
        return 200 <= self.deactivate.status_code < 300

    def require_deactivated(self) -> None:
        if not self.deactivated:
            pytest.skip(
                f"the deactivating {request_line(self.deactivate)} was refused "
                f"({describe(self.deactivate)}); see lifecycle/deactivated-readable"
            )


def _deactivation(factory: Factory, how: str, *, by_id: bool = False) -> Deactivation:
    key = f"lifecycle/{how}" + ("/by-id" if by_id else "")
    return factory.shared(key, lambda: _deactivate(factory, how, by_id=by_id))


def _deactivate(factory: Factory, how: str, *, by_id: bool) -> Deactivation:
    client = factory.client
    user = subject(factory)
    path = id_path(factory, user) if by_id else factory.path(user)
    activate(client, path)
    if how == "delete":
        first = client.delete(path)
    else:
        first = client.patch(path, patch_request(operation("replace", "active", False)))
    after = client.get(path)
    query = None
    if factory.capabilities.supports("filter"):
        query = query_user_name(client, factory, user.name)
    again = client.patch(path, patch_request(operation("replace", "active", True)))
    final = client.get(path)
    return Deactivation(user, path, first, after, query, again, final)


HOW = ["delete", pytest.param("patch", marks=needs("patch"))]


def _inactive(response: httpx.Response) -> bool:
    body = json_or_none(response)
    return isinstance(body, dict) and same_value(member(body, "active"), False)


# Bizagi (scim_deactivate.htm): "Users cannot be deleted in Bizagi. What you can do is
# deactivate a user, so this person cannot access the Work Portal any longer." ... "In Bizagi
# this user is deactivated after the service is invoked"; "You can also deactivate a user
# updating the active parameter."
@requirement("lifecycle/deactivated-readable")
@writes
@pytest.mark.parametrize("how", HOW)
def test_deactivated_user_is_readable(factory: Factory, profile: Profile, how: str) -> None:
    require_deactivating(profile)
    scenario = _deactivation(factory, how)
    expect(
        scenario.deactivated,
        f"{request_line(scenario.deactivate)} did not deactivate the User.\n"
        "Expected: a success status (Bizagi deactivates the user)\n"
        f"Actual: {describe(scenario.deactivate)}",
    )
    expect_status(scenario.read, 200, why=f"the User was only deactivated ({how})")
    expect(
        _inactive(scenario.read),
        f"after {request_line(scenario.deactivate)}, {request_line(scenario.read)} does not "
        f'show the User inactive.\nExpected: "active": false\nActual: {describe(scenario.read)}',
    )


# Bizagi: a deactivated user is still a user ("Users cannot be deleted"); Entra ID, which
# provisions Bizagi, finds users by this query before it creates them.
@requirement("lifecycle/deactivated-found")
@needs("filter")
@writes
@pytest.mark.parametrize("how", HOW)
def test_deactivated_user_is_found(factory: Factory, profile: Profile, how: str) -> None:
    require_deactivating(profile)
    scenario = _deactivation(factory, how)
    scenario.require_deactivated()
    assert scenario.query is not None
    expect_status(scenario.query, 200, why="a query by userName")
    item = listed(scenario.query, scenario.user.id)
    expect(
        item is not None and same_value(member(item, "active"), False),
        f"after {request_line(scenario.deactivate)}, {request_line(scenario.query)} does not "
        f"find the deactivated User (id {scenario.user.id}) with active false.\n"
        f"Actual: {describe(scenario.query)}",
    )


# Bizagi: deactivation is the reversible end of a user's life: "update the active parameter".
@requirement("lifecycle/reactivate")
@needs("patch")
@writes
@pytest.mark.parametrize("how", HOW)
def test_deactivated_user_can_be_reactivated(factory: Factory, profile: Profile, how: str) -> None:
    require_deactivating(profile)
    scenario = _deactivation(factory, how)
    scenario.require_deactivated()
    expect_status(scenario.reactivate, 200, 204, why="PATCH active=true on a deactivated User")
    expect_status(scenario.final, 200, why="reading the reactivated User")
    body = json_or_none(scenario.final)
    active = member(body, "active") if isinstance(body, dict) else None
    expect(
        same_value(active, True),
        f"after {request_line(scenario.reactivate)} active=true, the User is not active.\n"
        f'Expected: "active": true\nActual: {render(active)}',
    )


# Entra ID: "Soft-deleting a user active=false and restoring the user active=true. The user
# object should be returned in a request whether or not the user is active. The only time the
# user shouldn't be returned is when it's hard deleted from the application."
@requirement("entra/inactive-returned")
@needs("patch")
@writes
def test_entra_inactive_user_is_returned(factory: Factory, profile: Profile) -> None:
    require_dialect(profile, "entra", "entra-2020")
    scenario = _deactivation(factory, "patch", by_id=True)
    scenario.require_deactivated()
    problems = []
    if not (scenario.read.status_code == 200 and _inactive(scenario.read)):
        problems.append(f"{request_line(scenario.read)} -> {describe(scenario.read)}")
    if scenario.query is not None and listed(scenario.query, scenario.user.id) is None:
        problems.append(f"{request_line(scenario.query)} -> {describe(scenario.query)}")
    if problems:
        fail(
            f"after {request_line(scenario.deactivate)} active=false, the User is not returned "
            "as an inactive User.\nExpected: GET /Users/{id} and the userName query return "
            "it with active false\nActual: " + "; ".join(problems)
        )


# Entra ID requires "Soft-deleting a user active=false and restoring the user active=true"
# ("For SCIM applications, a disable is a request to set the active property to false").
@requirement("entra/soft-delete-restore")
@needs("patch")
@writes
def test_entra_soft_delete_and_restore(factory: Factory, profile: Profile) -> None:
    require_dialect(profile, "entra", "entra-2020")
    scenario = _deactivation(factory, "patch", by_id=True)
    expect_status(scenario.deactivate, 200, 204, why="PATCH active=false (soft delete)")
    expect(
        scenario.read.status_code != 200 or _inactive(scenario.read),
        f"after {request_line(scenario.deactivate)} active=false, GET shows the User active.\n"
        f"Actual: {describe(scenario.read)}",
    )
    expect_status(scenario.reactivate, 200, 204, why="PATCH active=true (restore)")
    body = json_or_none(scenario.final)
    expect(
        scenario.final.status_code == 200
        and isinstance(body, dict)
        and same_value(member(body, "active"), True),
        f"after {request_line(scenario.reactivate)} active=true, the User is not restored.\n"
        f'Expected: GET answers 200 with "active": true\nActual: {describe(scenario.final)}',
    )
