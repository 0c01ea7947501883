"""One lock order: conflicting operations on the same clinic queue, they never deadlock.

Real threads, real PostgreSQL, real HTTP handling through the test client: each round races a
practitioner (cancelling their request, or accepting an offered place) against a coordinator
cancelling the whole clinic. With two lock orders, PostgreSQL finds a deadlock in some rounds
and aborts one side (a 500, or a "try again" after the abort); with one order, every response
is either done or a calm refusal saying the request or clinic is no longer active.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

import pytest
from django.db import connections
from django.test import Client
from django.urls import reverse

from clinics.booking import cancel_request, lock_request
from clinics.models import Clinic, ConsultationRequest, WaitlistOffer
from tests.factories import book, make_clinic, make_user

ROUNDS = 30
Status = ConsultationRequest.Status


def _race(*calls: Callable[[], int]) -> list[int | BaseException]:
    """Run the calls at the same instant in threads; their HTTP status codes (or errors)."""
    barrier = threading.Barrier(len(calls))
    results: list[int | BaseException] = [0] * len(calls)

    def run(i: int, call: Callable[[], int]) -> None:
        try:
            barrier.wait(timeout=30)
            results[i] = call()
        except BaseException as exc:  # reported by the assertions below
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results


def _signed_in(user) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def _assert_no_lock_trouble(results, caplog) -> None:
    assert all(isinstance(r, int) and r < 500 for r in results), results
    troubles = [r.getMessage() for r in caplog.records if "lock not acquired" in r.getMessage() or "deadlock" in r.getMessage().lower()]
    assert not troubles, troubles


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_practitioner_cancelling_while_the_coordinator_cancels_the_clinic_never_deadlocks(caplog, lead, coordinator):
    caplog.set_level(logging.WARNING)
    people = [make_user(f"p{i}@council.gov.uk", f"Practitioner {i}") for i in range(3)]
    as_coordinator = _signed_in(coordinator)
    as_practitioner = _signed_in(people[0])
    for _ in range(ROUNDS):
        clinic = make_clinic(capacity=2, facilitators=[lead])
        mine = book(people[0], clinic).request
        for person in people[1:]:
            book(person, clinic)  # one more booked, one waiting: cancelling mine would offer a place
        results = _race(
            lambda mine=mine: as_practitioner.post(reverse("clinics:request_cancel", args=[mine.pk])).status_code,
            lambda clinic=clinic: as_coordinator.post(
                reverse("clinics:clinic_cancel", args=[clinic.pk]), {"reason": "Venue closed"}
            ).status_code,
        )
        _assert_no_lock_trouble(results, caplog)
        clinic.refresh_from_db()
        assert clinic.status == Clinic.Status.CANCELLED
        assert not ConsultationRequest.objects.filter(clinic=clinic, status__in=ConsultationRequest.ACTIVE).exists()
        assert not WaitlistOffer.objects.filter(slot__clinic=clinic, outcome=WaitlistOffer.Outcome.PENDING).exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_accepting_an_offer_while_the_coordinator_cancels_the_clinic_never_deadlocks(caplog, lead, coordinator):
    caplog.set_level(logging.WARNING)
    first, waiting = make_user("first@council.gov.uk", "Practitioner 1"), make_user("wait@council.gov.uk", "Practitioner 2")
    as_coordinator = _signed_in(coordinator)
    as_waiting = _signed_in(waiting)
    for _ in range(ROUNDS):
        clinic = make_clinic(capacity=1, facilitators=[lead])
        held = book(first, clinic).request
        book(waiting, clinic)
        cancel_request(held, by=first)
        offer = WaitlistOffer.objects.get(slot__clinic=clinic, outcome=WaitlistOffer.Outcome.PENDING)
        results = _race(
            lambda offer=offer: as_waiting.post(reverse("clinics:offer_accept", args=[offer.pk])).status_code,
            lambda clinic=clinic: as_coordinator.post(
                reverse("clinics:clinic_cancel", args=[clinic.pk]), {"reason": "Lead unwell"}
            ).status_code,
        )
        _assert_no_lock_trouble(results, caplog)
        offer.refresh_from_db()
        assert offer.outcome in (WaitlistOffer.Outcome.ACCEPTED, WaitlistOffer.Outcome.WITHDRAWN)
        assert ConsultationRequest.objects.get(pk=offer.request_id).status == Status.CANCELLED


@pytest.mark.django_db
def test_lock_request_locks_the_clinic_the_request_is_in(clinic, practitioner):
    request = book(practitioner, clinic).request
    locked = lock_request(request.pk)
    assert (locked.pk, locked.clinic_id, locked.status) == (request.pk, clinic.pk, Status.BOOKED)
