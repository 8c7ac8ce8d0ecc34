"""The oracle's PATCH semantics against the worked examples of RFC 7644 §3.5.2."""

from __future__ import annotations

from typing import Any

import pytest

from conformance.discovery import CORE_USER, ENTERPRISE_USER
from conformance.model import (
    Ambiguous,
    Expectation,
    SchemaView,
    Slot,
    apply_patch,
    compare,
)
from tests.model.conftest import rfc_example

BABS = "2819c223-7f76-453a-919d-413861904646"
JAMES = "08e1d05d-121c-4561-8b96-473d93df9210"


def _members(*ids: str) -> list[dict[str, Any]]:
    return [{"value": i, "display": f"member {i[:4]}"} for i in ids]


def _group(schema: SchemaView, *ids: str) -> Expectation:
    payload: dict[str, Any] = {"displayName": "Tour Guides"}
    if ids:
        payload["members"] = _members(*ids)
    return Expectation.from_payload(schema, payload)


def _member_ids(expectation: Expectation, schema: SchemaView) -> list[str]:
    return [m["value"] for m in expectation.get(Slot(schema.core_urn, "members")) or []]


def _user(schema: SchemaView, **attributes: Any) -> Expectation:
    return Expectation.from_payload(schema, {"userName": "bjensen", **attributes})


def _emails(expectation: Expectation) -> list[dict[str, Any]]:
    return list(expectation.get(Slot(CORE_USER, "emails")) or [])


# -- §3.5.2.1 add ----------------------------------------------------------------------------


def test_add_member_appends_and_adding_it_again_changes_nothing(group_schema: SchemaView) -> None:
    operations = rfc_example("3.5.2.1-patch-add-member")["Operations"]
    group = _group(group_schema, JAMES)
    once = apply_patch(group, operations)
    assert once.must_succeed
    assert sorted(_member_ids(once.expectation, group_schema)) == sorted([JAMES, BABS])
    twice = apply_patch(once.expectation, operations)
    # "If the user was already a member of this group, no changes should be made"
    assert sorted(_member_ids(twice.expectation, group_schema)) == sorted([JAMES, BABS])


def test_add_without_path_adds_an_email_and_sets_nickname(user_schema: SchemaView) -> None:
    user = _user(user_schema, emails=[{"value": "bjensen@example.com", "type": "work"}])
    outcome = apply_patch(user, rfc_example("3.5.2.1-patch-add-without-path")["Operations"])
    assert outcome.must_succeed
    emails = _emails(outcome.expectation)
    assert {e["value"] for e in emails} == {"bjensen@example.com", "babs@jensen.org"}
    # "nickname" names nickName: attribute names are case insensitive (RFC 7643 §2.1)
    assert outcome.expectation.get(Slot(CORE_USER, "nickName")) == "Babs"
    again = apply_patch(
        outcome.expectation, [{"op": "add", "value": {"nickName": "Barbara"}}]
    ).expectation
    # "If the resource already had an existing "nickname", the value is replaced"
    assert again.get(Slot(CORE_USER, "nickName")) == "Barbara"


def test_add_with_an_extension_urn_path_adds_the_extension(user_schema: SchemaView) -> None:
    user = _user(user_schema)
    path = f"{ENTERPRISE_USER}:employeeNumber"
    outcome = apply_patch(user, [{"op": "add", "path": path, "value": "701984"}])
    body = outcome.expectation.to_json()
    # "adding the attribute ...:employeeNumber automatically adds the value ... to "schemas""
    assert ENTERPRISE_USER in body["schemas"]
    assert body[ENTERPRISE_USER] == {"employeeNumber": "701984"}


def test_add_primary_email_sets_the_others_to_false(user_schema: SchemaView) -> None:
    user = _user(user_schema, emails=[{"value": "a@example.com", "type": "work", "primary": True}])
    new = {"value": "b@example.com", "type": "home", "primary": True}
    outcome = apply_patch(user, [{"op": "add", "path": "emails", "value": [new]}])
    primary = {e["value"]: e.get("primary") for e in _emails(outcome.expectation)}
    assert primary == {"a@example.com": False, "b@example.com": True}


# -- §3.5.2.2 remove -------------------------------------------------------------------------


def test_remove_one_member_by_filter(group_schema: SchemaView) -> None:
    shortened = "2819c223-7f76-...413861904646"  # the value as the RFC prints it
    group = _group(group_schema, shortened, JAMES)
    outcome = apply_patch(group, rfc_example("3.5.2.2-patch-remove-member")["Operations"])
    assert outcome.must_succeed
    assert _member_ids(outcome.expectation, group_schema) == [JAMES]


def test_remove_of_a_non_member_changes_nothing_and_may_succeed(group_schema: SchemaView) -> None:
    group = _group(group_schema, JAMES)
    outcome = apply_patch(group, rfc_example("3.5.2.2-patch-remove-member")["Operations"])
    # "If the user was not a member of this group, no changes should be made to the
    # resource, and a success response should be returned" (lower-case: 400 is allowed too)
    assert outcome.must_fail is None and outcome.may_fail
    assert _member_ids(outcome.expectation, group_schema) == [JAMES]


def test_remove_all_members(group_schema: SchemaView) -> None:
    group = _group(group_schema, BABS, JAMES)
    outcome = apply_patch(group, [{"op": "remove", "path": "members"}])
    assert outcome.expectation.get(Slot(group_schema.core_urn, "members")) is None
    # "the attribute SHALL be considered unassigned": a target still showing members fails
    problems, _ = compare(
        outcome.expectation, {"displayName": "Tour Guides", "members": _members(BABS)}
    )
    assert [p.path for p in problems] == ["members"]
    problems, _ = compare(outcome.expectation, {"displayName": "Tour Guides", "members": []})
    assert problems == []


def test_remove_emails_by_complex_filter(user_schema: SchemaView) -> None:
    user = _user(
        user_schema,
        emails=[
            {"value": "bjensen@example.com", "type": "work"},
            {"value": "babs@jensen.org", "type": "work"},
            {"value": "home@example.com", "type": "home"},
        ],
    )
    operations = [{"op": "remove", "path": 'emails[type eq "work" and value ew "example.com"]'}]
    outcome = apply_patch(user, operations)
    assert {e["value"] for e in _emails(outcome.expectation)} == {
        "babs@jensen.org",
        "home@example.com",
    }


def test_remove_and_add_members_in_one_request(group_schema: SchemaView) -> None:
    shortened_babs, shortened_james = "2819c223...919d-413861904646", "08e1d05d...473d93df9210"
    group = _group(group_schema, shortened_babs)
    outcome = apply_patch(group, rfc_example("3.5.2.2-patch-remove-and-add-members")["Operations"])
    assert _member_ids(outcome.expectation, group_schema) == [shortened_james]


def test_replace_all_members_by_remove_then_add(group_schema: SchemaView) -> None:
    group = _group(group_schema, "old-1", "old-2")
    operations = [
        {"op": "remove", "path": "members"},
        {"op": "add", "path": "members", "value": _members(BABS, JAMES)},
    ]
    outcome = apply_patch(group, operations)
    assert sorted(_member_ids(outcome.expectation, group_schema)) == sorted([BABS, JAMES])


def test_remove_without_path_fails_with_no_target(user_schema: SchemaView) -> None:
    outcome = apply_patch(_user(user_schema), [{"op": "remove"}])
    # "If "path" is unspecified, the operation fails with HTTP status code 400 and a
    # "scimType" error code of "noTarget"."
    assert outcome.must_fail is not None
    assert (outcome.must_fail.status, outcome.must_fail.scim_type) == (400, "noTarget")


def test_remove_of_a_required_attribute_fails(user_schema: SchemaView) -> None:
    outcome = apply_patch(_user(user_schema), [{"op": "remove", "path": "userName"}])
    assert outcome.must_fail is not None and outcome.must_fail.scim_type == "mutability"


# -- §3.5.2.3 replace ------------------------------------------------------------------------


def test_replace_all_members_in_one_operation(group_schema: SchemaView) -> None:
    group = _group(group_schema, "old-1")
    operations = [{"op": "replace", "path": "members", "value": _members(BABS, JAMES)}]
    outcome = apply_patch(group, operations)
    assert sorted(_member_ids(outcome.expectation, group_schema)) == sorted([BABS, JAMES])


def test_replace_work_address_by_value_path_resets_other_primary(user_schema: SchemaView) -> None:
    user = _user(
        user_schema,
        addresses=[
            {"type": "work", "streetAddress": "100 Universal City Plaza", "locality": "Hollywood"},
            {"type": "home", "streetAddress": "456 Hollywood Blvd", "primary": True},
        ],
    )
    operations = rfc_example("3.5.2.3-patch-replace-address-valuepath")["Operations"]
    outcome = apply_patch(user, operations)
    addresses = {a["type"]: a for a in outcome.expectation.get(Slot(CORE_USER, "addresses"))}
    assert addresses["work"]["streetAddress"] == "911 Universal City Plaza"
    assert addresses["work"]["primary"] is True
    # "by setting "primary" to "true", the service provider will reset "primary" to
    # "false" for any other existing values of "addresses""
    assert addresses["home"]["primary"] is False
    assert addresses["home"]["streetAddress"] == "456 Hollywood Blvd"


def test_replace_sub_attribute_of_matching_record(user_schema: SchemaView) -> None:
    user = _user(
        user_schema,
        addresses=[
            {"type": "work", "streetAddress": "100 Universal City Plaza", "locality": "Hollywood"},
            {"type": "home", "streetAddress": "456 Hollywood Blvd"},
        ],
    )
    operations = [
        {
            "op": "replace",
            "path": 'addresses[type eq "work"].streetAddress',
            "value": "1010 Broadway Ave",
        }
    ]
    addresses = {
        a["type"]: a
        for a in apply_patch(user, operations).expectation.get(Slot(CORE_USER, "addresses"))
    }
    assert addresses["work"] == {
        "type": "work",
        "streetAddress": "1010 Broadway Ave",
        "locality": "Hollywood",
    }
    assert addresses["home"]["streetAddress"] == "456 Hollywood Blvd"


def test_replace_without_path_replaces_emails_and_nickname(user_schema: SchemaView) -> None:
    user = _user(
        user_schema,
        nickName="B",
        title="Tour Guide",
        emails=[{"value": "old@example.com", "type": "other"}],
    )
    outcome = apply_patch(user, rfc_example("3.5.2.3-patch-replace-without-path")["Operations"])
    assert {e["value"] for e in _emails(outcome.expectation)} == {
        "bjensen@example.com",
        "babs@jensen.org",
    }
    assert outcome.expectation.get(Slot(CORE_USER, "nickName")) == "Babs"
    # "Note that other attributes are unaffected."
    assert outcome.expectation.get(Slot(CORE_USER, "title")) == "Tour Guide"


def test_replace_through_a_filter_that_matches_nothing_fails(user_schema: SchemaView) -> None:
    user = _user(user_schema, emails=[{"value": "a@example.com", "type": "work"}])
    operations = [
        {"op": "replace", "path": "nickName", "value": "changed"},
        {
            "op": "replace",
            "path": 'emails[type eq "home"]',
            "value": {"value": "h@example.com", "type": "home"},
        },
    ]
    outcome = apply_patch(user, operations)
    # "the service provider SHALL indicate failure by returning HTTP status code 400 and a
    # "scimType" error code of "noTarget"" -- and the PATCH is atomic
    assert outcome.must_fail is not None
    assert (outcome.must_fail.status, outcome.must_fail.scim_type) == (400, "noTarget")
    assert outcome.expectation.get(Slot(CORE_USER, "nickName")) is None


def test_replace_complex_attribute_leaves_other_sub_attributes(user_schema: SchemaView) -> None:
    user = _user(user_schema, name={"givenName": "Barbara", "familyName": "Jensen"})
    outcome = apply_patch(user, [{"op": "replace", "path": "name", "value": {"givenName": "Babs"}}])
    # "Sub-attributes that are not specified in the "value" parameter are left unchanged."
    assert outcome.expectation.get(Slot(CORE_USER, "name", "familyName")) == "Jensen"
    assert outcome.expectation.get(Slot(CORE_USER, "name", "givenName")) == "Babs"


def test_replace_of_an_absent_attribute_is_an_add(user_schema: SchemaView) -> None:
    outcome = apply_patch(_user(user_schema), [{"op": "replace", "path": "title", "value": "CEO"}])
    assert outcome.must_succeed
    assert outcome.expectation.get(Slot(CORE_USER, "title")) == "CEO"


def test_setting_primary_through_a_filter_resets_the_others(user_schema: SchemaView) -> None:
    user = _user(
        user_schema,
        emails=[
            {"value": "a@example.com", "type": "work", "primary": True},
            {"value": "b@example.com", "type": "home"},
        ],
    )
    operations = [
        {"op": "replace", "path": 'emails[value eq "b@example.com"].primary', "value": True}
    ]
    primary = {
        e["value"]: e.get("primary") for e in _emails(apply_patch(user, operations).expectation)
    }
    assert primary == {"a@example.com": False, "b@example.com": True}


def test_readonly_attributes_cannot_be_patched(user_schema: SchemaView) -> None:
    outcome = apply_patch(_user(user_schema), [{"op": "replace", "path": "id", "value": "x"}])
    assert outcome.must_fail is not None and outcome.must_fail.scim_type == "mutability"


def test_requests_the_rfc_leaves_open_are_refused_by_the_oracle(user_schema: SchemaView) -> None:
    user = _user(user_schema, emails=[{"value": "a@example.com", "type": "work"}])
    with pytest.raises(Ambiguous):
        apply_patch(user, [{"op": "add", "path": 'emails[type eq "work"].display', "value": "x"}])
    with pytest.raises(Ambiguous):
        # whether "ß" matches "SS" depends on the server's case mapping
        apply_patch(
            _user(user_schema, emails=[{"value": "straße@example.com", "type": "work"}]),
            [{"op": "remove", "path": 'emails[value eq "STRASSE@example.com"]'}],
        )
