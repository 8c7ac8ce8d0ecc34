"""Secrets never reach a report, a log or the terminal: everything recorded passes here."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from typing import Any

REDACTED = "[redacted]"

SENSITIVE_HEADERS = frozenset(
    {"authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key", "api-key"}
)
SENSITIVE_KEYS = frozenset(
    {
        "password",
        "access_token",
        "refresh_token",
        "id_token",
        "client_secret",
        "token",
        "secret",
        "apikey",
        "api_key",
    }
)
_FORM_SECRET = re.compile(r"((?:client_secret|password|access_token|refresh_token)=)[^&\s]+")


class Redactor:
    """Masks known secret values anywhere, and sensitive headers and JSON members by name."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        self._secrets: set[str] = set()
        for secret in secrets:
            self.add(secret)

    def add(self, secret: str | None) -> None:
        """Remember a secret value (a token obtained at run time, say) to mask from now on."""
        if secret and len(secret) >= 4:
            self._secrets.add(secret)

    def text(self, value: str) -> str:
        """Mask every known secret value inside free text."""
        for secret in sorted(self._secrets, key=len, reverse=True):
            value = value.replace(secret, REDACTED)
        return _FORM_SECRET.sub(r"\1" + REDACTED, value)

    def headers(self, headers: Mapping[str, str]) -> dict[str, str]:
        """Copy of the headers with credentials masked; the scheme of Authorization is kept."""
        clean: dict[str, str] = {}
        for name, value in headers.items():
            if name.lower() in SENSITIVE_HEADERS:
                scheme = value.split(" ", 1)[0] if " " in value else ""
                clean[name] = f"{scheme} {REDACTED}".strip()
            else:
                clean[name] = self.text(value)
        return clean

    def json(self, value: Any) -> Any:
        """Copy of a JSON value with sensitive members masked, recursively."""
        if isinstance(value, dict):
            return {
                key: REDACTED if key.lower() in SENSITIVE_KEYS else self.json(item)
                for key, item in value.items()
            }
        if isinstance(value, list):
            return [self.json(item) for item in value]
        if isinstance(value, str):
            return self.text(value)
        return value

    def body(self, raw: bytes | str | None) -> str | None:
        """Redacted text of a request or response body (JSON-aware when it parses)."""
        if raw is None:
            return None
        text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else raw
        if not text:
            return ""
        try:
            parsed = json.loads(text)
        except ValueError:
            return self.text(text)
        return json.dumps(self.json(parsed), ensure_ascii=False)
