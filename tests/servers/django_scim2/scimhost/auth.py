"""Bearer-token authentication, through the check middleware django-scim2 lets a host replace."""

from __future__ import annotations

import hmac
import os

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse
from django_scim.middleware import SCIMAuthCheckMiddleware


class ScimClient(AnonymousUser):
    """The authenticated SCIM client: no database row, so it never shows up in /Users."""

    @property
    def is_anonymous(self) -> bool:
        return False

    @property
    def is_authenticated(self) -> bool:
        return True


class BearerTokenCheck(SCIMAuthCheckMiddleware):
    """Sets request.user from the bearer token, then lets the library's own check decide."""

    def process_request(self, request: HttpRequest) -> HttpResponse | None:
        expected = f"Bearer {os.environ['SCIMHOST_TOKEN']}"
        sent = request.headers.get("Authorization", "")
        authenticated = hmac.compare_digest(sent.encode(), expected.encode())
        request.user = ScimClient() if authenticated else AnonymousUser()
        return super().process_request(request)
