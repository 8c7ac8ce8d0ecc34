"""JSON Schema validation of SCIM documents against schemas/, with messages people can act on.

A jsonschema error says "'yes' is not of type 'boolean'"; a report reader needs to know
*where* and *which rule*: `ServiceProviderConfig: $.patch.supported must be boolean, got
"yes" [type] (RFC 7643 §5)`. Each problem names the JSON path, the failing JSON Schema
keyword and the clause the schema encodes.
"""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Iterable, Sequence
from functools import cache
from typing import Any

from jsonschema import Draft202012Validator, ValidationError

from conformance.checks import fail
from conformance.resources import load_json_schema

MAX_LISTED = 8
"""Problems listed in one failure message; the rest are counted."""

_IDENTIFIER = re.compile(r"^[A-Za-z_$][A-Za-z0-9_$]*$")
_CASE_CLASS = re.compile(r"\[([A-Za-z])([A-Za-z])\]")
_REGEX_LEFTOVERS = re.compile(r"[\[\]{}*+?\\()]")
_JSON_TYPES = {
    bool: "boolean",
    int: "integer",
    float: "number",
    str: "string",
    list: "array",
    dict: "object",
    type(None): "null",
}


@cache
def _validator(schema_name: str) -> Draft202012Validator:
    schema = load_json_schema(schema_name)
    Draft202012Validator.check_schema(schema)  # a broken schemas/ file is our bug: error
    return Draft202012Validator(schema)


def json_path(parts: Iterable[str | int], root: str = "$") -> str:
    """`$.Resources[0].attributes[3].type`; odd keys (URNs) as `$['urn:...:User']`."""
    path = root
    for part in parts:
        if isinstance(part, int):
            path += f"[{part}]"
        elif _IDENTIFIER.match(part):
            path += f".{part}"
        else:
            path += f"[{json.dumps(part)}]"
    return path


def problems(document: Any, schema_name: str) -> list[str]:
    """One sentence per violation of schemas/<schema_name>.json, in document order."""
    errors = sorted(
        _validator(schema_name).iter_errors(document),
        key=lambda e: [
            (0, p, "") if isinstance(p, int) else (1, 0, str(p)) for p in e.absolute_path
        ],
    )
    return list(dict.fromkeys(describe_error(error, document) for error in errors))


def expect_valid(document: Any, schema_name: str, *, label: str, clause: str) -> None:
    """Fail with every problem (path, keyword, clause) when the document breaks the schema."""
    found = problems(document, schema_name)
    if found:
        fail(problem_report(label, [f"{problem} ({clause})" for problem in found]))


def problem_report(label: str, found: Sequence[str]) -> str:
    """`Label: problem (clause)`, one line each, the first MAX_LISTED of them."""
    lines = [f"{label}: {problem}" for problem in found[:MAX_LISTED]]
    if len(found) > MAX_LISTED:
        lines.append(f"... and {len(found) - MAX_LISTED} more problem(s)")
    return "\n".join(lines)


def json_type(value: Any) -> str:
    return _JSON_TYPES.get(type(value), type(value).__name__)


def shown(value: Any, limit: int = 60) -> str:
    """A value as JSON, shortened."""
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def readable_pattern(pattern: str) -> str:
    """`^[Uu][Rr][Nn]:...:User$` -> `urn:...:User (any case)`; other regexes stay as they are."""
    folded = False

    def fold(match: re.Match[str]) -> str:
        nonlocal folded
        upper, lower = match.group(1), match.group(2)
        if upper.lower() != lower.lower():
            return match.group(0)
        folded = True
        return lower

    text = _CASE_CLASS.sub(fold, pattern).removeprefix("^").removesuffix("$").replace("\\.", ".")
    if text.startswith("(") and text.endswith(")") and text.count("(") == 1:
        text = text[1:-1]
    if _REGEX_LEFTOVERS.search(text):
        return f"/{pattern}/"
    words = text.split("|")
    text = words[0] if len(words) == 1 else "one of " + ", ".join(words)
    every_letter_folded = not re.search(r"[A-Za-z]", _CASE_CLASS.sub("", pattern))
    return f"{text} (any case)" if folded and every_letter_folded else text


def named(document: Any, parts: Iterable[str | int]) -> str:
    """The `name`s of the list items a path goes through (`name.givenName`), or ''."""
    names: list[str] = []
    node = document
    for part in parts:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            break
        if isinstance(part, int) and isinstance(node, dict) and isinstance(node.get("name"), str):
            names.append(node["name"])
    return ".".join(names)


def describe_error(error: ValidationError, document: Any = None) -> str:
    """`$.path (name) must ..., got ... [keyword]` for one jsonschema error."""
    path = json_path(error.absolute_path)
    label = named(document, error.absolute_path)
    if label:
        path = f"{path} (in {label})"
    keyword = str(error.validator)
    expected: Any = error.validator_value
    value = error.instance
    got = f", got {shown(value)}"
    if keyword == "type":
        wanted = " or ".join(expected) if isinstance(expected, list) else str(expected)
        text = f"{path} must be {wanted}, got {json_type(value)} {shown(value)}"
    elif keyword == "required":
        missing = _missing_property(error)
        text = f"{json_path([*error.absolute_path, missing])} is missing (REQUIRED)"
        if label:
            text += f" in {label}"
    elif keyword == "enum":
        choices = ", ".join(shown(v) for v in expected if v is not None)
        text = f"{path} must be one of {choices}{got}"
    elif keyword == "const":
        text = f"{path} must be {shown(expected)}{got}"
    elif keyword == "pattern":
        text = f"{path} must be {readable_pattern(str(expected))}{got}"
    elif keyword == "contains":
        text = f"{path} must contain {_contained(expected)}{got}"
    elif keyword == "minItems":
        text = f"{path} must have at least {expected} item(s){got}"
    elif keyword == "minLength":
        text = f"{path} must not be empty" if expected == 1 else f"{path} is too short{got}"
    elif keyword == "minimum":
        text = f"{path} must be at least {expected}{got}"
    elif keyword == "uniqueItems":
        text = f"{path} must not repeat a value{got}"
    else:
        text = f"{path}: {error.message}"
    return f"{text} [{keyword}]"


def _missing_property(error: ValidationError) -> str:
    head = error.message.removesuffix(" is a required property")
    try:
        return str(ast.literal_eval(head))
    except (ValueError, SyntaxError):
        return head


def _contained(subschema: Any) -> str:
    if isinstance(subschema, dict):
        if "pattern" in subschema:
            return shown(readable_pattern(str(subschema["pattern"])), limit=120)
        if "const" in subschema:
            return shown(subschema["const"])
    return f"an item valid against {shown(subschema)}"
