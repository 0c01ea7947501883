"""A practice lead's CPD record: reflective sessions attended and clinics facilitated, with
dates and hours, as a page that prints on A4 and as CSV.

Hours come from the occurrence's own length (``ends_at - starts_at``), summed in minutes and
turned into hours once, so the total is exactly the sum of the rows. Only what happened
counts: attended (not booked) sessions, facilitated clinics that were not cancelled and have
ended. Access: the lead reads their own; a coordinator reads any practice lead's
(``get_cpd_lead_for`` returns the person or raises).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from accounts.models import Role, User
from clinics.models import Clinic, ReflectiveAttendance
from clinics.models.occurrences import OccurrenceBase, OccurrenceStatus

ATTENDED = "Reflective session attended"
FACILITATED = "Clinic facilitated"
CSV_HEADER = ["Date", "Activity", "Title", "Start", "End", "Hours"]


def get_cpd_lead_for(user, pk: int) -> User:
    """The practice lead whose record ``user`` may read: themselves, or anyone for a coordinator.
    Another lead's record is a 404 (we do not confirm who is a lead); others are refused."""
    if not (user.has_role(Role.PRACTICE_LEAD) or user.has_role(Role.COORDINATOR)):
        raise PermissionDenied("CPD records are for practice leads and coordinators.")
    if pk != user.pk and not user.has_role(Role.COORDINATOR):
        raise Http404("No such CPD record")
    lead = User.objects.filter(pk=pk, role_grants__role=Role.PRACTICE_LEAD).first()
    if lead is None:
        raise Http404("No such practice lead")
    return lead


def _minutes(occurrence: OccurrenceBase) -> int:
    return int((occurrence.ends_at - occurrence.starts_at).total_seconds() // 60)


def _hours(minutes: int) -> Decimal:
    return (Decimal(minutes) / 60).quantize(Decimal("0.01"))


@dataclass(frozen=True)
class CpdEntry:
    day: date
    activity: str
    title: str
    starts_at: datetime
    ends_at: datetime
    minutes: int

    @property
    def hours(self) -> Decimal:
        return _hours(self.minutes)


@dataclass(frozen=True)
class CpdRecord:
    lead: User
    entries: list[CpdEntry]

    def _total(self, activity: str | None = None) -> Decimal:
        return _hours(sum(e.minutes for e in self.entries if activity in (None, e.activity)))

    @property
    def total_hours(self) -> Decimal:
        return self._total()

    @property
    def attended_hours(self) -> Decimal:
        return self._total(ATTENDED)

    @property
    def facilitated_hours(self) -> Decimal:
        return self._total(FACILITATED)

    def csv_rows(self) -> list[list[str]]:
        rows = [CSV_HEADER]
        for e in self.entries:
            start, end = timezone.localtime(e.starts_at), timezone.localtime(e.ends_at)
            rows.append([e.day.isoformat(), e.activity, e.title, f"{start:%H:%M}", f"{end:%H:%M}", str(e.hours)])
        rows.append(["", "Total", "", "", "", str(self.total_hours)])
        return rows


def cpd_record(lead: User, *, now: datetime | None = None) -> CpdRecord:
    """Everything ``lead`` can claim, oldest first (two queries)."""
    now = now or timezone.now()
    attended = ReflectiveAttendance.objects.filter(
        lead=lead, status=ReflectiveAttendance.Status.ATTENDED, session__status=OccurrenceStatus.SCHEDULED
    ).select_related("session")
    clinics = Clinic.objects.filter(facilitators=lead, status=OccurrenceStatus.SCHEDULED, ends_at__lte=now)
    entries = [_entry(a.session, ATTENDED) for a in attended] + [_entry(c, FACILITATED) for c in clinics]
    return CpdRecord(lead, sorted(entries, key=lambda e: e.starts_at))


def _entry(occurrence: OccurrenceBase, activity: str) -> CpdEntry:
    return CpdEntry(
        day=timezone.localtime(occurrence.starts_at).date(),
        activity=activity,
        title=occurrence.title,
        starts_at=occurrence.starts_at,
        ends_at=occurrence.ends_at,
        minutes=_minutes(occurrence),
    )
