"""Deleting a resource (RFC 7644 §3.6).

A profile whose DELETE only deactivates (Bizagi) skips these: what DELETE means there is
judged by the logical-delete checks. The checks judge one scenario: a User created, then
deleted (`delete_scenario`).
"""

from __future__ import annotations

import json

import httpx
import pytest

from conformance.checks import (
    describe,
    expect,
    expect_json_object,
    expect_status,
    needs,
    request_line,
    requirement,
    writes,
)
from conformance.factory import Factory
from conformance.profile import Profile
from conformance.suites._crud import (
    DeleteScenario,
    delete_scenario,
    ensure_budget,
    member,
    patch_body,
    record_if_created,
)


def _deleted(factory: Factory, profile: Profile) -> DeleteScenario:
    """The deleted User; skips on logical-delete profiles and when the DELETE failed."""
    if profile.deletes_logically:
        pytest.skip(f"profile {profile.name}: DELETE deactivates")
    scenario = delete_scenario(factory)
    if not scenario.deleted:
        pytest.skip(
            f"the DELETE did not succeed ({describe(scenario.delete)}); see delete/status-204"
        )
    return scenario


# RFC 7644 §3.6: "In response to a successful DELETE, the server SHALL return a successful
# HTTP status code 204 (No Content)."
@requirement("delete/status-204")
@writes
def test_delete_answers_204(factory: Factory, profile: Profile) -> None:
    if profile.deletes_logically:
        pytest.skip(f"profile {profile.name}: DELETE deactivates")
    expect_status(delete_scenario(factory).delete, 204)


# RFC 7644 §3.6: "Service providers MUST omit the resource from future query results."
@requirement("delete/omitted-from-queries")
@needs("filter")
@writes
def test_deleted_resource_is_not_listed(factory: Factory, profile: Profile) -> None:
    scenario = _deleted(factory, profile)
    name = scenario.user.name
    response = factory.client.get(factory.users_path, params={"filter": f'userName eq "{name}"'})
    expect_status(response, 200, why="a query by userName")
    body = expect_json_object(response)
    ids = [member(r, "id") for r in member(body, "Resources") or [] if isinstance(r, dict)]
    expect(
        scenario.user.id not in ids and member(body, "totalResults") in (0, None),
        f"{request_line(response)} still lists the User deleted by "
        f"{request_line(scenario.delete)}: totalResults "
        f"{json.dumps(member(body, 'totalResults'))}, ids {json.dumps(ids)}.",
    )


# RFC 7644 §3.6: "Service providers MAY choose not to permanently delete the resource but
# MUST return a 404 (Not Found) error code for all operations associated with the previously
# deleted resource."
@requirement("delete/gone-404")
@writes
@pytest.mark.parametrize(
    "method", ["GET", pytest.param("PATCH", marks=needs("patch")), "PUT", "DELETE"]
)
def test_deleted_resource_is_404(factory: Factory, profile: Profile, method: str) -> None:
    scenario = _deleted(factory, profile)
    client = factory.client
    response: httpx.Response
    if method == "GET":
        response = client.get(scenario.path)
    elif method == "PATCH":
        response = client.patch(scenario.path, patch_body("displayName", "Deleted"))
    elif method == "PUT":
        response = client.put(scenario.path, factory.user_payload(scenario.user.name))
        record_if_created(factory, response, scenario.user.name)
    else:
        response = client.delete(scenario.path)
    expect_status(response, 404, why=f"the resource was deleted by {request_line(scenario.delete)}")


# RFC 7644 §3.6: "the service provider SHOULD NOT consider the deleted resource in conflict
# calculation. For example, if a User resource is deleted, a CREATE request for a User
# resource with the same userName as the previously deleted resource SHOULD NOT fail with a
# 409 error due to userName conflict."
@requirement("delete/username-reusable")
@writes
def test_deleted_username_can_be_reused(factory: Factory, profile: Profile) -> None:
    scenario = _deleted(factory, profile)
    name = scenario.user.name
    ensure_budget(factory)
    response = factory.client.post(factory.users_path, factory.user_payload(name))
    if response.status_code == 201:
        factory.record_created("User", response, name=name)
    expect_status(
        response, 201, why=f"the User named {name!r} was deleted; its userName is free again"
    )
