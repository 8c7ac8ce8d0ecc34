"""A minimal Django project that serves PyPI's django-scim2 for scim-conformance's own tests."""
