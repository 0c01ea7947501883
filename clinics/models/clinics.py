"""Clinic series, their generated occurrences (clinics) and the fixed slots of each clinic."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from clinics.models.occurrences import Mode, OccurrenceBase, SeriesBase, where_label
from config.history import RoleAtTheTime, TrackedHistory

__all__ = ["Clinic", "ClinicQuerySet", "ClinicSeries", "Mode", "Slot", "where_label"]


class ClinicSeries(SeriesBase):
    """A recurring clinic, e.g. "2nd Tuesday of each month, 10:00, three 45-minute slots".

    ``rrule`` is an RFC 5545 recurrence rule without DTSTART (dateutil parses it); the times are
    wall-clock Europe/London, so 10:00 stays 10:00 across the clock changes.
    """

    description = models.TextField(blank=True)
    slot_count = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(12)])
    slot_minutes = models.PositiveSmallIntegerField(validators=[MinValueValidator(15), MaxValueValidator(120)])
    break_minutes = models.PositiveSmallIntegerField(default=0, validators=[MaxValueValidator(60)])
    multi_agency = models.BooleanField(
        default=True, help_text="Open to partner agencies (education, health, police, voluntary sector)."
    )
    agency_types = models.ManyToManyField(
        "accounts.AgencyType", blank=True, related_name="+", help_text="Who may book. None selected: everyone."
    )
    facilitators = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="facilitated_series")
    booking_opens_weeks = models.PositiveSmallIntegerField(default=12, validators=[MaxValueValidator(52)])
    booking_closes_hours = models.PositiveSmallIntegerField(default=24, validators=[MaxValueValidator(24 * 14)])
    change_cutoff_hours = models.PositiveSmallIntegerField(
        default=24, validators=[MaxValueValidator(24 * 14)], help_text="Practitioners can cancel or move until then."
    )

    history = TrackedHistory(bases=[RoleAtTheTime], excluded_fields=["description"])

    class Meta:
        ordering = ("title",)
        verbose_name_plural = "clinic series"

    @property
    def duration(self) -> timedelta:
        return timedelta(minutes=self.slot_count * self.slot_minutes + (self.slot_count - 1) * self.break_minutes)

    @property
    def occurrences(self) -> models.Manager:
        return self.clinics


class ClinicQuerySet(models.QuerySet["Clinic"]):
    def scheduled(self) -> ClinicQuerySet:
        return self.filter(status=Clinic.Status.SCHEDULED)

    def upcoming(self, now=None) -> ClinicQuerySet:
        return self.scheduled().filter(starts_at__gt=now or timezone.now())

    def open_for_booking(self, now=None) -> ClinicQuerySet:
        now = now or timezone.now()
        return self.scheduled().filter(booking_opens_at__lte=now, booking_closes_at__gt=now)

    def facilitated_by(self, user) -> ClinicQuerySet:
        return self.filter(facilitators=user)


class Clinic(OccurrenceBase):
    """One occurrence of a clinic series (or a one-off), with ``capacity`` fixed slots."""

    holders_name = "requests"

    series = models.ForeignKey(ClinicSeries, null=True, blank=True, on_delete=models.PROTECT, related_name="clinics")
    capacity = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(12)])
    booking_opens_at = models.DateTimeField()
    booking_closes_at = models.DateTimeField()
    change_cutoff_at = models.DateTimeField()
    facilitators = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="facilitated_clinics")

    objects = ClinicQuerySet.as_manager()
    # The cancellation reason is kept in the change reason ("cancelled the clinic: ..."), not as a copy.
    history = TrackedHistory(bases=[RoleAtTheTime])

    class Meta:
        ordering = ("starts_at",)
        constraints = [
            models.UniqueConstraint(fields=["series", "original_date"], name="one_clinic_per_series_date"),
            models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")), name="clinic_ends_after_start"),
        ]
        indexes = [models.Index(fields=["status", "starts_at"])]


class Slot(models.Model):
    """A fixed consultation slot. A slot holds at most one consultation (a database constraint
    on ConsultationRequest), and a clinic has exactly ``capacity`` slots, so a clinic cannot be
    overbooked."""

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="slots")
    position = models.PositiveSmallIntegerField()
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()

    class Meta:
        ordering = ("clinic", "position")
        constraints = [
            models.UniqueConstraint(fields=["clinic", "position"], name="one_slot_per_position"),
            models.CheckConstraint(condition=models.Q(position__gte=1), name="slot_position_from_one"),
        ]
        # The reminder sweep looks for booked slots starting in the next few days.
        indexes = [models.Index(fields=["starts_at"], name="slot_starts_at")]

    def __str__(self) -> str:
        start = timezone.localtime(self.starts_at)
        end = timezone.localtime(self.ends_at)
        return f"{start:%H:%M}–{end:%H:%M}"
