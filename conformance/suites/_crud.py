"""What the create/read/replace/delete/errors/security checks share: probes and scenarios.

Each probe or scenario runs once per run through `Factory.shared`, so that several checks can
judge the same exchange (each showing it as evidence) and the run creates few users: Bizagi
allows ten and never deletes one.
"""

from __future__ import annotations

import re
import secrets
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

import httpx

from conformance.auth import BearerAuth
from conformance.checks import describe, request_line
from conformance.discovery import CORE_USER, PATCH_OP
from conformance.errors import BudgetExhausted
from conformance.factory import Factory, Resource
from conformance.http import ScimClient, json_or_none

# -- reading bodies -------------------------------------------------------------------------


def member(body: Any, name: str) -> Any:
    """A top-level attribute of a JSON object, matched case-insensitively (RFC 7643 §2.1)."""
    if not isinstance(body, dict):
        return None
    for key, value in body.items():
        if key.lower() == name.lower():
            return value
    return None


def has_member(body: Any, name: str) -> bool:
    return isinstance(body, dict) and any(key.lower() == name.lower() for key in body)


def meta_of(body: Any) -> dict[str, Any]:
    meta = member(body, "meta")
    return meta if isinstance(meta, dict) else {}


_DATETIME = re.compile(
    r"^(?P<date>-?\d{4,}-\d{2}-\d{2})T(?P<time>\d{2}:\d{2}:\d{2})(?:\.(?P<frac>\d+))?"
    r"(?P<tz>Z|[+-]\d{2}:\d{2})?$"
)


def parse_datetime(value: Any) -> datetime | None:
    """An xsd:dateTime (RFC 7643 §2.3.5) as an aware datetime; None when it is not one.

    Fractions longer than microseconds (.NET writes seven digits) are truncated; a value
    without a zone is read as UTC, which keeps comparisons between two such values exact.
    """
    if not isinstance(value, str):
        return None
    match = _DATETIME.match(value.strip())
    if match is None:
        return None
    fraction = (match["frac"] or "")[:6].ljust(6, "0")
    zone = match["tz"] or "Z"
    text = f"{match['date']}T{match['time']}.{fraction}{'+00:00' if zone == 'Z' else zone}"
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


def as_utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


# -- URIs -----------------------------------------------------------------------------------


def resolve(base: str, reference: str) -> str:
    """An absolute URI from a possibly relative reference."""
    return urljoin(base, reference.strip())


def same_uri(first: str, second: str) -> bool:
    """Equal after normalisation: scheme and host case, default ports, percent-encoding."""

    def norm(uri: str) -> tuple[str, str, str, str]:
        parts = urlsplit(uri)
        scheme = parts.scheme.lower()
        host = (parts.hostname or "").lower()
        port = parts.port
        if port is None or (scheme, port) in (("http", 80), ("https", 443)):
            netloc = host
        else:
            netloc = f"{host}:{port}"
        return scheme, netloc, unquote(parts.path).rstrip("/"), parts.query

    return norm(first) == norm(second)


def same_origin(first: str, second: str) -> bool:
    a, b = urlsplit(first), urlsplit(second)
    return (a.scheme.lower(), a.hostname, a.port) == (b.scheme.lower(), b.hostname, b.port)


def meta_location_base(client: ScimClient) -> str:
    """The base a relative reference resolves against: the service root (RFC 7643 §2.3.7)."""
    return client.base_url + "/"


# -- payloads and paths ---------------------------------------------------------------------


def password_value() -> str:
    """A password that satisfies the usual policies (upper, lower, digit, symbol, length)."""
    return f"Sc1m!{secrets.token_hex(6)}Zq#"


def patch_body(attribute: str, value: Any) -> dict[str, Any]:
    return {
        "schemas": [PATCH_OP],
        "Operations": [{"op": "replace", "path": attribute, "value": value}],
    }


@dataclass(frozen=True)
class Ghost:
    """A User that was never created: its path (by id or by userName) and its userName."""

    path: str
    user_name: str


def ghost_user(factory: Factory) -> Ghost:
    """A path that cannot name an existing resource: a fresh UUID, a fresh run userName."""
    name = factory.username("ghost")
    return Ghost(factory.path_of("User", str(uuid.uuid4()), name), name)


def ensure_budget(factory: Factory) -> None:
    """Before a check POSTs a User itself (to see the raw answer): stay within the budget."""
    if factory.ledger.users_left <= 0:
        raise BudgetExhausted(
            f"user budget of {factory.ledger.user_budget} reached; raise it with --max-users"
        )


def record_if_created(factory: Factory, response: httpx.Response, name: str) -> None:
    """A defective target created something it should have refused: put it in the ledger."""
    body = json_or_none(response)
    if 200 <= response.status_code < 300 and isinstance(body, dict) and body.get("id"):
        location = str(meta_of(body).get("location") or response.headers.get("Location") or "")
        factory.ledger.created(
            "User",
            str(body["id"]),
            location=location,
            name=str(body.get("userName") or name),
            check=factory.client.evidence.check_id or "-",
        )


# -- shared probes --------------------------------------------------------------------------


def probe(factory: Factory, key: str) -> httpx.Response:
    """One provoking request per run, judged by several checks (see PROBES)."""
    return factory.shared(f"crud/probe/{key}", lambda: PROBES[key](factory))


def _missing_username(factory: Factory) -> httpx.Response:
    payload = factory.user_payload()
    name = str(payload.pop("userName"))
    response = factory.client.post(factory.users_path, payload)
    record_if_created(factory, response, name)
    return response


def _malformed_json(factory: Factory) -> httpx.Response:
    payload = factory.user_payload()
    text = '{"schemas": ["' + CORE_USER + '"], "userName": "' + str(payload["userName"]) + '",'
    return factory.client.request("POST", factory.users_path, content=text)


def _duplicate(factory: Factory) -> httpx.Response:
    existing = factory.shared_user()
    response = factory.client.post(factory.users_path, factory.user_payload(existing.name))
    record_if_created(factory, response, existing.name)
    return response


def _duplicate_case(factory: Factory) -> httpx.Response:
    existing = factory.shared_user()
    variant = existing.name.swapcase()
    response = factory.client.post(factory.users_path, factory.user_payload(variant))
    record_if_created(factory, response, variant)
    return response


def _unknown(method: str) -> Any:
    def send(factory: Factory) -> httpx.Response:
        ghost = ghost_user(factory)
        client = factory.client
        if method == "GET":
            return client.get(ghost.path)
        if method == "DELETE":
            return client.delete(ghost.path)
        if method == "PATCH":
            return client.patch(ghost.path, patch_body("displayName", "Nobody"))
        response = client.put(ghost.path, factory.user_payload(ghost.user_name))
        record_if_created(factory, response, ghost.user_name)
        return response

    return send


def _anonymous(factory: Factory) -> httpx.Response:
    return factory.client.get(factory.users_path, params=_nobody_filter(factory), auth=False)


def _wrong_token(factory: Factory) -> httpx.Response:
    wrong = BearerAuth(f"scim-conformance-wrong-{secrets.token_hex(8)}")
    return factory.client.get(factory.users_path, params=_nobody_filter(factory), auth=wrong)


def _nobody_filter(factory: Factory) -> dict[str, str]:
    """A query that matches no one, so an open target leaks nothing to the probe."""
    return {"filter": f'userName eq "{factory.run_prefix}-nobody@invalid"'}


PROBES: dict[str, Any] = {
    "missing-username": _missing_username,
    "malformed-json": _malformed_json,
    "duplicate": _duplicate,
    "duplicate-case": _duplicate_case,
    "get-unknown": _unknown("GET"),
    "put-unknown": _unknown("PUT"),
    "patch-unknown": _unknown("PATCH"),
    "delete-unknown": _unknown("DELETE"),
    "anonymous": _anonymous,
    "wrong-token": _wrong_token,
}


# -- shared scenarios -----------------------------------------------------------------------

# lastModified may have a resolution of one second; a PUT this much later must show.
TIMESTAMP_RESOLUTION_S = 1.1


@dataclass
class ReplaceScenario:
    """A User given a nickName, then replaced by a PUT that changes displayName and leaves
    nickName out; the reads before and after."""

    user: Resource
    before: httpx.Response
    put: httpx.Response
    after: httpx.Response
    nick_name: str
    display_name: str

    @property
    def put_ok(self) -> bool:
        return 200 <= self.put.status_code < 300

    def failed_put(self) -> str:
        return (
            f"the replacing {request_line(self.put)} did not succeed ({describe(self.put)}); "
            "see replace/put-replaces"
        )


def replace_scenario(factory: Factory) -> ReplaceScenario:
    return factory.shared("crud/replace-scenario", lambda: _replace(factory))


def _replace(factory: Factory) -> ReplaceScenario:
    """Where users are never deleted (Bizagi) an earlier run's user is taken over: the
    scenario judges PUT, not creation. A first PUT gives it the nickName to be left out."""
    client = factory.client
    nick = f"nick-{secrets.token_hex(3)}"
    user = factory.reusable_user()
    path = factory.path(user)
    setup = client.put(path, factory.user_payload(user.name, nickName=nick))
    if not 200 <= setup.status_code < 300:
        return ReplaceScenario(user, setup, setup, client.get(path), nick, "")
    before = client.get(path)
    time.sleep(TIMESTAMP_RESOLUTION_S)
    display = f"Replaced {secrets.token_hex(3)}"
    put = client.put(path, factory.user_payload(user.name, displayName=display))
    after = client.get(path)
    return ReplaceScenario(user, before, put, after, nick, display)


@dataclass
class DeleteScenario:
    """A User created and then deleted."""

    user: Resource
    path: str
    delete: httpx.Response

    @property
    def deleted(self) -> bool:
        return 200 <= self.delete.status_code < 300


def delete_scenario(factory: Factory) -> DeleteScenario:
    return factory.shared("crud/delete-scenario", lambda: _delete(factory))


def _delete(factory: Factory) -> DeleteScenario:
    user = factory.create_user(factory.user_payload(factory.username("del")))
    path = factory.path(user)
    response = factory.client.delete(path)
    if 200 <= response.status_code < 300:
        factory.ledger.mark("User", user.id, "deleted")
    return DeleteScenario(user, path, response)


def core_user_attribute(factory: Factory, name: str) -> dict[str, Any] | None:
    return factory.capabilities.attribute(CORE_USER, name)
