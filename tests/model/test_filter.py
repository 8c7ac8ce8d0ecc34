"""Filters and PATCH paths (RFC 7644 §3.4.2.2, §3.5.2 Figure 7), parsed and evaluated."""

from __future__ import annotations

import pytest

from conformance.discovery import ENTERPRISE_USER
from conformance.model import (
    Expectation,
    FilterError,
    SchemaContext,
    SchemaView,
    evaluate,
    parse_filter,
    parse_path,
)
from conformance.model.filter import And, Compare, Not, Or, PatchPath, Present, ValueFilter

USER = {
    "userName": "Bjensen@Example.com",
    "externalId": "AbC-1",
    "active": True,
    "title": "Tour Guide",
    "emails": [
        {"value": "bjensen@example.com", "type": "work", "primary": True},
        {"value": "babs@jensen.org", "type": "home"},
    ],
    "name": {"familyName": "Jensen", "givenName": "Barbara"},
    ENTERPRISE_USER: {"department": "Tour Operations"},
}


def test_and_binds_tighter_than_or() -> None:
    node = parse_filter('title pr or userName eq "a" and active eq true')
    assert node == Or(
        Present("title"), And(Compare("userName", "eq", "a"), Compare("active", "eq", True))
    )


def test_not_value_filters_and_literals() -> None:
    node = parse_filter('not (emails[type eq "work" and value co "@"]) and meta.version eq null')
    assert isinstance(node, And) and isinstance(node.left, Not)
    assert isinstance(node.left.inner, ValueFilter) and node.left.inner.path == "emails"
    assert node.right == Compare("meta.version", "eq", None)


@pytest.mark.parametrize(
    "text",
    ["userName eq", 'userName zz "x"', '(userName eq "x"', 'emails[type eq "work"', '"x" eq a'],
)
def test_malformed_filters_are_refused(text: str) -> None:
    with pytest.raises(FilterError):
        parse_filter(text)


def test_patch_paths() -> None:
    assert parse_path("name.familyName") == PatchPath("name.familyName")
    with_sub = parse_path('addresses[type eq "wo]rk"].streetAddress')
    assert with_sub.attr == "addresses" and with_sub.sub == "streetAddress"
    assert with_sub.value_filter == Compare("type", "eq", "wo]rk")
    urn = f"{ENTERPRISE_USER}:employeeNumber"
    assert parse_path(urn) == PatchPath(urn)
    with pytest.raises(FilterError):
        parse_path('emails[type eq "work"]value')


def test_evaluation_follows_case_exactness(user_schema: SchemaView) -> None:
    context = SchemaContext(user_schema)

    def check(text: str) -> bool | None:
        return evaluate(parse_filter(text), USER, context)

    # userName is case insensitive; externalId is caseExact (RFC 7643 §3.1)
    assert check('userName eq "BJENSEN@example.COM"') is True
    assert check('externalId eq "abc-1"') is False
    assert check('externalId eq "AbC-1"') is True
    assert check('emails[type eq "WORK" and value ew "EXAMPLE.COM"]') is True
    assert check('emails.value eq "BABS@JENSEN.ORG"') is True
    assert check('name.familyName sw "jen" and not (active eq false)') is True
    assert check(f'{ENTERPRISE_USER}:department co "operations"') is True
    assert check("nickName pr") is False


def test_a_result_that_depends_on_the_case_mapping_is_open(user_schema: SchemaView) -> None:
    context = SchemaContext(user_schema)
    user = {"userName": "straße"}
    # casefold maps ß to ss, lower() keeps it: a server may do either
    assert evaluate(parse_filter('userName eq "STRASSE"'), user, context) is None
    assert evaluate(parse_filter('userName eq "x" or userName eq "STRASSE"'), user, context) is None
    assert (
        evaluate(parse_filter('userName eq "x" and userName eq "STRASSE"'), user, context) is False
    )


def test_expectation_context_resolves_extension_paths(user_schema: SchemaView) -> None:
    expectation = Expectation.from_payload(user_schema, USER)
    core_user_name = "urn:ietf:params:scim:schemas:core:2.0:User:userName"
    node = parse_filter(f'{core_user_name} sw "bj" and {ENTERPRISE_USER}:department pr')
    assert evaluate(node, expectation.to_json(), expectation.context()) is True
