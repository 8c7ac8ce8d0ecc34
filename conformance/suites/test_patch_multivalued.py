"""PATCH on multi-valued attributes (emails, phoneNumbers): append, replace all, replace or
remove through a value filter, primary (RFC 7644 §3.5.2, §3.5.2.1-§3.5.2.3).

Each check first replaces the attribute with one "work" (primary) and one "home" value, then
judges the change relative to what a GET showed after that preparation.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from conformance.checks import needs, needs_resource, requirement, writes
from conformance.discovery import Capabilities
from conformance.factory import Factory
from conformance.http import ScimClient
from conformance.suites._patching import (
    Blocked,
    Judge,
    Subject,
    fresh_email,
    fresh_phone,
    operation,
    require_writable,
    shared_subject,
    value_at,
)

pytestmark = [needs("patch"), needs_resource("User"), writes]

Record = dict[str, Any]
Key = tuple[str, str]


@dataclass(frozen=True)
class Plural:
    """A multi-valued complex attribute of the User whose records carry type and value."""

    name: str

    def new_value(self, factory: Factory, tag: str) -> str:
        return fresh_phone() if self.name == "phoneNumbers" else fresh_email(factory, tag)

    def norm(self, value: Any) -> str:
        """Comparable form: digits of a phone number; an email folded (not caseExact)."""
        text = str(value)
        return re.sub(r"\D", "", text) if self.name == "phoneNumbers" else text.casefold()

    def records(self, state: dict[str, Any]) -> list[Record]:
        found = value_at(state, self.name)
        return [r for r in found if isinstance(r, dict)] if isinstance(found, list) else []

    def key(self, record: Record) -> Key:
        return (str(record.get("type", "")).casefold(), self.norm(record.get("value", "")))

    def keys(self, state: dict[str, Any]) -> Counter[Key]:
        return Counter(self.key(r) for r in self.records(state))

    def render(self, state: dict[str, Any]) -> str:
        return (
            f"{self.name} is "
            + ", ".join(
                f"{r.get('type') or '(no type)'}:{r.get('value') or '(no value)'}"
                + (" (primary)" if r.get("primary") is True else "")
                for r in self.records(state)
            )
            if self.records(state)
            else f"{self.name} is empty"
        )


PLURALS = [Plural("emails"), Plural("phoneNumbers")]


@pytest.fixture
def subject(scim: ScimClient, factory: Factory) -> Subject:
    """The run's shared PATCH user (created on first use)."""
    return shared_subject(scim, factory)


def _prepare(subject: Subject, plural: Plural, capabilities: Capabilities) -> dict[str, Any]:
    """Give the user one primary work and one home value; returns the state a GET shows."""
    require_writable(capabilities, plural.name)
    work = plural.new_value(subject.factory, "w")
    home = plural.new_value(subject.factory, "h")
    subject.prepare(
        operation(
            "replace",
            plural.name,
            [{"value": work, "type": "work", "primary": True}, {"value": home, "type": "home"}],
        )
    )
    before = subject.read()
    keys = plural.keys(before)
    if not (keys[("work", plural.norm(work))] and keys[("home", plural.norm(home))]):
        raise Blocked(f"could not prepare the user: after a replace, {plural.render(before)}")
    return before


def _others(plural: Plural, state: dict[str, Any], kind: str) -> Counter[Key]:
    return Counter(k for k in plural.keys(state).elements() if k[0] != kind)


def _judge(plural: Plural, problems: Callable[[dict[str, Any]], list[str]]) -> Judge:
    def judge(state: dict[str, Any]) -> str | None:
        found = problems(state)
        return f"{'; '.join(found)} ({plural.render(state)})" if found else None

    return judge


# RFC 7644 §3.5.2.1: "If the target location specifies a multi-valued attribute, a new value
# is added to the attribute."
@requirement("patch/add-multi-valued-appends")
@pytest.mark.parametrize("plural", PLURALS, ids=lambda p: p.name)
def test_add_appends(subject: Subject, capabilities: Capabilities, plural: Plural) -> None:
    before = _prepare(subject, plural, capabilities)
    value = plural.new_value(subject.factory, "o")
    applied = subject.apply(operation("add", plural.name, [{"value": value, "type": "other"}]))
    added = ("other", plural.norm(value))

    def problems(state: dict[str, Any]) -> list[str]:
        keys, found = plural.keys(state), []
        if not keys[added]:
            found.append(f"the added value {value} is missing")
        if plural.keys(before) - keys:
            found.append("existing values were dropped")
        return found

    subject.confirm(
        applied,
        _judge(plural, problems),
        f"{plural.name} keeps its work and home values and gains other:{value}",
    )


# RFC 7644 §3.5.2.3: "If the target location is a multi-valued attribute and no filter is
# specified, the attribute and all values are replaced."
@requirement("patch/replace-multi-valued-all")
@pytest.mark.parametrize("plural", PLURALS, ids=lambda p: p.name)
def test_replace_all_values(subject: Subject, capabilities: Capabilities, plural: Plural) -> None:
    _prepare(subject, plural, capabilities)
    values = [
        {"value": plural.new_value(subject.factory, "w"), "type": "work"},
        {"value": plural.new_value(subject.factory, "h"), "type": "home"},
    ]
    applied = subject.apply(operation("replace", plural.name, values))
    wanted = Counter(plural.key(v) for v in values)

    def problems(state: dict[str, Any]) -> list[str]:
        return [] if plural.keys(state) == wanted else ["the values are not exactly the new ones"]

    subject.confirm(
        applied,
        _judge(plural, problems),
        f"{plural.name} is exactly " + ", ".join(f"{v['type']}:{v['value']}" for v in values),
    )


# RFC 7644 §3.5.2.3: "If the target location is a complex multi-valued attribute with a value
# selection filter ("valuePath") and a specific sub-attribute (e.g., "addresses[type eq
# "work"].streetAddress"), the matching sub-attribute of all matching records is replaced."
@requirement("patch/replace-filter-subattribute")
@pytest.mark.parametrize("plural", PLURALS, ids=lambda p: p.name)
def test_replace_through_filter_subattribute(
    subject: Subject, capabilities: Capabilities, plural: Plural
) -> None:
    before = _prepare(subject, plural, capabilities)
    value = plural.new_value(subject.factory, "n")
    path = f'{plural.name}[type eq "work"].value'
    applied = subject.apply(operation("replace", path, value))

    def problems(state: dict[str, Any]) -> list[str]:
        found = []
        work = [r for r in plural.records(state) if plural.key(r)[0] == "work"]
        old_work = [r for r in plural.records(before) if plural.key(r)[0] == "work"]
        if len(work) != len(old_work) or any(
            plural.norm(r.get("value")) != plural.norm(value) for r in work
        ):
            found.append(f"the work record does not hold {value}")
        if _others(plural, state, "work") != _others(plural, before, "work"):
            found.append("records that do not match the filter changed")
        return found

    subject.confirm(
        applied,
        _judge(plural, problems),
        f"work:{value}, the home value unchanged",
    )


# RFC 7644 §3.5.2.3: "If the target location is a multi-valued attribute and a value
# selection ("valuePath") filter is specified that matches one or more values of the
# multi-valued attribute, then all matching record values SHALL be replaced."
@requirement("patch/replace-filter-record")
@pytest.mark.parametrize("plural", PLURALS, ids=lambda p: p.name)
def test_replace_through_filter_record(
    subject: Subject, capabilities: Capabilities, plural: Plural
) -> None:
    before = _prepare(subject, plural, capabilities)
    value = plural.new_value(subject.factory, "r")
    path = f'{plural.name}[type eq "work"]'
    applied = subject.apply(operation("replace", path, {"value": value, "type": "work"}))

    def problems(state: dict[str, Any]) -> list[str]:
        found = []
        work = [r for r in plural.records(state) if plural.key(r)[0] == "work"]
        if not work or any(plural.norm(r.get("value")) != plural.norm(value) for r in work):
            found.append(f"the work record was not replaced by work:{value}")
        if _others(plural, state, "work") != _others(plural, before, "work"):
            found.append("records that do not match the filter changed")
        return found

    subject.confirm(applied, _judge(plural, problems), f"work:{value}, the home value unchanged")


# RFC 7644 §3.5.2.2: "If the target location is a complex multi-valued attribute and a complex
# filter is specified based on the attribute's sub-attributes, the matching records are
# removed."
@requirement("patch/remove-filter")
@pytest.mark.parametrize("plural", PLURALS, ids=lambda p: p.name)
def test_remove_through_filter(
    subject: Subject, capabilities: Capabilities, plural: Plural
) -> None:
    before = _prepare(subject, plural, capabilities)
    applied = subject.apply(operation("remove", f'{plural.name}[type eq "home"]'))

    def problems(state: dict[str, Any]) -> list[str]:
        found = []
        if any(plural.key(r)[0] == "home" for r in plural.records(state)):
            found.append("a home record is still there")
        if _others(plural, state, "home") != _others(plural, before, "home"):
            found.append("records that do not match the filter changed")
        return found

    subject.confirm(applied, _judge(plural, problems), "no home value; the work value unchanged")


# RFC 7644 §3.5.2: "For multi-valued attributes, a PATCH operation that sets a value's
# "primary" sub-attribute to "true" SHALL cause the server to automatically set "primary" to
# "false" for any other values in the array." (RFC 7643 §2.4: "The primary attribute value
# "true" MUST appear no more than once.")
@requirement("patch/primary-exclusive")
@pytest.mark.parametrize("plural", PLURALS, ids=lambda p: p.name)
def test_primary_is_exclusive(subject: Subject, capabilities: Capabilities, plural: Plural) -> None:
    _prepare(subject, plural, capabilities)
    require_writable(capabilities, f"{plural.name}.primary")
    applied = subject.apply(operation("replace", f'{plural.name}[type eq "home"].primary', True))

    def problems(state: dict[str, Any]) -> list[str]:
        primary = [r for r in plural.records(state) if r.get("primary") is True]
        if [plural.key(r)[0] for r in primary] != ["home"]:
            return ["primary is not true on the home value alone"]
        return []

    subject.confirm(applied, _judge(plural, problems), "primary true on the home value only")


# RFC 7644 §3.5.2.1: "If the target location already contains the value specified, no changes
# SHOULD be made to the resource, and a success response SHOULD be returned."
@requirement("patch/add-existing-value-noop")
def test_add_existing_value_changes_nothing(subject: Subject, capabilities: Capabilities) -> None:
    plural = PLURALS[0]
    before = _prepare(subject, plural, capabilities)
    home = next(r for r in plural.records(before) if plural.key(r)[0] == "home")
    applied = subject.apply(
        operation("add", plural.name, [{"value": home["value"], "type": "home"}])
    )

    def problems(state: dict[str, Any]) -> list[str]:
        return [] if plural.keys(state) == plural.keys(before) else ["the values changed"]

    subject.confirm(
        applied, _judge(plural, problems), f"{plural.render(before)} (unchanged, no duplicate)"
    )
