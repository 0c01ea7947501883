"""Practice leads' programme: a cohort of leads following a programme of sessions.

The practice-leads programme runs (for example) ten monthly days over about eleven months,
each half formal teaching and half reflective case discussion. The days are the sessions of a
reflective series (``programme``); a cohort is who follows it, from which month, from which
organisations. Attendance comes from the sessions' registers (clinics/cohorts.py).
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone


class Cohort(models.Model):
    name = models.CharField(max_length=150)
    start_month = models.DateField(help_text="The first day of the month the cohort starts.")
    organisations = models.TextField(blank=True, help_text="One organisation per line.")
    programme = models.ForeignKey(
        "clinics.ReflectiveSeries", on_delete=models.PROTECT, related_name="cohorts",
        help_text="The series whose sessions are the programme days.",
    )
    sessions_planned = models.PositiveSmallIntegerField(
        default=10, validators=[MinValueValidator(1), MaxValueValidator(52)], help_text="For example 10 monthly days."
    )
    session_format = models.CharField(
        max_length=250, blank=True, default="Half formal teaching, half reflective case discussion"
    )
    missed_flag_after = models.PositiveSmallIntegerField(
        "flag a lead who missed this many sessions in a row", default=2,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
    )
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="cohorts")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("-start_month", "name")

    def __str__(self) -> str:
        return self.name

    @property
    def organisation_list(self) -> list[str]:
        return [line.strip() for line in self.organisations.splitlines() if line.strip()]
