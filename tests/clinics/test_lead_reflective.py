"""Reflective sessions from the practice leads' side: places, apologies, register, themes."""

from __future__ import annotations

import threading
from datetime import datetime, time, timedelta

import pytest
import time_machine
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from anonymity.models import FalseAlarm
from clinics.models import FormOfAbuse, ReflectiveAttendance, ReflectiveSession, Resource
from clinics.recurrence import LONDON
from clinics.reflective import book_place
from clinics.refusal import Refused
from tests.factories import make_user

Status = ReflectiveAttendance.Status
pytestmark = pytest.mark.django_db


def make_session(capacity: int = 3, days_ahead: int = 10) -> ReflectiveSession:
    day = timezone.localdate() + timedelta(days=days_ahead)
    starts = datetime.combine(day, time(14, 0), tzinfo=LONDON)
    return ReflectiveSession.objects.create(
        original_date=day,
        title="Practice leads' reflective session",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        capacity=capacity,
        online_link="https://meet.example.org/reflective",
    )


@pytest.fixture
def session(db):
    return make_session()


def leads(n: int) -> list:
    return [make_user(f"lead{i + 10}@council.gov.uk", f"Lead {i + 10}", roles=["practice_lead"]) for i in range(n)]


def as_user(client, user):
    client.force_login(user)
    return client


def test_practitioner_cannot_open_reflective_sessions(client, practitioner, session):
    as_user(client, practitioner)
    assert client.get(reverse("clinics:reflective_list")).status_code == 403
    assert client.get(reverse("clinics:reflective_session", args=[session.pk])).status_code == 403
    assert client.post(reverse("clinics:reflective_book", args=[session.pk])).status_code == 403
    assert not ReflectiveAttendance.objects.exists()


def test_list_shows_places_left_and_my_status(client, lead, other_lead, session):
    book_place(session, other_lead)
    response = as_user(client, lead).get(reverse("clinics:reflective_list"))
    [row] = response.context["upcoming"]
    assert (row.places_left, row.my_status_label) == (2, "Not booked")
    assert "2 of 3" in response.content.decode()


def test_booking_a_place_puts_the_lead_on_the_register_and_sends_an_invitation(client, lead, session):
    from notifications.models import Message

    response = as_user(client, lead).post(reverse("clinics:reflective_book", args=[session.pk]))
    assert response.status_code == 302
    entry = ReflectiveAttendance.objects.get(session=session, lead=lead)
    assert entry.status == Status.BOOKED
    assert Message.objects.filter(to_email=lead.email).count() == 1


def test_booking_needs_post(client, lead, session):
    assert as_user(client, lead).get(reverse("clinics:reflective_book", args=[session.pk])).status_code == 405


def test_a_full_session_puts_the_lead_on_its_waiting_list_with_their_number(client, lead, session):
    for other in leads(3):
        book_place(session, other)
    response = as_user(client, lead).post(reverse("clinics:reflective_book", args=[session.pk]), follow=True)
    assert "You are number 1 on the waiting list" in response.content.decode()
    assert ReflectiveAttendance.objects.get(lead=lead).status == Status.WAITLISTED
    assert ReflectiveAttendance.objects.filter(session=session, status=Status.BOOKED).count() == 3


def test_booking_twice_is_refused(lead, session):
    book_place(session, lead)
    with pytest.raises(Refused, match="already have a place"):
        book_place(session, lead)
    assert ReflectiveAttendance.objects.filter(session=session).count() == 1


def test_apologies_free_the_place_for_someone_else(client, lead, session):
    others = leads(3)
    book_place(session, lead)
    book_place(session, others[0])
    book_place(session, others[1])
    response = as_user(client, lead).post(reverse("clinics:reflective_apologies", args=[session.pk]))
    assert response.status_code == 302
    assert ReflectiveAttendance.objects.get(session=session, lead=lead).status == Status.APOLOGIES
    book_place(session, others[2])  # the freed place
    assert ReflectiveAttendance.objects.filter(session=session, status=Status.BOOKED).count() == 3


def test_a_lead_can_rebook_after_apologies(lead, session):
    as_apologies = ReflectiveAttendance.objects.create(session=session, lead=lead, status=Status.APOLOGIES)
    entry = book_place(session, lead)
    assert entry.pk == as_apologies.pk
    assert entry.status == Status.BOOKED
    assert entry.calendar_sequence == 1


def test_no_booking_once_the_session_has_started(lead, session):
    with time_machine.travel(session.starts_at + timedelta(minutes=1)), pytest.raises(Refused, match="started"):
        book_place(session, lead)


def test_register_is_recorded_after_the_start_by_any_lead(client, lead, other_lead, session):
    came, missed = leads(2)
    came_entry = book_place(session, came)
    missed_entry = book_place(session, missed)
    url = reverse("clinics:reflective_register", args=[session.pk])
    early = as_user(client, other_lead).post(url, {"attended": [came_entry.pk]})
    assert early.status_code == 400
    assert "once the session has started" in early.content.decode()
    assert ReflectiveAttendance.objects.get(pk=came_entry.pk).status == Status.BOOKED
    with time_machine.travel(session.starts_at + timedelta(hours=2, minutes=5)):
        response = as_user(client, other_lead).post(url, {"attended": [came_entry.pk]})
    assert response.status_code == 302
    assert ReflectiveAttendance.objects.get(pk=came_entry.pk).status == Status.ATTENDED
    assert ReflectiveAttendance.objects.get(pk=missed_entry.pk).status == Status.BOOKED


def test_register_refuses_someone_not_on_it(client, lead, session):
    other_session = make_session(days_ahead=20)
    stranger = book_place(other_session, lead)
    with time_machine.travel(session.starts_at + timedelta(minutes=30)):
        response = as_user(client, lead).post(
            reverse("clinics:reflective_register", args=[session.pk]), {"attended": [stranger.pk]}
        )
    assert response.status_code == 400
    assert ReflectiveAttendance.objects.get(pk=stranger.pk).status == Status.BOOKED


def test_themes_and_clean_notes_are_saved(client, lead, session):
    themes = list(FormOfAbuse.objects.filter(slug__in=["sibling", "online"]))
    assert len(themes) == 2
    resource = Resource.objects.filter(active=True).first()
    notes = "The group discussed how to support a DSL after a disclosure by Child A, and sibling work with Mother."
    with time_machine.travel(session.ends_at):
        response = as_user(client, lead).post(
            reverse("clinics:reflective_notes", args=[session.pk]),
            {"themes": [t.pk for t in themes], "notes": notes, "resources": [resource.pk]},
        )
    assert response.status_code == 302, response.content.decode()[:1500]
    session.refresh_from_db()
    assert session.notes == notes
    assert set(session.themes.all()) == set(themes)
    assert list(session.resources.all()) == [resource]


def test_notes_with_identifiers_are_not_saved(client, lead, session):
    with time_machine.travel(session.ends_at):
        response = as_user(client, lead).post(
            reverse("clinics:reflective_notes", args=[session.pk]),
            {"notes": "Jayden Okafor at Riverside Primary School disclosed to his DSL."},
        )
    assert response.status_code == 400
    assert "govuk-error-summary" in response.content.decode()
    session.refresh_from_db()
    assert session.notes == ""
    assert not FalseAlarm.objects.exists()


def test_notes_cannot_be_recorded_before_the_session(client, lead, session):
    response = as_user(client, lead).post(reverse("clinics:reflective_notes", args=[session.pk]), {"notes": "Early."})
    assert response.status_code == 400
    assert "once the session has started" in response.content.decode()
    session.refresh_from_db()
    assert session.notes == ""


def test_session_page_shows_the_register(client, lead, other_lead, session):
    book_place(session, other_lead)
    response = as_user(client, lead).get(reverse("clinics:reflective_session", args=[session.pk]))
    assert response.status_code == 200
    assert "Lead 2" in response.content.decode()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_bookings_for_the_last_place_give_it_to_exactly_one(django_db_blocker):
    session = make_session(capacity=1)
    contenders = leads(12)
    results: list[str] = []
    barrier = threading.Barrier(len(contenders))

    def attempt(user) -> None:
        try:
            barrier.wait()
            results.append(book_place(session, user).status)
        except Refused:
            results.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(u,)) for u in contenders]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ["booked"] + ["waitlisted"] * 11
    assert ReflectiveAttendance.objects.filter(session=session, status=Status.BOOKED).count() == 1
    queue = ReflectiveAttendance.objects.filter(session=session, status=Status.WAITLISTED)
    assert len({(e.waitlisted_at, e.pk) for e in queue}) == 11


def test_bookings_take_numbered_places_and_apologies_free_them(db, lead, other_lead):
    from datetime import timedelta

    from django.db import IntegrityError, transaction
    from django.utils import timezone

    from clinics.models import ReflectiveAttendance, ReflectiveSession
    from clinics.reflective import book_place, send_apologies
    from tests.factories import make_user

    starts = timezone.now() + timedelta(days=7)
    session = ReflectiveSession.objects.create(
        original_date=starts.date(), title="Practice leads reflective session", starts_at=starts,
        ends_at=starts + timedelta(hours=2), capacity=2,
    )
    first = book_place(session, lead)
    second = book_place(session, other_lead)
    assert (first.place, second.place) == (1, 2)
    send_apologies(session, lead)
    first.refresh_from_db()
    assert first.place is None
    third = book_place(session, make_user("lead3@council.gov.uk", "Lead 3", roles=["practice_lead"]))
    assert third.place == 1
    # The database refuses a second holder of a place even if the code were bypassed.
    intruder = make_user("lead4@council.gov.uk", "Lead 4", roles=["practice_lead"])
    with pytest.raises(IntegrityError), transaction.atomic():
        ReflectiveAttendance.objects.create(session=session, lead=intruder, status="booked", place=2)
