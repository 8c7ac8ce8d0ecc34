"""SCIM filters (RFC 7644 §3.4.2.2) and PATCH paths (§3.5.2, Figure 7): parse and evaluate.

Evaluation is three-valued: True, False, or None when the RFC leaves the answer open (a
case-insensitive comparison whose result depends on which Unicode case mapping a server
uses, `ne` on an unassigned attribute). A caller treats None as "either answer is
conformant", so the oracle never fails a target for a choice the RFC allows.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from conformance.model.schema import AttrDef

Tri = bool | None
COMPARE_OPS = frozenset({"eq", "ne", "co", "sw", "ew", "gt", "lt", "ge", "le"})


class FilterError(ValueError):
    """The filter or path does not follow the grammar (a 400 invalidFilter/invalidPath)."""


# -- syntax tree ----------------------------------------------------------------------


@dataclass(frozen=True)
class Compare:
    path: str
    op: str
    value: Any


@dataclass(frozen=True)
class Present:
    path: str


@dataclass(frozen=True)
class And:
    left: Filter
    right: Filter


@dataclass(frozen=True)
class Or:
    left: Filter
    right: Filter


@dataclass(frozen=True)
class Not:
    inner: Filter


@dataclass(frozen=True)
class ValueFilter:
    """`emails[type eq "work"]` inside a filter: some element of attr matches inner."""

    path: str
    inner: Filter


Filter = Compare | Present | And | Or | Not | ValueFilter


@dataclass(frozen=True)
class PatchPath:
    """A PATCH path: `attr`, `attr.sub`, `attr[filter]` or `attr[filter].sub` (URN allowed)."""

    attr: str
    sub: str | None = None
    value_filter: Filter | None = None


# -- tokens -----------------------------------------------------------------------------

_TOKEN = re.compile(
    r'\s*(?:(?P<str>"(?:[^"\\]|\\.)*")|(?P<punct>[()\[\]])|(?P<word>[^\s()\[\]"]+))'
)


def _tokens(text: str) -> list[str]:
    tokens: list[str] = []
    position = 0
    text = text.rstrip()
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None or match.end() == position:
            raise FilterError(f"unexpected character at column {position + 1}")
        tokens.append(match.group("str") or match.group("punct") or match.group("word"))
        position = match.end()
    return tokens


class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens = _tokens(text)
        self.index = 0

    def peek(self) -> str | None:
        return self.tokens[self.index] if self.index < len(self.tokens) else None

    def take(self) -> str:
        token = self.peek()
        if token is None:
            raise FilterError("unexpected end of filter")
        self.index += 1
        return token

    def expect(self, token: str) -> None:
        if self.take() != token:
            raise FilterError(f"expected {token!r}")

    def parse(self) -> Filter:
        node = self.or_expression()
        if self.peek() is not None:
            raise FilterError(f"unexpected {self.peek()!r}")
        return node

    def or_expression(self) -> Filter:
        node = self.and_expression()
        while (self.peek() or "").lower() == "or":
            self.take()
            node = Or(node, self.and_expression())
        return node

    def and_expression(self) -> Filter:
        node = self.unary()
        while (self.peek() or "").lower() == "and":
            self.take()
            node = And(node, self.unary())
        return node

    def unary(self) -> Filter:
        token = self.peek()
        if token is not None and token.lower() == "not":
            self.take()
            self.expect("(")
            inner = self.or_expression()
            self.expect(")")
            return Not(inner)
        if token == "(":
            self.take()
            inner = self.or_expression()
            self.expect(")")
            return inner
        return self.attribute_expression()

    def attribute_expression(self) -> Filter:
        path = self.take()
        if path in ("(", ")", "[", "]") or path.startswith('"'):
            raise FilterError(f"expected an attribute path, got {path!r}")
        if self.peek() == "[":
            self.take()
            inner = self.or_expression()
            self.expect("]")
            return ValueFilter(path, inner)
        op = self.take().lower()
        if op == "pr":
            return Present(path)
        if op not in COMPARE_OPS:
            raise FilterError(f"unknown operator {op!r}")
        return Compare(path, op, _literal(self.take()))


def _literal(token: str) -> Any:
    if token.startswith('"'):
        try:
            return json.loads(token)
        except ValueError:
            raise FilterError(f"bad string {token}") from None
    lowered = token.lower()
    if lowered in ("true", "false"):
        return lowered == "true"
    if lowered == "null":
        return None
    try:
        return json.loads(token)
    except ValueError:
        raise FilterError(f"bad value {token!r}") from None


def parse_filter(text: str) -> Filter:
    """Parse a filter expression; FilterError when it breaks the grammar."""
    return _Parser(text).parse()


def parse_path(text: str) -> PatchPath:
    """Parse a PATCH path (`PATH = attrPath / valuePath [subAttr]`)."""
    text = text.strip()
    if "[" not in text:
        if not text or any(c in text for c in ' ]"()'):
            raise FilterError(f"invalid path {text!r}")
        return PatchPath(text)
    head, _, rest = text.partition("[")
    end = _closing_bracket(rest)
    if end < 0 or not head or " " in head:
        raise FilterError(f"invalid path {text!r}")
    inner = parse_filter(rest[:end])
    tail = rest[end + 1 :]
    if tail and (not tail.startswith(".") or len(tail) == 1):
        raise FilterError(f"invalid path {text!r}")
    return PatchPath(head, tail[1:] if tail else None, inner)


def _closing_bracket(text: str) -> int:
    """Index of the `]` closing a value filter, skipping brackets inside string literals."""
    in_string = escaped = False
    for position, char in enumerate(text):
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char == "]":
            return position
    return -1


# -- rendering ------------------------------------------------------------------------


def quote(value: Any) -> str:
    """A filter literal: strings as JSON strings (RFC 7644 §3.4.2.2 compValue)."""
    return json.dumps(value, ensure_ascii=False)


# -- evaluation -----------------------------------------------------------------------


class Context:
    """How paths are resolved: attribute definitions (caseExact) and URN-qualified names.

    The base context knows no schema: every string compares case-insensitively, which is
    the RFC 7643 §2.2 default. SchemaContext (in resource.py) adds the target's schema.
    """

    def definition(self, path: str) -> AttrDef | None:
        return None

    def locate(self, obj: dict[str, Any], path: str) -> tuple[dict[str, Any] | None, str]:
        """The JSON object a path starts in, and the rest of the path (without URN)."""
        return obj, path

    def element(self, path: str) -> Context:
        """The context inside the elements of a multi-valued attribute (value filters)."""
        return _ElementContext(self, path)


class _ElementContext(Context):
    def __init__(self, parent: Context, base: str) -> None:
        self.parent, self.base = parent, base

    def definition(self, path: str) -> AttrDef | None:
        return self.parent.definition(f"{self.base}.{path}")


_FOLDS: tuple[Callable[[str], str], ...] = (str.casefold, str.lower, lambda s: s.upper().lower())


def _equivalents(value: str, case_exact: bool) -> list[str]:
    """The forms a server may reasonably compare: one when caseExact, several otherwise."""
    value = unicodedata.normalize("NFC", value)
    if case_exact:
        return [value] * len(_FOLDS)
    return [fold(value) for fold in _FOLDS]


def compare_strings(actual: str, op: str, wanted: str, case_exact: bool) -> Tri:
    """One string comparison; None when the case mappings disagree on the outcome."""
    outcomes = {
        _order(a, op, w)
        for a, w in zip(
            _equivalents(actual, case_exact), _equivalents(wanted, case_exact), strict=True
        )
    }
    return outcomes.pop() if len(outcomes) == 1 else None


def _order(actual: Any, op: str, wanted: Any) -> bool:
    if op == "eq":
        return bool(actual == wanted)
    if op == "ne":
        return bool(actual != wanted)
    if op == "co":
        return bool(wanted in actual)
    if op == "sw":
        return bool(actual.startswith(wanted))
    if op == "ew":
        return bool(actual.endswith(wanted))
    if op == "gt":
        return bool(actual > wanted)
    if op == "ge":
        return bool(actual >= wanted)
    if op == "lt":
        return bool(actual < wanted)
    return bool(actual <= wanted)


def _compare_value(actual: Any, op: str, wanted: Any, attr: AttrDef | None) -> Tri:
    if isinstance(actual, dict):
        actual = actual.get("value")
    if actual is None:
        return None if op == "ne" else False
    if isinstance(actual, bool) or isinstance(wanted, bool):
        if op in ("eq", "ne") and isinstance(actual, bool) and isinstance(wanted, bool):
            return (actual == wanted) == (op == "eq")
        return False if op == "eq" else None
    if isinstance(actual, str) and isinstance(wanted, str):
        exact = attr.case_exact if attr is not None else False
        if attr is not None and attr.type in ("binary", "reference"):
            exact = True
        return compare_strings(actual, op, wanted, exact)
    numbers = (int, float)
    if isinstance(actual, numbers) and isinstance(wanted, numbers) and op not in ("co", "sw", "ew"):
        return _order(actual, op, wanted)
    return False if op == "eq" else None


def _lookup(obj: dict[str, Any], key: str) -> Any:
    wanted = key.lower()
    return next((v for k, v in obj.items() if k.lower() == wanted), None)


def values_at(obj: dict[str, Any], path: str, context: Context | None = None) -> list[Any]:
    """Every value a path reaches in a JSON object (multi-valued attributes flattened)."""
    container, rest = (context or Context()).locate(obj, path)
    current: list[Any] = [container] if container is not None else []
    for part in rest.split("."):
        following: list[Any] = []
        for item in current:
            if isinstance(item, dict):
                found = _lookup(item, part)
                if isinstance(found, list):
                    following.extend(found)
                elif found is not None:
                    following.append(found)
        current = following
    return current


def _tri_any(results: Iterator[Tri]) -> Tri:
    seen_none = False
    for result in results:
        if result is True:
            return True
        if result is None:
            seen_none = True
    return None if seen_none else False


def evaluate(node: Filter, obj: dict[str, Any], context: Context | None = None) -> Tri:
    """Does the JSON object match the filter? True, False, or None (either is allowed)."""
    context = context or Context()
    if isinstance(node, And):
        left = evaluate(node.left, obj, context)
        right = evaluate(node.right, obj, context) if left is not False else False
        if left is False or right is False:
            return False
        return True if (left and right) else None
    if isinstance(node, Or):
        left = evaluate(node.left, obj, context)
        right = evaluate(node.right, obj, context) if left is not True else True
        if left is True or right is True:
            return True
        return False if (left is False and right is False) else None
    if isinstance(node, Not):
        inner = evaluate(node.inner, obj, context)
        return None if inner is None else not inner
    if isinstance(node, ValueFilter):
        inner_context = context.element(node.path)
        elements = [e for e in values_at(obj, node.path, context) if isinstance(e, dict)]
        return _tri_any(evaluate(node.inner, e, inner_context) for e in elements)
    if isinstance(node, Present):
        return any(_non_empty(v) for v in values_at(obj, node.path, context))
    attr = context.definition(node.path)
    values = values_at(obj, node.path, context)
    if not values:
        return None if node.op == "ne" else False
    if node.op == "ne":
        # "ne" over several values of a multi-valued attribute is not pinned down by the RFC
        results = [_compare_value(v, "ne", node.value, attr) for v in values]
        return results[0] if len(results) == 1 else None
    return _tri_any(_compare_value(v, node.op, node.value, attr) for v in values)


def _non_empty(value: Any) -> bool:
    if value is None or value == "" or value == [] or value == {}:
        return False
    if isinstance(value, dict):
        return any(_non_empty(v) for v in value.values())
    return True
