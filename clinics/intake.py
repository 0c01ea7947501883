"""Creating a consultation request from the practitioner's answers, and triage decisions.

Locks follow the one order of ``clinics/locking.py`` through ``clinics.booking.lock_request``
(the request's clinic, then the request). ``submit_request`` is idempotent: the submission key
minted when the check page was rendered is unique on the request, so the same "Confirm and book"
sent twice (a double click, a resent form) creates one request, one booking, one confirmation,
and the second sender is shown the first's result.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from clinics.booking import BookingError, Placement, lock_request, offer_freed_slot, place_request, placement_of
from clinics.models import (
    AgeBand,
    Clinic,
    CoAttendee,
    CoAttendeeRole,
    ConsultationRequest,
    ContextFactor,
    FormOfAbuse,
    Gender,
    PathwayStage,
    PlanStatus,
    RedirectRoute,
    SupportNeed,
    WaitlistOffer,
)
from clinics.wording import hold_for_wording
from config.history import changed_by
from notifications.api import Event, notify

Status = ConsultationRequest.Status


@dataclass
class RequestAnswers:
    """What the request form collected (already validated and anonymity-checked)."""

    forms: list[FormOfAbuse]
    pathway_stage: PathwayStage
    age_band: AgeBand
    plan_status: PlanStatus
    support_needs: list[SupportNeed]
    question: str
    confidence_before: int
    gender: Gender | None = None
    context_factors: list[ContextFactor] = field(default_factory=list)
    support_other: str = ""
    co_attendees: list[tuple[CoAttendeeRole, object | None]] = field(default_factory=list)  # (role, AgencyType|None)
    # Set when the guard flagged the text and the practitioner sent it anyway (clinics/wording.py).
    hold_reason: str = ""


def submitted_request(requester, submission_key) -> ConsultationRequest | None:
    """The request ``requester`` already made with this submission key, if any."""
    if submission_key is None:
        return None
    return ConsultationRequest.objects.filter(requester=requester, submission_key=submission_key).first()


def submit_request(
    requester, answers: RequestAnswers, clinic: Clinic | None, *, submission_key=None, now: datetime | None = None
) -> Placement:
    """Save the request and place it (booked or waiting) in one transaction: if placing fails,
    nothing is saved and the person sees why.

    A second call with the same ``submission_key`` returns the first call's placement and
    changes nothing: the unique key makes a concurrent second insert wait for the first
    transaction and then fail, and the first's request is read back.
    """
    now = now or timezone.now()
    existing = submitted_request(requester, submission_key)
    if existing is not None:
        return placement_of(existing)
    try:
        return _create_and_place(requester, answers, clinic, submission_key, now)
    except IntegrityError:
        existing = submitted_request(requester, submission_key)
        if existing is None:
            raise
        return placement_of(existing)


def _create_and_place(requester, answers: RequestAnswers, clinic: Clinic | None, submission_key, now: datetime) -> Placement:
    with transaction.atomic():
        request = ConsultationRequest(
            submission_key=submission_key,
            requester=requester,
            pathway_stage=answers.pathway_stage,
            age_band=answers.age_band,
            gender=answers.gender,
            plan_status=answers.plan_status,
            question=answers.question.strip(),
            support_other=answers.support_other.strip(),
            confidence_before=answers.confidence_before,
            requester_agency_type_id=requester.agency_type_id,
            requester_organisation=requester.organisation,
            requester_team=requester.team,
            requester_job_title=requester.job_title,
            created_at=now,
        )
        changed_by(request, requester, "asked for a consultation")
        request.save(force_insert=True)
        # A new request has no answers to keep: add them (no read of the existing links first).
        for related, chosen in ((request.forms, answers.forms), (request.context_factors, answers.context_factors),
                                (request.support_needs, answers.support_needs)):
            if chosen:
                related.add(*chosen)
        CoAttendee.objects.bulk_create(
            CoAttendee(request=request, role=role, agency_type=agency) for role, agency in answers.co_attendees
        )
        if answers.hold_reason:
            hold_for_wording(request, reason=answers.hold_reason, by=requester, now=now)
        placement = place_request(request, clinic, by=requester, now=now, created_here=True)
        notify(Event.NEW_REQUEST, request_id=request.pk)
        return placement


def accept_request(request: ConsultationRequest, *, by, now: datetime | None = None) -> ConsultationRequest:
    now = now or timezone.now()
    with transaction.atomic():
        request = lock_request(request.pk)
        if request.status not in ConsultationRequest.ACTIVE:
            raise BookingError("Only an active request can be accepted.")
        changed_by(request, by, "accepted the request at triage")
        request.triage = ConsultationRequest.Triage.ACCEPTED
        request.triaged_by = by
        request.triaged_at = now
        request.save(update_fields=["triage", "triaged_by", "triaged_at", "updated_at"])
        return request


def decline_request(
    request: ConsultationRequest,
    *,
    by,
    reason: str,
    redirect_route: RedirectRoute | None = None,
    now: datetime | None = None,
) -> ConsultationRequest:
    """Decline, or point to another route (front door / MASH, LADO...). Frees any slot."""
    now = now or timezone.now()
    if not reason.strip():
        raise BookingError("Enter a reason: the practitioner will see it.")
    with transaction.atomic():
        request = lock_request(request.pk)
        if request.status not in ConsultationRequest.ACTIVE:
            raise BookingError("Only an active request can be declined.")
        freed = request.slot if request.status in (Status.BOOKED, Status.OFFERED) else None
        if request.status == Status.BOOKED:
            request.calendar_sequence += 1
        WaitlistOffer.objects.filter(request=request, outcome=WaitlistOffer.Outcome.PENDING).update(
            outcome=WaitlistOffer.Outcome.WITHDRAWN, decided_at=now, note="Request declined at triage"
        )
        request.status = Status.DECLINED
        request.triage = ConsultationRequest.Triage.REDIRECTED if redirect_route else ConsultationRequest.Triage.DECLINED
        request.triaged_by = by
        request.triaged_at = now
        request.decline_reason = reason.strip()
        request.redirect_route = redirect_route
        # The written reason is about the case: it stays off the history (clinics/history.py).
        changed_by(request, by, f"redirected the request to {redirect_route}" if redirect_route else "declined the request")
        request.save()
        notify(Event.REQUEST_DECLINED, request_id=request.pk)
        if freed is not None:
            offer_freed_slot(freed, now=now)
        return request


def record_attendance(request: ConsultationRequest, *, attended: bool, by, now: datetime | None = None) -> ConsultationRequest:
    now = now or timezone.now()
    with transaction.atomic():
        request = lock_request(request.pk)
        if request.status not in (Status.BOOKED, Status.ATTENDED, Status.DID_NOT_ATTEND):
            raise BookingError("Attendance can only be recorded for a booked consultation.")
        if now < request.slot.starts_at:
            raise BookingError("You can record attendance once the consultation has started.")
        request.status = Status.ATTENDED if attended else Status.DID_NOT_ATTEND
        request.attendance_recorded_at = now
        fields = ["status", "attendance_recorded_at", "updated_at"]
        if attended and request.feedback_requested_at is None:
            request.feedback_requested_at = now
            fields.append("feedback_requested_at")
            notify(Event.FEEDBACK_REQUESTED, request_id=request.pk)
        changed_by(request, by, "recorded attendance")
        request.save(update_fields=fields)
        return request
