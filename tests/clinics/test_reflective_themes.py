"""Managers see reflective attendance by cohort and month, and the topics discussed, with the
clinic themes' small-number rule; never a note or a check-in."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from clinics.models import Cohort, FormOfAbuse, PathwayStage, ReflectiveAttendance, ReflectiveSeries, ReflectiveSession
from clinics.recurrence import LONDON
from clinics.reflective_themes import ReflectiveThemes
from clinics.themes import ThemesFilter
from tests.factories import make_user

pytestmark = pytest.mark.django_db
Status = ReflectiveAttendance.Status


@pytest.fixture
def data(db):
    series = ReflectiveSeries.objects.create(title="Programme", rrule="FREQ=MONTHLY;BYDAY=+1WE",
                                             starts_on=date(2026, 1, 1), start_time=time(9, 30))
    today = timezone.localdate()
    sessions = []
    for weeks in (10, 6):
        on = today - timedelta(weeks=weeks)
        starts = datetime.combine(on, time(9, 30), tzinfo=LONDON)
        sessions.append(ReflectiveSession.objects.create(
            series=series, original_date=on, title="Programme day", starts_at=starts,
            ends_at=starts + timedelta(hours=6), capacity=30, notes="Discussed Child A and a sibling case",
        ))
    big = [make_user(f"lead{i}@council.gov.uk", f"Lead {i}", roles=["practice_lead"]) for i in range(50, 58)]
    small = big[:3]
    for lead in big:
        ReflectiveAttendance.objects.create(session=sessions[0], lead=lead, status=Status.ATTENDED)
    for lead in small:
        ReflectiveAttendance.objects.create(session=sessions[1], lead=lead, status=Status.ATTENDED)
    start = min(s.original_date for s in sessions).replace(day=1)
    one = Cohort.objects.create(name="Cohort 1", start_month=start, programme=series)
    one.members.set(big)
    two = Cohort.objects.create(name="Cohort 2", start_month=start, programme=series)
    two.members.set(small)
    sibling = FormOfAbuse.objects.get(slug="sibling")
    for s in sessions:
        s.themes.add(sibling)
    sessions[0].stages.add(PathwayStage.objects.first())
    return sessions


def cells(table) -> dict[str, list[str]]:
    return {r.label: [str(c) for c in r.cells] for r in table.rows}


def test_attendance_by_cohort_hides_small_numbers(data):
    table = ReflectiveThemes(ThemesFilter.default()).cohorts()
    assert cells(table) == {"Cohort 1": ["8", "11"], "Cohort 2": ["fewer than 5", "6"]}


def test_attendance_by_month_protects_the_total(data):
    table = ReflectiveThemes(ThemesFilter.default()).months()
    values = cells(table)
    assert values["Total"] == ["11"]
    months = [v for k, v in values.items() if k != "Total"]
    if len(months) == 2:  # the two days fell in different months: 8 and 3 with a total of 11
        assert sorted(m[0] for m in months) == ["fewer than 5", "not shown"]


def test_topics_count_sessions_under_the_same_rule(data):
    dashboard = ReflectiveThemes(ThemesFilter.default())
    assert cells(dashboard.forms())["Sibling sexual abuse"] == ["fewer than 5"]
    assert all(v == ["0"] for k, v in cells(dashboard.forms()).items() if k != "Sibling sexual abuse")


def test_the_page_never_shows_notes_and_costs_a_fixed_number_of_queries(client, manager, data):
    client.force_login(manager)
    client.get(reverse("clinics:reflective_themes"))  # warm the session and caches
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("clinics:reflective_themes"))
    assert page.status_code == 200
    assert "Child A" not in page.content.decode()
    assert len(queries) <= 15


def test_each_table_downloads_as_csv(client, manager, data):
    client.force_login(manager)
    response = client.get(reverse("clinics:reflective_themes_csv"), {"table": "cohorts"})
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows == [["Cohort", "Practice leads", "Attendances at programme days"], ["Cohort 1", "8", "11"],
                    ["Cohort 2", "fewer than 5", "6"]]
    assert client.get(reverse("clinics:reflective_themes_csv"), {"table": "nope"}).status_code == 400
