"""Evidence: every HTTP exchange of a check, redacted, with a copy-pasteable curl."""

from __future__ import annotations

import json
import shlex
from dataclasses import asdict, dataclass, field
from typing import Any

MAX_BODY_CHARS = 20_000
CHECK_HEADER = "X-Scim-Conformance-Check"
_CURL_SKIPPED_HEADERS = {
    CHECK_HEADER.lower(),
    "host",
    "content-length",
    "accept-encoding",
    "connection",
    "user-agent",
}


@dataclass
class Exchange:
    """One request and its response (or the transport error that replaced it)."""

    seq: int
    method: str
    url: str
    request_headers: dict[str, str]
    request_body: str | None
    status: int | None
    reason: str
    response_headers: dict[str, str]
    response_body: str | None
    elapsed_ms: float
    error: str | None = None

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["curl"] = self.curl()
        return data

    def curl(self) -> str:
        """A shell-quoted curl reproducing the request; the token is read from $SCIM_TOKEN."""
        parts = ["curl", "-sS", "-X", self.method]
        for name, value in self.request_headers.items():
            if name.lower() in _CURL_SKIPPED_HEADERS:
                continue
            if name.lower() == "authorization":
                scheme = value.split(" ", 1)[0]
                value = (
                    f"{scheme} $SCIM_TOKEN"
                    if scheme.lower() == "bearer"
                    else f"{scheme} $SCIM_AUTH"
                )
                parts += ["-H", f'"{name}: {value}"']
                continue
            parts += ["-H", shlex.quote(f"{name}: {value}")]
        if self.request_body:
            parts += ["--data-raw", shlex.quote(self.request_body)]
        parts.append(shlex.quote(self.url))
        return " ".join(parts)

    def summary(self) -> str:
        """`PATCH /v2/Users/1 -> 400 Bad Request (12 ms)`: one line for terminals and messages."""
        outcome = self.error or f"{self.status} {self.reason}"
        return f"{self.method} {self.url} -> {outcome} ({self.elapsed_ms:.0f} ms)"


@dataclass
class EvidenceLog:
    """The exchanges of the running check; the plugin swaps the current check in and out."""

    check_id: str | None = None
    exchanges: list[Exchange] = field(default_factory=list)
    total_requests: int = 0

    def begin(self, check_id: str | None) -> None:
        self.check_id = check_id
        self.exchanges = []

    def take(self) -> list[Exchange]:
        """The exchanges recorded since `begin`, handing them over to the caller."""
        taken, self.exchanges = self.exchanges, []
        return taken

    def record(self, exchange: Exchange) -> None:
        self.total_requests += 1
        self.exchanges.append(exchange)


def truncate(text: str | None) -> str | None:
    """Bodies are kept whole up to a limit, so a huge list cannot bloat the reports."""
    if text is None or len(text) <= MAX_BODY_CHARS:
        return text
    return text[:MAX_BODY_CHARS] + f"... [{len(text) - MAX_BODY_CHARS} more characters]"


def pretty_body(text: str | None) -> str:
    """Indented JSON when the body parses, the text otherwise."""
    if not text:
        return ""
    try:
        return json.dumps(json.loads(text), indent=2, ensure_ascii=False)
    except ValueError:
        return text
