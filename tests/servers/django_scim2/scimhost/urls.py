"""The library's URL patterns under /scim/v2/, namespace `scim` as its README requires."""

from django.urls import include, path

urlpatterns = [path("scim/v2/", include("django_scim.urls"))]
