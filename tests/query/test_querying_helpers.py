"""The pure helpers the query checks rely on: attribute paths, dateTimes, declined filters."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from conformance.discovery import ENTERPRISE_USER
from conformance.suites._querying import (
    declined_reason,
    fraction_digits,
    has_value,
    moment_between,
    parse_datetime,
    value_at,
)

USER = {
    "userName": "bjensen",
    "name": {"familyName": "Jensen", "givenName": "Barbara"},
    "emails": [{"value": "a@example.com", "type": "work"}, {"value": "b@home.org", "type": "home"}],
    ENTERPRISE_USER: {"employeeNumber": "701984"},
}


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("userName", "bjensen"),
        ("USERNAME", "bjensen"),
        ("name.familyName", "Jensen"),
        ("Name.GivenName", "Barbara"),
        ("emails.type", ["work", "home"]),
        (f"{ENTERPRISE_USER}:employeeNumber", "701984"),
        (f"{ENTERPRISE_USER.upper()}:EMPLOYEENUMBER", "701984"),
        ("title", None),
        ("name.middleName", None),
    ],
)
def test_value_at_follows_rfc_7644_attribute_notation(path: str, expected: object) -> None:
    assert value_at(USER, path) == expected


def test_has_value_treats_null_and_empty_as_unassigned() -> None:
    empty: tuple[object, ...] = (None, "", [], {})
    assert not any(has_value(v) for v in empty)
    assert all(has_value(v) for v in ("x", [1], {"a": 1}, False, 0))


def test_datetimes_parse_with_their_offset_and_precision() -> None:
    assert parse_datetime("2011-05-13T04:42:34Z") == datetime(2011, 5, 13, 4, 42, 34, tzinfo=UTC)
    assert parse_datetime("2011-05-13T06:42:34+02:00") == datetime(
        2011, 5, 13, 4, 42, 34, tzinfo=UTC
    )
    assert parse_datetime("2011-05-13T04:42:34") is None  # no zone: not comparable
    assert parse_datetime("yesterday") is None
    assert fraction_digits("2011-05-13T04:42:34.1234567Z") == 7
    assert fraction_digits("2011-05-13T04:42:34Z") == 0


def test_the_moment_between_users_keeps_a_unit_of_precision_from_both() -> None:
    base = datetime(2026, 1, 1, tzinfo=UTC)
    seconds = [base, base + timedelta(seconds=1), base + timedelta(seconds=5)]
    middle = moment_between(seconds, 0)
    assert middle == base + timedelta(seconds=3)
    # Second precision and users one second apart: no moment is safe from truncation.
    assert moment_between(seconds[:2], 0) is None
    close = [base, base + timedelta(milliseconds=3)]
    assert moment_between(close, 3) == base + timedelta(milliseconds=1)
    assert moment_between(close, 0) is None


def _response(status: int, body: object) -> httpx.Response:
    return httpx.Response(status, content=json.dumps(body).encode())


def test_only_invalid_filter_and_sensitive_count_as_declined() -> None:
    error = "urn:ietf:params:scim:api:messages:2.0:Error"
    assert declined_reason(_response(400, {"schemas": [error], "scimType": "invalidFilter"}))
    assert declined_reason(_response(403, {"schemas": [error], "scimType": "sensitive"}))
    syntax = {"schemas": [error], "scimType": "invalidSyntax"}
    assert declined_reason(_response(400, syntax)) is None
    assert declined_reason(_response(400, {"schemas": [error]})) is None
    assert declined_reason(_response(500, {"scimType": "invalidFilter"})) is None
    assert declined_reason(_response(200, {"totalResults": 0})) is None
