"""The strategies only ever produce requests whose outcome the oracle pins down."""

from __future__ import annotations

import unicodedata
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conformance.discovery import ENTERPRISE_USER
from conformance.model import Expectation, SchemaView, apply_patch, compare, parse_filter
from conformance.model.world import OwnedUser, World
from conformance.profile import Profile
from conformance.strategies import EXAMPLE_DOMAINS, UserStrategies

QUICK = settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
PINNED = "urn:example:params:scim:schemas:extension:pinned:2.0:User"


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


@QUICK
@given(data=st.data())
def test_payloads_are_clean_and_read_back_as_sent(
    user_schema: SchemaView, data: st.DataObject
) -> None:
    values = UserStrategies(user_schema, Profile())
    payload = data.draw(values.payload())
    payload["userName"] = "scimctest1sm001@example.com"
    for text in _strings(payload):
        assert text == unicodedata.normalize("NFC", text) and text == text.strip()
    for email in payload.get("emails") or []:
        assert email["value"].split("@")[1] in EXAMPLE_DOMAINS
    assert sum(1 for e in payload.get("emails") or [] if e.get("primary")) <= 1
    expectation = Expectation.from_payload(user_schema, payload)
    shown = {k: v for k, v in payload.items() if k != "password"}
    problems, _ = compare(expectation, shown)
    assert problems == []


@QUICK
@given(data=st.data())
def test_operation_lists_never_leave_the_oracle_guessing(
    user_schema: SchemaView, data: st.DataObject
) -> None:
    values = UserStrategies(user_schema, Profile())
    payload = {**data.draw(values.payload()), "userName": "u1@example.com"}
    state = Expectation.from_payload(user_schema, payload)
    for _ in range(4):
        operations = data.draw(values.operations(state))
        outcome = apply_patch(state, operations)  # raises Ambiguous if the RFC left it open
        if outcome.must_fail is None:
            state = outcome.expectation
            assert state.to_json()["userName"] == "u1@example.com"
        else:
            assert operations[-1] == {"op": "remove"} or outcome.must_fail.status == 400


def test_profile_pins_required_extension_values(user_schema: SchemaView) -> None:
    profile = Profile(required_extensions={ENTERPRISE_USER: {"employeeNumber": "42"}})
    values = UserStrategies(user_schema, profile)
    payload = values.minimal_payload()
    assert payload[ENTERPRISE_USER] == {"employeeNumber": "42"}
    assert ENTERPRISE_USER in payload["schemas"]
    assert all(r.label != f"{ENTERPRISE_USER}:employeeNumber" for r in values.refs)


@QUICK
@given(data=st.data())
def test_filters_parse_and_the_world_can_judge_them(
    user_schema: SchemaView, data: st.DataObject
) -> None:
    values = UserStrategies(user_schema, Profile())
    world = World()
    users = []
    for number in range(2):
        name = f"scimcabcdesm00{number}@example.com"
        expectation = Expectation.from_payload(
            user_schema, {**data.draw(values.payload()), "userName": name}
        )
        expectation.id = f"id{number}"
        world.add(OwnedUser(expectation.id, name, f"/Users/id{number}", expectation))
        users.append(expectation)
    predicate, scope_case = data.draw(values.filters(users, "scimcabcdesm"))
    text = 'userName sw "scimcabcdesm"' + (f" and ({predicate})" if predicate else "")
    expected = world.expect_list(parse_filter(text))
    assert expected.must | expected.must_not | expected.may == {"id0", "id1"}
    assert scope_case in ("keep", "upper", "mixed")
    if predicate is None:
        assert expected.must == {"id0", "id1"}
