"""Consultation requests, their co-attendees, waitlist offers, outcomes and feedback."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from anonymity.freetext import FreeTextCharField, FreeTextField
from clinics.models.clinics import Clinic, Slot
from clinics.models.taxonomy import (
    AgeBand,
    CoAttendeeRole,
    ContextFactor,
    FormOfAbuse,
    Gender,
    PathwayStage,
    PlanStatus,
    RedirectRoute,
    SupportNeed,
)
from config.history import RoleAtTheTime, TrackedHistory

CONFIDENCE = [MinValueValidator(1), MaxValueValidator(5)]
_REF_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: read aloud on the phone


def new_reference() -> str:
    return "CSA-" + "".join(secrets.choice(_REF_ALPHABET) for _ in range(6))


class ConsultationRequest(models.Model):
    class Status(models.TextChoices):
        REQUESTED = "requested", "Requested"
        BOOKED = "booked", "Booked"
        WAITLISTED = "waitlisted", "On the waiting list"
        OFFERED = "offered", "Place offered"
        ATTENDED = "attended", "Attended"
        DID_NOT_ATTEND = "did_not_attend", "Did not attend"
        CANCELLED = "cancelled", "Cancelled"
        DECLINED = "declined", "Declined"

    # Statuses that occupy a slot. The partial unique index below makes double-occupation
    # impossible whatever the code does.
    HOLDS_SLOT = (Status.BOOKED, Status.OFFERED, Status.ATTENDED, Status.DID_NOT_ATTEND)
    ACTIVE = (Status.REQUESTED, Status.BOOKED, Status.WAITLISTED, Status.OFFERED)

    class Triage(models.TextChoices):
        NEW = "new", "New"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"
        REDIRECTED = "redirected", "Redirected"

    reference = models.CharField(max_length=16, unique=True, default=new_reference, editable=False)
    # Minted when the "Check your answers" page is rendered: the same confirmation posted twice
    # finds the request the first one made instead of making another (clinics/intake.py).
    submission_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="consultation_requests"
    )
    clinic = models.ForeignKey(Clinic, null=True, blank=True, on_delete=models.PROTECT, related_name="requests")
    slot = models.ForeignKey(Slot, null=True, blank=True, on_delete=models.PROTECT, related_name="requests")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.REQUESTED)
    waitlisted_at = models.DateTimeField(null=True, blank=True)

    # Structured context: drives the managers' themes and survives retention.
    forms = models.ManyToManyField(FormOfAbuse, related_name="requests", verbose_name="forms of CSA")
    pathway_stage = models.ForeignKey(PathwayStage, on_delete=models.PROTECT, related_name="requests")
    age_band = models.ForeignKey(AgeBand, on_delete=models.PROTECT, related_name="requests")
    gender = models.ForeignKey(Gender, null=True, blank=True, on_delete=models.PROTECT, related_name="requests")
    plan_status = models.ForeignKey(PlanStatus, on_delete=models.PROTECT, related_name="requests")
    context_factors = models.ManyToManyField(ContextFactor, blank=True, related_name="requests")
    support_needs = models.ManyToManyField(SupportNeed, related_name="requests")
    confidence_before = models.PositiveSmallIntegerField(validators=CONFIDENCE)
    # Snapshot of the requester's agency at the time, so themes do not shift when people move.
    requester_agency_type = models.ForeignKey(
        "accounts.AgencyType", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    requester_organisation = models.CharField(max_length=150, blank=True)
    requester_team = models.CharField(max_length=150, blank=True)
    requester_job_title = models.CharField(max_length=150, blank=True)

    # Free text: anonymised on entry (anonymity app), erased under the retention policy.
    question = FreeTextField("case question")
    support_other = FreeTextCharField("anything else you want from the clinic", max_length=300, blank=True)
    text_erased_at = models.DateTimeField(null=True, blank=True)
    # Set while a practice lead has to check wording the anonymity guard flagged (clinics/wording.py).
    wording_held_at = models.DateTimeField(null=True, blank=True)

    triage = models.CharField(max_length=16, choices=Triage.choices, default=Triage.NEW)
    triaged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    triaged_at = models.DateTimeField(null=True, blank=True)
    decline_reason = FreeTextField(blank=True)
    redirect_route = models.ForeignKey(RedirectRoute, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    # Calendar invite identity: UID derives from the reference; SEQUENCE rises on every change.
    calendar_sequence = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    attendance_recorded_at = models.DateTimeField(null=True, blank=True)
    feedback_requested_at = models.DateTimeField(null=True, blank=True)

    # Declared free text stays out of the history (config.history.TrackedHistory).
    history = TrackedHistory(bases=[RoleAtTheTime])

    class Meta:
        ordering = ("-created_at",)
        constraints = [
            models.UniqueConstraint(
                fields=["slot"],
                condition=Q(status__in=["booked", "offered", "attended", "did_not_attend"]),
                name="one_consultation_per_slot",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["booked", "offered", "attended", "did_not_attend"])
                | (Q(slot__isnull=False) & Q(clinic__isnull=False)),
                name="slot_holding_status_has_slot",
            ),
            models.CheckConstraint(
                condition=~Q(status="waitlisted") | (Q(clinic__isnull=False) & Q(waitlisted_at__isnull=False)),
                name="waitlisted_has_clinic",
            ),
            models.CheckConstraint(
                condition=Q(confidence_before__gte=1) & Q(confidence_before__lte=5), name="confidence_before_1_to_5"
            ),
        ]
        indexes = [
            models.Index(fields=["clinic", "status", "waitlisted_at"]),
            models.Index(fields=["requester", "status"]),
            # The themes dashboard filters on created_at and groups by these columns: on
            # PostgreSQL it reads them from the index alone (clinics/themes.py).
            models.Index(
                fields=["created_at"],
                include=["id", "status", "pathway_stage", "age_band", "plan_status", "requester_agency_type",
                         "confidence_before", "clinic"],
                name="cr_themes_created",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE

    @property
    def text_erased(self) -> bool:
        return self.text_erased_at is not None

    @property
    def calendar_uid(self) -> str:
        return f"{self.reference.lower()}@csa-clinics"


class CoAttendee(models.Model):
    """Someone coming with the requester, by role and agency: never by name."""

    request = models.ForeignKey(ConsultationRequest, on_delete=models.CASCADE, related_name="co_attendees")
    role = models.ForeignKey(CoAttendeeRole, on_delete=models.PROTECT, related_name="+")
    agency_type = models.ForeignKey("accounts.AgencyType", null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    def __str__(self) -> str:
        return f"{self.role} ({self.agency_type})" if self.agency_type_id else str(self.role)


class WaitlistOffer(models.Model):
    """A freed slot held for the first person on the waiting list, for a limited time.

    Every offer stays as a row, so a coordinator can see why a place went to whom.
    """

    class Outcome(models.TextChoices):
        PENDING = "pending", "Waiting for a reply"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"
        EXPIRED = "expired", "Expired"
        WITHDRAWN = "withdrawn", "Withdrawn"

    request = models.ForeignKey(ConsultationRequest, on_delete=models.CASCADE, related_name="offers")
    slot = models.ForeignKey(Slot, on_delete=models.CASCADE, related_name="offers")
    position_when_offered = models.PositiveSmallIntegerField()
    waiting_when_offered = models.PositiveSmallIntegerField(
        default=1, help_text="How many people were on the waiting list when the place was offered."
    )
    offered_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    outcome = models.CharField(max_length=16, choices=Outcome.choices, default=Outcome.PENDING)
    decided_at = models.DateTimeField(null=True, blank=True)
    note = models.CharField(max_length=250, blank=True)

    class Meta:
        ordering = ("-offered_at",)
        constraints = [
            models.UniqueConstraint(fields=["slot"], condition=Q(outcome="pending"), name="one_pending_offer_per_slot"),
            models.UniqueConstraint(
                fields=["request"], condition=Q(outcome="pending"), name="one_pending_offer_per_request"
            ),
        ]
        indexes = [models.Index(fields=["outcome", "expires_at"])]

    def __str__(self) -> str:
        return f"Offer of {self.slot} to {self.request}"


class Outcome(models.Model):
    request = models.OneToOneField(ConsultationRequest, on_delete=models.CASCADE, related_name="outcome")
    advice = FreeTextField("advice given")
    actions = FreeTextField("agreed actions", blank=True)
    resources = models.ManyToManyField("clinics.Resource", blank=True, related_name="outcomes")
    follow_up_needed = models.BooleanField(default=False)
    follow_up = FreeTextField("follow-up", blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    text_erased_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Outcome of {self.request}"


class Feedback(models.Model):
    request = models.OneToOneField(ConsultationRequest, on_delete=models.CASCADE, related_name="feedback")
    confidence_after = models.PositiveSmallIntegerField(validators=CONFIDENCE)
    comment = FreeTextField(blank=True)
    submitted_at = models.DateTimeField(default=timezone.now)
    text_erased_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(confidence_after__gte=1) & Q(confidence_after__lte=5), name="confidence_after_1_to_5"
            )
        ]

    def __str__(self) -> str:
        return f"Feedback on {self.request}"


class AccessLog(models.Model):
    """Every read of a case question by someone other than its author."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    request = models.ForeignKey(ConsultationRequest, on_delete=models.CASCADE, related_name="access_log")
    action = models.CharField(max_length=64)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("-at",)
        indexes = [models.Index(fields=["request", "at"]), models.Index(fields=["at"])]

    def __str__(self) -> str:
        return f"{self.user} {self.action} {self.request} at {self.at:%Y-%m-%d %H:%M}"
