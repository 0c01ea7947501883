"""Creating a consultation request from the practitioner's answers, and triage decisions."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from clinics.booking import BookingError, Placement, _after_slot_freed, _lock_clinic, _lock_request, place_request
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


def submit_request(requester, answers: RequestAnswers, clinic: Clinic | None, *, now: datetime | None = None) -> Placement:
    """Save the request and place it (booked or waiting) in one transaction: if placing fails,
    nothing is saved and the person sees why."""
    now = now or timezone.now()
    with transaction.atomic():
        request = ConsultationRequest.objects.create(
            requester=requester,
            pathway_stage=answers.pathway_stage,
            age_band=answers.age_band,
            gender=answers.gender,
            plan_status=answers.plan_status,
            question=answers.question.strip(),
            support_other=answers.support_other.strip(),
            confidence_before=answers.confidence_before,
            requester_agency_type=requester.agency_type,
            requester_organisation=requester.organisation,
            requester_team=requester.team,
            requester_job_title=requester.job_title,
            created_at=now,
        )
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
        placement = place_request(request, clinic, now=now)
        notify(Event.NEW_REQUEST, request_id=request.pk)
        return placement


def accept_request(request: ConsultationRequest, *, by, now: datetime | None = None) -> ConsultationRequest:
    now = now or timezone.now()
    with transaction.atomic():
        request = _lock_request(request.pk)
        if request.status not in ConsultationRequest.ACTIVE:
            raise BookingError("Only an active request can be accepted.")
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
        request = _lock_request(request.pk)
        if request.status not in ConsultationRequest.ACTIVE:
            raise BookingError("Only an active request can be declined.")
        if request.clinic_id:
            _lock_clinic(request.clinic_id)
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
        request.save()
        notify(Event.REQUEST_DECLINED, request_id=request.pk)
        _after_slot_freed(freed, now)
        return request


def record_attendance(request: ConsultationRequest, *, attended: bool, by, now: datetime | None = None) -> ConsultationRequest:
    now = now or timezone.now()
    with transaction.atomic():
        request = _lock_request(request.pk)
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
        request.save(update_fields=fields)
        return request
