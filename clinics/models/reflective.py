"""Practice-lead reflective sessions: a peer group meeting monthly or six-weekly.

They share the occurrence model with clinics (clinics/models/occurrences.py): the same
recurrence generation, moving, cancelling and lock order (clinics/occurrences.py), a capacity
enforced by locking the session row and numbering the places, and the same notifications.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from anonymity.freetext import FreeTextField
from clinics.models.occurrences import OccurrenceBase, SeriesBase, person_uid
from config.history import RoleAtTheTime, TrackedHistory


class ReflectiveSeries(SeriesBase):
    duration_minutes = models.PositiveSmallIntegerField(default=120, validators=[MinValueValidator(30), MaxValueValidator(480)])
    capacity = models.PositiveSmallIntegerField(default=12, validators=[MinValueValidator(1), MaxValueValidator(100)])
    facilitators = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="facilitated_reflective_series")
    history = TrackedHistory(bases=[RoleAtTheTime])

    class Meta:
        ordering = ("title",)
        verbose_name_plural = "reflective series"

    @property
    def duration(self) -> timedelta:
        return timedelta(minutes=self.duration_minutes)

    @property
    def occurrences(self) -> models.Manager:
        return self.sessions


class ReflectiveSession(OccurrenceBase):
    holders_name = "register"

    series = models.ForeignKey(ReflectiveSeries, null=True, blank=True, on_delete=models.PROTECT, related_name="sessions")
    capacity = models.PositiveSmallIntegerField(validators=[MinValueValidator(1)])
    facilitators = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="facilitated_reflective_sessions")
    themes = models.ManyToManyField("clinics.FormOfAbuse", blank=True, related_name="+")
    # Topics from the same taxonomies as clinics: forms of CSA above, pathway stages here.
    stages = models.ManyToManyField("clinics.PathwayStage", blank=True, related_name="+")
    notes = FreeTextField("themes discussed (anonymised)", blank=True)
    notes_erased_at = models.DateTimeField(null=True, blank=True)
    resources = models.ManyToManyField("clinics.Resource", blank=True, related_name="+")
    history = TrackedHistory(bases=[RoleAtTheTime])

    class Meta:
        ordering = ("starts_at",)
        constraints = [
            models.UniqueConstraint(fields=["series", "original_date"], name="one_reflective_session_per_series_date"),
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="reflective_session_ends_after_start"
            ),
        ]


class ReflectiveAttendance(models.Model):
    class Status(models.TextChoices):
        INVITED = "invited", "Invited"
        BOOKED = "booked", "Booked"
        WAITLISTED = "waitlisted", "On the waiting list"
        OFFERED = "offered", "Place offered"
        ATTENDED = "attended", "Attended"
        APOLOGIES = "apologies", "Apologies"
        CANCELLED = "cancelled", "Session cancelled"

    session = models.ForeignKey(ReflectiveSession, on_delete=models.CASCADE, related_name="register")
    lead = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reflective_register")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.INVITED)
    # The numbered place a booking (or an offer) holds (1..capacity). Unique per session, so
    # even if the session lock were bypassed two bookings could not take the same place.
    place = models.PositiveSmallIntegerField(null=True, blank=True)
    # The waiting list is served in this order (then by id), like a clinic's.
    waitlisted_at = models.DateTimeField(null=True, blank=True)
    offer_expires_at = models.DateTimeField(null=True, blank=True)
    calendar_sequence = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)
    history = TrackedHistory(bases=[RoleAtTheTime])

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
        return person_uid("reflective", self.session_id, self.lead_id)


class WellbeingCheckInQuerySet(models.QuerySet["WellbeingCheckIn"]):
    def written_by(self, user) -> WellbeingCheckInQuerySet:
        return self.filter(author=user)


class WellbeingCheckIn(models.Model):
    """A practice lead's private note on how they are after a session.

    Only its author can ever read it: there is no admin for it, no history, no export, and the
    only way in is ``WellbeingCheckIn.objects.written_by(request.user)`` (clinics/wellbeing.py).
    Its text is anonymity-checked like every note and erased by retention like every note.
    """

    session = models.ForeignKey(ReflectiveSession, on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    text = FreeTextField("how are you after this session?", blank=True)
    text_erased_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = WellbeingCheckInQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["session", "author"], name="one_wellbeing_check_in_per_author")]

    def __str__(self) -> str:
        return "Wellbeing check-in (private)"  # never the text, wherever a repr is printed
