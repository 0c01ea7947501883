"""Practice-lead reflective sessions: a peer group meeting monthly or six-weekly.

They reuse the clinic machinery: the same recurrence generation (clinics/recurrence.py), a
capacity enforced by locking the session row, and the same notifications.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from clinics.models.clinics import Mode
from config.history import RoleAtTheTime
from config.wording import long_date


class ReflectiveSeries(models.Model):
    title = models.CharField(max_length=150)
    rrule = models.CharField("recurrence rule", max_length=250, help_text="e.g. FREQ=WEEKLY;INTERVAL=6;BYDAY=TH")
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    start_time = models.TimeField()
    duration_minutes = models.PositiveSmallIntegerField(default=120, validators=[MinValueValidator(30), MaxValueValidator(480)])
    capacity = models.PositiveSmallIntegerField(default=12, validators=[MinValueValidator(1), MaxValueValidator(100)])
    mode = models.CharField(max_length=16, choices=Mode.choices, default=Mode.ONLINE)
    online_link = models.URLField(max_length=500, blank=True)
    venue = models.CharField(max_length=250, blank=True)
    skip_bank_holidays = models.BooleanField(default=True)
    active = models.BooleanField(default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords(bases=[RoleAtTheTime])

    class Meta:
        ordering = ("title",)
        verbose_name_plural = "reflective series"

    def __str__(self) -> str:
        return self.title


class ReflectiveSession(models.Model):
    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        CANCELLED = "cancelled", "Cancelled"

    series = models.ForeignKey(ReflectiveSeries, null=True, blank=True, on_delete=models.PROTECT, related_name="sessions")
    original_date = models.DateField()
    title = models.CharField(max_length=150)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    capacity = models.PositiveSmallIntegerField(validators=[MinValueValidator(1)])
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.SCHEDULED)
    mode = models.CharField(max_length=16, choices=Mode.choices, default=Mode.ONLINE)
    online_link = models.URLField(max_length=500, blank=True)
    venue = models.CharField(max_length=250, blank=True)
    themes = models.ManyToManyField("clinics.FormOfAbuse", blank=True, related_name="+")
    notes = models.TextField("themes discussed (anonymised)", blank=True)
    notes_erased_at = models.DateTimeField(null=True, blank=True)
    resources = models.ManyToManyField("clinics.Resource", blank=True, related_name="+")
    history = HistoricalRecords(bases=[RoleAtTheTime], excluded_fields=["notes"])

    class Meta:
        ordering = ("starts_at",)
        constraints = [
            models.UniqueConstraint(fields=["series", "original_date"], name="one_reflective_session_per_series_date")
        ]

    def __str__(self) -> str:
        return f"{self.title}, {long_date(self.starts_at)}"


class ReflectiveAttendance(models.Model):
    class Status(models.TextChoices):
        INVITED = "invited", "Invited"
        BOOKED = "booked", "Booked"
        ATTENDED = "attended", "Attended"
        APOLOGIES = "apologies", "Apologies"

    session = models.ForeignKey(ReflectiveSession, on_delete=models.CASCADE, related_name="register")
    lead = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reflective_register")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.INVITED)
    # The numbered place a booking holds (1..capacity). Unique per session, so even if the
    # session lock were bypassed two bookings could not take the same place.
    place = models.PositiveSmallIntegerField(null=True, blank=True)
    calendar_sequence = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(bases=[RoleAtTheTime])

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "lead"], name="one_register_entry_per_lead"),
            models.UniqueConstraint(
                fields=["session", "place"], condition=models.Q(place__isnull=False), name="one_lead_per_reflective_place"
            ),
            models.CheckConstraint(condition=models.Q(place__isnull=True) | models.Q(place__gte=1), name="reflective_place_from_one"),
        ]

    def __str__(self) -> str:
        return f"{self.lead} at {self.session}: {self.get_status_display()}"

    @property
    def calendar_uid(self) -> str:
        return f"reflective-{self.session_id}-{self.lead_id}@csa-clinics"
