"""A practice lead's CPD record: hours add up from attendance and facilitation; the lead
downloads their own, a coordinator anyone's."""

from __future__ import annotations

import csv
import io
from datetime import datetime, time, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from clinics.cpd import ATTENDED, FACILITATED, cpd_record
from clinics.models import ReflectiveAttendance, ReflectiveSession
from clinics.recurrence import LONDON
from clinics.scheduling import cancel_clinic
from tests.factories import make_clinic

pytestmark = pytest.mark.django_db
Status = ReflectiveAttendance.Status


def past_session(days_ago: int, minutes: int = 120, **fields) -> ReflectiveSession:
    day = timezone.localdate() - timedelta(days=days_ago)
    starts = datetime.combine(day, time(14, 0), tzinfo=LONDON)
    return ReflectiveSession.objects.create(
        original_date=day, title="Practice leads' reflective session", starts_at=starts,
        ends_at=starts + timedelta(minutes=minutes), capacity=8, **fields,
    )


def past_clinic(days_ago: int, lead, capacity: int = 3):
    day = timezone.localdate() - timedelta(days=days_ago)
    return make_clinic(starts_at=datetime.combine(day, time(10, 0), tzinfo=LONDON), capacity=capacity, facilitators=[lead])


@pytest.fixture
def history(lead, other_lead, coordinator):
    two_hours = past_session(40)
    ninety = past_session(10, minutes=90)
    missed = past_session(20)
    ReflectiveAttendance.objects.create(session=two_hours, lead=lead, status=Status.ATTENDED)
    ReflectiveAttendance.objects.create(session=ninety, lead=lead, status=Status.ATTENDED)
    ReflectiveAttendance.objects.create(session=missed, lead=lead, status=Status.BOOKED)  # booked, did not come
    past_clinic(30, lead, capacity=3)  # 3 slots of 45 and 2 breaks of 5: 145 minutes
    cancelled = past_clinic(25, lead)
    cancel_clinic(cancelled, by=coordinator, reason="Snow")
    past_clinic(5, other_lead)  # someone else's
    make_clinic(facilitators=[lead])  # still to come
    return lead


def test_hours_add_up_from_attendance_and_facilitation(history):
    record = cpd_record(history)
    assert [e.activity for e in record.entries] == [ATTENDED, FACILITATED, ATTENDED]
    assert record.attended_hours == Decimal("3.50")
    assert record.facilitated_hours == Decimal("2.42")  # 145 minutes
    assert record.total_hours == Decimal("5.92")  # 355 minutes, summed before rounding
    assert [e.day for e in record.entries] == sorted(e.day for e in record.entries)


def test_the_csv_has_one_row_per_activity_and_the_total(client, history):
    client.force_login(history)
    response = client.get(reverse("clinics:cpd_csv", args=[history.pk]))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["Date", "Activity", "Title", "Start", "End", "Hours"]
    assert [r[5] for r in rows[1:-1]] == ["2.00", "2.42", "1.50"]
    assert rows[-1][1:] == ["Total", "", "", "", "5.92"]


def test_the_lead_reads_their_own_record_and_a_coordinator_anyones(client, history, other_lead, coordinator, manager):
    client.force_login(history)
    page = client.get(reverse("clinics:my_cpd"))
    assert page.status_code == 200 and "5.92" in page.content.decode()
    client.force_login(coordinator)
    assert client.get(reverse("clinics:cpd", args=[history.pk])).status_code == 200
    assert client.get(reverse("clinics:cpd_csv", args=[history.pk])).status_code == 200
    client.force_login(other_lead)
    assert client.get(reverse("clinics:cpd", args=[history.pk])).status_code == 404
    assert client.get(reverse("clinics:cpd_csv", args=[history.pk])).status_code == 404
    client.force_login(manager)
    assert client.get(reverse("clinics:cpd_csv", args=[history.pk])).status_code == 403


def test_a_coordinator_asking_for_someone_who_is_not_a_lead_gets_404(client, coordinator, practitioner):
    client.force_login(coordinator)
    assert client.get(reverse("clinics:cpd", args=[practitioner.pk])).status_code == 404


def test_the_page_has_a_print_stylesheet_for_a4(client, history):
    from django.contrib.staticfiles import finders

    client.force_login(history)
    page = client.get(reverse("clinics:my_cpd")).content.decode()
    assert "clinics/programme.css" in page
    with open(finders.find("clinics/programme.css")) as css:
        text = css.read()
    assert "@media print" in text and "size: A4" in text
