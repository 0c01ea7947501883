"""A cohort's attendance across its programme, and the leads who have stopped coming.

A lead *missed* a programme day that has taken place (and was not cancelled) unless the
register shows them as attended: apologies, booked-but-absent and never-registered all count
as missed, because each means the lead was not in the room. A lead is *flagged* when they
missed each of the last ``missed_flag_after`` days that have taken place (default 2), so the
coordinator can get in touch before the role lapses. Two queries whatever the cohort's size.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import User
from clinics.locking import lock_or_busy
from clinics.models import Cohort, ReflectiveAttendance, ReflectiveSession
from clinics.models.occurrences import OccurrenceStatus

Place = ReflectiveAttendance.Status


def programme_sessions(cohort: Cohort) -> QuerySet[ReflectiveSession]:
    """The cohort's programme days: its series' sessions from the start month, not cancelled."""
    return ReflectiveSession.objects.filter(
        series_id=cohort.programme_id, status=OccurrenceStatus.SCHEDULED, original_date__gte=cohort.start_month
    ).order_by("starts_at")[: cohort.sessions_planned]


@dataclass(frozen=True)
class LeadAttendance:
    lead: User
    cells: list[str]  # per programme day: a ReflectiveAttendance status, "" when not registered, "upcoming"
    attended: int
    held: int  # days that have taken place
    flagged: bool

    @property
    def missed(self) -> int:
        return self.held - self.attended


@dataclass(frozen=True)
class CohortAttendance:
    cohort: Cohort
    sessions: list[ReflectiveSession]
    rows: list[LeadAttendance]

    @property
    def flagged(self) -> list[LeadAttendance]:
        return [r for r in self.rows if r.flagged]


def cohort_attendance(cohort: Cohort, *, now: datetime | None = None) -> CohortAttendance:
    now = now or timezone.now()
    sessions = list(programme_sessions(cohort))
    held = [s for s in sessions if s.ends_at <= now]
    members = list(cohort.members.order_by("full_name", "email"))
    status = {
        (a.session_id, a.lead_id): a.status
        for a in ReflectiveAttendance.objects.filter(session__in=sessions, lead__in=members).only(
            "session_id", "lead_id", "status"
        )
    }
    rows = []
    n = cohort.missed_flag_after
    for lead in members:
        came = [status.get((s.pk, lead.pk)) == Place.ATTENDED for s in held]
        cells = [status.get((s.pk, lead.pk), "") if s.ends_at <= now else "upcoming" for s in sessions]
        flagged = len(came) >= n and not any(came[-n:])
        rows.append(LeadAttendance(lead, cells, sum(came), len(held), flagged))
    return CohortAttendance(cohort, sessions, rows)


def save_cohort(cohort: Cohort, *, by, members: Iterable[User]) -> Cohort:
    """Create or change a cohort and who is in it."""
    with transaction.atomic():
        if cohort.pk:
            lock_or_busy(Cohort, cohort.pk, what="this cohort")
        if cohort.created_by_id is None:
            cohort.created_by = by
        cohort.start_month = cohort.start_month.replace(day=1)
        cohort.save()
        cohort.members.set(list(members))
        return cohort
