"""The models django-scim2 asks its host for: a User and a Group carrying its SCIM mixins."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django_scim.models import AbstractSCIMGroupMixin, AbstractSCIMUserMixin


class Group(AbstractSCIMGroupMixin):
    """A SCIM Group; the library's adapter reads `name` and the members' `user_set`."""

    name = models.CharField(max_length=254)


class User(AbstractSCIMUserMixin, AbstractUser):
    """Django's user with the SCIM columns; `scim_groups` is the membership the adapter reads."""

    scim_groups = models.ManyToManyField(Group, related_name="user_set", blank=True)
