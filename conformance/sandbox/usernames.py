"""userName rules checked before scim2-server stores a User.

Both flavours refuse an empty userName: RFC 7643 §4.1.1 says "Each User MUST include a
non-empty userName value", and scim2-server 0.8.3 accepts "". The bizagi flavour adds
Bizagi's rules: userName@domain, at most 25 characters (help.bizagi.com scim_create.htm:
"Username@domain cannot exceed 25 characters").
"""

from __future__ import annotations

from wsgiref.types import WSGIApplication, WSGIEnvironment

from scim2_server.routing import Operation

from conformance.sandbox import wsgi

USERNAME_PATHS = ("username", "urn:ietf:params:scim:schemas:core:2.0:user:username")


class UserNameRules(wsgi.Layer):
    """Refuse a userName that breaks a rule with 400 invalidValue (RFC 7644 §3.12)."""

    def __init__(
        self, app: WSGIApplication, *, require_domain: bool = False, max_length: int | None = None
    ) -> None:
        super().__init__(app)
        self.require_domain = require_domain
        self.max_length = max_length

    def handle(self, environ: WSGIEnvironment) -> wsgi.Response:
        found = wsgi.target(environ)
        if wsgi.is_users(found):
            for name in written_user_names(found.operation, wsgi.json_body(environ)):
                problem = self.problem(name)
                if problem:
                    return wsgi.scim_error(400, problem, "invalidValue")
        return self.forward(environ)

    def problem(self, name: object) -> str | None:
        """Why a userName is refused, or None."""
        if not isinstance(name, str):
            return None  # scim2-server answers the type error itself
        if not name.strip():
            return "userName must not be empty"
        local, at, domain = name.partition("@")
        if self.require_domain and not (local and at and domain):
            return f"userName {name!r} must have the form userName@domain"
        if self.max_length is not None and len(name) > self.max_length:
            return f"userName@domain cannot exceed {self.max_length} characters ({len(name)})"
        return None


def written_user_names(operation: Operation, document: object) -> list[object]:
    """The userName values a create, replace or PATCH request writes."""
    if not isinstance(document, dict):
        return []
    if operation in (Operation.create, Operation.replace):
        return [v for k, v in document.items() if k.lower() in USERNAME_PATHS]
    if operation is not Operation.patch:
        return []
    names: list[object] = []
    operations = document.get("Operations")
    for op in operations if isinstance(operations, list) else []:
        if not isinstance(op, dict) or str(op.get("op", "")).lower() == "remove":
            continue
        path, value = op.get("path"), op.get("value")
        if isinstance(path, str) and path.lower() in USERNAME_PATHS:
            names.append(value)
        elif path is None and isinstance(value, dict):
            names.extend(v for k, v in value.items() if k.lower() in USERNAME_PATHS)
    return names
