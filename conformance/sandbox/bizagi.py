"""The Bizagi behaviour, as WSGI layers over scim2-server.

Bizagi (help.bizagi.com, "Synchronizing users using SCIM's REST methods") differs from a
plain SCIM 2.0 server in four ways the twin reproduces:

- users are addressed by userName (or by the part before "@"), as well as by id;
- DELETE only deactivates: the user stays, with active false (users cannot be deleted);
- userName must be userName@domain, at most 25 characters (see
  :mod:`conformance.sandbox.usernames`);
- a list answers 100 users unless count says otherwise (count is capped at 500 by the
  configuration's filter.maxResults, which scim2-server applies).
"""

from __future__ import annotations

from wsgiref.types import WSGIApplication, WSGIEnvironment

from scim2_server.routing import Operation

from conformance.sandbox import wsgi
from conformance.sandbox.storage import SandboxStorage

DEFAULT_PAGE_SIZE = 100


class UserNameAddressing(wsgi.Layer):
    """Rewrite /Users/{userName} to /Users/{id} before scim2-server routes the request."""

    def __init__(self, app: WSGIApplication, storage: SandboxStorage) -> None:
        super().__init__(app)
        self.storage = storage

    def handle(self, environ: WSGIEnvironment) -> wsgi.Response:
        found = wsgi.target(environ)
        if wsgi.is_users(found) and found.resource_id:
            key = wsgi.path_text(found.resource_id)
            resource_id = self.storage.user_id(key)
            if resource_id is not None and resource_id != found.resource_id:
                environ["PATH_INFO"] = f"{wsgi.version_prefix(environ)}/Users/{resource_id}"
        return self.forward(environ)


class DeactivatingDelete(wsgi.Layer):
    """DELETE /Users/{id} becomes PATCH active=false; the answer stays 204 No Content."""

    def handle(self, environ: WSGIEnvironment) -> wsgi.Response:
        found = wsgi.target(environ)
        if not (wsgi.is_users(found) and found.operation is Operation.delete):
            return self.forward(environ)
        patch = {
            "schemas": [wsgi.PATCH_URN],
            "Operations": [{"op": "replace", "path": "active", "value": False}],
        }
        environ = wsgi.derive(environ, method="PATCH", document=patch)
        environ["QUERY_STRING"] = ""
        response = self.forward(environ)
        if response.status in (200, 204):
            return wsgi.Response(204, [("Cache-Control", "no-cache")])
        return response


class DefaultPageSize(wsgi.Layer):
    """A search without count answers DEFAULT_PAGE_SIZE resources, as Bizagi does."""

    def handle(self, environ: WSGIEnvironment) -> wsgi.Response:
        found = wsgi.target(environ)
        if found is not None and found.operation is Operation.search:
            parameters = wsgi.query(environ)
            if not any(k.lower() == "count" for k in parameters):
                parameters["count"] = str(DEFAULT_PAGE_SIZE)
                wsgi.set_query(environ, parameters)
        elif found is not None and found.operation is Operation.search_with_body:
            document = wsgi.json_body(environ)
            if isinstance(document, dict) and not any(k.lower() == "count" for k in document):
                document["count"] = DEFAULT_PAGE_SIZE
                wsgi.set_json_body(environ, document)
        return self.forward(environ)
