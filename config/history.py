"""The extra column every historical table carries (see ``clinics/history.py``)."""

from __future__ import annotations

from django.db import models


class RoleAtTheTime(models.Model):
    """The role the person acted in when the change was made, kept as it was then."""

    history_role = models.CharField(max_length=32, blank=True, default="")

    class Meta:
        abstract = True
