"""Compare what a target shows with what the oracle expects, by the target's own characteristics.

A difference is reported only where the RFC leaves the target no choice:

- an asserted slot must be there (returned "default"/"always") with the same value, or may
  be missing when returned "request" (RFC 7643 §7) or when the target shows the other half
  of `name` (RFC 7643 §4.1.1: "MAY return just the full name ... or ... just the individual
  component attributes");
- a slot the client cleared must be unassigned (RFC 7644 §3.5.2.2 "SHALL be considered
  unassigned"); RFC 7643 §2.5 treats null and [] as unassigned, and they may be omitted;
- multi-valued attributes compare as sets (order is not significant, RFC 7643 §2.4), with at
  most one `primary` true ("MUST appear no more than once");
- an attribute returned "never" must never be shown (RFC 7643 §7, e.g. password);
- id is stable (RFC 7643 §3.1 "MUST be a stable, non-reassignable identifier"), and
  meta.created does not move (it is "The DateTime that the resource was added").

Everything else the target shows (defaults, server-canonicalized values, attributes it adds)
is adopted into the expectation, so later steps are predicted from what the target holds.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from conformance.discovery import CORE_USER
from conformance.model.resource import Expectation, Slot, flatten, slot_label
from conformance.model.schema import AttrDef
from conformance.model.values import same_element, same_value

CREATED_TOLERANCE_SECONDS = 1.0


@dataclass(frozen=True)
class Mismatch:
    """One way the representation differs from what the oracle requires."""

    path: str
    problem: str
    expected: Any = None
    actual: Any = None
    slot: Slot | None = None
    kind: str = "value"
    """value, missing, unassigned, case-exact, returned-never, primary, identity"""

    def __str__(self) -> str:
        text = f"{self.path}: {self.problem}"
        if self.expected is not None:
            text += f"; expected {_short(self.expected)}"
        if self.actual is not None:
            text += f", got {_short(self.actual)}"
        return text


def _short(value: Any, limit: int = 240) -> str:
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def compare(
    expectation: Expectation, representation: dict[str, Any], *, partial: bool = False
) -> tuple[list[Mismatch], Expectation]:
    """Differences between a representation and the expectation, and the adopted expectation.

    The adopted expectation holds the target's own spelling of every value that matched and
    every free slot it showed; it is meaningful only when there are no differences. With
    `partial`, attributes missing from the representation are not judged (a POST or PUT
    answer "SHOULD" carry the resource, RFC 7644 §3.3; a list entry is judged on membership).
    """
    problems: list[Mismatch] = []
    schema = expectation.schema
    problems += _judge_identity(expectation, representation)
    actual, _named = flatten(schema, representation)
    adopted = expectation.copy()
    for slot in set(actual) | set(expectation.values) | expectation.asserted:
        attr = expectation.definition(slot)
        label = slot_label(schema, slot)
        shown = actual.get(slot)
        if _never_returned(expectation, slot, attr):
            if shown is not None:
                problems.append(
                    Mismatch(
                        label,
                        'is returned although its "returned" is "never"',
                        actual=shown,
                        slot=slot,
                        kind="returned-never",
                    )
                )
            continue
        if slot not in expectation.asserted:
            if shown is not None:
                adopted.values[slot] = shown
            elif not partial:
                adopted.values.pop(slot, None)
            continue
        wanted = expectation.values.get(slot)
        if partial and shown is None:
            continue
        problem = _judge_slot(expectation, slot, attr, wanted, shown, actual)
        if problem is not None:
            kind = _kind(attr, wanted, shown)
            problems.append(Mismatch(label, problem, wanted, shown, slot=slot, kind=kind))
        elif shown is not None and wanted is not None:
            adopted.values[slot] = shown
    problems += _judge_primary(expectation, actual)
    return problems, adopted


def _judge_identity(expectation: Expectation, representation: dict[str, Any]) -> list[Mismatch]:
    problems: list[Mismatch] = []
    shown_id = representation.get("id")
    if expectation.id is not None and shown_id != expectation.id:
        problems.append(
            Mismatch(
                "id",
                "is not the id the resource was created with",
                expectation.id,
                shown_id,
                kind="identity",
            )
        )
    meta = representation.get("meta")
    created = meta.get("created") if isinstance(meta, dict) else None
    if (
        expectation.created
        and isinstance(created, str)
        and not _same_instant(expectation.created, created)
    ):
        problems.append(
            Mismatch(
                "meta.created",
                "moved although the resource was not re-created",
                expectation.created,
                created,
                kind="identity",
            )
        )
    return problems


def _same_instant(left: str, right: str) -> bool:
    try:
        a = datetime.fromisoformat(left.replace("Z", "+00:00"))
        b = datetime.fromisoformat(right.replace("Z", "+00:00"))
    except ValueError:
        return left == right
    if (a.tzinfo is None) != (b.tzinfo is None):
        return True  # not comparable; another check judges the notation
    return abs((a - b).total_seconds()) <= CREATED_TOLERANCE_SECONDS


def _judge_slot(
    expectation: Expectation,
    slot: Slot,
    attr: AttrDef | None,
    wanted: Any,
    shown: Any,
    actual: dict[Slot, Any],
) -> str | None:
    if wanted is None:
        if shown is None:
            return None
        return "should be unassigned (it was removed or cleared) but is still present"
    if shown is None:
        if attr is not None and attr.returned == "request":
            return None
        if _name_half_shown(expectation, slot, actual):
            return None
        return "is missing"
    if attr is not None and attr.multi_valued:
        return _judge_multi(attr, wanted, shown)
    if slot.sub is not None and slot.attr.lower() == "name" and slot.sub.lower() == "formatted":
        return None  # the server may compose `formatted` itself (RFC 7643 §4.1.1)
    if not same_value(attr, wanted, shown, parent="" if slot.sub is None else slot.attr.lower()):
        return "has a different value"
    return None


def _name_half_shown(expectation: Expectation, slot: Slot, actual: dict[Slot, Any]) -> bool:
    """RFC 7643 §4.1.1: `name` may come back as just formatted, or just its components."""
    if slot.sub is None or slot.attr.lower() != "name" or slot.urn in expectation.schema.extensions:
        return False
    shown_subs = {
        s.sub.lower() for s in actual if s.attr == slot.attr and s.sub and s.urn == slot.urn
    }
    if slot.sub.lower() == "formatted":
        return bool(shown_subs - {"formatted"})
    return "formatted" in shown_subs


def _judge_multi(attr: AttrDef, wanted: Any, shown: Any) -> str | None:
    wanted_items = wanted if isinstance(wanted, list) else [wanted]
    shown_items = shown if isinstance(shown, list) else [shown]
    parent = attr.name.lower()
    # With no value marked primary, the server may mark one itself (a default); once the
    # client marks one, that one (and no other) is the primary.
    chosen = any(isinstance(w, dict) and w.get("primary") is True for w in wanted_items)

    def same(a: Any, b: Any) -> bool:
        if isinstance(a, dict) and isinstance(b, dict):
            if not chosen:
                a = {k: v for k, v in a.items() if k.lower() != "primary"}
                b = {k: v for k, v in b.items() if k.lower() != "primary"}
            return same_element(attr, a, b)
        return same_value(attr, a, b, parent=parent)

    missing = [w for w in wanted_items if not any(same(w, s) for s in shown_items)]
    extra = [s for s in shown_items if not any(same(w, s) for w in wanted_items)]
    if not missing and not extra:
        return None
    parts = []
    if missing:
        parts.append(f"{len(missing)} expected value(s) missing or altered: {_short(missing, 160)}")
    if extra:
        parts.append(f"{len(extra)} unexpected value(s): {_short(extra, 160)}")
    return (
        f"holds {len(shown_items)} value(s) where {len(wanted_items)} are expected; "
        + "; ".join(parts)
    )


def _judge_primary(expectation: Expectation, actual: dict[Slot, Any]) -> list[Mismatch]:
    problems = []
    for slot, value in actual.items():
        if not isinstance(value, list):
            continue
        primaries = [v for v in value if isinstance(v, dict) and v.get("primary") is True]
        if len(primaries) > 1:
            problems.append(
                Mismatch(
                    slot_label(expectation.schema, slot),
                    'has more than one value with "primary": true '
                    '(RFC 7643 §2.4: "MUST appear no more than once")',
                    actual=primaries,
                    slot=slot,
                    kind="primary",
                )
            )
    return problems


def _kind(attr: AttrDef | None, wanted: Any, shown: Any) -> str:
    """What sort of difference: a caseExact value whose case alone changed is singled out
    (RFC 7643 §7: "the server SHALL preserve case for any value submitted")."""
    if wanted is None:
        return "unassigned"
    if shown is None:
        return "missing"
    exact = attr is not None and attr.case_exact and attr.type in ("string", "reference")
    if exact and isinstance(wanted, str) and isinstance(shown, str):
        if wanted != shown and wanted.casefold() == shown.casefold():
            return "case-exact"
    return "value"


CREATE_STRICT = frozenset({"case-exact", "returned-never", "primary", "identity"})
"""What a created resource is judged on: RFC 7644 §3.3 says "the server is free to alter
and/or ignore POSTed content", so only the rules that hold for every response stay."""


def settle_created(
    expectation: Expectation, representation: dict[str, Any], *, partial: bool = False
) -> tuple[list[Mismatch], Expectation, list[str]]:
    """Judge a resource just created by POST, and take what the target made of it.

    Returns the problems that count (CREATE_STRICT), the expectation the next steps start
    from (values the target altered or ignored become free, holding what it showed), and
    the paths it altered or ignored (for the transcript).
    """
    problems, adopted = compare(expectation, representation, partial=partial)
    actual, _ = flatten(expectation.schema, representation)
    strict = [p for p in problems if p.kind in CREATE_STRICT]
    settled = adopted.copy()
    altered = []
    for problem in problems:
        if problem.kind in CREATE_STRICT or problem.slot is None:
            continue
        altered.append(problem.path)
        settled.asserted.discard(problem.slot)
        shown = actual.get(problem.slot)
        if shown is None:
            settled.values.pop(problem.slot, None)
        else:
            settled.values[problem.slot] = shown
    return strict, settled, altered


def _never_returned(expectation: Expectation, slot: Slot, attr: AttrDef | None) -> bool:
    """returned "never" (RFC 7643 §7), writeOnly ("Attribute values SHALL NOT be returned"),
    and the User's password whatever a schema says (RFC 7643 §4.1.1: "the value MUST NOT be
    returned by a service provider in any form")."""
    if attr is not None and (attr.returned == "never" or attr.mutability == "writeOnly"):
        return True
    core = expectation.schema.core_urn.lower()
    user_password = slot.attr.lower() == "password" and core == CORE_USER.lower()
    return user_password and slot.sub is None and slot.urn.lower() == core
