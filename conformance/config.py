"""The target of a run and how to authenticate to it, resolved from options and environment.

Secrets are only ever read from environment variables or files, never from the command line,
so that they cannot show in `ps`, shell history or CI logs.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import httpx

from conformance.auth import BearerAuth, ClientCredentialsAuth
from conformance.errors import ConfigError
from conformance.profile import Profile
from conformance.redact import Redactor

DEFAULT_TOKEN_ENV = "SCIM_TOKEN"


@dataclass(frozen=True)
class AuthOptions:
    """Names of where the credentials are, as given on the command line."""

    token_env: str | None = None
    token_file: str | None = None
    basic_user_env: str | None = None
    basic_password_env: str | None = None
    oauth_token_url: str | None = None
    client_id_env: str | None = None
    client_secret_env: str | None = None
    scope: str | None = None


def validate_base_url(url: str) -> str:
    """An http(s) URL with a host, without query or fragment; credentials are refused."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(
            f"target must be an http(s) URL such as https://host/scim/v2, got {url!r}"
        )
    if parts.query or parts.fragment:
        raise ConfigError(
            f"target URL must not carry a query or fragment: {strip_credentials(url)}"
        )
    if parts.username or parts.password:
        raise ConfigError("target URL must not embed credentials; use --token-env or --basic-*-env")
    return urlunsplit((parts.scheme, parts.netloc, parts.path.rstrip("/"), "", ""))


def strip_credentials(url: str) -> str:
    """The URL without any user:password@ part, for reports."""
    parts = urlsplit(url)
    netloc = parts.hostname or ""
    if parts.port:
        netloc = f"{netloc}:{parts.port}"
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


def _env(name: str, purpose: str) -> str:
    value = os.environ.get(name)
    if not value:
        raise ConfigError(f"environment variable {name} ({purpose}) is not set or empty")
    return value


def build_auth(
    options: AuthOptions, *, base_url: str, profile: Profile, redactor: Redactor
) -> httpx.Auth | None:
    """The httpx.Auth for the chosen scheme, with every secret registered for redaction."""
    if options.oauth_token_url or options.client_id_env or options.client_secret_env:
        if not (options.client_id_env and options.client_secret_env):
            raise ConfigError("OAuth needs both --client-id-env and --client-secret-env")
        token_url = options.oauth_token_url or default_token_url(base_url, profile)
        if token_url is None:
            raise ConfigError("OAuth needs --oauth-token-url (the profile names no token endpoint)")
        client_id = _env(options.client_id_env, "OAuth client id")
        secret = _env(options.client_secret_env, "OAuth client secret")
        redactor.add(secret)
        redactor.add(client_id)
        return ClientCredentialsAuth(
            validate_base_url(token_url),
            client_id,
            secret,
            scope=options.scope or profile.oauth_scope,
            redactor=redactor,
        )
    if options.basic_user_env or options.basic_password_env:
        if not (options.basic_user_env and options.basic_password_env):
            raise ConfigError("HTTP Basic needs both --basic-user-env and --basic-password-env")
        user = _env(options.basic_user_env, "HTTP Basic user")
        password = _env(options.basic_password_env, "HTTP Basic password")
        redactor.add(password)
        return httpx.BasicAuth(user, password)
    if options.token_file:
        path = Path(options.token_file)
        try:
            token = path.read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ConfigError(f"cannot read token file {path}: {exc.strerror}") from None
        if not token:
            raise ConfigError(f"token file {path} is empty")
        redactor.add(token)
        return BearerAuth(token)
    env_name = options.token_env or DEFAULT_TOKEN_ENV
    env_token = os.environ.get(env_name)
    if env_token:
        redactor.add(env_token)
        return BearerAuth(env_token)
    if options.token_env:
        raise ConfigError(f"environment variable {env_name} (bearer token) is not set or empty")
    return None


def default_token_url(base_url: str, profile: Profile) -> str | None:
    """Bizagi's token endpoint sits at the project URL: strip `/scim/v2` and add the path."""
    if not profile.token_path:
        return None
    parts = urlsplit(base_url)
    path = parts.path.rstrip("/")
    for suffix in ("/scim/v2", "/v2"):
        if path.endswith(suffix):
            path = path[: -len(suffix)]
            break
    return urlunsplit((parts.scheme, parts.netloc, path + profile.token_path, "", ""))
