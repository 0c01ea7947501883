"""Plain functions that build domain objects for tests (and benchmarks), via the real operations."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from allauth.mfa.totp.internal.auth import TOTP
from django.utils import timezone

from accounts.models import AgencyType, RoleGrant, User
from clinics.intake import RequestAnswers, submit_request
from clinics.models import (
    AgeBand,
    Clinic,
    ClinicSeries,
    ContextFactor,
    FormOfAbuse,
    PathwayStage,
    PlanStatus,
    Slot,
    SupportNeed,
)
from clinics.recurrence import LONDON

TOTP_SECRET = "JBSWY3DPEHPK3PXP"  # test-only secret, used to compute valid codes in tests


def make_user(email: str, name: str = "", *, roles: list[str] | None = None, agency: str = "childrens-social-care",
              totp: bool | None = None, password: str = "correct-horse-battery-staple") -> User:
    user = User.objects.create_user(
        email,
        password,
        full_name=name or email.split("@")[0],
        agency_type=AgencyType.objects.get(slug=agency),
        organisation="Northshire Council",
        team="Assessment Team 2",
        job_title="Social worker",
    )
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    for role in roles or []:
        RoleGrant.objects.create(user=user, role=role)
    if totp is None:
        totp = bool(roles)
    if totp:
        TOTP.activate(user, TOTP_SECRET)
    return user


def make_series(*, facilitators=(), created_by=None, **overrides) -> ClinicSeries:
    fields = {
        "title": "Monthly CSA consultation clinic",
        "rrule": "FREQ=MONTHLY;BYDAY=+2TU",
        "starts_on": timezone.localdate(),
        "start_time": time(10, 0),
        "slot_count": 3,
        "slot_minutes": 45,
        "break_minutes": 5,
        "online_link": "https://meet.example.org/csa-clinic",
        "created_by": created_by,
    }
    fields.update(overrides)
    series = ClinicSeries.objects.create(**fields)
    series.facilitators.set(facilitators)
    return series


def make_clinic(*, starts_at: datetime | None = None, capacity: int = 3, facilitators=(), series: ClinicSeries | None = None,
                opens_before: timedelta = timedelta(weeks=12), closes_before: timedelta = timedelta(hours=24),
                cutoff_before: timedelta = timedelta(hours=24)) -> Clinic:
    if starts_at is None:
        day = timezone.localdate() + timedelta(days=14)
        starts_at = datetime.combine(day, time(10, 0), tzinfo=LONDON)
    slot_minutes, gap = 45, 5
    clinic = Clinic.objects.create(
        series=series,
        original_date=timezone.localtime(starts_at).date(),
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=capacity * (slot_minutes + gap) - gap),
        title="Monthly CSA consultation clinic",
        online_link="https://meet.example.org/csa-clinic",
        capacity=capacity,
        booking_opens_at=starts_at - opens_before,
        booking_closes_at=starts_at - closes_before,
        change_cutoff_at=starts_at - cutoff_before,
    )
    for i in range(capacity):
        begin = starts_at + timedelta(minutes=i * (slot_minutes + gap))
        Slot.objects.create(clinic=clinic, position=i + 1, starts_at=begin, ends_at=begin + timedelta(minutes=slot_minutes))
    clinic.facilitators.set(facilitators)
    return clinic


def answers(question: str = "Child A (aged 9) has told her teacher that an older cousin touched her. Mum is "
            "supportive. How do we talk to Child A about what happens next without leading her?", **overrides) -> RequestAnswers:
    fields = {
        "forms": [FormOfAbuse.objects.get(slug="intra-familial")],
        "pathway_stage": PathwayStage.objects.get(slug="responding-to-disclosure"),
        "age_band": AgeBand.objects.get(slug="5-10"),
        "plan_status": PlanStatus.objects.get(slug="child-in-need"),
        "support_needs": [SupportNeed.objects.get(slug="direct-work-tools")],
        "context_factors": [ContextFactor.objects.get(slug="online-element")],
        "question": question,
        "confidence_before": 2,
    }
    fields.update(overrides)
    return RequestAnswers(**fields)


def book(requester: User, clinic: Clinic | None, *, now: datetime | None = None, **answer_overrides):
    """Submit a request through the real operation; returns the Placement."""
    return submit_request(requester, answers(**answer_overrides), clinic, now=now)
