"""Comparison: behaviour the RFC allows never fails; behaviour it forbids always does."""

from __future__ import annotations

from typing import Any

from conformance.discovery import CORE_USER, ENTERPRISE_USER
from conformance.model import Expectation, SchemaView, Slot, apply_patch, compare, settle_created

EMAILS = [
    {"value": "Babs.Jensen@example.com", "type": "work", "primary": True},
    {"value": "babs@jensen.org", "type": "home"},
    {"value": "b.j@example.org", "type": "other"},
]


def _created(schema: SchemaView, **attributes: Any) -> Expectation:
    payload = {"userName": "bjensen@example.com", **attributes}
    expectation = Expectation.from_payload(schema, payload)
    expectation.id = "2819c223"
    expectation.created = "2011-08-01T18:29:49.793Z"
    return expectation


def _shown(**attributes: Any) -> dict[str, Any]:
    return {
        "schemas": [CORE_USER],
        "id": "2819c223",
        "userName": "bjensen@example.com",
        "meta": {"resourceType": "User", "created": "2011-08-01T18:29:49.793Z"},
        **attributes,
    }


def _paths(expectation: Expectation, representation: dict[str, Any]) -> list[str]:
    problems, _ = compare(expectation, representation)
    return [p.path for p in problems]


# -- allowed -----------------------------------------------------------------------------


def test_identical_representation_passes(user_schema: SchemaView) -> None:
    expectation = _created(user_schema, emails=EMAILS, displayName="Babs")
    assert _paths(expectation, _shown(emails=EMAILS, displayName="Babs")) == []


def test_case_of_case_insensitive_values_may_change(user_schema: SchemaView) -> None:
    # RFC 7643 §7: "If the attribute is case insensitive, the server MAY alter case"
    expectation = _created(user_schema, emails=EMAILS, displayName="Babs Jensen")
    lowered = [dict(e, value=e["value"].lower()) for e in EMAILS]
    shown = _shown(emails=lowered, displayName="BABS JENSEN", userName="BJENSEN@example.com")
    assert _paths(expectation, shown) == []


def test_multi_valued_order_is_not_significant(user_schema: SchemaView) -> None:
    expectation = _created(user_schema, emails=EMAILS)
    assert _paths(expectation, _shown(emails=list(reversed(EMAILS)))) == []


def test_primary_false_may_be_omitted_and_server_may_add_display(user_schema: SchemaView) -> None:
    sent = [
        {"value": "a@example.com", "type": "work", "primary": False},
        {"value": "b@example.com"},
    ]
    expectation = _created(user_schema, emails=sent)
    shown = [
        {"value": "a@example.com", "type": "work", "display": "a@example.com"},
        {"value": "b@example.com", "type": "other", "primary": False},
    ]
    assert _paths(expectation, _shown(emails=shown)) == []


def test_server_defaults_and_readonly_attributes_are_accepted(user_schema: SchemaView) -> None:
    expectation = _created(user_schema)
    shown = _shown(active=True, groups=[{"value": "g1", "display": "Staff"}], locale="en-US")
    problems, adopted = compare(expectation, shown)
    assert problems == []
    assert adopted.get(Slot(CORE_USER, "active")) is True


def test_cleared_multi_valued_may_be_omitted_or_empty(user_schema: SchemaView) -> None:
    expectation = apply_patch(
        _created(user_schema, emails=EMAILS), [{"op": "remove", "path": "emails"}]
    )
    for shown in (_shown(), _shown(emails=[]), _shown(emails=None)):
        assert _paths(expectation.expectation, shown) == []


def test_name_may_come_back_as_formatted_or_components(user_schema: SchemaView) -> None:
    name = {"givenName": "Barbara", "familyName": "Jensen", "formatted": "Ms. Barbara Jensen"}
    expectation = _created(user_schema, name=name)
    assert _paths(expectation, _shown(name={"formatted": "Ms. Barbara Jensen"})) == []
    assert _paths(expectation, _shown(name={"givenName": "Barbara", "familyName": "Jensen"})) == []


def test_phone_numbers_may_be_canonicalized(user_schema: SchemaView) -> None:
    expectation = _created(
        user_schema, phoneNumbers=[{"value": "+1 (201) 555-0123", "type": "work"}]
    )
    shown = _shown(phoneNumbers=[{"value": "tel:+1-201-555-0123", "type": "work"}])
    assert _paths(expectation, shown) == []


def test_put_omitting_an_attribute_lets_the_server_keep_or_clear_it(
    user_schema: SchemaView,
) -> None:
    expectation = _created(user_schema, title="Tour Guide", nickName="Babs").replaced(
        {"userName": "bjensen@example.com", "nickName": "Barbara"}
    )
    assert _paths(expectation, _shown(nickName="Barbara", title="Tour Guide")) == []
    assert _paths(expectation, _shown(nickName="Barbara")) == []


def test_unicode_normalization_form_is_not_a_change(user_schema: SchemaView) -> None:
    expectation = _created(user_schema, displayName="Zoe\u0308")  # decomposed ë
    assert _paths(expectation, _shown(displayName="Zo\u00eb")) == []


def test_returned_request_attribute_may_be_absent(user_schema: SchemaView) -> None:
    schemas = {
        CORE_USER: {
            "id": CORE_USER,
            "attributes": [
                {"name": "userName", "type": "string", "required": True},
                {"name": "secretQuestion", "type": "string", "returned": "request"},
            ],
        }
    }
    schema = SchemaView.build(CORE_USER, schemas)
    expectation = _created(schema, secretQuestion="pet?")
    assert _paths(expectation, _shown()) == []


# -- forbidden -------------------------------------------------------------------------------


def test_case_exact_value_altered_fails(user_schema: SchemaView) -> None:
    # RFC 7643 §7: "For attributes that are case exact, the server SHALL preserve case"
    expectation = _created(user_schema, externalId="AbC-701984")
    assert _paths(expectation, _shown(externalId="abc-701984")) == ["externalId"]


def test_non_ascii_mangled_fails(user_schema: SchemaView) -> None:
    expectation = _created(user_schema, name={"givenName": "Zoë", "familyName": "Łukasz"})
    shown = _shown(name={"givenName": "Zo?", "familyName": "?ukasz"})
    assert sorted(_paths(expectation, shown)) == ["name.familyName", "name.givenName"]


def test_truncated_multi_valued_fails(user_schema: SchemaView) -> None:
    expectation = _created(user_schema, emails=EMAILS)
    assert _paths(expectation, _shown(emails=EMAILS[:2])) == ["emails"]


def test_operation_on_the_wrong_element_fails(user_schema: SchemaView) -> None:
    expectation = _created(user_schema, emails=EMAILS)
    operations = [
        {"op": "replace", "path": 'emails[type eq "home"].value', "value": "new@example.com"}
    ]
    after = apply_patch(expectation, operations).expectation
    wrong = [dict(EMAILS[0], value="new@example.com"), EMAILS[1], EMAILS[2]]
    assert _paths(after, _shown(emails=wrong)) == ["emails"]


def test_removed_attribute_still_present_fails(user_schema: SchemaView) -> None:
    expectation = apply_patch(
        _created(user_schema, title="CEO"), [{"op": "remove", "path": "title"}]
    )
    assert _paths(expectation.expectation, _shown(title="CEO")) == ["title"]


def test_missing_attribute_fails(user_schema: SchemaView) -> None:
    extension = {"department": "Tour Operations"}
    expectation = _created(user_schema, **{ENTERPRISE_USER: extension})
    assert _paths(expectation, _shown()) == [f"{ENTERPRISE_USER}:department"]


def test_password_returned_fails(user_schema: SchemaView) -> None:
    expectation = _created(user_schema, password="t1meMa$heen")
    assert _paths(expectation, _shown(password="t1meMa$heen")) == ["password"]
    assert _paths(expectation, _shown()) == []


def test_two_primary_values_fail(user_schema: SchemaView) -> None:
    expectation = _created(user_schema, emails=EMAILS[:2])
    shown = [dict(EMAILS[0]), dict(EMAILS[1], primary=True)]
    assert "emails" in _paths(expectation, _shown(emails=shown))


def test_phone_number_digits_changed_fails(user_schema: SchemaView) -> None:
    expectation = _created(user_schema, phoneNumbers=[{"value": "+1-201-555-0123", "type": "work"}])
    shown = _shown(phoneNumbers=[{"value": "+1-201-555-0124", "type": "work"}])
    assert _paths(expectation, shown) == ["phoneNumbers"]


def test_id_and_created_are_stable(user_schema: SchemaView) -> None:
    expectation = _created(user_schema)
    moved = _shown(meta={"created": "2024-01-01T00:00:00Z"})
    assert _paths(expectation, moved) == ["meta.created"]
    assert _paths(expectation, dict(_shown(), id="other")) == ["id"]
    # the same instant in another notation is not a move
    same = _shown(meta={"created": "2011-08-01T18:29:49.793+00:00"})
    assert _paths(expectation, same) == []


def test_server_may_mark_a_primary_only_when_the_client_marked_none(
    user_schema: SchemaView,
) -> None:
    unmarked = [{"value": "a@example.com", "type": "work"}, {"value": "b@example.com"}]
    expectation = _created(user_schema, emails=unmarked)
    defaulted = [dict(unmarked[0], primary=True), unmarked[1]]
    assert _paths(expectation, _shown(emails=defaulted)) == []
    marked = _created(user_schema, emails=[dict(unmarked[0]), dict(unmarked[1], primary=True)])
    # the client chose b: the target may not move the primary to a
    assert _paths(marked, _shown(emails=defaulted)) == ["emails"]


def test_password_is_never_expected_back_whatever_the_schema_says(user_schema: SchemaView) -> None:
    schemas = {
        CORE_USER: {
            "id": CORE_USER,
            "attributes": [
                {"name": "userName", "type": "string", "required": True},
                {"name": "password", "type": "string", "returned": "default"},  # wrong schema
            ],
        }
    }
    expectation = _created(SchemaView.build(CORE_USER, schemas), password="t1meMa$heen")
    assert _paths(expectation, _shown()) == []
    assert _paths(expectation, _shown(password="t1meMa$heen")) == ["password"]


def test_a_created_resource_may_differ_from_what_was_posted(user_schema: SchemaView) -> None:
    # RFC 7644 §3.3: "the server is free to alter and/or ignore POSTed content"
    posted = _created(user_schema, nickName="Zoë", title="CEO", externalId="AbC", emails=EMAILS)
    stored = _shown(nickName="Zo?", emails=EMAILS[:1], externalId="AbC")
    strict, settled, altered = settle_created(posted, stored)
    assert strict == [] and sorted(altered) == ["emails", "nickName", "title"]
    assert _paths(settled, stored) == []  # the next steps start from what the target holds
    # ... but case of a caseExact value is preserved for any value submitted (RFC 7643 §7)
    strict, _, _ = settle_created(posted, _shown(externalId="abc"))
    assert [m.path for m in strict] == ["externalId"]
