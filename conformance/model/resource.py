"""The expected state of one resource: its attribute values, slot by slot, and what was asserted.

A resource is held as a map of *slots*: a singular simple attribute, one sub-attribute of a
singular complex attribute (`name.givenName`), or a whole multi-valued attribute (`emails`).
A slot the client wrote is *asserted*: the target must show exactly that (within the room
of values.py), or nothing if the client cleared it. A slot the client never wrote, or left
out of a PUT (RFC 7644 §3.5.1: the server "MAY assume that any existing values are to be
cleared, or ... MAY assign a default value"), is free: whatever the target shows is adopted.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from conformance.model.filter import Context
from conformance.model.schema import COMMON, AttrDef, AttrRef, SchemaView
from conformance.model.values import is_unassigned


class Slot(NamedTuple):
    """(schema URN, attribute name, sub-attribute name or None), names as the schema has them."""

    urn: str
    attr: str
    sub: str | None = None


def slot_label(schema: SchemaView, slot: Slot) -> str:
    """`emails`, `name.givenName`, `urn:...:enterprise:2.0:User:department`."""
    name = f"{slot.attr}.{slot.sub}" if slot.sub else slot.attr
    return f"{slot.urn}:{name}" if slot.urn in schema.extensions else name


SERVER_ASSIGNED = frozenset({"id", "meta"})


@dataclass
class Expectation:
    """What the target must hold for one resource."""

    schema: SchemaView
    values: dict[Slot, Any] = field(default_factory=dict)
    asserted: set[Slot] = field(default_factory=set)
    id: str | None = None
    created: str | None = None

    def copy(self) -> Expectation:
        return Expectation(
            self.schema, copy.deepcopy(self.values), set(self.asserted), self.id, self.created
        )

    # -- building ------------------------------------------------------------------------

    @classmethod
    def from_payload(cls, schema: SchemaView, payload: dict[str, Any]) -> Expectation:
        """What a POST of this payload must create (RFC 7644 §3.3)."""
        values, written = flatten(schema, payload, writable_only=True)
        return cls(schema, values, written)

    def replaced(self, payload: dict[str, Any]) -> Expectation:
        """What a PUT of this payload must leave (RFC 7644 §3.5.1).

        Values provided "SHALL replace the existing attribute values"; omitted readWrite
        attributes may be cleared or defaulted, so they become free (old value kept only as a
        guess that the next observation replaces).
        """
        values, written = flatten(self.schema, payload, writable_only=True)
        result = self.copy()
        for slot in list(result.values):
            if slot not in written:
                result.asserted.discard(slot)
        for slot in written:
            result.values.pop(slot, None)
        result.values.update(values)
        result.asserted |= written
        return result

    def observed(self, representation: dict[str, Any]) -> Expectation:
        """What the target was seen to hold, with nothing asserted: a fresh start when the
        oracle lost track (after a failure), keeping id and meta.created."""
        values, _ = flatten(self.schema, representation)
        return Expectation(self.schema, values, set(), self.id, self.created)

    def with_value(self, slot: Slot, value: Any) -> Expectation:
        """The expectation with one slot written (None/[] clears it)."""
        result = self.copy()
        if is_unassigned(value):
            result.values.pop(slot, None)
        else:
            result.values[slot] = copy.deepcopy(value)
        result.asserted.add(slot)
        return result

    # -- reading -------------------------------------------------------------------------

    def get(self, slot: Slot) -> Any:
        return self.values.get(slot)

    def definition(self, slot: Slot) -> AttrDef | None:
        ref = self.schema.attribute(
            None if slot.urn in (COMMON, self.schema.core_urn) else slot.urn, slot.attr
        )
        if ref is None:
            return None
        return ref.attr.sub(slot.sub) if slot.sub else ref.attr

    def to_json(self, *, writable_only: bool = False, with_id: bool = True) -> dict[str, Any]:
        """The representation the expectation stands for (a PUT body with writable_only)."""
        body: dict[str, Any] = {"schemas": [self.schema.core_urn]}
        if with_id and self.id and not writable_only:
            body["id"] = self.id
        for slot, value in sorted(self.values.items(), key=lambda kv: _order(self.schema, kv[0])):
            attr = self.definition(Slot(slot.urn, slot.attr))
            if writable_only and attr is not None and not attr.writable:
                continue
            container = body
            if slot.urn in self.schema.extensions:
                container = body.setdefault(slot.urn, {})
                if slot.urn not in body["schemas"]:
                    body["schemas"].append(slot.urn)
            if slot.sub is None:
                container[slot.attr] = copy.deepcopy(value)
            else:
                container.setdefault(slot.attr, {})[slot.sub] = copy.deepcopy(value)
        return body

    def context(self) -> SchemaContext:
        return SchemaContext(self.schema)


def _order(schema: SchemaView, slot: Slot) -> tuple[int, str, str]:
    rank = 0 if slot.attr == "userName" else (2 if slot.urn in schema.extensions else 1)
    return rank, slot.attr.lower(), slot.sub or ""


def flatten(
    schema: SchemaView, representation: dict[str, Any], *, writable_only: bool = False
) -> tuple[dict[Slot, Any], set[Slot]]:
    """The slots a JSON representation holds, and the slots it names (with or without value).

    Keys are matched to the schema case-insensitively; keys the schema does not declare and
    the server-assigned `id`/`meta` are left out (they are judged elsewhere).
    """
    values: dict[Slot, Any] = {}
    named: set[Slot] = set()
    for key, value in representation.items():
        if key.lower() == "schemas" or key.lower() in SERVER_ASSIGNED:
            continue
        urn = schema.extension_urn(key)
        if urn is not None:
            if isinstance(value, dict):
                for sub_key, sub_value in value.items():
                    ref = schema.attribute(urn, sub_key)
                    if ref is not None:
                        _place(ref, sub_value, values, named, writable_only)
            continue
        ref = schema.attribute(None, key)
        if ref is not None:
            _place(ref, value, values, named, writable_only)
    return values, named


def _place(
    ref: AttrRef,
    value: Any,
    values: dict[Slot, Any],
    named: set[Slot],
    writable_only: bool,
) -> None:
    attr = ref.attr
    if writable_only and not attr.writable:
        return
    slot = Slot(ref.urn, attr.name)
    if attr.is_complex and not attr.multi_valued and attr.sub_attributes:
        if value is None:
            named.update(Slot(ref.urn, attr.name, s.name) for s in attr.sub_attributes)
            return
        if not isinstance(value, dict):
            values[slot] = value  # malformed; kept whole so that it is visibly wrong
            named.add(slot)
            return
        for sub_key, sub_value in value.items():
            sub = attr.sub(sub_key)
            sub_slot = Slot(ref.urn, attr.name, sub.name if sub else sub_key)
            named.add(sub_slot)
            if not is_unassigned(sub_value):
                values[sub_slot] = sub_value
        return
    named.add(slot)
    if attr.multi_valued:
        items = value if isinstance(value, list) else ([] if value is None else [value])
        items = [_canonical_element(attr, item) for item in items if not is_unassigned(item)]
        if items:
            values[slot] = items
        return
    if not is_unassigned(value):
        values[slot] = value


def _canonical_element(attr: AttrDef, item: Any) -> Any:
    """An element with its sub-attribute names spelt as the schema spells them."""
    if not isinstance(item, dict) or not attr.sub_attributes:
        return item
    element: dict[str, Any] = {}
    for key, value in item.items():
        sub = attr.sub(key)
        if value is not None:
            element[sub.name if sub else key] = value
    return element


class SchemaContext(Context):
    """Filter evaluation with the target's schema: caseExact and URN-qualified paths."""

    def __init__(self, schema: SchemaView) -> None:
        self.schema = schema

    def definition(self, path: str) -> AttrDef | None:
        urn, rest = self.schema.split_urn(path)
        name, _, sub = rest.partition(".")
        ref = self.schema.attribute(urn, name)
        if ref is None:
            return None
        return ref.attr.sub(sub) if sub else ref.attr

    def locate(self, obj: dict[str, Any], path: str) -> tuple[dict[str, Any] | None, str]:
        urn, rest = self.schema.split_urn(path)
        if urn is None or urn == self.schema.core_urn:
            return obj, rest
        wanted = urn.lower()
        container = next((v for k, v in obj.items() if k.lower() == wanted), None)
        return (container if isinstance(container, dict) else None), rest


def element_key(attr: AttrDef | None, element: Any) -> Any:
    """A short description of an element, for messages."""
    if isinstance(element, dict):
        shown = {k: v for k, v in element.items() if k in ("value", "type", "primary", "display")}
        return shown or element
    return element


def labels(schema: SchemaView, slots: Iterable[Slot]) -> list[str]:
    return sorted(slot_label(schema, s) for s in slots)
