"""Error responses (RFC 7644 §3.12): each provoked error is a SCIM Error with the right status.

The provoking requests are the run's shared probes (`_crud.PROBES`): the checks of create,
read, replace and security judge what was refused, these judge how.
"""

from __future__ import annotations

import json
from functools import cache

import pytest
from jsonschema import Draft202012Validator

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
from conformance.factory import Factory
from conformance.http import ScimClient, json_or_none
from conformance.resources import load_json_schema
from conformance.suites._crud import member, probe

# probe -> the check that judges whether the answer should have been an error at all
_JUDGED_BY = {
    "get-unknown": "read/unknown-404",
    "put-unknown": "replace/unknown-not-created",
    "patch-unknown": "errors/status-code[patch-unknown]",
    "delete-unknown": "errors/status-code[delete-unknown]",
    "missing-username": "create/required-missing-rejected",
    "malformed-json": "errors/status-code[malformed-json]",
    "duplicate": "create/duplicate-409",
    "anonymous": "security/no-credentials-401",
    "wrong-token": "security/wrong-token-401",
}
_NEEDS_CREDENTIALS = {"anonymous", "wrong-token"}


@cache
def _error_schema() -> Draft202012Validator:
    return Draft202012Validator(load_json_schema("error"))


# RFC 7644 §3.12: "In addition to returning an HTTP response code, implementers MUST return
# the errors in the body of the response in a JSON format, using the attributes described
# below. Error responses are identified using the following "schema" URI:
# "urn:ietf:params:scim:api:messages:2.0:Error". [...] status  The HTTP status code (see
# Section 6 of [RFC7231]) expressed as a JSON string. REQUIRED. scimType  A SCIM detail error
# keyword. See Table 9. OPTIONAL."
@requirement("errors/scim-error-body")
@pytest.mark.parametrize(
    "key",
    [
        "get-unknown",
        pytest.param("put-unknown", marks=writes),
        pytest.param("patch-unknown", marks=[writes, needs("patch")]),
        pytest.param("delete-unknown", marks=writes),
        pytest.param("missing-username", marks=writes),
        pytest.param("malformed-json", marks=writes),
        pytest.param("duplicate", marks=writes),
        "anonymous",
        "wrong-token",
    ],
)
def test_error_answers_are_scim_errors(scim: ScimClient, factory: Factory, key: str) -> None:
    if key in _NEEDS_CREDENTIALS and not scim.has_credentials:
        pytest.skip("the run sends no credentials, so it cannot provoke a 401")
    response = probe(factory, key)
    if response.status_code < 400:
        pytest.skip(
            f"{request_line(response)} answered {response.status_code}, not an error; "
            f"see {_JUDGED_BY[key]}"
        )
    body = json_or_none(response)
    if body is None:
        fail(
            f"{request_line(response)} answered {response.status_code} without a JSON body; "
            f"errors MUST be returned as a SCIM Error.\nActual: {describe(response)}"
        )
    problems = [
        f"{'/'.join(str(p) for p in error.absolute_path) or '(body)'}: {error.message}"
        for error in sorted(_error_schema().iter_errors(body), key=lambda e: list(e.path))
    ]
    expect(
        not problems,
        f"{request_line(response)} answered {response.status_code} with a body that is not a "
        "SCIM Error (schemas/error.json):\n  " + "\n  ".join(problems[:8]) + f"\n"
        f"Actual: {describe(response)}",
    )
    status = member(body, "status")
    expect(
        status == str(response.status_code),
        f"{request_line(response)} answered HTTP {response.status_code} but its error body "
        f"says status {json.dumps(status)}; it must be the HTTP status as a JSON string.",
    )


# RFC 7644 §3.12: "Implementers SHOULD handle the identified HTTP status codes as described
# below." Table 8: 404 "Specified resource (e.g., User) or endpoint does not exist."; 400
# "Request is unparsable, syntactically incorrect, or violates schema." Table 9: invalidSyntax
# "The request body message structure was invalid or did not conform to the request schema";
# invalidValue "A required value was missing".
@requirement("errors/status-code")
@pytest.mark.parametrize(
    ("key", "status", "scim_types"),
    [
        pytest.param("put-unknown", 404, (), marks=writes, id="put-unknown"),
        pytest.param("patch-unknown", 404, (), marks=[writes, needs("patch")], id="patch-unknown"),
        pytest.param("delete-unknown", 404, (), marks=writes, id="delete-unknown"),
        pytest.param(
            "missing-username",
            400,
            ("invalidValue", "invalidSyntax"),
            marks=writes,
            id="missing-username",
        ),
        pytest.param("malformed-json", 400, ("invalidSyntax",), marks=writes, id="malformed-json"),
    ],
)
def test_error_status_codes(
    factory: Factory, key: str, status: int, scim_types: tuple[str, ...]
) -> None:
    response = probe(factory, key)
    expect_status(response, status, why="RFC 7644 §3.12 Table 8")
    scim_type = member(json_or_none(response), "scimType")
    if scim_types and scim_type is not None:
        expect(
            scim_type in scim_types,
            f"{request_line(response)} answered scimType {json.dumps(scim_type)}; Table 9 "
            f"names {' or '.join(scim_types)} for this error.",
        )
