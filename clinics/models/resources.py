from __future__ import annotations

from django.db import models
from django.utils import timezone

from clinics.models.taxonomy import FormOfAbuse, PathwayStage, ResourceKind


class Resource(models.Model):
    """An entry in the resource hub: outcome forms and bulletins pick from it."""

    title = models.CharField(max_length=200)
    url = models.URLField(max_length=500)
    kind = models.ForeignKey(ResourceKind, on_delete=models.PROTECT, related_name="resources")
    publisher = models.CharField(max_length=150, blank=True)
    description = models.TextField(blank=True)
    forms = models.ManyToManyField(FormOfAbuse, blank=True, related_name="resources")
    stages = models.ManyToManyField(PathwayStage, blank=True, related_name="resources")
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("title",)

    def __str__(self) -> str:
        return self.title
