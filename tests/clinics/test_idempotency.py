"""The same submission processed twice has the effect of one, and the second sender sees the
first's result: enforced by the database (a unique submission key, a row lock and a re-check),
never by the button's JavaScript.

Sequential double submits run everywhere; the simultaneous ones need PostgreSQL (real threads,
one session shared by two browsers' worth of POSTs).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from datetime import time, timedelta
from functools import partial

import pytest
from django.db import connections
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import Invitation, RoleChange, RoleGrant
from clinics.booking import cancel_request
from clinics.models import ConsultationRequest, ReflectiveAttendance, WaitlistOffer
from notifications import bulletins
from notifications.models import Bulletin, BulletinItem, Message
from tests.clinics.test_lead_reflective import make_session
from tests.clinics.test_practitioner_request import form_data
from tests.factories import book, make_clinic, make_user

Status = ConsultationRequest.Status


def _check_page_key(client: Client) -> str:
    html = client.get(reverse("clinics:request_check")).content.decode()
    return re.search(r'name="submission_key" value="([0-9a-f-]{36})"', html).group(1)


def _confirmations(user) -> int:
    return Message.objects.filter(to_email=user.email, kind="booking_confirmed").count()


def _same_session(client: Client) -> Client:
    twin = Client()
    twin.cookies = client.cookies  # the same browser session (and CSRF cookie) clicking twice
    return twin


@pytest.mark.django_db
def test_confirm_and_book_sent_twice_makes_one_request_one_booking_one_confirmation(client, practitioner, clinic):
    client.force_login(practitioner)
    client.post(reverse("clinics:request_new"), form_data(clinic))
    key = _check_page_key(client)
    first = client.post(reverse("clinics:request_check"), {"submission_key": key})
    second = client.post(reverse("clinics:request_check"), {"submission_key": key})
    consultation = ConsultationRequest.objects.get(requester=practitioner)
    assert consultation.status == Status.BOOKED
    assert first["Location"] == second["Location"] == reverse("clinics:request_detail", args=[consultation.pk])
    assert _confirmations(practitioner) == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_confirm_and_book_posts_make_one_request(lead):
    rounds = 10
    for i in range(rounds):
        person = make_user(f"double{i}@council.gov.uk", f"Practitioner {i}")
        clinic = make_clinic(facilitators=[lead])
        client = Client()
        client.force_login(person)
        client.post(reverse("clinics:request_new"), form_data(clinic))
        key = _check_page_key(client)
        url = reverse("clinics:request_check")
        data = {"submission_key": key}
        responses = _twice_at_once(partial(client.post, url, data), partial(_same_session(client).post, url, data))
        made = ConsultationRequest.objects.filter(requester=person)
        assert made.count() == 1, f"round {i}: {made.count()} requests"
        detail = reverse("clinics:request_detail", args=[made.get().pk])
        assert [r.status_code for r in responses] == [302, 302], responses
        assert {r["Location"] for r in responses} == {detail}
        assert made.get().status == Status.BOOKED
        assert ConsultationRequest.objects.filter(clinic=clinic, status=Status.BOOKED).count() == 1
        assert _confirmations(person) == 1


@pytest.mark.django_db
def test_accepting_an_offer_twice_books_once_and_shows_the_booking(client, lead):
    clinic = make_clinic(capacity=1, facilitators=[lead])
    first, waiting = make_user("first@council.gov.uk", "Practitioner 1"), make_user("wait@council.gov.uk", "Practitioner 2")
    held = book(first, clinic).request
    mine = book(waiting, clinic).request
    cancel_request(held, by=first)
    offer = WaitlistOffer.objects.get(request=mine)
    client.force_login(waiting)
    url = reverse("clinics:offer_accept", args=[offer.pk])
    responses = [client.post(url), client.post(url)]
    assert [r["Location"] for r in responses] == [reverse("clinics:request_detail", args=[mine.pk])] * 2
    mine.refresh_from_db()
    assert mine.status == Status.BOOKED
    assert _confirmations(waiting) == 1


@pytest.mark.django_db
def test_declining_an_offer_twice_declines_once(client, lead):
    clinic = make_clinic(capacity=1, facilitators=[lead])
    first, waiting = make_user("first@council.gov.uk", "Practitioner 1"), make_user("wait@council.gov.uk", "Practitioner 2")
    held = book(first, clinic).request
    mine = book(waiting, clinic).request
    cancel_request(held, by=first)
    offer = WaitlistOffer.objects.get(request=mine)
    client.force_login(waiting)
    url = reverse("clinics:offer_decline", args=[offer.pk])
    responses = [client.post(url), client.post(url)]
    assert all(r.status_code == 302 for r in responses)
    assert Message.objects.filter(to_email=waiting.email, kind="booking_cancelled").count() == 1
    assert mine.history.filter(history_change_reason__startswith="declined the offered place").count() == 1


def _coordinator_and_twin() -> tuple[Client, Client]:
    """A signed-in coordinator's browser, and a second client sharing its session."""
    coordinator = make_user("coordinator@council.gov.uk", "Coordinator 1", roles=["coordinator"])
    client = Client()
    client.force_login(coordinator)
    return client, _same_session(client)


def _twice_at_once(*posts) -> list:
    """Send the POSTs at the same instant from threads; the responses (or errors)."""
    barrier = threading.Barrier(len(posts))
    responses: list = [None] * len(posts)

    def run(n: int) -> None:
        try:
            barrier.wait(timeout=30)
            responses[n] = posts[n]()
        except BaseException as exc:  # reported by the caller's assertions
            responses[n] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(len(posts))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return responses


@pytest.mark.django_db
def test_booking_a_reflective_place_twice_shows_the_booking_the_first_made(client, lead):
    session = make_session()
    client.force_login(lead)
    url = reverse("clinics:reflective_book", args=[session.pk])
    first, second = client.post(url), client.post(url)
    assert [first.status_code, second.status_code] == [302, 302]
    assert "You have a place at" in client.get(second["Location"]).content.decode()
    assert ReflectiveAttendance.objects.filter(session=session, lead=lead).count() == 1
    assert Message.objects.filter(to_email=lead.email, kind="reflective_invitation").count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_reflective_bookings_by_one_lead_take_one_place():
    for i in range(10):
        lead = make_user(f"racing-lead{i}@council.gov.uk", f"Lead {i}", roles=["practice_lead"])
        session = make_session()
        client = Client()
        client.force_login(lead)
        twin = _same_session(client)
        url = reverse("clinics:reflective_book", args=[session.pk])
        responses = _twice_at_once(partial(client.post, url), partial(twin.post, url))
        assert [getattr(r, "status_code", r) for r in responses] == [302, 302]
        assert ReflectiveAttendance.objects.filter(session=session, lead=lead).count() == 1
        assert Message.objects.filter(to_email=lead.email, kind="reflective_invitation").count() == 1


def _invite_form_key(client: Client) -> str:
    html = client.get(reverse("accounts:invite")).content.decode()
    return re.search(r'name="submission_key" value="([0-9a-f-]{36})"', html).group(1)


@pytest.mark.django_db
def test_the_same_invitation_form_sent_twice_invites_once(client, coordinator):
    client.force_login(coordinator)
    data = {"email": "new.lead@partner.example.org", "roles": ["practice_lead"], "submission_key": _invite_form_key(client)}
    responses = [client.post(reverse("accounts:invite"), data), client.post(reverse("accounts:invite"), data)]
    assert [r.status_code for r in responses] == [302, 302]
    assert Invitation.objects.count() == 1
    assert Message.objects.filter(kind="invitation").count() == 1
    # A fresh form (a new key) is a new invitation on purpose.
    client.post(reverse("accounts:invite"), {**data, "submission_key": _invite_form_key(client)})
    assert Invitation.objects.count() == 2


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_invitation_posts_invite_once():
    client, twin = _coordinator_and_twin()
    for i in range(10):
        data = {"email": f"person{i}@partner.example.org", "roles": [], "submission_key": _invite_form_key(client)}
        url = reverse("accounts:invite")
        responses = _twice_at_once(partial(client.post, url, data), partial(twin.post, url, data))
        assert [getattr(r, "status_code", r) for r in responses] == [302, 302]
        assert Invitation.objects.filter(email=data["email"]).count() == 1
        assert Message.objects.filter(kind="invitation", to_email=data["email"]).count() == 1


@pytest.mark.django_db
def test_granting_the_same_role_twice_makes_one_grant_and_one_record(client, coordinator, practitioner):
    client.force_login(coordinator)
    url = reverse("accounts:person_grant_role", args=[practitioner.pk])
    client.post(url, {"role": "practice_lead"})
    second = client.post(url, {"role": "practice_lead"})
    assert "is already a practice lead" in second.content.decode()  # the first's result, stated
    assert RoleGrant.objects.filter(user=practitioner).count() == 1
    assert RoleChange.objects.filter(user=practitioner).count() == 1
    assert RoleGrant.history.filter(user_id=practitioner.pk).count() == 1


@pytest.mark.django_db
def test_scheduling_a_bulletin_twice_schedules_it_once(client, coordinator):
    bulletin = bulletins.create_bulletin(title="CSA bulletin", month=timezone.localdate(), by=coordinator)
    bulletins.save_item(BulletinItem(bulletin=bulletin, section="research", title="Research", body="Findings."))
    client.force_login(coordinator)
    tomorrow = timezone.localdate() + timedelta(days=1)
    url = reverse("notifications:bulletin_schedule", args=[bulletin.pk])
    responses = [client.post(url, {"send_on": tomorrow.isoformat(), "send_at": "09:00"}) for _ in range(2)]
    assert all(b"Bulletin scheduled" in r.content for r in responses)
    bulletin.refresh_from_db()
    assert bulletin.status == Bulletin.Status.SCHEDULED
    assert Bulletin.objects.count() == 1


# --- every other creating form: one key per form shown (accounts.submissions) -----------------

def _form_key(client: Client, url: str) -> str:
    html = client.get(url).content.decode()
    return re.search(r'name="submission_key" value="([0-9a-f-]{36})"', html).group(1)


def _creating_forms(lead, other_lead) -> list[tuple[str, dict, Callable[[], int]]]:
    from clinics.models import ClinicSeries, Cohort, FormOfAbuse, ReflectiveSeries, Resource, ResourceKind
    from tests.clinics.test_coordinator_series import series_post

    programme = ReflectiveSeries.objects.create(
        title="Practice leads programme", rrule="FREQ=MONTHLY;BYDAY=+1WE", starts_on=timezone.localdate(),
        start_time=time(9, 30), duration_minutes=360, capacity=20,
    )
    start = timezone.localdate() + timedelta(days=7)
    reflective = {
        "title": "Practice lead reflective session", "frequency": "weekly", "weekday": "TH", "interval_weeks": "6",
        "ordinal": "", "starts_on_day": start.day, "starts_on_month": start.month, "starts_on_year": start.year,
        "start_time": "14:00", "duration_minutes": "120", "capacity": "10", "mode": "online",
        "online_link": "https://meet.example.org/r", "venue": "", "skip_bank_holidays": "on",
    }
    clinic_series = series_post(lead, starts_on_day=start.day, starts_on_month=start.month, starts_on_year=start.year)
    resource = {"title": "Online safety planning tool", "url": "https://example.org/tool",
                "kind": ResourceKind.objects.get(slug="tool").pk, "publisher": "Northshire Partnership",
                "description": "", "forms": [FormOfAbuse.objects.get(slug="online").pk]}
    cohort = {"name": "Cohort 2", "start_month_day": "15", "start_month_month": "9", "start_month_year": "2026",
              "organisations": "Council A", "programme": programme.pk, "sessions_planned": "10",
              "session_format": "Half teaching, half reflective", "missed_flag_after": "2",
              "members": [lead.pk, other_lead.pk]}
    bulletin = {"title": "CSA bulletin", "month": timezone.localdate().replace(day=1).isoformat()}
    return [
        (reverse("clinics:series_new"), clinic_series, ClinicSeries.objects.count),
        (reverse("clinics:reflective_series_new"), reflective, lambda: ReflectiveSeries.objects.count() - 1),
        (reverse("clinics:resource_add"), resource, Resource.objects.filter(title=resource["title"]).count),
        (reverse("clinics:taxonomy_add", args=["forms-of-csa"]), {"label": "Organised abuse", "hint": "",
         "position": "8", "active": "on"}, FormOfAbuse.objects.filter(label="Organised abuse").count),
        (reverse("clinics:cohort_new"), cohort, Cohort.objects.count),
        (reverse("notifications:bulletin_create"), bulletin, Bulletin.objects.count),
    ]


@pytest.mark.django_db
def test_every_creating_form_sent_twice_creates_once_and_answers_the_same(client, coordinator, lead, other_lead):
    client.force_login(coordinator)
    for url, data, count in _creating_forms(lead, other_lead):
        key = _form_key(client, url)
        first = client.post(url, {**data, "submission_key": key})
        assert first.status_code == 302, (url, first.content.decode()[:2000])
        second = client.post(url, {**data, "submission_key": key})
        assert (second.status_code, second.url) == (302, first.url), url
        assert count() == 1, url
        again = client.post(url, {**data, "submission_key": _form_key(client, url)})  # the form shown anew
        assert again.status_code == 302 and count() == 2, url


@pytest.mark.django_db
def test_a_bulletin_item_sent_twice_is_added_once(client, coordinator):
    client.force_login(coordinator)
    bulletin = bulletins.create_bulletin(title="CSA bulletin", month=timezone.localdate(), by=coordinator)
    url = reverse("notifications:item_add", args=[bulletin.pk])
    data = {"section": "research", "title": "New research summary", "body": "Findings on disclosure.", "link": "",
            "submission_key": _form_key(client, url)}
    assert [client.post(url, data).status_code for _ in range(2)] == [302, 302]
    assert BulletinItem.objects.filter(bulletin=bulletin).count() == 1
    page = client.get(reverse("notifications:bulletin_detail", args=[bulletin.pk])).content.decode()
    assert "nothing was added twice" in page


@pytest.mark.django_db
def test_a_form_key_sent_by_someone_else_is_refused(client, coordinator):
    other = make_user("coordinator2@council.gov.uk", "Coordinator 2", roles=["coordinator"])
    url = reverse("notifications:bulletin_create")
    data = {"title": "CSA bulletin", "month": timezone.localdate().replace(day=1).isoformat()}
    client.force_login(coordinator)
    key = _form_key(client, url)
    assert client.post(url, {**data, "submission_key": key}).status_code == 302
    client.force_login(other)
    assert client.post(url, {**data, "submission_key": key}).status_code == 400
    assert Bulletin.objects.count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_bulletin_creations_from_one_form_make_one():
    client, twin = _coordinator_and_twin()
    url = reverse("notifications:bulletin_create")
    for i in range(5):
        data = {"title": f"CSA bulletin {i}", "month": timezone.localdate().replace(day=1).isoformat(),
                "submission_key": _form_key(client, url)}
        responses = _twice_at_once(partial(client.post, url, data), partial(twin.post, url, data))
        assert [getattr(r, "status_code", r) for r in responses] == [302, 302]
        assert len({r.url for r in responses}) == 1
        assert Bulletin.objects.filter(title=data["title"]).count() == 1
