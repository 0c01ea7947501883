"""Coordinators manage reflective series like clinic series: edit the series, move or cancel
one session (everyone booked gets an updated invite or a CANCEL: same UID, higher SEQUENCE),
and a waiting list served in order when a session is full."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import icalendar
import pytest
from django.urls import reverse
from django.utils import timezone

from clinics.models import ReflectiveAttendance, ReflectiveSeries, ReflectiveSession
from clinics.recurrence import LONDON
from clinics.reflective import book_place, send_apologies
from clinics.reflective_scheduling import cancel_session, generate_reflective_sessions, move_session
from clinics.reflective_waitlist import accept_place, decline_place, expire_place_offers, waitlist_position
from clinics.refusal import Refused
from notifications.models import Message
from tests.factories import make_user

pytestmark = pytest.mark.django_db
Status = ReflectiveAttendance.Status


def make_reflective_series(**overrides) -> ReflectiveSeries:
    fields = {
        "title": "Practice leads' reflective session",
        "rrule": "FREQ=WEEKLY;INTERVAL=6;BYDAY=TH",
        "starts_on": timezone.localdate() + timedelta(days=3),
        "start_time": time(14, 0),
        "capacity": 2,
        "online_link": "https://meet.example.org/reflective",
    } | overrides
    return ReflectiveSeries.objects.create(**fields)


def leads(n: int, start: int = 20) -> list:
    return [make_user(f"lead{i}@council.gov.uk", f"Lead {i}", roles=["practice_lead"]) for i in range(start, start + n)]


def invites_of(entry: ReflectiveAttendance) -> list[Message]:
    return list(Message.objects.filter(calendar_uid=entry.calendar_uid).exclude(calendar_method="").order_by("pk"))


def ics_event(message: Message):
    calendar = icalendar.Calendar.from_ical(message.ics)
    return str(calendar["METHOD"]), next(iter(calendar.walk("VEVENT")))


@pytest.fixture
def series(db):
    return make_reflective_series()


@pytest.fixture
def session(series) -> ReflectiveSession:
    return generate_reflective_sessions(series)[0]


def test_moving_a_session_sends_everyone_booked_an_updated_invite_with_the_same_uid(coordinator, session):
    first, second = leads(2)
    entries = [book_place(session, first), book_place(session, second)]
    new_start = session.starts_at + timedelta(days=1, hours=1)
    assert move_session(session, new_start, by=coordinator) == 2
    for entry in entries:
        booked, moved = invites_of(entry)
        assert moved.kind == "reflective_changed"
        method, event = ics_event(moved)
        assert method == "REQUEST"
        assert str(event["UID"]) == entry.calendar_uid == moved.calendar_uid == booked.calendar_uid
        assert int(event["SEQUENCE"]) > booked.calendar_sequence
        assert event.decoded("DTSTART") == new_start.astimezone(LONDON)
    session.refresh_from_db()
    assert session.moved_at is not None and session.ends_at - session.starts_at == timedelta(hours=2)


def test_cancelling_a_session_sends_a_calendar_cancel_and_releases_everyone(coordinator, session):
    first, second, third = leads(3)
    booked = [book_place(session, first), book_place(session, second)]
    waiting = book_place(session, third)
    assert waiting.status == Status.WAITLISTED
    assert cancel_session(session, by=coordinator, reason="Facilitator unwell") == 3
    session.refresh_from_db()
    assert (session.status, session.status_reason) == ("cancelled", "Facilitator unwell")
    for entry in booked:
        invite, cancel = invites_of(entry)
        method, event = ics_event(cancel)
        assert method == "CANCEL" and str(event["UID"]) == entry.calendar_uid
        assert int(event["SEQUENCE"]) > invite.calendar_sequence
        assert "Facilitator unwell" not in cancel.body_text  # the free-text reason stays on screens
    assert set(ReflectiveAttendance.objects.values_list("status", flat=True)) == {Status.CANCELLED}
    # The waiting lead held no invite, so they are told without a calendar file.
    told = Message.objects.filter(to_email=third.email, kind="reflective_cancelled").get()
    assert told.calendar_method == ""
    with pytest.raises(Refused, match="already cancelled"):
        cancel_session(session, by=coordinator, reason="Again")


def test_move_then_cancel_keeps_the_uid_and_raises_the_sequence_each_time(coordinator, session):
    [lead] = leads(1)
    entry = book_place(session, lead)
    move_session(session, session.starts_at + timedelta(days=2), by=coordinator)
    cancel_session(session, by=coordinator, reason="Room unavailable")
    sequences = [m.calendar_sequence for m in invites_of(entry)]
    methods = [m.calendar_method for m in invites_of(entry)]
    assert methods == ["REQUEST", "REQUEST", "CANCEL"]
    assert sequences == sorted(set(sequences))  # strictly rising
    assert {m.calendar_uid for m in invites_of(entry)} == {entry.calendar_uid}


def test_editing_the_series_link_updates_booked_sessions_and_sends_updated_invites(client, coordinator, series, session):
    [lead] = leads(1)
    entry = book_place(session, lead)
    untouched = series.sessions.exclude(pk=session.pk).count()
    client.force_login(coordinator)
    local = series.starts_on
    response = client.post(reverse("clinics:reflective_series_edit", args=[series.pk]), {
        "title": series.title, "frequency": "weekly", "weekday": "TH", "interval_weeks": "6",
        "starts_on_day": local.day, "starts_on_month": local.month, "starts_on_year": local.year,
        "start_time": "14:00", "duration_minutes": "120", "capacity": "4", "mode": "online",
        "online_link": "https://meet.example.org/new-room", "facilitators": [lead.pk], "skip_bank_holidays": "on",
        "active": "on",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    session.refresh_from_db()
    assert (session.online_link, session.capacity) == ("https://meet.example.org/new-room", 4)
    assert list(session.facilitators.all()) == [lead]
    booked, changed = invites_of(entry)
    assert changed.kind == "reflective_changed" and changed.calendar_sequence > booked.calendar_sequence
    assert "new-room" in ics_event(changed)[1]["LOCATION"]
    # Unbooked future sessions were regenerated from the new settings.
    assert series.sessions.exclude(pk=session.pk).count() == untouched
    assert set(series.sessions.values_list("online_link", flat=True)) == {"https://meet.example.org/new-room"}


def test_the_coordinator_moves_one_session_from_its_page(client, coordinator, session):
    [lead] = leads(1)
    book_place(session, lead)
    day = timezone.localtime(session.starts_at).date() + timedelta(days=1)
    client.force_login(coordinator)
    response = client.post(
        reverse("clinics:reflective_session_move", args=[session.pk]),
        {"new_date_day": day.day, "new_date_month": day.month, "new_date_year": day.year, "new_time": "10:00"},
        follow=True,
    )
    assert "1 practice lead was told" in response.content.decode()
    session.refresh_from_db()
    assert session.starts_at == datetime.combine(day, time(10, 0), tzinfo=LONDON)


def test_the_coordinator_cancels_one_session_with_a_reason(client, coordinator, session):
    client.force_login(coordinator)
    page = client.get(reverse("clinics:reflective_session_cancel", args=[session.pk])).content.decode()
    assert "Cancel the session on" in page
    response = client.post(reverse("clinics:reflective_session_cancel", args=[session.pk]), {"reason": ""})
    assert "govuk-error-summary" in response.content.decode()
    client.post(reverse("clinics:reflective_session_cancel", args=[session.pk]), {"reason": "Training day"})
    session.refresh_from_db()
    assert session.is_cancelled and session.status_reason == "Training day"


# --- the waiting list ---------------------------------------------------------------------------


def test_a_full_session_queues_leads_in_the_order_they_asked(session):
    holders = leads(2)
    for lead in holders:
        assert book_place(session, lead).status == Status.BOOKED
    queue = [book_place(session, lead) for lead in leads(3, start=40)]
    assert [e.status for e in queue] == [Status.WAITLISTED] * 3
    assert [waitlist_position(e) for e in queue] == [1, 2, 3]


def test_a_freed_place_is_offered_to_the_first_lead_waiting_and_held_for_them(session):
    holders = leads(2)
    for lead in holders:
        book_place(session, lead)
    first, second = (book_place(session, lead) for lead in leads(2, start=40))
    send_apologies(session, holders[0])
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (Status.OFFERED, Status.WAITLISTED)
    assert first.place is not None and first.offer_expires_at is not None
    assert Message.objects.filter(to_email=first.lead.email, kind="reflective_offered").count() == 1
    # Nobody can jump the queue while the place is held.
    late = book_place(session, leads(1, start=60)[0])
    assert late.status == Status.WAITLISTED and waitlist_position(late) == 2
    accept_place(session, first.lead, by=first.lead)
    first.refresh_from_db()
    assert first.status == Status.BOOKED
    assert invites_of(first)[-1].calendar_method == "REQUEST"


def test_an_unanswered_offer_goes_back_to_the_end_and_the_next_lead_is_offered(session):
    holders = leads(2)
    for lead in holders:
        book_place(session, lead)
    first, second = (book_place(session, lead) for lead in leads(2, start=40))
    send_apologies(session, holders[0])
    first.refresh_from_db()
    later = first.offer_expires_at + timedelta(minutes=1)
    assert expire_place_offers(now=later) == 1
    assert expire_place_offers(now=later) == 0  # run twice: once
    first.refresh_from_db()
    second.refresh_from_db()
    assert (second.status, first.status) == (Status.OFFERED, Status.WAITLISTED)
    assert waitlist_position(first) == 1
    with pytest.raises(Refused, match="no place on offer"):
        accept_place(session, first.lead, by=first.lead, now=later)


def test_declining_an_offer_passes_the_place_to_the_next_lead(session):
    holders = leads(2)
    for lead in holders:
        book_place(session, lead)
    first, second = (book_place(session, lead) for lead in leads(2, start=40))
    send_apologies(session, holders[1])
    decline_place(session, first.lead, by=first.lead)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (Status.APOLOGIES, Status.OFFERED)


def test_an_expired_offer_cannot_be_accepted(session):
    holders = leads(2)
    for lead in holders:
        book_place(session, lead)
    [waiting] = (book_place(session, lead) for lead in leads(1, start=40))
    send_apologies(session, holders[0])
    waiting.refresh_from_db()
    with pytest.raises(Refused, match="expired"):
        accept_place(session, waiting.lead, by=waiting.lead, now=waiting.offer_expires_at)


def test_leads_accept_an_offer_from_the_session_page(client, session):
    holders = leads(2)
    for lead in holders:
        book_place(session, lead)
    [waiting] = (book_place(session, lead) for lead in leads(1, start=40))
    send_apologies(session, holders[0])
    client.force_login(waiting.lead)
    page = client.get(reverse("clinics:reflective_session", args=[session.pk])).content.decode()
    assert "Accept the place" in page
    client.post(reverse("clinics:reflective_accept", args=[session.pk]))
    waiting.refresh_from_db()
    assert waiting.status == Status.BOOKED


def test_one_generator_serves_both_kinds():
    from clinics.occurrences import generate
    from clinics.reflective_scheduling import create_session
    from clinics.scheduling import create_clinic
    from tests.factories import make_series

    series = make_reflective_series(starts_on=date(2030, 1, 3))
    now = datetime(2030, 1, 1, 9, tzinfo=LONDON)
    sessions = generate(series, create_session, now=now, months=3)
    clinics = generate(make_series(starts_on=date(2030, 1, 1)), create_clinic, now=now, months=3)
    assert [s.original_date for s in sessions] == [date(2030, 1, 3), date(2030, 2, 14), date(2030, 3, 28)]
    assert clinics and all(c.slots.count() == c.capacity for c in clinics)
    assert generate(series, create_session, now=now, months=3) == []  # idempotent


def test_a_cancelled_session_has_no_register_to_record(coordinator, session):
    from clinics.reflective import record_register

    [lead] = leads(1)
    entry = book_place(session, lead)
    cancel_session(session, by=coordinator, reason="Snow")
    with pytest.raises(Refused, match="cancelled"):
        record_register(session, by=coordinator, attended=[entry.pk], now=session.starts_at + timedelta(hours=1))
    entry.refresh_from_db()
    assert entry.status == Status.CANCELLED
