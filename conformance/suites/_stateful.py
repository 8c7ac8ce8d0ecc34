"""The HTTP side of the state machine: send a step, judge it against the oracle, keep a transcript.

Every step goes through the run's recording client (evidence, redaction) and every user it
creates through the ledger. The driver is lenient where the RFC is: a request the target
refuses with a 4xx changes nothing (and the next read proves it); a PATCH may answer 200
with the resource or 204; DELETE may remove (then 404) or, on profiles that say so,
deactivate. It fails the check where the RFC leaves no room: a state that disagrees with
the oracle, a 5xx to a well-formed request, a deleted resource still served.
"""

from __future__ import annotations

import json
import shlex
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

from conformance.checks import describe, fail
from conformance.discovery import PATCH_OP
from conformance.errors import Nonconformance
from conformance.evidence import Exchange
from conformance.factory import Factory
from conformance.http import ScimClient, json_or_none, segment
from conformance.model import (
    Ambiguous,
    Expectation,
    FilterError,
    SchemaView,
    Slot,
    apply_patch,
    compare,
    parse_filter,
    quote,
    settle_created,
)
from conformance.model.world import OwnedUser, World
from conformance.profile import Profile
from conformance.strategies import case_variant

MAX_HELD = 3
"""Most users one example holds at a time (the budget is for the whole run)."""
POOL_TARGET = MAX_HELD + 2
"""Beyond this many live users the machine only recycles (each user spends budget)."""
LIST_PAGE = 100
LIST_MAX_PAGES = 10
LIST_RETRY_SECONDS = 1.0
"""One re-read before a list disagreement counts, for targets whose search index lags."""
RATE_LIMIT_RETRIES = 3
SHRINK_EXAMPLES = 80
SHRINK_SECONDS = 60.0
"""Shrinking effort: after the first failure, this many examples or seconds of trying
shorter sequences (each one is real HTTP traffic); then the shortest found so far is it."""
BODY_IN_STEP = 160

CLAUSES = {
    "POST": 'RFC 7644 §3.3: the created resource holds what was sent ("the service provider '
    'SHALL ... return the resource")',
    "PUT": 'RFC 7644 §3.5.1: "Any values provided SHALL replace the existing attribute values"',
    "PATCH": "RFC 7644 §3.5.2: operations are applied in order, each to the result of the "
    "previous one, and atomically",
    "DELETE": "RFC 7644 §3.6: DELETE removes the resource (then 404 for all operations on it)",
    "DEACTIVATE": "the profile's DELETE deactivates: the user stays, with active false",
    "REFUSED PATCH": 'RFC 7644 §3.5.2: "A PATCH request, regardless of the number of '
    "operations, SHALL be treated as atomic. If a single operation encounters an error "
    'condition, the original SCIM resource MUST be restored"',
    "REFUSED": "a request the target refused (4xx) must leave the resource unchanged",
}


@dataclass
class Step:
    """One step of the sequence, as the HTTP requests it made."""

    text: str
    exchanges: list[Exchange] = field(default_factory=list)
    recycled: bool = False

    def render(self, number: int) -> str:
        outcome = ", ".join(
            f"#{e.seq} {e.status if e.status is not None else e.error}" for e in self.exchanges
        )
        return f"{number:>3}. {self.text}" + (f"   -> {outcome}" if outcome else "")


@dataclass
class Transcript:
    """The steps of the current example (the last one run is the shrunk sequence)."""

    steps: list[Step] = field(default_factory=list)

    def render(self) -> str:
        return "\n".join(step.render(i) for i, step in enumerate(self.steps, 1))


class Driver:
    """Runs the machine's steps against the target and keeps the oracle in step with it."""

    def __init__(
        self,
        scim: ScimClient,
        factory: Factory,
        profile: Profile,
        schema: SchemaView,
        *,
        patch: bool,
        filtering: bool,
        prefix: str,
    ) -> None:
        self.scim = scim
        self.factory = factory
        self.profile = profile
        self.schema = schema
        self.can_patch = patch
        self.can_filter = filtering
        self.has_active = schema.attribute(None, "active") is not None
        self.prefix = prefix
        self.world = World()
        self.held: list[OwnedUser] = []
        self.dirty: list[OwnedUser] = []
        self.transcript = Transcript()
        self.examples = 0
        self.steps_run = 0
        self.users_obtained = 0
        self._labels = 0
        self._refused_names: set[str] = set()
        ledger = factory.ledger
        self.post_budget = min(ledger.users_left, max(POOL_TARGET, ledger.user_budget // 2))
        """The machine's share of the run's user budget (the rest is for other checks)."""
        self.posts = 0
        self.tainted: set[str] = set()
        self.first_failure: float | None = None
        self.shrink_examples = 0
        self.frozen = False
        """Shrinking has had its share: examples send nothing (and so cannot fail) until
        Hypothesis replays the shortest failing one, which runs for real."""

    # -- examples ------------------------------------------------------------------------

    def begin_example(self) -> None:
        """A new Hypothesis example: fresh transcript; earlier exchanges are dropped from the
        evidence, so that the check's evidence is the last (shrunk) sequence."""
        self.examples += 1
        if self.first_failure is not None:
            self.shrink_examples += 1
            spent = time.monotonic() - self.first_failure
            over = self.shrink_examples > SHRINK_EXAMPLES or spent > SHRINK_SECONDS
            self.frozen = over and not _final_replay()
        self.held, self.dirty, self._labels = [], [], 0
        self.transcript = Transcript()
        self.scim.evidence.exchanges = []
        self._resync()

    def _resync(self) -> None:
        """After a failed example the oracle and the target disagree about the users it
        held: read them back and take what the target holds as the (unasserted) truth, so
        that the next example, a shrinking attempt, starts from a consistent world."""
        if self.frozen:
            return
        tainted, self.tainted = self.tainted, set()
        for user_id in sorted(tainted):
            user = self.world.users.get(user_id)
            if user is None or user.deleted:
                continue
            response = self.scim.get(user.path)
            document = json_or_none(response)
            if response.status_code == 404:
                user.deleted = True  # gone, whatever DELETE should have done: not recycled
            elif response.status_code == 200 and isinstance(document, dict):
                user.expectation = user.expectation.observed(document)

    def end_example(self) -> None:
        self.held, self.dirty = [], []

    @property
    def logical_delete(self) -> bool:
        return self.profile.deletes_logically

    def blank(self) -> Expectation:
        """An empty expectation (to draw PATCH plans when there is no user to apply them to)."""
        return Expectation(self.schema)

    def free_users(self) -> list[OwnedUser]:
        held = {u.id for u in self.held}
        return [u for u in self.world.live() if u.id not in held]

    def budget_left(self) -> int:
        return min(self.factory.ledger.users_left, self.post_budget - self.posts)

    def can_obtain(self) -> bool:
        return len(self.held) < MAX_HELD and (bool(self.free_users()) or self.budget_left() > 0)

    def live_held(self) -> list[OwnedUser]:
        return [u for u in self.held if not u.deleted]

    def deleted_held(self) -> list[OwnedUser]:
        return [u for u in self.held if u.deleted]

    # -- steps ---------------------------------------------------------------------------

    def obtain(self, payload: dict[str, Any], recycle: bool, name_case: str) -> None:
        """A user with this representation: POST a new one, or PUT over a free one."""
        if self.frozen:
            return
        free = self.free_users()
        pool_full = len(self.world.live()) >= POOL_TARGET
        if free and (recycle or pool_full or self.budget_left() <= 0):
            self._recycle(free[0], payload)
        elif self.budget_left() > 0:
            self._post(payload, name_case)
        else:
            self._step("(no user obtained: the user budget is spent and no user is free)")

    def _post(self, payload: dict[str, Any], name_case: str) -> None:
        name = self._new_name(name_case)
        body = {**payload, "userName": name}
        label = self._label()
        step = self._step(f"{label} = POST {self.factory.users_path} {_brief(body)}")
        response = self._send("POST", self.factory.users_path, body, step)
        self.posts += 1
        document = json_or_none(response)
        if 200 <= response.status_code < 300 and isinstance(document, dict) and document.get("id"):
            if response.status_code == 201:
                self.factory.record_created("User", response, name=name)
            else:  # not 201, but created all the same: the ledger must know it
                self.factory.ledger.created(
                    "User", str(document["id"]), location="", name=name, check=self._check_id()
                )
            expectation = Expectation.from_payload(self.schema, body)
            expectation.id = str(document["id"])
            meta = document.get("meta")
            expectation.created = meta.get("created") if isinstance(meta, dict) else None
            user = OwnedUser(
                expectation.id, name, self._path(expectation.id, name), expectation, label
            )
            user.fresh = True
            self.world.add(user)
            self.held.append(user)
            self.users_obtained += 1
            self._settle(user, document, step, partial=True)
            self.dirty.append(user)
            return
        self._refused_names.add(name.casefold())
        self._judge_refusal(response, step, "POST of a new, valid User")

    def _recycle(self, user: OwnedUser, payload: dict[str, Any]) -> None:
        user.label = self._label()
        body = {**payload, "userName": user.user_name}
        if self.schema.attribute(None, "active") is not None:
            body.setdefault("active", True)
        step = self._step(
            f"{user.label} = PUT {user.path} {_brief(body)}   (recycled: the user budget is "
            "for the whole run)",
            recycled=True,
        )
        response = self._send("PUT", user.path, body, step)
        self.held.append(user)
        if self._accepted(response, step, user, "PUT (replacing a user of the run)"):
            user.expectation = user.expectation.replaced(body)
            user.last_write = "PUT"
            self._judge_body(user, json_or_none(response), "PUT", step)
            self.users_obtained += 1
        self.dirty.append(user)

    def get(self, user: OwnedUser) -> None:
        if self.frozen:
            return
        step = self._step(f"GET {user.path}   ({user.label})")
        response = self._send("GET", user.path, None, step)
        self._judge_read(user, response, step)

    def replace(self, user: OwnedUser, payload: dict[str, Any]) -> None:
        if self.frozen:
            return
        body = {**payload, "userName": user.user_name}
        step = self._step(f"PUT {user.path} {_brief(body)}   ({user.label})")
        response = self._send("PUT", user.path, body, step)
        if self._accepted(response, step, user, "PUT of a valid replacement"):
            user.expectation = user.expectation.replaced(body)
            user.last_write = "PUT"
            self._judge_body(user, json_or_none(response), "PUT", step)
        self.dirty.append(user)

    def patch(self, user: OwnedUser, operations: list[dict[str, Any]]) -> None:
        if self.frozen:
            return
        try:
            outcome = apply_patch(user.expectation, operations)
        except Ambiguous:
            return  # not sent: the RFC does not pin the result down (strategies avoid these)
        body = {"schemas": [PATCH_OP], "Operations": operations}
        step = self._step(f"PATCH {user.path} {_brief(operations, 400)}   ({user.label})")
        response = self._send("PATCH", user.path, body, step)
        code = response.status_code
        self.dirty.append(user)
        if outcome.must_fail is not None:
            if 200 <= code < 300:
                failure = outcome.must_fail
                self._fail(
                    step,
                    f"the PATCH must fail ({failure.reason}; {failure.clause}: "
                    f"{failure.status}{' ' + failure.scim_type if failure.scim_type else ''}) "
                    "and leave the user unchanged, but it was accepted",
                    response,
                )
            self._judge_refusal(response, step, "an invalid PATCH", expect_refusal=True)
            user.last_write = "REFUSED PATCH"
            return
        if self._accepted(response, step, user, "PATCH of valid operations"):
            user.expectation = outcome.expectation
            user.last_write = "PATCH"
            if code == 200:
                self._judge_body(user, json_or_none(response), "PATCH", step)

    def set_active(self, user: OwnedUser, active: bool) -> None:
        if self.frozen:
            return
        word = "reactivate" if active else "deactivate"
        if self.can_patch:
            operations = [{"op": "replace", "path": "active", "value": active}]
            body: dict[str, Any] = {"schemas": [PATCH_OP], "Operations": operations}
            step = self._step(f"PATCH {user.path} {_brief(operations)}   ({word} {user.label})")
            response = self._send("PATCH", user.path, body, step)
            new = user.expectation.with_value(Slot(self.schema.core_urn, "active"), active)
        else:
            put = user.expectation.to_json(writable_only=True)
            put["active"] = active
            step = self._step(f"PUT {user.path} {_brief(put)}   ({word} {user.label})")
            response = self._send("PUT", user.path, put, step)
            new = user.expectation.replaced(put)
        if self._accepted(response, step, user, f"a request to {word} the user"):
            user.expectation = new
            user.last_write = "PATCH" if self.can_patch else "PUT"
            if response.status_code == 200:
                self._judge_body(
                    user, json_or_none(response), "PATCH" if self.can_patch else "PUT", step
                )
        self.dirty.append(user)

    def delete(self, user: OwnedUser) -> None:
        if self.frozen:
            return
        if (
            not self.logical_delete
            and self.budget_left() <= 0
            and len(self.world.live()) <= POOL_TARGET
        ):
            # a removed user cannot be recycled and no user may be created any more
            self._step(f"(DELETE {user.path} not sent: the user budget is spent)")
            self.get(user)
            return
        step = self._step(f"DELETE {user.path}   ({user.label})")
        response = self._send("DELETE", user.path, None, step)
        if not self._accepted(response, step, user, "DELETE of an existing user"):
            self.dirty.append(user)
            return
        if self.logical_delete:
            user.expectation = user.expectation.with_value(
                Slot(self.schema.core_urn, "active"), False
            )
            user.last_write = "DEACTIVATE"
            self.dirty.append(user)
            return
        user.deleted = True
        self.factory.ledger.mark("User", user.id, "deleted")
        self.dirty.append(user)

    def touch_deleted(self, user: OwnedUser, method: str, payload: dict[str, Any]) -> None:
        """RFC 7644 §3.6: "MUST return a 404 (Not Found) error code for all operations
        associated with the previously deleted resource"."""
        body: Any = None
        if method == "PUT" and self.factory.ledger.users_left <= 0:
            method = "GET"  # a faulty target could create a user: not beyond the budget
        if method == "PUT":
            body = {**payload, "userName": user.user_name}
        elif method == "PATCH":
            body = {
                "schemas": [PATCH_OP],
                "Operations": [{"op": "replace", "path": "nickName", "value": "x"}],
            }
        if self.frozen:
            return
        step = self._step(
            f"{method} {user.path}{' ' + _brief(body) if body else ''}   (deleted {user.label})"
        )
        response = self._send(method, user.path, body, step)
        if response.status_code == 404:
            return
        document = json_or_none(response)
        if method == "PUT" and 200 <= response.status_code < 300 and isinstance(document, dict):
            self._adopt_created(document, user)
        self._fail(
            step,
            f'{user.label} was deleted; RFC 7644 §3.6: the service provider "MUST return a 404 '
            "(Not Found) error code for all operations associated with the previously deleted "
            f'resource" (and RFC 7644 §3.5.1: "HTTP PUT MUST NOT be used to create new resources")',
            response,
        )

    def _adopt_created(self, document: dict[str, Any], origin: OwnedUser) -> None:
        """A resource the target created where it should not have: the run owns it now
        (ledger, so that cleanup removes it; world, so that lists account for it)."""
        new_id = str(document.get("id") or origin.id)
        name = str(document.get("userName") or origin.user_name)
        self.factory.ledger.created("User", new_id, location="", name=name, check=self._check_id())
        observed = Expectation(self.schema, id=new_id).observed(document)
        self.world.add(OwnedUser(new_id, name, self._path(new_id, name), observed, origin.label))

    def list_users(self, predicate: str | None, scope_case: str = "keep") -> None:
        """List with a filter scoped to the machine's users; judge against the world.

        The scope's case may be changed: userName is case insensitive (RFC 7643 §4.1.1), so
        `userName sw "SCIMC..."` must find the same users (unless /Schemas says caseExact).
        """
        if not self.can_filter or self.frozen:
            return
        user_name = self.schema.attribute(None, "userName")
        if user_name is not None and user_name.attr.case_exact:
            scope_case = "keep"  # the target says it compares userName case-sensitively
        scope = f"userName sw {quote(case_variant(self.prefix, scope_case))}"
        text = scope if predicate is None else f"{scope} and ({predicate})"
        try:
            node = parse_filter(text)
        except FilterError:
            return
        step = self._step(f"GET {self.factory.users_path}?filter={text}")
        scope_node = parse_filter(scope)
        problems = self._list_once(node, scope_node, text, step)
        if problems:
            time.sleep(LIST_RETRY_SECONDS)
            problems = self._list_once(node, scope_node, text, step)
        if problems:
            self._fail(
                step,
                'the list disagrees with the oracle (RFC 7644 §3.4.2.2: "only those resources '
                'matching the filter expression SHALL be returned"; §3.6: deleted resources '
                "MUST be omitted from query results):\n  - " + "\n  - ".join(problems),
            )

    def _list_once(self, node: Any, scope: Any, text: str, step: Step) -> list[str]:
        resources: list[dict[str, Any]] = []
        start = 1
        for _ in range(LIST_MAX_PAGES):
            params: dict[str, str | int] = {"filter": text, "startIndex": start, "count": LIST_PAGE}
            response = self._send("GET", self.factory.users_path, None, step, params=params)
            if response.status_code >= 500:
                self._fail(step, "a valid, scoped filter answered a server error", response)
            document = json_or_none(response)
            if response.status_code != 200 or not isinstance(document, dict):
                return []  # declined (e.g. 400 invalidFilter): the filter area judges that
            page = [r for r in document.get("Resources") or [] if isinstance(r, dict)]
            resources.extend(page)
            total = document.get("totalResults")
            if not page or not isinstance(total, int) or start - 1 + len(page) >= total:
                break
            start += len(page)
        return self._judge_list(node, scope, resources)

    def _judge_list(self, node: Any, scope: Any, resources: list[dict[str, Any]]) -> list[str]:
        from conformance.model.filter import evaluate
        from conformance.model.resource import SchemaContext

        expected = self.world.expect_list(node)
        problems: list[str] = []
        returned: set[str] = set()
        for resource in resources:
            rid = str(resource.get("id"))
            returned.add(rid)
            owned = self.world.users.get(rid)
            if owned is None:
                name = str(resource.get("userName", ""))
                if name.casefold() in self._refused_names:
                    problems.append(f"{name} is listed although its POST was refused")
                # a resource of someone else: judged on the scope alone (its representation
                # may leave out what the rest of the filter looked at)
                if evaluate(scope, resource, SchemaContext(self.schema)) is False:
                    problems.append(f"returned {name or rid}, which does not match the filter")
                continue
            if rid in expected.must_not:
                why = "was deleted" if owned.deleted else "does not match the filter"
                problems.append(f"returned {owned.label or owned.user_name}, which {why}")
                continue
            mismatches, _ = compare(owned.expectation, resource, partial=True)
            if mismatches:
                problems.append(
                    f"{owned.label or owned.user_name} as listed differs from the oracle: "
                    + "; ".join(str(m) for m in mismatches[:3])
                )
        for rid in sorted(expected.must - returned):
            owned = self.world.users[rid]
            problems.append(
                f"omitted {owned.label or owned.user_name} ({owned.user_name}), which matches"
            )
        return problems

    # -- the invariant -------------------------------------------------------------------

    def check_dirty(self) -> None:
        """After every step: each user the step touched reads back as the oracle says."""
        if self.frozen:
            return
        touched, self.dirty = self.dirty, []
        seen: set[str] = set()
        for user in touched:
            if user.id in seen:
                continue
            seen.add(user.id)
            step = self.transcript.steps[-1] if self.transcript.steps else self._step("check")
            response = self._send("GET", user.path, None, step)
            self._judge_read(user, response, step)

    # -- judging -------------------------------------------------------------------------

    def _judge_read(self, user: OwnedUser, response: httpx.Response, step: Step) -> None:
        code = response.status_code
        if user.deleted:
            if code != 404:
                self._fail(
                    step,
                    f'{user.label} was deleted; RFC 7644 §3.6: the service provider "MUST return '
                    "a 404 (Not Found) error code for all operations associated with the "
                    'previously deleted resource"',
                    response,
                )
            return
        if code == 404:
            why = CLAUSES.get(user.last_write, "it was created and never deleted")
            self._fail(step, f"{user.label} must exist ({why}) but GET answered 404", response)
        if code >= 500:
            self._fail(step, "GET of an existing user answered a server error", response)
        document = json_or_none(response)
        if code != 200 or not isinstance(document, dict):
            return  # refused read (403, 429...): nothing to judge
        if user.fresh:
            user.fresh = False
            self._settle(user, document, step, partial=False)
            return
        self._judge_body(user, document, user.last_write, step, read=True)

    def _settle(
        self, user: OwnedUser, document: dict[str, Any], step: Step, *, partial: bool
    ) -> None:
        """A created user: RFC 7644 §3.3 says "the server is free to alter and/or ignore
        POSTed content", so what it altered becomes the starting point, not a failure; only
        the rules that hold for every representation are judged here."""
        strict, settled, altered = settle_created(user.expectation, document, partial=partial)
        if strict:
            actual = _cut(json.dumps(document, ensure_ascii=False, sort_keys=True), 1500)
            self._fail(
                step,
                "the created user breaks rules that hold for every representation:\n  - "
                + "\n  - ".join(str(m) for m in strict)
                + f"\nActual: {actual}",
            )
        user.expectation = settled
        if altered:
            step.text += f"   (stored differently, as RFC 7644 §3.3 allows: {', '.join(altered)})"

    def _judge_body(
        self, user: OwnedUser, document: Any, method: str, step: Step, *, read: bool = False
    ) -> None:
        if not isinstance(document, dict):
            return
        mismatches, adopted = compare(user.expectation, document, partial=not read)
        if mismatches:
            where = f"GET {user.path}" if read else "the response body"
            expected = json.dumps(user.expectation.to_json(), ensure_ascii=False, sort_keys=True)
            actual = json.dumps(document, ensure_ascii=False, sort_keys=True)
            self._fail(
                step,
                f"{where} disagrees with the oracle ({CLAUSES.get(method, method)}):\n  - "
                + "\n  - ".join(str(m) for m in mismatches)
                + f"\nExpected (oracle): {_cut(expected, 1500)}\nActual: {_cut(actual, 1500)}",
            )
        user.expectation = adopted

    def _accepted(
        self,
        response: httpx.Response,
        step: Step,
        user: OwnedUser,
        what: str,
    ) -> bool:
        code = response.status_code
        if 200 <= code < 300:
            return True
        if code == 404:
            self._fail(step, f"{what} to {user.label}, which exists, answered 404", response)
        self._judge_refusal(response, step, what)
        user.last_write = "REFUSED PATCH" if what.startswith("PATCH") else "REFUSED"
        return False

    def _judge_refusal(
        self, response: httpx.Response, step: Step, what: str, *, expect_refusal: bool = False
    ) -> None:
        if response.status_code >= 500:
            self._fail(step, f"{what} answered a server error", response)
        step.text += "   (refused)" if not expect_refusal else ""

    def _fail(self, step: Step, message: str, response: httpx.Response | None = None) -> None:
        self.tainted.update(u.id for u in self.held)
        if self.first_failure is None:
            self.first_failure = time.monotonic()
        number = self.transcript.steps.index(step) + 1 if step in self.transcript.steps else 0
        text = f"Step {number} ({step.text.split('   (')[0][:200]}): {message}"
        if response is not None:
            text += f"\nActual: {describe(response)}"
        fail(text)

    # -- plumbing ------------------------------------------------------------------------

    def _step(self, text: str, *, recycled: bool = False) -> Step:
        step = Step(text, recycled=recycled)
        self.transcript.steps.append(step)
        self.steps_run += 1
        return step

    def _send(
        self,
        method: str,
        path: str,
        body: Any,
        step: Step,
        params: dict[str, str | int] | None = None,
    ) -> httpx.Response:
        for attempt in range(RATE_LIMIT_RETRIES + 1):
            before = len(self.scim.evidence.exchanges)
            response = self.scim.request(method, path, json_body=body, params=params)
            step.exchanges.extend(self.scim.evidence.exchanges[before:])
            if response.status_code not in (429, 503) or attempt == RATE_LIMIT_RETRIES:
                return response
            time.sleep(_retry_after(response))
        return response

    def _label(self) -> str:
        self._labels += 1
        return f"user{self._labels}"

    def _new_name(self, name_case: str) -> str:
        name = self.factory.username("sm")
        if not name.startswith(self.prefix):
            return name
        tail = name[len(self.prefix) :]
        if name_case == "upper":
            tail = tail.upper()
        elif name_case == "mixed":
            tail = "".join(c.upper() if i % 2 else c for i, c in enumerate(tail))
        return self.prefix + tail

    def _path(self, user_id: str, name: str) -> str:
        key = name if self.profile.user_addressing == "userName" else user_id
        return f"{self.factory.users_path}/{segment(key)}"

    def _check_id(self) -> str:
        return self.scim.evidence.check_id or "-"


def _final_replay() -> bool:
    """Is Hypothesis replaying the failing example it will report?"""
    try:
        from hypothesis.control import current_build_context

        return bool(current_build_context().is_final)
    except Exception:  # no build context: not under Hypothesis
        return False


def _retry_after(response: httpx.Response) -> float:
    try:
        return min(10.0, max(0.5, float(response.headers.get("Retry-After", "1"))))
    except ValueError:
        return 1.0


def _brief(value: Any, limit: int = BODY_IN_STEP) -> str:
    """Compact JSON of a request body for a step line (the evidence holds it whole)."""
    if isinstance(value, dict):
        value = {k: v for k, v in value.items() if k != "schemas"}
    return _cut(json.dumps(value, ensure_ascii=False, separators=(",", ":")), limit)


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


# -- reporting a failure ------------------------------------------------------------------


def replay_command(options: Any, seed: int, examples: int, steps: int) -> str:
    """The command that runs the same sequence again (same seed, same effort)."""
    parts = ["scim-conformance", "run"]
    if options.target:
        parts += ["--target", options.target]
    else:
        parts += [f"--fault {shlex.quote(f)}" for f in options.faults]
        if options.flavour:
            parts += ["--flavour", options.flavour]
    if options.profile:
        parts += ["--profile", shlex.quote(options.profile)]
    parts += ["--select", "stateful", "--seed", str(seed)]
    parts += ["--examples", str(examples), "--steps", str(steps)]
    if options.max_users is not None:
        parts += ["--max-users", str(options.max_users)]
    return " ".join(parts)


def curl_script(
    transcript: Transcript, base_url: str, prefix: str, header: str, fresh_prefix: str
) -> str:
    """A runnable shell script that replays the sequence with curl.

    Users are created afresh (a recycled user becomes a POST), ids are captured into shell
    variables, and the run's userName prefix is a variable, so that the script can be run
    again after cleanup. The token is read from $SCIM_TOKEN.
    """
    lines = [
        "#!/bin/sh",
        "# " + header.replace("\n", "\n# "),
        "# Needs: curl, python3. Token: export SCIM_TOKEN=...",
        "set -u",
        f'SCIM_BASE_URL="${{SCIM_BASE_URL:-{base_url.rstrip("/")}}}"',
        f"# The run's userNames started with {prefix}; a fresh prefix of the same length",
        "# keeps the replay clear of users the run left behind (set SCIM_PREFIX to choose).",
        f'SCIM_PREFIX="${{SCIM_PREFIX:-{fresh_prefix}}}"',
        'ID_OF=\'import json,sys; print(json.load(sys.stdin).get("id", ""))\'',
        "",
    ]
    ids: dict[str, str] = {}
    for number, step in enumerate(transcript.steps, 1):
        lines.append(f"# step {number}: {step.text}")
        for exchange in step.exchanges:
            lines.extend(_curl_lines(exchange, step, ids, base_url, prefix))
        lines.append("")
    return "\n".join(lines) + "\n"


def _curl_lines(
    exchange: Exchange, step: Step, ids: dict[str, str], base_url: str, prefix: str
) -> list[str]:
    url = exchange.url
    base = base_url.rstrip("/")
    relative = url[len(base) :] if url.startswith(base) else url
    method = exchange.method
    created_by_put = step.recycled and method == "PUT"
    if created_by_put:
        method, relative = "POST", "/" + relative.strip("/").split("/")[0]
    for real_id, variable in ids.items():
        relative = relative.replace(real_id, f"${{{variable}}}")
    relative = relative.replace(prefix, "${SCIM_PREFIX}")
    command = [
        "curl -sS -X",
        method,
        '-H "Authorization: Bearer $SCIM_TOKEN"',
        "-H 'Accept: application/scim+json'",
    ]
    body_prefix = ""
    if exchange.request_body:
        body = exchange.request_body.replace(prefix, "@@PREFIX@@")
        body_prefix = f"printf '%s' {shlex.quote(body)} | sed \"s/@@PREFIX@@/$SCIM_PREFIX/g\" | "
        command += ["-H 'Content-Type: application/scim+json'", "--data-binary @-"]
    command.append(f'"$SCIM_BASE_URL{relative}"')
    curl = body_prefix + " ".join(command)
    if method == "POST" and exchange.status is not None and 200 <= exchange.status < 300:
        document = _json(exchange.response_body)
        real_id = str(document.get("id")) if isinstance(document, dict) else ""
        if real_id:
            variable = f"ID{len(ids) + 1}"
            ids[real_id] = variable
            return [
                f"RESPONSE=$({curl})",
                'echo "$RESPONSE"',
                f'{variable}=$(printf \'%s\' "$RESPONSE" | python3 -c "$ID_OF")',
            ]
    return [curl + " -w '\\n%{http_code}\\n'"]


def _json(text: str | None) -> Any:
    if not text:
        return None
    try:
        return json.loads(text)
    except ValueError:
        return None


def first_nonconformance(error: BaseException) -> Nonconformance | None:
    """The target's failure inside what Hypothesis raised (possibly a flaky-group)."""
    if isinstance(error, Nonconformance):
        return error
    for inner in getattr(error, "exceptions", ()) or ():
        found = first_nonconformance(inner)
        if found is not None:
            return found
    cause = error.__cause__ or error.__context__
    return first_nonconformance(cause) if cause is not None else None


Callback = Callable[[], None]
