"""Assemble the WSGI application of a flavour: scim2-server, then layers, then the entrance.

From the inside out:

1. scim2-server's WSGI application over a :class:`SandboxStorage`;
2. the flavour's own layers: the userName rules (non-empty; Bizagi adds its own), and for
   Bizagi the page size, the deactivating DELETE and the userName addressing;
3. the fault layers of :mod:`conformance.sandbox.defects`, in catalogue order;
4. bearer token authentication, so that only authenticated requests reach the layers;
5. the entrance: the token endpoint, and the SCIM base path (``/v2``, or ``/scim/v2``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from wsgiref.types import StartResponse, WSGIEnvironment
from wsgiref.types import WSGIApplication as WSGICallable

from scim2_server.applications.wsgi import WSGIApplication
from scim2_server.service import ScimService

from conformance.sandbox import bizagi, wsgi
from conformance.sandbox.auth import TOKEN_PATH, BearerAuthentication, TokenEndpoint, TokenStore
from conformance.sandbox.defects import LAYERS
from conformance.sandbox.faults import FAULTS
from conformance.sandbox.provider import build_provider
from conformance.sandbox.storage import SandboxStorage
from conformance.sandbox.usernames import UserNameRules

BASE_PATHS = {"rfc": "/v2", "bizagi": "/scim/v2"}
MOUNT_PREFIXES = {"rfc": "", "bizagi": "/scim"}

STRUCTURAL_FAULTS = frozenset(
    {
        "create-duplicate-accepted",  # SandboxStorage(unique=False)
        "put-resets-created",  # SandboxStorage(keep_created=False)
        "group-displayname-optional",  # the Group schema marks displayName optional
        "auth-not-enforced",  # no BearerAuthentication layer
        "www-authenticate-missing",  # BearerAuthentication(challenge=False)
        "token-expiry-ignored",  # TokenStore(honour_expiry=False)
        "delete-still-readable",  # rfc gets Bizagi's deactivating DELETE
        "delete-removes",  # bizagi loses its deactivating DELETE
        "username-addressing-broken",  # bizagi loses its userName addressing
        "username-length-unchecked",  # bizagi's UserNameRules without a length limit
        "username-limit-off-by-one",  # bizagi's UserNameRules limit one character short
    }
)
"""The faults that switch a part of the server rather than add a rewriting layer."""


@dataclass(frozen=True)
class Credentials:
    token: str
    client_id: str
    client_secret: str
    token_lifetime: int


def build_application(
    flavour: str,
    faults: Iterable[str],
    credentials: Credentials,
    *,
    username_max_length: int = 25,
) -> WSGICallable:
    """The whole sandbox application of a flavour, with the given (checked) faults."""
    selected = frozenset(faults)
    tokens = TokenStore(
        credentials.token,
        credentials.client_id,
        credentials.client_secret,
        credentials.token_lifetime,
        honour_expiry="token-expiry-ignored" not in selected,
    )
    storage = SandboxStorage(
        unique="create-duplicate-accepted" not in selected,
        keep_created="put-resets-created" not in selected,
    )
    provider = build_provider(
        flavour, group_displayname_required="group-displayname-optional" not in selected
    )
    # scim2-server's own check_auth accepts every request: BearerAuthentication does it.
    app: WSGICallable = WSGIApplication(storage, provider, ScimService(provider))

    if flavour == "bizagi":
        app = bizagi.DefaultPageSize(app)
        limit: int | None = username_max_length
        if "username-length-unchecked" in selected:
            limit = None
        elif "username-limit-off-by-one" in selected:
            limit = username_max_length - 1
        app = UserNameRules(app, require_domain=True, max_length=limit)
        if "delete-removes" not in selected:
            app = bizagi.DeactivatingDelete(app)
        if "username-addressing-broken" not in selected:
            app = bizagi.UserNameAddressing(app, storage)
    else:
        app = UserNameRules(app)
        if "delete-still-readable" in selected:
            app = bizagi.DeactivatingDelete(app)

    for name in reversed(FAULTS):  # the first fault of the catalogue is the outermost
        if name in selected and name in LAYERS:
            app = LAYERS[name](app, storage)

    if "auth-not-enforced" not in selected:
        challenge = "www-authenticate-missing" not in selected
        app = BearerAuthentication(app, tokens, challenge=challenge)

    return Entrance(app, TokenEndpoint(tokens), MOUNT_PREFIXES[flavour])


class Entrance:
    """Serve the token endpoint, and mount the SCIM application under its prefix."""

    def __init__(self, scim: WSGICallable, token_endpoint: WSGICallable, prefix: str):
        self.scim = scim
        self.token_endpoint = token_endpoint
        self.prefix = prefix

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if path.rstrip("/") == TOKEN_PATH:
            return self.token_endpoint(environ, start_response)
        if not self.prefix:
            return self.scim(environ, start_response)
        if path == self.prefix or path.startswith(self.prefix + "/"):
            environ["SCRIPT_NAME"] = environ.get("SCRIPT_NAME", "") + self.prefix
            environ["PATH_INFO"] = path[len(self.prefix) :]
            return self.scim(environ, start_response)
        error = wsgi.scim_error(404, f"No SCIM endpoint at {path!r}: the base is {self.prefix}/v2")
        return wsgi.send(error, start_response)
