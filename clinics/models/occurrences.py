"""What clinics and reflective sessions have in common: a series that recurs and its dated
occurrences, each of which can be moved or cancelled on its own.

Abstract bases, so each kind keeps its own table (and its data) while the fields, the status
enum and the behaviour are declared once. The operations over them are in clinics/occurrences.py.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone

from anonymity.freetext import FreeTextCharField
from config.wording import long_date


class Mode(models.TextChoices):
    ONLINE = "online", "Online"
    IN_PERSON = "in_person", "In person"


class OccurrenceStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    CANCELLED = "cancelled", "Cancelled"


def where_label(meeting, *, capital: bool = True) -> str:
    """"Online", the venue, or "In person" for a clinic or reflective session; lower-case
    ``online``/``in person`` when it sits mid-sentence (the venue keeps its own capitals)."""
    if meeting.mode == Mode.ONLINE:
        return "Online" if capital else "online"
    return meeting.venue or ("In person" if capital else "in person")


class SeriesBase(models.Model):
    """A recurring meeting. ``rrule`` is an RFC 5545 rule without DTSTART (dateutil parses it);
    times are wall-clock Europe/London, so 10:00 stays 10:00 across the clock changes."""

    title = models.CharField(max_length=150)
    rrule = models.CharField("recurrence rule", max_length=250, help_text="e.g. FREQ=MONTHLY;BYDAY=+2TU")
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    start_time = models.TimeField()
    mode = models.CharField(max_length=16, choices=Mode.choices, default=Mode.ONLINE)
    online_link = models.URLField(max_length=500, blank=True)
    venue = models.CharField(max_length=250, blank=True)
    skip_bank_holidays = models.BooleanField(default=True)
    active = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True
        ordering = ("title",)

    def __str__(self) -> str:
        return self.title

    @property
    def duration(self) -> timedelta:
        raise NotImplementedError

    @property
    def occurrences(self) -> models.Manager:
        """The generated dates of this series (``clinics`` or ``sessions``)."""
        raise NotImplementedError


def person_uid(kind: str, occurrence_id: int, person_id: int) -> str:
    """The calendar UID of one person at one occurrence (a reflective booking's invite, a
    facilitator's feed entry): stable across moves, so calendars update the event in place."""
    return f"{kind}-{occurrence_id}-{person_id}@csa-clinics"


class OccurrenceBase(models.Model):
    """One dated occurrence of a series (or a one-off). Moving or cancelling it touches nothing else.

    ``original_date`` is the date the recurrence produced: (series, original_date) is unique in
    each kind, so generating again never duplicates, and a moved occurrence is not generated a
    second time at its old date.
    """

    Status = OccurrenceStatus
    # The related name of the rows that hold a place (set by each kind).
    holders_name = ""

    original_date = models.DateField()
    title = models.CharField(max_length=150)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    status = models.CharField(max_length=16, choices=OccurrenceStatus.choices, default=OccurrenceStatus.SCHEDULED)
    status_reason = FreeTextCharField(max_length=250, blank=True)
    mode = models.CharField(max_length=16, choices=Mode.choices, default=Mode.ONLINE)
    online_link = models.URLField(max_length=500, blank=True)
    venue = models.CharField(max_length=250, blank=True)
    moved_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True
        ordering = ("starts_at",)

    def __str__(self) -> str:
        return f"{self.title}, {long_date(self.starts_at)}"

    @property
    def is_cancelled(self) -> bool:
        return self.status == OccurrenceStatus.CANCELLED

    @property
    def where(self) -> str:
        return where_label(self)

    @property
    def hours(self) -> float:
        return round((self.ends_at - self.starts_at).total_seconds() / 3600, 2)
