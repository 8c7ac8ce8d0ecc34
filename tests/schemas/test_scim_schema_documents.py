"""schemas/*.json are valid JSON Schema 2020-12 documents and accept every RFC example.

The RFC examples live in fixtures/rfc7643/ (RFC 7643 §8) and fixtures/rfc7643/rfc7644/
(RFC 7644 examples); fixtures/rfc7643/README.md lists the typos and errata applied to them.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from jsonschema.validators import validator_for

REPO_ROOT = Path(__file__).resolve().parents[2]
SCHEMA_DIR = REPO_ROOT / "schemas"
FIXTURE_DIR = REPO_ROOT / "fixtures" / "rfc7643"
SCHEMA_FILES = sorted(p.name for p in SCHEMA_DIR.glob("*.json"))
ID_BASE = "https://scim-conformance.dev/schemas/"
DRAFT_2020_12 = "https://json-schema.org/draft/2020-12/schema"

# $defs that several schema files repeat so that each file stands alone; they must not drift.
SHARED_DEFS = ("schemasAttribute", "meta", "dateTime", "id")

# fixture (relative to fixtures/rfc7643/) -> the schema it must satisfy. A fixture holding a
# JSON array (RFC 7643 §8.6 and §8.7 show arrays) is checked element by element.
RFC_EXAMPLES: dict[str, str] = {
    "8.1-minimal-user.json": "user.json",
    "8.2-full-user.json": "user.json",
    "8.3-enterprise-user.json": "user.json",
    "8.4-group.json": "group.json",
    "8.5-service-provider-config.json": "service-provider-config.json",
    "8.6-resource-types.json": "resource-type.json",
    "8.7.1-resource-schemas.json": "schema.json",
    "8.7.2-service-provider-schemas.json": "schema.json",
    "rfc7644/3.3-create-user-request.json": "user.json#/$defs/request",
    "rfc7644/3.3-create-user-response.json": "user.json",
    "rfc7644/3.4.2-list-response.json": "list-response.json",
    "rfc7644/3.5.2.1-patch-add-member.json": "patch-op.json",
    "rfc7644/3.5.2.1-patch-add-without-path.json": "patch-op.json",
    "rfc7644/3.5.2.2-patch-remove-member.json": "patch-op.json",
    "rfc7644/3.5.2.2-patch-remove-and-add-members.json": "patch-op.json",
    "rfc7644/3.5.2.3-patch-replace-address-valuepath.json": "patch-op.json",
    "rfc7644/3.5.2.3-patch-replace-without-path.json": "patch-op.json",
    "rfc7644/3.7.1-groups-list-response.json": "list-response.json",
    "rfc7644/3.7.2-bulk-response.json": "bulk-response.json",
    "rfc7644/3.7.3-bulk-response.json": "bulk-response.json",
    "rfc7644/3.7.3-bulk-response-fail-on-errors.json": "bulk-response.json",
    "rfc7644/3.7.3-bulk-response-all-failed.json": "bulk-response.json",
    "rfc7644/3.7.4-error-payload-too-large.json": "error.json",
    "rfc7644/3.9-get-user-attributes-username.json": "user.json#/$defs/partial",
    "rfc7644/3.12-error-mutability.json": "error.json",
    "rfc7644/3.12-error-not-found.json": "error.json",
    "rfc7644/4-resource-types-list-response.json": "list-response.json",
}

# ListResponse fixtures whose Resources are checked against a resource schema as well.
LIST_ITEMS: dict[str, str] = {
    "rfc7644/3.4.2-list-response.json": "user.json#/$defs/partial",
    "rfc7644/3.7.1-groups-list-response.json": "group.json",
    "rfc7644/4-resource-types-list-response.json": "resource-type.json",
}


def load_fixture(name: str) -> Any:
    return json.loads((FIXTURE_DIR / name).read_text(encoding="utf-8"))


def documents(name: str) -> list[Any]:
    data = load_fixture(name)
    return data if isinstance(data, list) else [data]


def describe(errors: list[Any]) -> str:
    return "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors) or "(none)"


# --- the schemas themselves --------------------------------------------------------------


@pytest.mark.parametrize("file_name", SCHEMA_FILES)
def test_schema_is_a_valid_2020_12_schema(file_name: str, scim_schema: Any) -> None:
    schema = scim_schema(file_name)
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == DRAFT_2020_12
    assert validator_for(schema) is Draft202012Validator


@pytest.mark.parametrize("file_name", SCHEMA_FILES)
def test_schema_has_stable_id_title_and_rfc_description(file_name: str, scim_schema: Any) -> None:
    schema = scim_schema(file_name)
    assert schema["$id"] == ID_BASE + file_name
    assert schema["title"].strip()
    assert "RFC 764" in schema["description"], "the description must cite its RFC clause"


def test_schema_files_are_the_expected_set() -> None:
    assert set(SCHEMA_FILES) == {
        "bulk-response.json",
        "error.json",
        "group.json",
        "list-response.json",
        "patch-op.json",
        "resource-type.json",
        "schema.json",
        "service-provider-config.json",
        "user.json",
    }


def test_readme_describes_every_schema() -> None:
    readme = (SCHEMA_DIR / "README.md").read_text(encoding="utf-8")
    missing = [name for name in SCHEMA_FILES if f"`{name}`" not in readme]
    assert not missing, f"schemas/README.md does not mention {missing}"


@pytest.mark.parametrize("def_name", SHARED_DEFS)
def test_repeated_definitions_are_identical_in_every_file(def_name: str, scim_schema: Any) -> None:
    copies = {
        name: scim_schema(name)["$defs"][def_name]
        for name in SCHEMA_FILES
        if def_name in scim_schema(name).get("$defs", {})
    }
    assert len(copies) >= 2, f"$defs/{def_name} is no longer shared; drop it from SHARED_DEFS"
    first = next(iter(copies.values()))
    drifted = sorted(name for name, copy in copies.items() if copy != first)
    assert not drifted, f"$defs/{def_name} differs in {drifted}"


# --- the RFC examples --------------------------------------------------------------------


@pytest.mark.parametrize(("fixture", "ref"), sorted(RFC_EXAMPLES.items()))
def test_rfc_example_is_valid(fixture: str, ref: str, scim_errors: Any) -> None:
    for index, document in enumerate(documents(fixture)):
        errors = scim_errors(ref, document)
        assert not errors, f"{fixture}[{index}] against {ref}:\n{describe(errors)}"


@pytest.mark.parametrize(("fixture", "ref"), sorted(LIST_ITEMS.items()))
def test_rfc_list_response_items_are_valid(fixture: str, ref: str, scim_errors: Any) -> None:
    for index, item in enumerate(load_fixture(fixture)["Resources"]):
        errors = scim_errors(ref, item)
        assert not errors, f"{fixture} Resources[{index}] against {ref}:\n{describe(errors)}"


def test_rfc_bulk_error_responses_are_valid_errors(scim_errors: Any) -> None:
    checked = 0
    for name, ref in RFC_EXAMPLES.items():
        if ref != "bulk-response.json":
            continue
        for operation in load_fixture(name)["Operations"]:
            if "response" in operation:
                errors = scim_errors("error.json", operation["response"])
                assert not errors, f"{name} {operation['method']}:\n{describe(errors)}"
                checked += 1
    assert checked == 5


def test_every_fixture_file_is_checked_and_documented() -> None:
    on_disk = {p.relative_to(FIXTURE_DIR).as_posix() for p in FIXTURE_DIR.rglob("*.json")}
    assert on_disk == set(RFC_EXAMPLES), "fixtures and RFC_EXAMPLES disagree"
    readme = (FIXTURE_DIR / "README.md").read_text(encoding="utf-8")
    undocumented = sorted(name for name in on_disk if Path(name).name not in readme)
    assert not undocumented, f"fixtures/rfc7643/README.md does not list {undocumented}"


def test_every_schema_has_an_rfc_example() -> None:
    covered = {ref.partition("#")[0] for ref in RFC_EXAMPLES.values()}
    assert covered == set(SCHEMA_FILES)


@pytest.mark.parametrize("fixture", ["8.2-full-user.json", "8.3-enterprise-user.json"])
def test_rejoined_x509_certificate_is_the_rfc_der_certificate(fixture: str) -> None:
    """The RFC wraps the base64 over 18 lines; the rejoined value must still decode to the
    839-byte DER certificate (SEQUENCE, length 0x0343) with the RFC's subject in it."""
    value = load_fixture(fixture)["x509Certificates"][0]["value"]
    der = base64.b64decode(value, validate=True)
    assert der[:4] == bytes.fromhex("30820343")
    assert len(der) == 4 + 0x343
    assert b"Ms. Barbara J Jensen III" in der
