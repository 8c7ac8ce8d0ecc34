"""Hypothesis strategies built from the target's own /Schemas and the profile.

Users get realistic and adversarial values (non-ASCII and right-to-left names, quotes and
backslashes, long strings, several emails and phone numbers of canonical types, extension
attributes); PATCH operation lists are drawn against the oracle's current expectation, so
that every list is one whose result the RFC pins down; filters are drawn from what the run's
users hold, so that some match and some do not.

Values stay inside what the RFCs let a client expect to be kept as sent: strings are NFC,
with no control characters and no leading or trailing space; `type` values come from the
schema's canonicalValues (RFC 7643 §7: servers "MAY choose to ignore unsupported values");
emails use the reserved example domains (RFC 2606), so a real target never mails anyone;
phone numbers carry a country code; countries are ISO 3166-1 alpha-2 codes.
"""

from __future__ import annotations

import string
import unicodedata
from collections.abc import Callable
from functools import cache
from typing import Any, cast

from hypothesis import strategies as st

from conformance.model import (
    Ambiguous,
    Expectation,
    SchemaContext,
    SchemaView,
    Slot,
    apply_patch,
    quote,
)
from conformance.model.schema import AttrDef, AttrRef
from conformance.profile import Profile

Json = dict[str, Any]

REALISTIC_NAMES = (
    "Barbara", "Jensen", "Zoë", "Łukasz", "José", "Þórunn", "Øyvind", "Ñandú", "Nguyễn",
    "Σωκράτης", "Дмитрий", "李小龍", "محمد", "אברהם", "Ἀθηνᾶ", "O'Brien", "Jean-Luc",
    "van der Berg", "Smith \"Smitty\"", "Back\\slash", "🙂 Smiley", "Çağrı", "Dvořák",
    "Straße", "İstanbul", "Ωmega", "ǅemal", "María José", "Åsa-Lena", "Kōji",
)  # fmt: skip
_SAFE_CATEGORIES = (
    "Lu", "Ll", "Lt", "Lm", "Lo", "Mn", "Mc", "Nd", "Pc", "Pd", "Ps", "Pe", "Pi", "Pf",
    "Po", "Sm", "Sc", "Sk", "So", "Zs",
)  # fmt: skip
EXAMPLE_DOMAINS = ("example.com", "example.org", "example.net", "EXAMPLE.com")
COUNTRIES = ("US", "SE", "DE", "FR", "JP", "BR", "IN", "ZA", "NZ", "CO")
LANGUAGES = ("en-US", "fr-CA", "de", "es-419", "pt-BR", "ja")
TIMEZONES = ("America/Los_Angeles", "Europe/Paris", "Asia/Tokyo", "Africa/Johannesburg")
USER_TYPES = ("Employee", "Contractor", "Intern", "Temp", "External")
LONG_TEXT = 200
"""Longest generated free text: no limit is declared, and 255 is a common storage limit."""

MAX_VALUES = 4
"""Most values generated for one multi-valued attribute."""


def clean(text: str) -> str:
    """NFC, no leading or trailing whitespace: how a client should send text."""
    return unicodedata.normalize("NFC", text).strip()


@cache
def free_text(max_size: int = 24, long_size: int = LONG_TEXT) -> st.SearchStrategy[str]:
    """Realistic names first (Hypothesis shrinks towards them), then adversarial text, and
    now and then a long string of `long_size` characters (0: never)."""
    adversarial = (
        st.text(
            st.characters(categories=cast(Any, _SAFE_CATEGORIES)), min_size=1, max_size=max_size
        )
        .map(clean)
        .filter(bool)
    )
    realistic = st.sampled_from(REALISTIC_NAMES)
    if long_size <= 0:
        return st.one_of(realistic, adversarial)
    long = (
        st.text(string.ascii_letters + " éü", min_size=long_size - 20, max_size=long_size)
        .map(clean)
        .filter(bool)
    )
    # weights 3:2:1 (realistic first, so that shrinking ends on a readable name)
    return st.sampled_from((0, 0, 0, 1, 1, 2)).flatmap(lambda k: (realistic, adversarial, long)[k])


def case_variant(text: str, mode: str) -> str:
    """The same case-insensitive value with its case changed (`keep`, `upper`, `mixed`)."""
    if mode == "upper":
        return text.upper() if text.upper().lower() == text.lower() else text
    if mode == "mixed":
        return "".join(c.upper() if i % 2 and c.isascii() else c for i, c in enumerate(text))
    return text


# -- users --------------------------------------------------------------------------------


class UserStrategies:
    """Payloads and PATCH operations for the User resource type of one target."""

    def __init__(self, schema: SchemaView, profile: Profile, *, tag: str = "") -> None:
        self.schema = schema
        self.profile = profile
        self.tag = tag.lower() or "v"
        self.pinned = {
            schema.extension_urn(urn) or urn: dict(values)
            for urn, values in profile.required_extensions.items()
        }
        self._values: dict[str, st.SearchStrategy[Any] | None] = {}
        self._elements_by_name: dict[str, st.SearchStrategy[Json] | None] = {}
        self._payload: st.SearchStrategy[Json] | None = None
        self._plans: dict[str, st.SearchStrategy[tuple[list[Plan], bool]]] = {}
        self._filter_plans: st.SearchStrategy[FilterPlan] | None = None
        self.refs = [r for r in schema.all_refs() if self._generatable(r)]

    # which attributes can carry generated values

    def _generatable(self, ref: AttrRef) -> bool:
        attr = ref.attr
        if attr.name.lower() in ("username", "id", "meta", "groups", "x509certificates"):
            return False
        if attr.mutability != "readWrite" and attr.name.lower() != "password":
            return False
        if ref.extension and attr.name in self.pinned.get(ref.urn, {}):
            return False
        return self.value_strategy(ref) is not None

    def value_strategy(self, ref: AttrRef) -> st.SearchStrategy[Any] | None:
        """Values for one attribute: None when the suite does not generate this kind."""
        key = ref.label
        if key not in self._values:
            self._values[key] = self._value_strategy(ref)
        return self._values[key]

    def _value_strategy(self, ref: AttrRef) -> st.SearchStrategy[Any] | None:
        attr = ref.attr
        name = attr.name.lower()
        if attr.multi_valued:
            element = self.element_strategy(attr)
            if element is None:
                return None
            return self._elements(attr, element)
        if attr.is_complex:
            if name != "name" or ref.extension:
                return None
            return self.name_strategy(attr)
        return self.simple_strategy(attr, extension=ref.extension)

    def simple_strategy(
        self, attr: AttrDef, *, extension: bool = False
    ) -> st.SearchStrategy[Any] | None:
        name = attr.name.lower()
        if attr.type == "boolean":
            return st.booleans()
        if attr.type == "integer":
            return st.integers(0, 10**6)
        if attr.type == "reference":
            return (
                _slugs().map(lambda s: f"https://login.example.com/{s}")
                if name == "profileurl"
                else None
            )
        if attr.type != "string":
            return None
        if attr.canonical_values:
            return st.sampled_from(attr.canonical_values)
        special: dict[str, st.SearchStrategy[Any]] = {
            "password": st.text(string.ascii_letters + string.digits, min_size=8, max_size=16).map(
                lambda s: f"Aa1!{s}"
            ),
            "externalid": _tokens(),
            "preferredlanguage": st.sampled_from(LANGUAGES),
            "locale": st.sampled_from(LANGUAGES),
            "timezone": st.sampled_from(TIMEZONES),
            "usertype": st.one_of(st.sampled_from(USER_TYPES), free_text(20, long_size=0)),
            "employeenumber": st.integers(1, 10**7).map(str),
        }
        return special.get(name, free_text(long_size=LONG_TEXT if not extension else 60))

    def name_strategy(self, attr: AttrDef) -> st.SearchStrategy[Json]:
        parts = {s.name: free_text(40) for s in attr.sub_attributes if s.type == "string"}
        given = next((k for k in parts if k.lower() == "givenname"), None)
        family = next((k for k in parts if k.lower() == "familyname"), None)
        required = {k: v for k, v in parts.items() if k in (given, family)}
        if not required and parts:
            first = next(iter(parts))
            required = {first: parts[first]}
        optional = {k: v for k, v in parts.items() if k not in required}
        # no .filter(): a filter that rejects the simplest value stops Hypothesis shrinking
        return st.fixed_dictionaries(required, optional=optional)

    def element_strategy(self, attr: AttrDef) -> st.SearchStrategy[Json] | None:
        """One element of a complex multi-valued attribute (primary is set by the list)."""
        if attr.name not in self._elements_by_name:
            self._elements_by_name[attr.name] = self._element_strategy(attr)
        return self._elements_by_name[attr.name]

    def _element_strategy(self, attr: AttrDef) -> st.SearchStrategy[Json] | None:
        name = attr.name.lower()
        value_sub, type_sub = attr.sub("value"), attr.sub("type")
        types: st.SearchStrategy[str] | None = None
        if type_sub is not None and type_sub.writable:
            canonical = type_sub.canonical_values
            types = (
                st.sampled_from(canonical)
                if canonical
                else st.sampled_from(("work", "home", "other"))
            )
        values: st.SearchStrategy[str] | None
        if name == "emails":
            values = emails()
        elif name == "phonenumbers":
            values = phone_numbers()
        elif name == "ims":
            values = _slugs().map(lambda s: s.lower())
        elif name == "photos":
            values = _slugs().map(lambda s: f"https://photos.example.com/profile/{s}.jpg")
        elif name == "addresses":
            return self._address(attr, types)
        elif value_sub is not None and value_sub.type == "string" and value_sub.writable:
            values = free_text(40)
        else:
            values = None
        if values is None or value_sub is None or not attr.sub_attributes:
            return None
        fields: dict[str, st.SearchStrategy[Any]] = {value_sub.name: values}
        if types is not None and type_sub is not None:
            fields[type_sub.name] = types
        return st.fixed_dictionaries(fields)

    def _address(
        self, attr: AttrDef, types: st.SearchStrategy[str] | None
    ) -> st.SearchStrategy[Json] | None:
        strings = {
            "streetAddress": st.one_of(free_text(60), free_text(30).map(lambda s: f"{s}\nSuite 5")),
            "locality": free_text(30),
            "region": free_text(20),
            "postalCode": st.from_regex(r"[0-9]{5}", fullmatch=True),
            "country": st.sampled_from(COUNTRIES),
        }
        fields = {attr.sub(k).name: v for k, v in strings.items() if attr.sub(k) is not None}  # type: ignore[union-attr]
        if not fields:
            return None
        required: dict[str, st.SearchStrategy[Any]] = {}
        if types is not None and attr.sub("type") is not None:
            required["type"] = types
        first = next(iter(fields))
        required[first] = fields.pop(first)
        return st.fixed_dictionaries(required, optional=fields)

    def _elements(
        self, attr: AttrDef, element: st.SearchStrategy[Json]
    ) -> st.SearchStrategy[list[Json]]:
        def key(item: Json) -> str:
            return str(item.get("value") or item).casefold()

        return st.lists(element, min_size=1, max_size=MAX_VALUES, unique_by=key).flatmap(
            lambda items: _with_primary(attr, items)
        )

    # payloads

    def payload(self) -> st.SearchStrategy[Json]:
        """A User body without userName (the machine names its users)."""
        if self._payload is None:
            self._payload = self._build_payload()
        return self._payload

    def _build_payload(self) -> st.SearchStrategy[Json]:
        optional: dict[str, st.SearchStrategy[Any]] = {}
        core: dict[str, st.SearchStrategy[Any]] = {}
        extensions: dict[str, dict[str, st.SearchStrategy[Any]]] = {}
        for ref in self.refs:
            strategy = self.value_strategy(ref)
            assert strategy is not None
            if ref.extension:
                extensions.setdefault(ref.urn, {})[ref.attr.name] = strategy
            elif ref.attr.name.lower() in ("name", "displayname", "emails"):
                core[ref.attr.name] = strategy
            else:
                optional[ref.attr.name] = strategy
        base = st.fixed_dictionaries({}, optional={**core, **optional})
        ext = st.fixed_dictionaries(
            {},
            optional={
                urn: st.fixed_dictionaries({}, optional=fields)
                for urn, fields in extensions.items()
            },
        )
        return st.tuples(base, ext).map(self._assemble)

    def _assemble(self, parts: tuple[Json, Json]) -> Json:
        body, extensions = parts
        payload: Json = {"schemas": [self.schema.core_urn], **body}
        for urn, values in extensions.items():
            if values:
                payload[urn] = dict(values)
        for urn, values in self.pinned.items():
            payload.setdefault(urn, {}).update(values)
        for urn in payload:
            if urn in self.schema.extensions and urn not in payload["schemas"]:
                payload["schemas"].append(urn)
        return payload

    # PATCH

    def operations(self, expectation: Expectation) -> st.SearchStrategy[list[Json]]:
        """1-3 operations whose outcome the oracle predicts, sometimes ending in a failing one.

        The draws have the same shape whatever the user holds (a plan is drawn, then read
        against the current expectation): the user may come from an earlier example, and
        Hypothesis requires that replaying a choice sequence draws the same kinds of values.
        """
        return self.operation_plans().map(lambda plans: operations_from(plans, expectation))

    def operation_plans(
        self, values_only: bool = False
    ) -> st.SearchStrategy[tuple[list[Plan], bool]]:
        """Drawn plans (see operations); `values_only`: through value filters only."""
        key = "values" if values_only else "any"
        if key not in self._plans:
            self._plans[key] = st.tuples(
                st.lists(_operation(self, values_only), min_size=1, max_size=3),
                st.integers(0, 7).map(lambda n: n == 0),
            )
        return self._plans[key]

    def value_operations(self, expectation: Expectation) -> st.SearchStrategy[list[Json]]:
        """Like operations, all through value filters (`emails[value eq "..."]`)."""
        return self.operation_plans(True).map(lambda plans: operations_from(plans, expectation))

    @property
    def patchable(self) -> list[AttrRef]:
        return [r for r in self.refs if r.attr.name.lower() not in ("password", "active")]

    # filters

    def filters(
        self, users: list[Expectation], scope_prefix: str
    ) -> st.SearchStrategy[tuple[str | None, str]]:
        """A filter predicate (to be and-ed with the run's scope, None: the scope alone) and
        how to change the case of the scope (`keep`, `upper`, `mixed`).

        Drawn from the values the example's users hold, with their case changed where the
        attribute is case-insensitive, so that many filters should match and some must not.
        """
        return self.filter_plans().map(lambda plan: self.filter_from(plan, users, scope_prefix))

    def filter_plans(self) -> st.SearchStrategy[FilterPlan]:
        """The draws behind a filter, to be read later against the users (filter_from)."""
        if self._filter_plans is None:
            self._filter_plans = filter_plans()
        return self._filter_plans

    def filter_from(
        self, plan: FilterPlan, users: list[Expectation], scope_prefix: str
    ) -> tuple[str | None, str]:
        predicate = _filter(self.schema, users, scope_prefix, plan[0], plan[1], plan[2], plan[3])
        return predicate, plan[4]

    def minimal_payload(self) -> Json:
        """The smallest User body: schemas and the profile's required extension values."""
        return self._assemble(({}, {}))


INDEX = st.integers(0, 255)
"""A choice among state-dependent items, always drawn with the same bounds."""


def pick(draw: st.DrawFn, items: list[Any], label: str = "pick") -> Any:
    """One of `items` (None when empty), with a draw whose shape never depends on them."""
    index = draw(INDEX, label=label)
    return items[index % len(items)] if items else None


def _op(kind: str, path: str | None, value: Any = None) -> Json:
    operation: Json = {"op": kind}
    if path is not None:
        operation["path"] = path
    if kind != "remove":
        operation["value"] = value
    return operation


def operations_from(plans: tuple[list[Plan], bool], expectation: Expectation) -> list[Json]:
    """Read drawn plans against the state; stop at the first operation that must fail."""
    planned, invalid_end = plans
    state, chosen = expectation, []
    for plan in planned:
        operation = plan(state)
        if operation is None:
            continue
        try:
            outcome = apply_patch(state, [operation])
        except Ambiguous:
            continue
        chosen.append(operation)
        if outcome.must_fail is not None:
            return chosen
        state = outcome.expectation
    if chosen and invalid_end:
        # RFC 7644 §3.5.2.2: remove without path fails (noTarget); the PATCH is atomic
        chosen.append({"op": "remove"})
    return chosen or [{"op": "remove"}]


Plan = Callable[[Expectation], "Json | None"]


VALUE_ATTRIBUTES = ("emails", "phoneNumbers", "addresses")
"""The multi-valued attributes value-filter operations favour: realistic, and where a
server most often applies an operation to the wrong element or drops values."""


@st.composite
def _operation(draw: st.DrawFn, strategies: UserStrategies, values_only: bool = False) -> Plan:
    """A plan for one operation: fixed draws, read against the state when applied."""
    family = 0 if values_only else draw(st.integers(0, 5), label="family")
    if family == 5:
        return _pathless_plan(draw, strategies)
    if family in (0, 1):
        plan = _value_plan(draw, strategies)
        if plan is not None:
            return plan
    ref: AttrRef = pick(draw, strategies.patchable, "attribute")
    kind = draw(st.integers(0, 8), label="kind")
    first, second = draw(INDEX, label="first"), draw(INDEX, label="second")
    flag = draw(st.booleans(), label="flag")
    value_strategy = strategies.value_strategy(ref)
    assert value_strategy is not None
    value = draw(value_strategy, label="value")
    attr, path = ref.attr, ref.label
    slot = Slot(ref.urn, attr.name)
    if attr.multi_valued:
        element_strategy = strategies.element_strategy(attr)
        assert element_strategy is not None
        fresh = draw(element_strategy, label="element")
        return lambda state: _multi_valued(
            ref, kind, state.get(slot) or [], fresh, value, first, second, flag
        )
    if attr.is_complex:
        text = draw(free_text(40), label="text")
        subs = [s for s in attr.sub_attributes if s.type == "string" and s.writable]
        return lambda state: _complex(ref, kind, state, subs, value, text, first)
    verb = ("add", "replace", "remove")[kind % 3]
    if verb == "remove":
        return lambda state: (
            _op("remove", path)
            if state.get(slot) is not None and not attr.required
            else _op("replace", path, value)
        )
    return lambda state: _op(verb, path, value)


def _value_plan(draw: st.DrawFn, strategies: UserStrategies) -> Plan | None:
    """An operation through a value filter on one of the user's emails, phone numbers or
    addresses (whichever it holds); a fresh element of each is drawn so that the draws do
    not depend on what the user holds."""
    refs = [
        r
        for name in VALUE_ATTRIBUTES
        for r in strategies.patchable
        if not r.extension and r.attr.name.lower() == name.lower() and r.attr.multi_valued
    ]
    if not refs:
        return None
    kind = 3 + draw(st.integers(0, 5), label="value operation")
    first, second = draw(INDEX, label="first"), draw(INDEX, label="second")
    flag = draw(st.booleans(), label="flag")
    fresh: dict[str, Json] = {}
    for ref in refs:
        element = strategies.element_strategy(ref.attr)
        assert element is not None
        fresh[ref.label] = draw(element, label=f"{ref.label} element")

    def plan(state: Expectation) -> Json | None:
        held = [r for r in refs if state.get(Slot(r.urn, r.attr.name))]
        ref = held[first % len(held)] if held else refs[first % len(refs)]
        current = state.get(Slot(ref.urn, ref.attr.name)) or []
        return _multi_valued(
            ref, kind, current, fresh[ref.label], [fresh[ref.label]], first, second, flag
        )

    return plan


def _complex(
    ref: AttrRef,
    kind: int,
    state: Expectation,
    subs: list[AttrDef],
    value: Any,
    text: str,
    index: int,
) -> Json | None:
    path = ref.label
    if not subs:
        return None
    sub = subs[index % len(subs)]
    if kind % 4 == 0:
        return _op("add", f"{path}.{sub.name}", text)
    if kind % 4 == 1:
        return _op("replace", f"{path}.{sub.name}", text)
    if kind % 4 == 2:
        return _op("replace" if kind % 2 else "add", path, value)
    present = [s for s in subs if state.get(Slot(ref.urn, ref.attr.name, s.name)) is not None]
    if not present:
        return _op("replace", f"{path}.{sub.name}", text)
    return _op("remove", f"{path}.{present[index % len(present)].name}")


def _multi_valued(
    ref: AttrRef,
    kind: int,
    current: list[Any],
    fresh: Json,
    whole: Any,
    first: int,
    second: int,
    flag: bool,
) -> Json | None:
    """add / replace / remove on a multi-valued attribute, through value filters when it
    holds values (RFC 7644 §3.5.2.1-§3.5.2.3)."""
    attr, path = ref.attr, ref.label
    elements = [e for e in current if isinstance(e, dict) and isinstance(e.get("value"), str)]
    new = dict(fresh, primary=True) if flag and attr.sub("primary") is not None else fresh
    if kind == 0 or not elements:
        return _op("add", path, [new]) if kind != 1 else _op("replace", path, whole)
    if kind == 1:
        return _op("replace", path, whole)
    if kind == 2:
        return _op("remove", path)
    element = elements[first % len(elements)]
    value_name = (attr.sub("value") or AttrDef("value")).name
    by_value = f"{path}[{value_name} eq {quote(element['value'])}]"
    if kind == 3:
        return _op("remove", by_value)
    if kind == 4:
        types = sorted({e["type"] for e in elements if isinstance(e.get("type"), str)})
        if not types:
            return _op("remove", by_value)
        return _op("remove", f"{path}[type eq {quote(types[second % len(types)])}]")
    if kind == 5:
        record = dict(fresh)
        if "type" in element:
            record["type"] = element["type"]
        if flag or element.get("primary") is True:
            record["primary"] = True
        return _op("replace", by_value, record)
    if kind == 6:
        return _op("replace", f"{by_value}.{value_name}", fresh.get(value_name, fresh.get("value")))
    if kind == 7:
        return _op("replace", f"{by_value}.primary", True)
    type_sub = attr.sub("type")
    if type_sub is None or not type_sub.canonical_values:
        return _op("add", path, [new])
    canonical = type_sub.canonical_values
    return _op("replace", f"{by_value}.type", canonical[second % len(canonical)])


def _pathless_plan(draw: st.DrawFn, strategies: UserStrategies) -> Plan:
    """add/replace without a path: a value object of 1-3 attributes (extensions nested)."""
    kind = "add" if draw(st.booleans(), label="add or replace") else "replace"
    refs = strategies.patchable
    count = draw(st.integers(1, 3), label="attribute count")
    chosen: list[AttrRef] = []
    values: list[Any] = []
    for _ in range(count):
        ref = pick(draw, refs, "attribute")
        if ref in chosen:
            continue
        if kind == "add" and ref.attr.multi_valued:
            element = strategies.element_strategy(ref.attr)
            assert element is not None
            item: Any = [draw(element, label="element")]
        else:
            strategy = strategies.value_strategy(ref)
            assert strategy is not None
            item = draw(strategy, label="value")
        chosen.append(ref)
        values.append(item)
    value: Json = {}
    for ref, item in zip(chosen, values, strict=True):
        if ref.extension:
            value.setdefault(ref.urn, {})[ref.attr.name] = item
        else:
            value[ref.attr.name] = item
    operation = _op(kind, None, value)
    return lambda state: operation


def _with_primary(attr: AttrDef, items: list[Json]) -> st.SearchStrategy[list[Json]]:
    if attr.sub("primary") is None or not items:
        return st.just(items)
    return st.one_of(st.none(), st.integers(0, len(items) - 1)).map(
        lambda index: [
            dict(item, primary=True) if i == index else item for i, item in enumerate(items)
        ]
    )


@cache
def _slugs() -> st.SearchStrategy[str]:
    return st.text(string.ascii_lowercase + string.digits, min_size=3, max_size=12)


@cache
def _tokens() -> st.SearchStrategy[str]:
    """Identifiers whose case matters (externalId is caseExact)."""
    return st.text(string.ascii_letters + string.digits + "-_", min_size=3, max_size=24).map(
        lambda s: s if s.lower() != s else f"Id{s}"
    )


@cache
def emails() -> st.SearchStrategy[str]:
    local = st.text(string.ascii_letters + string.digits + "._+", min_size=1, max_size=20).filter(
        lambda s: not s.startswith(".") and not s.endswith(".") and ".." not in s
    )
    return st.builds(lambda a, d: f"{a}@{d}", local, st.sampled_from(EXAMPLE_DOMAINS))


@cache
def phone_numbers() -> st.SearchStrategy[str]:
    """Fictional numbers (NANP 555-01xx, UK 020 7946 0xxx) in several notations."""
    nanp = st.integers(0, 99).map(lambda n: ("1", "201", "555", f"01{n:02d}"))
    uk = st.integers(0, 999).map(lambda n: ("44", "20", "7946", f"0{n:03d}"))
    formats: tuple[Callable[[tuple[str, ...]], str], ...] = (
        lambda p: f"+{p[0]}-{p[1]}-{p[2]}-{p[3]}",
        lambda p: f"tel:+{p[0]}-{p[1]}-{p[2]}-{p[3]}",
        lambda p: f"+{p[0]} ({p[1]}) {p[2]} {p[3]}",
        lambda p: "+" + "".join(p),
    )
    return st.builds(lambda parts, fmt: fmt(parts), st.one_of(nanp, uk), st.sampled_from(formats))


FILTER_KINDS = 10


FilterPlan = tuple[int, tuple[int, int, int], str, bool, str]


def filter_plans() -> st.SearchStrategy[FilterPlan]:
    """Fixed draws, read against the users' values by _filter (see operations)."""
    return st.tuples(
        st.integers(0, FILTER_KINDS - 1),
        st.tuples(INDEX, INDEX, INDEX),
        st.sampled_from(("keep", "upper", "mixed")),
        st.booleans(),
        st.sampled_from(("keep", "keep", "upper", "mixed")),
    )


def _filter(
    schema: SchemaView,
    users: list[Expectation],
    scope: str,
    kind: int,
    picks: tuple[int, int, int],
    mode: str,
    truth: bool,
) -> str | None:
    first, second, cut = picks
    core = schema.core_urn
    values = _present_values(users)

    def vary(path: str, text: str) -> str:
        """Change the case only where the target declares the attribute case-insensitive."""
        definition = SchemaContext(schema).definition(path)
        exact = definition is not None and definition.case_exact
        return text if exact else case_variant(text, mode)

    def chosen(slot: Slot, index: int) -> Any:
        found = values.get(slot) or []
        return found[index % len(found)] if found else None

    names = values.get(Slot(core, "userName")) or []
    if kind == 0 or (kind in (1, 2) and not names):
        return None
    if kind == 1:
        return f"userName eq {quote(vary('userName', names[first % len(names)]))}"
    if kind == 2:
        a, b = names[first % len(names)], names[second % len(names)]
        return f"userName eq {quote(a)} or userName eq {quote(vary('userName', b))}"
    if kind == 3:
        return f"userName eq {quote(scope + 'zz-none@example.com')}"
    if kind == 4 and schema.attribute(None, "active") is not None:
        return f"active eq {'true' if truth else 'false'}"
    emails = chosen(Slot(core, "emails"), first)
    if kind == 5 and isinstance(emails, list):
        items = [e for e in emails if isinstance(e, dict) and isinstance(e.get("value"), str)]
        if items:
            item = items[second % len(items)]
            return f"emails.value eq {quote(vary('emails.value', item['value']))}"
    if kind == 6 and isinstance(emails, list):
        types = sorted(
            {e["type"] for e in emails if isinstance(e, dict) and isinstance(e.get("type"), str)}
        )
        if types:
            return f"emails[type eq {quote(types[second % len(types)])}]"
    text = chosen(Slot(core, "displayName"), first)
    if kind == 7 and isinstance(text, str) and len(text) >= 3:
        start = cut % (len(text) - 2)
        return f"displayName co {quote(vary('displayName', text[start : start + 3]))}"
    family = chosen(Slot(core, "name", "familyName"), first)
    if kind == 8 and isinstance(family, str):
        return (
            f"name.familyName sw {quote(vary('name.familyName', family[: 1 + cut % len(family)]))}"
        )
    external = chosen(Slot("common", "externalId"), first)
    if kind == 9 and isinstance(external, str):
        return f"externalId eq {quote(external)}"
    for urn in schema.extensions:  # fallback: an extension attribute, else the scope alone
        for slot, found in sorted(values.items()):
            if slot.urn == urn and slot.sub is None and isinstance(found[0], str):
                return f"{urn}:{slot.attr} eq {quote(found[first % len(found)])}"
    title = chosen(Slot(core, "title"), first)
    return "title pr" if isinstance(title, str) and truth else None


def _present_values(users: list[Expectation]) -> dict[Slot, list[Any]]:
    found: dict[Slot, list[Any]] = {}
    for user in users:
        for slot, value in user.values.items():
            found.setdefault(slot, []).append(value)
    return found
