"""`--select` semantics: prefixes or globs, comma-separated, `!` excludes."""

import pytest

from conformance.plugin import selected


@pytest.mark.parametrize(
    ("identifier", "expression", "expected"),
    [
        ("patch/add-simple", None, True),
        ("patch/add-simple", "patch", True),
        ("patch/add-simple", "crud,patch/add", True),
        ("patch/add-simple", "filter", False),
        ("patch/add-simple", "patch,!patch/add-*", False),
        ("patch/remove", "patch,!patch/add-*", True),
        ("discovery/schema-wellformed[urn:x]", "*wellformed*", True),
        ("discovery/spc-get", "!discovery", False),
        ("create/201", "!discovery", True),
    ],
)
def test_selected(identifier: str, expression: str | None, expected: bool) -> None:
    assert selected(identifier, expression) is expected
