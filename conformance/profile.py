"""Profiles: what a kind of target is expected to do where the RFC leaves room or where the
product deviates on purpose (Bizagi's userName addressing and logical delete, say).

A profile is a TOML file; the built-in ones live in fixtures/profiles/, and a user can pass
the path of their own. Unknown keys are refused so that a typo cannot silently change a run.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, Literal

from conformance.errors import ConfigError
from conformance.resources import builtin_profiles, profile_path

Addressing = Literal["id", "userName"]
DeleteMode = Literal["remove", "deactivate"]


@dataclass(frozen=True)
class Profile:
    """The expectations of one kind of target. Field docs are in fixtures/profiles/README.md."""

    name: str = "generic"
    description: str = "Any SCIM 2.0 service provider, judged by RFC 7643/7644 alone."
    sandbox_flavour: str = "rfc"
    user_addressing: Addressing = "id"
    delete_mode: DeleteMode = "remove"
    username_max_length: int | None = None
    username_domain: str = "example.com"
    username_prefix: str = "scimc"
    user_budget: int = 50
    resource_types: tuple[str, ...] = ()
    required_extensions: dict[str, dict[str, Any]] = field(default_factory=dict)
    dialects: tuple[str, ...] = ()
    token_path: str | None = None
    oauth_scope: str | None = None
    source: str = "built-in"

    @property
    def deletes_logically(self) -> bool:
        return self.delete_mode == "deactivate"


_TUPLE_FIELDS = {"resource_types", "dialects"}
DIALECTS = ("entra", "entra-2020", "okta")


def load_profile(name_or_path: str | None) -> Profile:
    """A built-in profile by name, or a user's profile by path; ConfigError when bad."""
    if not name_or_path:
        name_or_path = "generic"
    path = Path(name_or_path)
    if path.suffix == ".toml" or path.exists():
        if not path.is_file():
            raise ConfigError(f"profile file not found: {name_or_path}")
        source = str(path)
    else:
        path = profile_path(name_or_path)
        if not path.is_file():
            known = ", ".join(builtin_profiles())
            raise ConfigError(f"unknown profile {name_or_path!r} (built-in profiles: {known})")
        source = "built-in"
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"profile {name_or_path}: not valid TOML: {exc}") from None
    return profile_from_dict(data, source=source, default_name=path.stem)


def profile_from_dict(data: dict[str, Any], *, source: str, default_name: str) -> Profile:
    """Validate the keys and types of a parsed profile and build it."""
    known = {f.name: f for f in fields(Profile)}
    unknown = sorted(set(data) - set(known) - {"source"})
    if unknown:
        raise ConfigError(f"profile {default_name}: unknown key(s): {', '.join(unknown)}")
    values: dict[str, Any] = {"name": default_name, "source": source}
    for key, value in data.items():
        if key in _TUPLE_FIELDS:
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise ConfigError(f"profile {default_name}: {key} must be a list of strings")
            value = tuple(value)
        values[key] = value
    profile = Profile(**values)
    _validate(profile)
    return profile


def _validate(profile: Profile) -> None:
    where = f"profile {profile.name}"
    if profile.user_addressing not in ("id", "userName"):
        raise ConfigError(f"{where}: user_addressing must be 'id' or 'userName'")
    if profile.delete_mode not in ("remove", "deactivate"):
        raise ConfigError(f"{where}: delete_mode must be 'remove' or 'deactivate'")
    if profile.sandbox_flavour not in ("rfc", "bizagi"):
        raise ConfigError(f"{where}: sandbox_flavour must be 'rfc' or 'bizagi'")
    if profile.username_max_length is not None and not (
        isinstance(profile.username_max_length, int) and profile.username_max_length >= 16
    ):
        raise ConfigError(f"{where}: username_max_length must be an integer >= 16")
    if not isinstance(profile.user_budget, int) or profile.user_budget < 1:
        raise ConfigError(f"{where}: user_budget must be a positive integer")
    unknown = sorted(set(profile.dialects) - set(DIALECTS))
    if unknown:
        raise ConfigError(
            f"{where}: unknown dialect(s) {', '.join(unknown)} (known: {', '.join(DIALECTS)})"
        )
    if not isinstance(profile.required_extensions, dict):
        raise ConfigError(f"{where}: required_extensions must be a table of tables")
