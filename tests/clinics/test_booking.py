"""Booking, waiting list, offers and cut-offs, through the real operations."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.db import IntegrityError, transaction
from django.utils import timezone

from clinics.booking import (
    BookingError,
    accept_offer,
    cancel_request,
    decline_offer,
    expire_offers,
    move_request,
    offer_freed_slot,
    waitlist_position,
)
from clinics.intake import decline_request, record_attendance
from clinics.models import ConsultationRequest, WaitlistOffer
from tests.factories import book, make_clinic, make_user

Status = ConsultationRequest.Status
pytestmark = pytest.mark.django_db


@pytest.fixture
def practitioners(db):
    return [make_user(f"p{i}@council.gov.uk", f"Practitioner {i}") for i in range(1, 8)]


def fill(clinic, people):
    return [book(p, clinic).request for p in people]


def test_bookings_fill_slots_in_order_then_waitlist(clinic, practitioners):
    placements = [book(p, clinic) for p in practitioners[:5]]
    assert [p.booked for p in placements] == [True, True, True, False, False]
    assert [p.request.slot.position for p in placements[:3]] == [1, 2, 3]
    assert [p.waitlist_position for p in placements[3:]] == [1, 2]


def test_next_available_skips_a_full_clinic(lead, practitioners):
    soon = make_clinic(capacity=1, facilitators=[lead])
    later = make_clinic(capacity=1, facilitators=[lead], starts_at=soon.starts_at + timedelta(days=28))
    first = book(practitioners[0], None)
    second = book(practitioners[1], None)
    third = book(practitioners[2], None)
    assert first.request.clinic == soon and first.booked
    assert second.request.clinic == later and second.booked
    # Everything full: waiting list of the soonest clinic.
    assert third.request.clinic == soon and not third.booked and third.waitlist_position == 1


def test_database_rejects_a_second_consultation_in_the_same_slot(clinic, practitioner, other_practitioner):
    booked = book(practitioner, clinic).request
    waiting = book(other_practitioner, make_clinic(capacity=1)).request
    waiting.clinic, waiting.slot, waiting.status = clinic, booked.slot, Status.BOOKED
    with pytest.raises(IntegrityError), transaction.atomic():
        waiting.save()


def test_database_rejects_booked_without_slot(practitioner, clinic):
    request = book(practitioner, clinic).request
    with pytest.raises(IntegrityError), transaction.atomic():
        ConsultationRequest.objects.filter(pk=request.pk).update(slot=None)


def test_cancelling_offers_the_slot_to_the_first_waiting(clinic, practitioners):
    booked = fill(clinic, practitioners[:3])
    first_waiting, second_waiting = fill(clinic, practitioners[3:5])
    cancel_request(booked[1], by=practitioners[1])
    first_waiting.refresh_from_db()
    second_waiting.refresh_from_db()
    assert first_waiting.status == Status.OFFERED
    assert first_waiting.slot == booked[1].slot
    assert second_waiting.status == Status.WAITLISTED
    assert waitlist_position(second_waiting) == 1
    offer = WaitlistOffer.objects.get(request=first_waiting)
    assert offer.outcome == WaitlistOffer.Outcome.PENDING
    assert offer.expires_at - offer.offered_at == timedelta(hours=48)


def test_an_offered_hold_counts_against_capacity(clinic, practitioners):
    booked = fill(clinic, practitioners[:3])
    fill(clinic, practitioners[3:4])
    cancel_request(booked[0], by=practitioners[0])
    newcomer = book(practitioners[5], clinic)
    assert not newcomer.booked


def test_accepting_an_offer_books_the_place(clinic, practitioners):
    booked = fill(clinic, practitioners[:3])
    (waiting,) = fill(clinic, practitioners[3:4])
    cancel_request(booked[0], by=practitioners[0])
    offer = WaitlistOffer.objects.get(request=waiting)
    accept_offer(offer, by=practitioners[3])
    waiting.refresh_from_db()
    offer.refresh_from_db()
    assert waiting.status == Status.BOOKED
    assert offer.outcome == WaitlistOffer.Outcome.ACCEPTED and offer.decided_at is not None


def test_declining_an_offer_passes_it_on(clinic, practitioners):
    booked = fill(clinic, practitioners[:3])
    first, second = fill(clinic, practitioners[3:5])
    cancel_request(booked[0], by=practitioners[0])
    decline_offer(WaitlistOffer.objects.get(request=first), by=practitioners[3])
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == Status.CANCELLED
    assert second.status == Status.OFFERED


def test_expired_offer_passes_to_the_next_and_requeues_at_the_end(clinic, practitioners):
    booked = fill(clinic, practitioners[:3])
    first, second = fill(clinic, practitioners[3:5])
    cancel_request(booked[0], by=practitioners[0])
    offer = WaitlistOffer.objects.get(request=first)
    assert expire_offers(now=offer.expires_at - timedelta(seconds=1)) == 0
    assert expire_offers(now=offer.expires_at) == 1
    assert expire_offers(now=offer.expires_at) == 0  # running the sweep twice changes nothing
    offer.refresh_from_db()
    first.refresh_from_db()
    second.refresh_from_db()
    assert offer.outcome == WaitlistOffer.Outcome.EXPIRED
    assert second.status == Status.OFFERED
    assert first.status == Status.WAITLISTED and waitlist_position(first) == 1
    with pytest.raises(BookingError, match="no longer open"):
        accept_offer(offer, by=practitioners[3], now=offer.expires_at)


def test_offers_are_recorded_for_the_coordinator(clinic, practitioners):
    booked = fill(clinic, practitioners[:3])
    fill(clinic, practitioners[3:5])
    cancel_request(booked[0], by=practitioners[0])
    cancel_request(booked[1], by=practitioners[1])
    offers = WaitlistOffer.objects.order_by("offered_at", "pk")
    assert [o.request.requester for o in offers] == practitioners[3:5]


def test_cancel_after_cutoff_is_refused_and_changes_nothing(clinic, practitioner):
    request = book(practitioner, clinic).request
    with pytest.raises(BookingError, match="too late"):
        cancel_request(request, by=practitioner, now=clinic.change_cutoff_at + timedelta(minutes=1))
    request.refresh_from_db()
    assert request.status == Status.BOOKED


def test_booking_window_is_enforced(lead, practitioner):
    clinic = make_clinic(facilitators=[lead])
    with pytest.raises(BookingError, match="opens on"):
        book(practitioner, clinic, now=clinic.booking_opens_at - timedelta(minutes=1))
    with pytest.raises(BookingError, match="closed"):
        book(practitioner, clinic, now=clinic.booking_closes_at)
    assert not ConsultationRequest.objects.exists()  # nothing saved when placing fails


def test_move_to_another_date_frees_the_old_slot_and_bumps_sequence(clinic, lead, practitioners):
    later = make_clinic(facilitators=[lead], starts_at=clinic.starts_at + timedelta(days=28))
    booked = fill(clinic, practitioners[:3])
    (waiting,) = fill(clinic, practitioners[3:4])
    placement = move_request(booked[0], later, by=practitioners[0])
    assert placement.booked and placement.request.clinic == later
    assert placement.request.calendar_sequence == 1
    waiting.refresh_from_db()
    assert waiting.status == Status.OFFERED


def test_move_to_the_same_clinic_is_refused(clinic, practitioner):
    request = book(practitioner, clinic).request
    with pytest.raises(BookingError, match="already"):
        move_request(request, clinic, by=practitioner)


def test_decline_at_triage_frees_the_slot(clinic, practitioners, lead):
    booked = fill(clinic, practitioners[:3])
    (waiting,) = fill(clinic, practitioners[3:4])
    decline_request(booked[2], by=lead, reason="This needs the front door today.")
    booked[2].refresh_from_db()
    waiting.refresh_from_db()
    assert booked[2].status == Status.DECLINED and booked[2].calendar_sequence == 1
    assert waiting.status == Status.OFFERED


def test_attendance_only_after_the_start(clinic, practitioner, lead):
    request = book(practitioner, clinic).request
    with pytest.raises(BookingError):
        record_attendance(request, attended=True, by=lead, now=request.slot.starts_at - timedelta(minutes=5))
    record_attendance(request, attended=True, by=lead, now=request.slot.starts_at + timedelta(minutes=50))
    request.refresh_from_db()
    assert request.status == Status.ATTENDED and request.feedback_requested_at is not None


def test_offer_never_outlives_booking_close(lead, practitioners):
    with time_machine.travel(timezone.now(), tick=False):
        clinic = make_clinic(capacity=1, facilitators=[lead], starts_at=timezone.now() + timedelta(hours=40))
        (booked,) = fill(clinic, practitioners[:1])
        (waiting,) = fill(clinic, practitioners[1:2])
        cancel_request(booked, by=practitioners[0])
        offer = WaitlistOffer.objects.get(request=waiting)
        assert offer.expires_at == clinic.booking_closes_at


def test_no_offer_once_booking_has_closed(clinic, practitioners):
    booked = fill(clinic, practitioners[:3])
    fill(clinic, practitioners[3:4])
    assert offer_freed_slot(booked[0].slot, now=clinic.booking_closes_at) is None
