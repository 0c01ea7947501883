"""The same submission processed twice has the effect of one, and the second sender sees the
first's result: enforced by the database (a unique submission key, a row lock and a re-check),
never by the button's JavaScript.

Sequential double submits run everywhere; the simultaneous ones need PostgreSQL (real threads,
one session shared by two browsers' worth of POSTs).
"""

from __future__ import annotations

import re
import threading

import pytest
from django.db import connections
from django.test import Client
from django.urls import reverse

from clinics.booking import cancel_request
from clinics.models import ConsultationRequest, WaitlistOffer
from notifications.models import Message
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
        clients = [client, _same_session(client)]
        barrier = threading.Barrier(2)
        responses: list = [None, None]

        def post(n: int, key=key, clients=clients, barrier=barrier, responses=responses) -> None:
            try:
                barrier.wait(timeout=30)
                responses[n] = clients[n].post(reverse("clinics:request_check"), {"submission_key": key})
            except BaseException as exc:  # reported below
                responses[n] = exc
            finally:
                connections.close_all()

        threads = [threading.Thread(target=post, args=(n,)) for n in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
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
