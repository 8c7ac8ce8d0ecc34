"""The contract: malformed and boundary requests never answer 5xx, and every 4xx is a SCIM Error
(RFC 7644 §3.12).

An OpenAPI document is built from the target's own discovery (suites/_openapi.py) and handed
to schemathesis, which generates requests that break it (negative data) or sit on its edges;
a few hand-made malformed requests (broken JSON, a PATCH whose Operations is not an array, a
filter with a syntax error) are always sent first. Every request goes through the run's
recording client (evidence, redaction); item requests only address a resource this run
created; list requests carry a filter that scopes them to the run (a generated filter is
and-ed with it); whatever a POST creates goes to the ledger, and no User POST is sent once
the user budget is spent. The effort is bounded: 50 requests by default, 5 per --examples.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, Phase, Verbosity, given, seed, settings
from hypothesis.errors import HypothesisException

from conformance.checks import describe, fail, request_line, requirement, writes
from conformance.discovery import ERROR, PATCH_OP, ResourceTypeInfo
from conformance.evidence import Exchange
from conformance.factory import Factory, Resource
from conformance.http import ScimClient, json_or_none
from conformance.model import SchemaView, quote
from conformance.run import RunContext
from conformance.suites._openapi import openapi_document

DEFAULT_REQUESTS = 50
REQUESTS_PER_EXAMPLE = 5
TRANSIENT = (429, 502, 503, 504)
"""Rate limits and gateway hiccups: retried, and never judged as the target's answer."""
SHOWN = 5


@dataclass
class Sent:
    """One request and what came back."""

    operation: str
    response: httpx.Response
    exchanges: list[Exchange]


@dataclass
class ContractRun:
    sent: list[Sent] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


@dataclass
class Probe:
    """A hand-made request, shaped like a schemathesis Case for `_send`."""

    body: Any = None
    query: dict[str, Any] | None = None


@dataclass
class Endpoint:
    """A resource type under test: its path, schema, and a resource of this run."""

    info: ResourceTypeInfo
    users: bool
    view: SchemaView
    own: Resource | None

    @property
    def path(self) -> str:
        return self.info.path


# -- sending ------------------------------------------------------------------------------


def _scope(factory: Factory, users: bool) -> str:
    """The filter that keeps a list to this run's resources (groups are named by the run)."""
    return f"{'userName' if users else 'displayName'} sw {quote(factory.run_prefix)}"


def _scoped(query: dict[str, Any], scope: str) -> dict[str, Any]:
    """A generated filter is only ever sent and-ed with the run's scope."""
    generated = query.get("filter")
    scoped = dict(query)
    if generated in (None, "", scope):
        scoped["filter"] = scope
    else:
        scoped["filter"] = f"{scope} and ({_query_value(generated)})"
    return scoped


def _query_value(value: Any) -> Any:
    if isinstance(value, list):
        return [_query_value(v) for v in value]
    if isinstance(value, str | int | float) and not isinstance(value, bool):
        return value
    return json.dumps(value)


def _send(
    scim: ScimClient, method: str, path: str, case: Any, scope: str | None
) -> tuple[httpx.Response, list[Exchange]]:
    from schemathesis.core import NOT_SET

    kwargs: dict[str, Any] = {}
    body = case.body
    if isinstance(body, bytes):
        kwargs["content"] = body
    elif body is not NOT_SET and body is not None:
        kwargs["json_body"] = body
    query = {k: _query_value(v) for k, v in (case.query or {}).items()}
    if scope is not None:
        query = _scoped(query, scope)
    before = len(scim.evidence.exchanges)
    for attempt in range(3):
        response = scim.request(method, path, params=query or None, **kwargs)
        if response.status_code not in TRANSIENT or attempt == 2:
            break
        time.sleep(1.0 + attempt)
    return response, scim.evidence.exchanges[before:]


class Sender:
    """Sends requests of the contract run and keeps what came back; guards the budget."""

    def __init__(self, scim: ScimClient, factory: Factory, run: ContractRun) -> None:
        self.scim, self.factory, self.run = scim, factory, run

    def __call__(
        self, endpoint: Endpoint, method: str, item: bool, case: Any, label: str = ""
    ) -> None:
        if method == "POST" and endpoint.users and self.factory.ledger.users_left <= 0:
            return  # the budget is spent, and a POST might create a user
        path = self.factory.path(endpoint.own) if item and endpoint.own else endpoint.path
        scope = _scope(self.factory, endpoint.users) if method == "GET" and not item else None
        response, exchanges = _send(self.scim, method, path, case, scope)
        self.run.sent.append(Sent(label or f"{method} {endpoint.path}", response, exchanges))
        if method == "POST":
            _record(self.factory, "User" if endpoint.users else "Group", response)


def _record(factory: Factory, resource_type: str, response: httpx.Response) -> Resource | None:
    """A POST that created something: into the ledger, whatever its status."""
    body = json_or_none(response)
    if not (200 <= response.status_code < 300 and isinstance(body, dict) and body.get("id")):
        return None
    name = str(body.get("userName") or body.get("displayName") or "")
    if response.status_code == 201:
        return factory.record_created(resource_type, response, name=name)
    factory.ledger.created(
        resource_type, str(body["id"]), location="", name=name, check="contract/generated"
    )
    return Resource(resource_type, str(body["id"]), "", name, body)


def _own(scim: ScimClient, factory: Factory, users: bool) -> Resource | None:
    """A resource of this run for item requests; None when the target would not create one
    (judging creation is the create area's job, not this check's)."""
    if users:
        if factory.ledger.users_left <= 0:
            return None
        response = scim.post(factory.users_path, factory.user_payload())
        return _record(factory, "User", response)
    response = scim.post(factory.groups_path, factory.group_payload())
    return _record(factory, "Group", response)


# -- the run ------------------------------------------------------------------------------


def _endpoints(scim: ScimClient, factory: Factory, scim_run: RunContext) -> list[Endpoint]:
    """User and Group, when offered and in the profile's scope (their paths are known)."""
    capabilities, wanted = scim_run.capabilities, scim_run.profile.resource_types
    found: list[Endpoint] = []
    for info, users in ((capabilities.users, True), (capabilities.groups, False)):
        if info is None or (wanted and info.name not in wanted):
            continue
        if users:
            view = SchemaView.for_users(capabilities)
        else:
            view = SchemaView.build(info.schema, capabilities.schemas, info.extensions)
        found.append(Endpoint(info, users, view, _own(scim, factory, users)))
    return found


def _explicit(send: Sender, endpoint: Endpoint, patch: bool, filtering: bool) -> None:
    """Malformed requests every run sends, whatever schemathesis draws."""
    send(endpoint, "POST", False, Probe(body=b'{"schemas": ['), "POST (truncated JSON)")
    send(endpoint, "POST", False, Probe(body=[]), "POST (a JSON array, not an object)")
    if filtering:
        broken = Probe(query={"filter": "((("})
        send(endpoint, "GET", False, broken, "GET (filter with a syntax error)")
    if endpoint.own is None:
        return
    send(endpoint, "PUT", True, Probe(body=b"not json"), "PUT (not JSON)")
    if patch:
        not_array = Probe(body={"schemas": [PATCH_OP], "Operations": 5})
        send(endpoint, "PATCH", True, not_array, "PATCH (Operations is not an array)")
        unknown = Probe(body={"schemas": [PATCH_OP], "Operations": [{"op": "frobnicate"}]})
        send(endpoint, "PATCH", True, unknown, "PATCH (an unknown op)")


def _generated(send: Sender, endpoints: list[Endpoint], scim_run: RunContext) -> None:
    """schemathesis' negative (and, for reads, boundary) cases for every operation."""
    import schemathesis
    from schemathesis.core.result import Ok
    from schemathesis.generation import GenerationMode

    capabilities = scim_run.capabilities
    document = openapi_document(
        {e.path: e.view for e in endpoints},
        patch=capabilities.supports("patch"),
        item_writes=scim_run.profile.user_addressing == "id",
        list_params=capabilities.supports("filter"),
        sort=capabilities.supports("sort"),
    )
    operations = [
        r.ok()
        for r in schemathesis.openapi.from_dict(document).get_all_operations()
        if isinstance(r, Ok)
    ]
    examples = scim_run.options.examples
    total = REQUESTS_PER_EXAMPLE * examples if examples else DEFAULT_REQUESTS
    per_operation = max(2, (total - len(send.run.sent)) // max(1, len(operations)))
    by_path = {e.path: e for e in endpoints}
    for number, operation in enumerate(operations):
        method = operation.method.upper()
        endpoint = by_path["/" + operation.path.strip("/").split("/")[0]]
        item = "{id}" in operation.path
        label = f"{method} {operation.path}"
        if item and endpoint.own is None:
            send.run.skipped.append(f"{label}: no resource of this run to address")
            continue
        reads = method == "GET" and number % 2
        strategy = operation.as_strategy(
            generation_mode=GenerationMode.POSITIVE if reads else GenerationMode.NEGATIVE,
            path_parameters={"id": endpoint.own.id} if item and endpoint.own else None,
        )

        runner = settings(
            max_examples=per_operation,
            database=None,
            deadline=None,
            phases=(Phase.generate,),
            suppress_health_check=list(HealthCheck),
            verbosity=Verbosity.quiet,
        )(given(case=strategy)(_case_runner(send, endpoint, method, item)))
        try:
            seed(scim_run.seed + number)(runner)()
        except HypothesisException as exc:
            send.run.skipped.append(f"{label}: nothing generated ({type(exc).__name__})")


def _case_runner(send: Sender, endpoint: Endpoint, method: str, item: bool) -> Any:
    def run_case(case: Any) -> None:
        send(endpoint, method, item, case)

    return run_case


@pytest.fixture(scope="module")
def contract_run(scim: ScimClient, factory: Factory, scim_run: RunContext) -> ContractRun:
    """Send the requests once; both checks judge the same answers."""
    if scim_run.options.read_only:
        pytest.skip("read-only run: the contract check sends writes")
    run = ContractRun()
    evidence = scim.evidence
    evidence.begin("contract/generated")
    try:
        endpoints = _endpoints(scim, factory, scim_run)
        if not endpoints:
            pytest.skip("the target offers neither a User nor a Group resource type")
        send = Sender(scim, factory, run)
        capabilities = scim_run.capabilities
        for endpoint in endpoints:
            _explicit(
                send, endpoint, capabilities.supports("patch"), capabilities.supports("filter")
            )
        _generated(send, endpoints, scim_run)
    finally:
        evidence.take()
    if not run.sent:
        pytest.skip("no request could be sent: " + "; ".join(run.skipped))
    return run


# -- the checks ---------------------------------------------------------------------------


def _attach(scim: ScimClient, offending: list[Sent]) -> None:
    """Show the offending exchanges as this check's evidence."""
    for item in offending[:SHOWN]:
        scim.evidence.exchanges.extend(item.exchanges)


def _listing(offending: list[Sent], why: Any) -> str:
    lines = []
    for item in offending[:SHOWN]:
        request = item.response.request
        body = request.content.decode("utf-8", "replace")[:200] if request.content else ""
        lines.append(
            f"  - {item.operation}: {request_line(item.response)}{' ' + body if body else ''}\n"
            f"    -> {describe(item.response)[:300]}{why(item)}"
        )
    more = f"\n  ... and {len(offending) - SHOWN} more" if len(offending) > SHOWN else ""
    return "\n".join(lines) + more


# RFC 7644 §3.12: "Implementers SHOULD handle the identified HTTP status codes as described
# below" -- Table 8: 400 for a request that "is unparsable, syntactically incorrect, or
# violates schema"; 500 is "An internal error". A server error to input the client got wrong
# means the target did not validate it (a SHOULD missed: WARN).
@requirement("contract/no-server-error")
@writes
def test_generated_requests_never_answer_5xx(scim: ScimClient, contract_run: ContractRun) -> None:
    offending = [s for s in contract_run.sent if s.response.status_code >= 500]
    _attach(scim, offending or contract_run.sent[-3:])
    if offending:
        fail(
            f"{len(offending)} of {len(contract_run.sent)} malformed or boundary requests "
            "answered a server error; a request the client got wrong should be refused with a "
            '4xx (RFC 7644 §3.12, Table 8: 400 for a request that "is unparsable, '
            'syntactically incorrect, or violates schema"):\n' + _listing(offending, lambda _s: "")
        )


# RFC 7644 §3.12: "In addition to returning an HTTP response code, implementers MUST return
# the errors in the body of the response in a JSON format, using the attributes described
# below. Error responses are identified using the following "schema" URI:
# "urn:ietf:params:scim:api:messages:2.0:Error"." -- status: "The HTTP status code ...
# expressed as a JSON string. REQUIRED."
@requirement("contract/errors-are-scim")
@writes
def test_generated_request_errors_are_scim_errors(
    scim: ScimClient, contract_run: ContractRun
) -> None:
    refused = [
        s
        for s in contract_run.sent
        if 400 <= s.response.status_code < 500 and s.response.status_code not in TRANSIENT
    ]
    offending = [s for s in refused if _error_problem(s.response)]
    _attach(scim, offending or refused[-3:])
    if offending:
        fail(
            f"{len(offending)} of {len(refused)} refused malformed or boundary requests did not "
            "answer a SCIM Error (RFC 7644 §3.12: the body carries the Error schema URN and "
            "status as a JSON string equal to the HTTP status):\n"
            + _listing(offending, lambda s: f"\n    problem: {_error_problem(s.response)}")
        )


def _error_problem(response: httpx.Response) -> str | None:
    body = json_or_none(response)
    if not isinstance(body, dict):
        return "the body is not a JSON object"
    schemas = body.get("schemas")
    if not isinstance(schemas, list) or ERROR not in schemas:
        return f"schemas does not list {ERROR}"
    if body.get("status") != str(response.status_code):
        return f'status is {json.dumps(body.get("status"))}, not "{response.status_code}"'
    return None
