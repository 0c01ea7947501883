"""Coordinator: setting up clinic series and reflective series, moving and cancelling one date."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from itertools import pairwise

import pytest
import time_machine
from django.urls import reverse

from clinics.booking import waiting_list
from clinics.models import Clinic, ClinicSeries, ConsultationRequest, ReflectiveSeries, ReflectiveSession
from clinics.recurrence import LONDON, is_bank_holiday
from clinics.reflective_scheduling import generate_reflective_sessions
from clinics.scheduling import generate_occurrences
from tests.factories import book, make_series, make_user

pytestmark = pytest.mark.django_db
Status = ConsultationRequest.Status


def series_post(lead, **overrides) -> dict:
    data = {
        "title": "Monthly CSA consultation clinic",
        "description": "",
        "frequency": "monthly",
        "ordinal": "1",
        "weekday": "MO",
        "interval_weeks": "",
        "starts_on_day": "1",
        "starts_on_month": "1",
        "starts_on_year": "2026",
        "ends_on_day": "",
        "ends_on_month": "",
        "ends_on_year": "",
        "start_time": "10:00",
        "slot_count": "3",
        "slot_minutes": "45",
        "break_minutes": "5",
        "mode": "online",
        "online_link": "https://meet.example.org/csa",
        "venue": "",
        "access": "multi",
        "facilitators": [lead.pk],
        "booking_opens_weeks": "12",
        "booking_closes_hours": "24",
        "change_cutoff_hours": "24",
        "skip_bank_holidays": "on",
    }
    data.update(overrides)
    return data


@time_machine.travel(datetime(2025, 12, 1, 9, 0, tzinfo=LONDON), tick=False)
def test_creating_a_series_generates_dates_skipping_bank_holidays(client, coordinator, lead):
    client.force_login(coordinator)
    # First Monday of each month in 2026: 5 January ... 4 May is the early May bank holiday.
    response = client.post(reverse("clinics:series_new"), series_post(lead))
    series = ClinicSeries.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("clinics:series_detail", args=[series.pk])
    assert series.rrule == "FREQ=MONTHLY;BYDAY=+1MO"
    assert series.created_by == coordinator
    days = sorted(series.clinics.values_list("original_date", flat=True))
    assert date(2026, 1, 5) in days and date(2026, 4, 6) not in days  # 6 April 2026 is Easter Monday
    assert date(2026, 5, 4) not in days and date(2026, 6, 1) in days
    assert not any(is_bank_holiday(d) for d in days)
    clinic = series.clinics.get(original_date=date(2026, 1, 5))
    assert clinic.slots.count() == 3
    assert list(clinic.facilitators.all()) == [lead]
    page = client.get(response["Location"])
    assert "Mon 5 Jan 2026" in page.content.decode()


@time_machine.travel(datetime(2025, 12, 1, 9, 0, tzinfo=LONDON), tick=False)
def test_every_n_weeks_series_is_built_from_the_friendly_fields(client, coordinator, lead):
    client.force_login(coordinator)
    data = series_post(lead, frequency="weekly", ordinal="", weekday="TH", interval_weeks="6", mode="in_person",
                       online_link="", venue="Civic Centre, Room 4")
    assert client.post(reverse("clinics:series_new"), data).status_code == 302
    series = ClinicSeries.objects.get()
    assert series.rrule == "FREQ=WEEKLY;INTERVAL=6;BYDAY=TH"
    assert series.venue == "Civic Centre, Room 4" and series.online_link == ""
    days = sorted(series.clinics.values_list("original_date", flat=True))
    # Thursday 1 January 2026 is New Year's Day, so the first clinic is six weeks later.
    assert days[:2] == [date(2026, 2, 12), date(2026, 3, 26)]
    assert all((b - a) % timedelta(weeks=6) == timedelta(0) for a, b in pairwise(days))


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"mode": "online", "online_link": ""}, "online_link", "Enter the link for the online meeting"),
        ({"mode": "in_person", "venue": ""}, "venue", "Enter the venue"),
        ({"starts_on_day": "31", "starts_on_month": "2"}, "starts_on", "must be a real date"),
        ({"frequency": "weekly", "interval_weeks": ""}, "interval_weeks", "how many weeks apart"),
        ({"access": "single"}, "agency_types", "Select the agency types"),
        ({"ends_on_day": "1", "ends_on_month": "1", "ends_on_year": "2025"}, "ends_on", "after the start date"),
        ({"slot_count": "0"}, "slot_count", "greater than or equal to 1"),
    ],
)
def test_invalid_series_shows_error_summary_and_saves_nothing(client, coordinator, lead, overrides, field, message):
    client.force_login(coordinator)
    response = client.post(reverse("clinics:series_new"), series_post(lead, **overrides))
    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in html and message in html
    assert f'href="#id_{field}' in html
    assert ClinicSeries.objects.count() == 0 and Clinic.objects.count() == 0


def test_edit_shows_the_friendly_recurrence_and_rebuilds_only_unrequested_dates(client, coordinator, lead, practitioner):
    with time_machine.travel(datetime(2025, 12, 1, 9, 0, tzinfo=LONDON), tick=False):
        series = make_series(facilitators=[lead], starts_on=date(2025, 12, 1), rrule="FREQ=MONTHLY;BYDAY=+2TU")
        generate_occurrences(series)
        booked_clinic = series.clinics.order_by("starts_at").first()
        book(practitioner, booked_clinic)
        client.force_login(coordinator)
        form_page = client.get(reverse("clinics:series_edit", args=[series.pk])).content.decode()
        assert 'value="2" selected' in form_page and 'value="TU" selected' in form_page
        data = series_post(lead, weekday="WE", ordinal="3", active="on", starts_on_month="12", starts_on_year="2025")
        assert client.post(reverse("clinics:series_edit", args=[series.pk]), data).status_code == 302
    series.refresh_from_db()
    assert series.rrule == "FREQ=MONTHLY;BYDAY=+3WE"
    weekdays = {c.starts_at.astimezone(LONDON).weekday() for c in series.clinics.exclude(pk=booked_clinic.pk)}
    assert weekdays == {2}
    # The date someone booked keeps its time.
    assert Clinic.objects.filter(pk=booked_clinic.pk, original_date=booked_clinic.original_date).exists()


# Fixed time: the first generated date must still be open for booking whatever today is.
@time_machine.travel(datetime(2025, 12, 1, 9, 0, tzinfo=LONDON), tick=False)
def test_moving_one_date_leaves_the_others_and_tells_its_bookings(client, coordinator, lead, practitioner, other_practitioner):
    series = make_series(facilitators=[lead])
    first, second = (generate_occurrences(series) or [])[:2]
    mine = book(practitioner, first).request
    theirs = book(other_practitioner, second).request
    before_second = second.starts_at
    local = first.starts_at.astimezone(LONDON) + timedelta(days=1)
    client.force_login(coordinator)
    response = client.post(
        reverse("clinics:clinic_move", args=[first.pk]),
        {"new_date_day": local.day, "new_date_month": local.month, "new_date_year": local.year, "new_time": "14:00"},
        follow=True,
    )
    assert "1 booking was told" in response.content.decode()
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.starts_at == datetime.combine(local.date(), time(14, 0), tzinfo=LONDON)
    assert first.moved_at is not None
    assert second.starts_at == before_second and second.moved_at is None
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert (mine.status, mine.calendar_sequence) == (Status.BOOKED, 1)
    assert theirs.calendar_sequence == 0


def test_move_to_the_past_is_refused_with_a_reason(client, coordinator, clinic):
    client.force_login(coordinator)
    before = clinic.starts_at
    response = client.post(
        reverse("clinics:clinic_move", args=[clinic.pk]),
        {"new_date_day": "1", "new_date_month": "1", "new_date_year": "2020", "new_time": "10:00"},
    )
    assert "The new date must be in the future" in response.content.decode()
    clinic.refresh_from_db()
    assert clinic.starts_at == before


# Fixed time: the first generated date must still be open for booking whatever today is.
@time_machine.travel(datetime(2025, 12, 1, 9, 0, tzinfo=LONDON), tick=False)
def test_cancelling_one_date_cancels_its_requests_only(client, coordinator, lead, practitioner, other_practitioner):
    series = make_series(facilitators=[lead])
    first, second = generate_occurrences(series)[:2]
    mine = book(practitioner, first).request
    theirs = book(other_practitioner, second).request
    client.force_login(coordinator)
    url = reverse("clinics:clinic_cancel", args=[first.pk])
    assert "1 request is booked" in client.get(url).content.decode()
    empty = client.post(url, {"reason": "  "})
    assert "Enter why this date is cancelled" in empty.content.decode()
    first.refresh_from_db()
    assert first.status == Clinic.Status.SCHEDULED
    response = client.post(url, {"reason": "Practice leads at training"}, follow=True)
    assert "Clinic cancelled: 1 booking was told" in response.content.decode()
    first.refresh_from_db()
    second.refresh_from_db()
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert first.status == Clinic.Status.CANCELLED and first.status_reason == "Practice leads at training"
    assert second.status == Clinic.Status.SCHEDULED
    assert (mine.status, mine.calendar_sequence) == (Status.CANCELLED, 1)
    assert (theirs.status, theirs.calendar_sequence) == (Status.BOOKED, 0)
    again = client.post(url, {"reason": "Twice"})
    assert "already cancelled" in again.content.decode()


# Fixed time: the first generated date must still be open for booking whatever today is.
@time_machine.travel(datetime(2025, 12, 1, 9, 0, tzinfo=LONDON), tick=False)
def test_cancel_tells_people_on_the_waiting_list_too(client, coordinator, lead):
    series = make_series(facilitators=[lead], slot_count=1)
    clinic = generate_occurrences(series)[0]
    people = [make_user(f"p{i}@council.gov.uk", f"Practitioner {i}") for i in range(3)]
    for person in people:
        book(person, clinic)
    assert waiting_list(clinic).count() == 2
    client.force_login(coordinator)
    response = client.post(reverse("clinics:clinic_cancel", args=[clinic.pk]), {"reason": "Venue closed"}, follow=True)
    assert "3 bookings were told" in response.content.decode()
    assert set(ConsultationRequest.objects.values_list("status", flat=True)) == {Status.CANCELLED}


@time_machine.travel(datetime(2025, 12, 1, 9, 0, tzinfo=LONDON), tick=False)
def test_reflective_series_generates_sessions_every_six_weeks(client, coordinator):
    client.force_login(coordinator)
    data = {
        "title": "Practice lead reflective session", "frequency": "weekly", "weekday": "TH", "interval_weeks": "6",
        "ordinal": "", "starts_on_day": "4", "starts_on_month": "12", "starts_on_year": "2025", "start_time": "14:00",
        "duration_minutes": "120", "capacity": "10", "mode": "online", "online_link": "https://meet.example.org/r",
        "venue": "", "skip_bank_holidays": "on",
    }
    response = client.post(reverse("clinics:reflective_series_new"), data)
    assert response.status_code == 302
    series = ReflectiveSeries.objects.get()
    days = list(series.sessions.order_by("starts_at").values_list("original_date", flat=True))
    assert days[:3] == [date(2025, 12, 4), date(2026, 1, 15), date(2026, 2, 26)]
    session = series.sessions.first()
    assert session.starts_at == datetime(2025, 12, 4, 14, 0, tzinfo=LONDON)
    assert session.ends_at - session.starts_at == timedelta(hours=2)
    assert "Practice lead reflective session" in client.get(reverse("clinics:reflective_series_list")).content.decode()


def test_reflective_generation_is_idempotent_and_keeps_its_rhythm(coordinator):
    series = ReflectiveSeries.objects.create(
        title="Reflective", rrule="FREQ=WEEKLY;INTERVAL=6;BYDAY=TH", starts_on=date(2025, 12, 4), start_time=time(14, 0),
    )
    first = generate_reflective_sessions(series, now=datetime(2025, 12, 1, tzinfo=LONDON))
    # A month later, the generator must not shift the six-week rhythm to start from "today".
    later = generate_reflective_sessions(series, now=datetime(2026, 1, 5, tzinfo=LONDON))
    assert first and all(s.original_date not in {f.original_date for f in first} for s in later)
    days = sorted(ReflectiveSession.objects.values_list("original_date", flat=True))
    assert all((d - date(2025, 12, 4)).days % 42 == 0 for d in days)
    assert generate_reflective_sessions(series, now=datetime(2026, 1, 5, tzinfo=LONDON)) == []
