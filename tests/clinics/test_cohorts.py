"""Programme cohorts: each lead's attendance across the cohort's programme days, and the leads
who missed the last N days flagged for the coordinator."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from clinics.cohorts import cohort_attendance
from clinics.models import Cohort, ReflectiveAttendance, ReflectiveSeries, ReflectiveSession
from clinics.recurrence import LONDON
from tests.factories import make_user

pytestmark = pytest.mark.django_db
Status = ReflectiveAttendance.Status


@pytest.fixture
def programme(db) -> ReflectiveSeries:
    return ReflectiveSeries.objects.create(
        title="Practice leads programme", rrule="FREQ=MONTHLY;BYDAY=+1WE", starts_on=date(2026, 1, 1),
        start_time=time(9, 30), duration_minutes=360, capacity=20,
    )


def day(series: ReflectiveSeries, months_ago: int, **fields) -> ReflectiveSession:
    on = (timezone.localdate().replace(day=1) - timedelta(days=1)).replace(day=10) if months_ago else timezone.localdate()
    for _ in range(months_ago - 1):
        on = (on.replace(day=1) - timedelta(days=1)).replace(day=10)
    if months_ago == 0:
        on = timezone.localdate() + timedelta(days=20)
    starts = datetime.combine(on, time(9, 30), tzinfo=LONDON)
    return ReflectiveSession.objects.create(
        series=series, original_date=on, title=series.title, starts_at=starts, ends_at=starts + timedelta(hours=6),
        capacity=20, **fields,
    )


@pytest.fixture
def cohort(programme):
    sessions = [day(programme, m) for m in (4, 3, 2, 1, 0)]  # four held, one to come
    steady, lapsed, returning = (make_user(f"lead{i}@council.gov.uk", f"Lead {i}", roles=["practice_lead"])
                                 for i in (31, 32, 33))
    marks = {
        steady: [Status.ATTENDED, Status.ATTENDED, Status.APOLOGIES, Status.ATTENDED],
        lapsed: [Status.ATTENDED, Status.ATTENDED, Status.APOLOGIES, Status.BOOKED],  # booked, did not come
        returning: [Status.APOLOGIES, Status.APOLOGIES, None, Status.ATTENDED],
    }
    for lead, statuses in marks.items():
        for session, status in zip(sessions, statuses, strict=False):
            if status:
                ReflectiveAttendance.objects.create(session=session, lead=lead, status=status)
    start = sessions[0].original_date.replace(day=1)
    cohort = Cohort.objects.create(name="Cohort 1", start_month=start, programme=programme,
                                   organisations="Council A\nHealth trust B")
    cohort.members.set([steady, lapsed, returning])
    return cohort


def test_each_leads_attendance_across_the_programme(cohort):
    attendance = cohort_attendance(cohort)
    assert len(attendance.sessions) == 5
    by_name = {r.lead.full_name: r for r in attendance.rows}
    assert [(by_name[n].attended, by_name[n].held) for n in ("Lead 31", "Lead 32", "Lead 33")] == [(3, 4), (2, 4), (1, 4)]
    assert by_name["Lead 33"].cells == ["apologies", "apologies", "", "attended", "upcoming"]


def test_leads_who_missed_the_last_two_days_are_flagged(cohort):
    assert [r.lead.full_name for r in cohort_attendance(cohort).flagged] == ["Lead 32"]


def test_the_number_of_days_is_the_cohorts_own_setting(cohort):
    cohort.missed_flag_after = 1
    assert [r.lead.full_name for r in cohort_attendance(cohort).flagged] == ["Lead 32"]
    cohort.missed_flag_after = 3
    assert cohort_attendance(cohort).flagged == []


def test_cancelled_days_and_days_before_the_start_month_do_not_count(cohort, programme):
    early = day(programme, 8)
    ReflectiveAttendance.objects.create(session=early, lead=cohort.members.first(), status=Status.APOLOGIES)
    cancelled = cohort_attendance(cohort).sessions[-2]
    cancelled.status = "cancelled"
    cancelled.save()
    attendance = cohort_attendance(cohort)
    assert early not in attendance.sessions and cancelled not in attendance.sessions
    # Without the cancelled day, Lead 32 last missed only one day, and Lead 33 (who came on
    # the cancelled day's register) has now missed every held day.
    assert [r.lead.full_name for r in attendance.flagged] == ["Lead 33"]


def test_the_attendance_page_shows_the_grid_and_the_flag(client, coordinator, cohort):
    client.force_login(coordinator)
    page = client.get(reverse("clinics:cohort_detail", args=[cohort.pk])).content.decode()
    assert "Missed the last 2 programme days: Lead 32" in page
    assert "Booked, did not attend" in page and "Health trust B" in page
    listing = client.get(reverse("clinics:cohort_list")).content.decode()
    assert "Cohort 1" in listing


def test_a_coordinator_sets_up_a_cohort(client, coordinator, programme, lead, other_lead):
    client.force_login(coordinator)
    response = client.post(reverse("clinics:cohort_new"), {
        "name": "Cohort 2", "start_month_day": "15", "start_month_month": "9", "start_month_year": "2026",
        "organisations": "Council A", "programme": programme.pk, "sessions_planned": "10",
        "session_format": "Half teaching, half reflective", "missed_flag_after": "2", "members": [lead.pk, other_lead.pk],
    })
    assert response.status_code == 302, response.content.decode()[:3000]
    cohort = Cohort.objects.get(name="Cohort 2")
    assert cohort.start_month == date(2026, 9, 1)
    assert set(cohort.members.all()) == {lead, other_lead}
    assert cohort.created_by == coordinator
