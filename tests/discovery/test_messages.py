"""Unit checks of the pieces the discovery suite is built from: messages and endpoint paths."""

from __future__ import annotations

import pytest

from conformance.discovery import ResourceTypeInfo
from conformance.suites._jsonschema import json_path, problems, readable_pattern

SPC_URN = "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"


def _spc(**changes: object) -> dict[str, object]:
    feature = {"supported": False}
    spc: dict[str, object] = {
        "schemas": [SPC_URN],
        "patch": dict(feature),
        "bulk": {"supported": False, "maxOperations": 0, "maxPayloadSize": 0},
        "filter": {"supported": False, "maxResults": 0},
        "changePassword": dict(feature),
        "sort": dict(feature),
        "etag": dict(feature),
        "authenticationSchemes": [],
    }
    spc.update(changes)
    return spc


def test_a_valid_document_has_no_problem() -> None:
    assert problems(_spc(), "service-provider-config") == []


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"patch": {"supported": "yes"}},
         '$.patch.supported must be boolean, got string "yes" [type]'),
        ({"schemas": ["urn:x"]},
         f'$.schemas must contain "{SPC_URN}", got ["urn:x"] [contains]'),
        ({"etag": {}}, "$.etag.supported is missing (REQUIRED) [required]"),
    ],
)  # fmt: skip
def test_a_problem_names_path_and_keyword(changes: dict[str, object], expected: str) -> None:
    assert problems(_spc(**changes), "service-provider-config") == [expected]


def test_a_problem_inside_a_named_item_says_which() -> None:
    schema = {
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Schema"],
        "id": "urn:example:Thing",
        "attributes": [{"name": "colour", "type": "text", "multiValued": False}],
    }
    (found,) = problems(schema, "schema")
    assert found.startswith("$.attributes[0].type (in colour) must be one of string, boolean")
    assert found.endswith('got "text" [pattern]')


def test_paths_and_patterns_read_plainly() -> None:
    assert json_path(["Resources", 0, "urn:ietf:params:scim:schemas:core:2.0:User"]) == (
        '$.Resources[0]["urn:ietf:params:scim:schemas:core:2.0:User"]'
    )
    assert readable_pattern("^[Uu][Rr][Nn]:x$") == "urn:x"
    assert readable_pattern("^([Aa][Bb]|[Cc])$") == "one of ab, c (any case)"
    assert readable_pattern("^[0-9]{3}$") == "/^[0-9]{3}$/"


@pytest.mark.parametrize(
    ("endpoint", "path"),
    [
        ("/Users", "/Users"),
        ("Users", "/Users"),
        ("https://host/scim/v2/Users", "/Users"),
        ("https://host/scim/v2/Users/", "/Users"),
        ("https://HOST/scim/v2/Tenants/Users", "/Tenants/Users"),
        ("https://elsewhere/x/People/", "/People"),
    ],
)
def test_resource_type_endpoint_as_path(endpoint: str, path: str) -> None:
    info = ResourceTypeInfo("User", endpoint, "urn:x", base_url="https://host/scim/v2")
    assert info.path == path
