"""Overbooking is impossible: many people racing for the last slot, on real PostgreSQL."""

from __future__ import annotations

import threading

import pytest
from django.db import IntegrityError, connection, connections, transaction

from clinics.models import ConsultationRequest, Slot
from tests.factories import book, make_clinic, make_user

Status = ConsultationRequest.Status
RACERS = 50


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_fifty_concurrent_bookings_for_the_last_slot_book_exactly_one(lead):
    clinic = make_clinic(capacity=2, facilitators=[lead])
    book(make_user("early@council.gov.uk"), clinic)  # one slot left
    people = [make_user(f"racer{i}@council.gov.uk", f"Practitioner {i}") for i in range(RACERS)]
    barrier = threading.Barrier(RACERS)
    errors: list[BaseException] = []
    results: list[bool] = []
    lock = threading.Lock()

    def attempt(person):
        try:
            barrier.wait(timeout=30)
            placement = book(person, clinic)
            with lock:
                results.append(placement.booked)
        except BaseException as exc:  # any error is a failure of the test, reported below
            with lock:
                errors.append(exc)
        finally:
            connections.close_all()  # each thread had its own connection

    threads = [threading.Thread(target=attempt, args=(p,)) for p in people]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)

    assert not errors, errors[:3]
    assert len(results) == RACERS
    assert results.count(True) == 1
    assert results.count(False) == RACERS - 1
    holders = ConsultationRequest.objects.filter(clinic=clinic, status__in=ConsultationRequest.HOLDS_SLOT)
    assert holders.count() == clinic.capacity
    waiting = ConsultationRequest.objects.filter(clinic=clinic, status=Status.WAITLISTED).order_by("waitlisted_at", "pk")
    assert waiting.count() == RACERS - 1


@pytest.mark.postgres
@pytest.mark.django_db
def test_direct_insert_past_capacity_is_rejected_by_postgresql(clinic, practitioner, other_practitioner):
    assert connection.vendor == "postgresql"
    for slot in Slot.objects.filter(clinic=clinic):
        book(make_user(f"holder{slot.position}@council.gov.uk"), clinic)
    intruder = book(practitioner, clinic).request  # waitlisted: the clinic is full
    assert intruder.status == Status.WAITLISTED
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        # Bypass the ORM and the operation: raw SQL straight into a held slot.
        cursor.execute(
            "UPDATE clinics_consultationrequest SET status = 'booked', slot_id = %s WHERE id = %s",
            [clinic.slots.first().pk, intruder.pk],
        )
