"""RFC 7644 §3.5.2 PATCH, applied by the oracle to an expectation.

The outcome says what the target must do with the request: succeed and hold the new state,
fail (atomically: "the original SCIM resource MUST be restored"), or either of the two where
the RFC allows both (removing a value that is not there: "no changes should be made ... and a
success response should be returned" is only a lower-case should). Requests whose result the
RFC does not pin down (add through a value filter, a filter whose match depends on a case
mapping) raise Ambiguous: the strategies never send them, and the oracle never guesses.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from conformance.model.filter import FilterError, PatchPath, evaluate, parse_path
from conformance.model.resource import Expectation, Slot
from conformance.model.schema import AttrDef, AttrRef
from conformance.model.values import is_unassigned, same_element, same_value


class Ambiguous(ValueError):
    """The RFC allows several results for this request; the oracle does not predict it."""


@dataclass(frozen=True)
class PatchFailure:
    """The error the RFC requires: status and, where the clause names one, scimType."""

    status: int
    scim_type: str | None
    reason: str
    clause: str


class _Fail(Exception):
    def __init__(self, failure: PatchFailure) -> None:
        super().__init__(failure.reason)
        self.failure = failure


@dataclass
class PatchOutcome:
    """What a PATCH must do: `expectation` when it succeeds, or the failure it must give."""

    expectation: Expectation
    must_fail: PatchFailure | None = None
    may_fail: bool = False

    @property
    def must_succeed(self) -> bool:
        return self.must_fail is None and not self.may_fail


def apply_patch(expectation: Expectation, operations: list[dict[str, Any]]) -> PatchOutcome:
    """Apply the operations in order ("the resulting resource becomes the target of the next")."""
    work = _Work(expectation.copy())
    try:
        for operation in operations:
            work.apply(operation)
    except _Fail as failure:
        return PatchOutcome(expectation, must_fail=failure.failure)
    return PatchOutcome(work.expectation, may_fail=work.may_fail)


def _fail(status: int, scim_type: str | None, reason: str, clause: str) -> _Fail:
    return _Fail(PatchFailure(status, scim_type, reason, clause))


@dataclass
class _Target:
    ref: AttrRef
    sub: AttrDef | None
    path: PatchPath

    @property
    def slot(self) -> Slot:
        return Slot(self.ref.urn, self.ref.attr.name)


class _Work:
    def __init__(self, expectation: Expectation) -> None:
        self.expectation = expectation
        self.may_fail = False

    # -- dispatch ------------------------------------------------------------------------

    def apply(self, operation: dict[str, Any]) -> None:
        kind = str(operation.get("op", ""))
        if kind not in ("add", "remove", "replace"):
            if kind.lower() in ("add", "remove", "replace"):
                raise Ambiguous(f"op {kind!r} is not spelt as RFC 7644 §3.5.2 spells it")
            raise _fail(400, None, f"op {kind!r} is not add, remove or replace", "RFC7644 §3.5.2")
        path = operation.get("path")
        if path is None:
            if kind == "remove":
                raise _fail(400, "noTarget", "remove without a path", "RFC7644 §3.5.2.2")
            value = operation.get("value")
            if not isinstance(value, dict) or not value:
                raise Ambiguous("a path-less add/replace needs an object of attributes")
            self._pathless(kind, value)
            return
        if not isinstance(path, str):
            raise Ambiguous("path is not a string")
        target = self._resolve(path)
        if kind == "remove":
            self._remove(target)
        elif "value" not in operation:
            raise Ambiguous(f"{kind} without a value")
        elif kind == "add":
            self._add(target, operation["value"])
        else:
            self._replace(target, operation["value"])

    def _resolve(self, text: str) -> _Target:
        schema = self.expectation.schema
        try:
            path = parse_path(text)
        except FilterError as exc:
            raise Ambiguous(f"path {text!r}: {exc}") from None
        urn, rest = schema.split_urn(path.attr)
        name, _, sub_name = rest.partition(".")
        ref = schema.attribute(urn, name)
        if ref is None:
            raise Ambiguous(f"path {text!r} names no attribute of the schema")
        if sub_name and path.sub:
            raise Ambiguous(f"path {text!r} has two sub-attributes")
        sub_name = sub_name or (path.sub or "")
        sub = ref.attr.sub(sub_name) if sub_name else None
        if sub_name and sub is None:
            raise Ambiguous(f"path {text!r} names no sub-attribute of {ref.attr.name}")
        if path.value_filter is not None and not ref.attr.multi_valued:
            raise Ambiguous(f"path {text!r} filters a singular attribute")
        _check_mutability(ref.attr, sub, text)
        return _Target(ref, sub, path)

    # -- path-less -----------------------------------------------------------------------

    def _pathless(self, kind: str, value: dict[str, Any]) -> None:
        """RFC 7644 §3.5.2.1/§3.5.2.3: "the target location is assumed to be the resource"."""
        schema = self.expectation.schema
        for key, item in value.items():
            urn = schema.extension_urn(key)
            if urn is not None:
                if not isinstance(item, dict):
                    raise Ambiguous(f"extension {key} given as a non-object")
                for sub_key, sub_item in item.items():
                    self._pathless_one(kind, schema.attribute(urn, sub_key), sub_item, key)
                if kind == "replace":
                    # replacing the extension object whole or merging it are both readings
                    named = {k.lower() for k in item}
                    for slot in list(self.expectation.asserted):
                        if slot.urn == urn and slot.attr.lower() not in named:
                            self.expectation.asserted.discard(slot)
                continue
            urn_part, rest = schema.split_urn(key)
            if "." in rest:
                raise Ambiguous(f"dotted key {key!r} in a path-less value")
            self._pathless_one(kind, schema.attribute(urn_part, rest), item, key)

    def _pathless_one(self, kind: str, ref: AttrRef | None, value: Any, key: str) -> None:
        if ref is None:
            raise Ambiguous(f"key {key!r} names no attribute of the schema")
        _check_mutability(ref.attr, None, key)
        target = _Target(ref, None, PatchPath(ref.attr.name))
        attr = ref.attr
        if attr.is_complex and not attr.multi_valued and attr.sub_attributes and kind == "replace":
            # Whether a path-less replace of a complex attribute merges or replaces it whole
            # is not pinned down: the sub-attributes it does not name become free.
            self._merge_complex(target, value)
            for sub in attr.sub_attributes:
                slot = Slot(ref.urn, attr.name, sub.name)
                if not isinstance(value, dict) or not any(
                    k.lower() == sub.name.lower() for k in value
                ):
                    self.expectation.asserted.discard(slot)
            return
        if kind == "add":
            self._add(target, value)
        else:
            self._replace(target, value)

    # -- add -----------------------------------------------------------------------------

    def _add(self, target: _Target, value: Any) -> None:
        attr = target.ref.attr
        if is_unassigned(value):
            raise Ambiguous("add with a null or empty value")
        if target.path.value_filter is not None:
            raise Ambiguous("add through a value filter is not defined by RFC 7644 §3.5.2.1")
        if attr.multi_valued:
            if target.sub is not None:
                raise Ambiguous("add to a sub-attribute of every value")
            items = value if isinstance(value, list) else [value]
            current = copy.deepcopy(list(self.expectation.get(target.slot) or []))
            added = []
            for item in items:
                element = _element(attr, item)
                if any(_same(attr, existing, element) for existing in current):
                    continue  # "already contains the value specified": no change
                current.append(element)
                added.append(element)
            primaries = [e for e in added if isinstance(e, dict) and e.get("primary") is True]
            if len(primaries) > 1:
                raise Ambiguous("more than one primary value added")
            if primaries:
                _one_primary(current, keep=lambda e: e is primaries[0])
            self._set(target.slot, current)
            return
        if attr.is_complex and target.sub is None and attr.sub_attributes:
            self._merge_complex(target, value)
            return
        self._set_singular(target, value)

    # -- replace -------------------------------------------------------------------------

    def _replace(self, target: _Target, value: Any) -> None:
        attr = target.ref.attr
        if target.path.value_filter is not None:
            self._replace_matching(target, value)
            return
        if attr.multi_valued:
            if target.sub is not None:
                raise Ambiguous("replace of a sub-attribute of every value")
            items = [] if value is None else (value if isinstance(value, list) else [value])
            elements = [_element(attr, item) for item in items if not is_unassigned(item)]
            if sum(1 for e in elements if isinstance(e, dict) and e.get("primary") is True) > 1:
                raise Ambiguous("more than one primary value in a replace")
            self._set(target.slot, elements)
            return
        if attr.is_complex and target.sub is None and attr.sub_attributes:
            if value is None:
                raise Ambiguous("replace of a complex attribute with null")
            self._merge_complex(target, value)
            return
        self._set_singular(target, value)

    def _replace_matching(self, target: _Target, value: Any) -> None:
        """RFC 7644 §3.5.2.3: all matching records (or their sub-attribute) are replaced."""
        attr = target.ref.attr
        current = copy.deepcopy(list(self.expectation.get(target.slot) or []))
        matches = self._matches(target, current)
        if not matches:
            raise _fail(400, "noTarget", "the value filter matches no value", "RFC7644 §3.5.2.3")
        if target.sub is not None:
            for index in matches:
                if is_unassigned(value):
                    current[index].pop(target.sub.name, None)
                else:
                    current[index][target.sub.name] = value
            if target.sub.name.lower() == "primary" and value is True:
                if len(matches) > 1:
                    raise Ambiguous("primary set on several values at once")
                _one_primary(current, keep=lambda e: e is current[matches[0]])
        else:
            if not isinstance(value, dict):
                raise Ambiguous("a matching record replaced by a non-object")
            if len(matches) > 1:
                raise Ambiguous("several records replaced by the same value")
            current[matches[0]] = _element(attr, value)
            if current[matches[0]].get("primary") is True:
                _one_primary(current, keep=lambda e: e is current[matches[0]])
        self._set(target.slot, current)

    # -- remove --------------------------------------------------------------------------

    def _remove(self, target: _Target) -> None:
        """RFC 7644 §3.5.2.2."""
        attr = target.ref.attr
        if attr.required and target.sub is None and target.path.value_filter is None:
            raise _fail(400, "mutability", f"{attr.name} is required", "RFC7644 §3.5.2.2")
        if target.path.value_filter is not None:
            current = copy.deepcopy(list(self.expectation.get(target.slot) or []))
            matches = self._matches(target, current)
            if not matches:
                self.may_fail = True  # "If the user was not a member ... no changes should be made"
                return
            if target.sub is not None:
                for index in matches:
                    current[index].pop(target.sub.name, None)
            else:
                current = [e for i, e in enumerate(current) if i not in matches]
            self._set(target.slot, current)
            return
        if attr.multi_valued and target.sub is not None:
            raise Ambiguous("remove of a sub-attribute of every value")
        if attr.is_complex and not attr.multi_valued and attr.sub_attributes:
            subs = [target.sub] if target.sub is not None else list(attr.sub_attributes)
            slots = [Slot(target.ref.urn, attr.name, s.name) for s in subs]
            if not any(self.expectation.get(s) is not None for s in slots):
                self.may_fail = True
            for slot in slots:
                self._set(slot, None)
            return
        if self.expectation.get(target.slot) is None:
            self.may_fail = True  # removing what is not there: success or noTarget
        self._set(target.slot, None)

    # -- helpers -------------------------------------------------------------------------

    def _matches(self, target: _Target, current: list[Any]) -> list[int]:
        context = self.expectation.context().element(target.ref.label)
        assert target.path.value_filter is not None
        found = []
        for index, element in enumerate(current):
            if not isinstance(element, dict):
                raise Ambiguous("value filter over a simple multi-valued attribute")
            result = evaluate(target.path.value_filter, element, context)
            if result is None:
                raise Ambiguous("the value filter's match depends on a case mapping")
            if result:
                found.append(index)
        return found

    def _merge_complex(self, target: _Target, value: Any) -> None:
        attr = target.ref.attr
        if not isinstance(value, dict):
            raise Ambiguous(f"{attr.name} given as a non-object")
        for key, item in value.items():
            sub = attr.sub(key)
            if sub is None:
                raise Ambiguous(f"{attr.name}.{key} is not declared")
            self._set(Slot(target.ref.urn, attr.name, sub.name), item)

    def _set_singular(self, target: _Target, value: Any) -> None:
        attr = target.ref.attr
        if target.sub is not None:
            if attr.multi_valued:
                raise Ambiguous("sub-attribute of a multi-valued attribute without filter")
            self._set(Slot(target.ref.urn, attr.name, target.sub.name), value)
            return
        self._set(target.slot, value)

    def _set(self, slot: Slot, value: Any) -> None:
        self.expectation = self.expectation.with_value(slot, value)


def _check_mutability(attr: AttrDef, sub: AttrDef | None, text: str) -> None:
    """RFC 7644 §3.5.2: "a client MUST NOT modify an attribute that has mutability "readOnly"
    or "immutable"" and such an operation "SHALL return the appropriate HTTP response status
    code and a JSON detail error response"."""
    for definition in (attr, sub):
        if definition is None:
            continue
        if definition.mutability == "readOnly":
            raise _fail(400, "mutability", f"{text} is readOnly", "RFC7644 §3.5.2")
        if definition.mutability == "immutable":
            raise Ambiguous(f"{text} is immutable: allowed only while it has no value")


def _element(attr: AttrDef, item: Any) -> Any:
    if not isinstance(item, dict):
        return item
    element: dict[str, Any] = {}
    for key, value in item.items():
        sub = attr.sub(key)
        if value is not None:
            element[sub.name if sub else key] = copy.deepcopy(value)
    return element


def _same(attr: AttrDef, left: Any, right: Any) -> bool:
    if isinstance(left, dict) and isinstance(right, dict):
        return same_element(attr, left, right) and same_element(attr, right, left)
    return same_value(attr, left, right, parent=attr.name.lower())


def _one_primary(elements: list[Any], keep: Any) -> None:
    """RFC 7644 §3.5.2: setting primary true "SHALL cause the server to automatically set
    "primary" to "false" for any other values in the array"."""
    for element in elements:
        if isinstance(element, dict) and element.get("primary") is True and not keep(element):
            element["primary"] = False
