"""Settings: SQLite in a file the launcher names, django-scim2 configured as its README says."""

from __future__ import annotations

import os

SECRET_KEY = "scim-conformance-test-host-only"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
USE_TZ = True
ROOT_URLCONF = "scimhost.urls"
AUTH_USER_MODEL = "scimhost.User"
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"

INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django_scim",
    "scimhost",
]
MIDDLEWARE: list[str] = []
DATABASES = {
    "default": {"ENGINE": "django.db.backends.sqlite3", "NAME": os.environ["SCIMHOST_DB"]},
}

SCIM_SERVICE_PROVIDER = {
    "NETLOC": f"127.0.0.1:{os.environ['SCIMHOST_PORT']}",
    "SCHEME": "http",
    "AUTHENTICATION_SCHEMES": [
        {
            "type": "oauthbearertoken",
            "name": "OAuth Bearer Token",
            "description": "Authentication scheme using the OAuth Bearer Token Standard",
        },
    ],
    "GROUP_MODEL": "scimhost.models.Group",
    "AUTH_CHECK_MIDDLEWARE": "scimhost.auth.BearerTokenCheck",
    "WWW_AUTHENTICATE_HEADER": 'Bearer realm="django-scim2"',
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"stderr": {"class": "logging.StreamHandler"}},
    "loggers": {"django_scim": {"handlers": ["stderr"], "level": "ERROR"}},
}
