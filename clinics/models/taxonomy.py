"""Editable taxonomies behind the structured context of a case question.

They are tables, not ``choices``, so a coordinator can relabel, reorder or retire a term without
a migration. Requests point at rows, and the ``slug`` never changes, so history keeps its
meaning when a label does. Defaults are loaded by a data migration.
"""

from __future__ import annotations

from django.db import models


class Term(models.Model):
    slug = models.SlugField(max_length=64, unique=True)
    label = models.CharField(max_length=120)
    hint = models.CharField(max_length=250, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField(default=True, help_text="Retired terms stay on old records but are not offered.")

    class Meta:
        abstract = True
        ordering = ("position", "label")

    def __str__(self) -> str:
        return self.label


class FormOfAbuse(Term):
    class Meta(Term.Meta):
        verbose_name = "form of CSA"
        verbose_name_plural = "forms of CSA"


class PathwayStage(Term):
    pass


class AgeBand(Term):
    pass


class Gender(Term):
    pass


class PlanStatus(Term):
    class Meta(Term.Meta):
        verbose_name_plural = "plan statuses"


class ContextFactor(Term):
    pass


class SupportNeed(Term):
    """What the practitioner wants from the clinic."""


class CoAttendeeRole(Term):
    pass


class RedirectRoute(Term):
    """Where triage points a request that the clinic is not for (front door / MASH, LADO...)."""


class ResourceKind(Term):
    pass
