"""A stateful property test of the booking rules (Hypothesis ``RuleBasedStateMachine``).

Random sequences of book, cancel, move, offer, accept, decline, expire and cancel-clinic over two
small clinics (one and two places; the first starts full with three waiting) and four people,
through the real operations on the real database. After every step:
- no clinic has more held places than its capacity;
- nobody holds more than one place in one clinic;
- the waiting list is served in order: whoever is offered a place joined before everyone still
  waiting;
- every freed place is offered or free: an open clinic with a free slot has nobody waiting;
- every change has a history row: each request's and clinic's latest history row matches it.

Each example runs inside a savepoint that is rolled back, so examples do not see each other.
The machine books each person at most once per clinic (the service itself lets one person
bring two different cases to one clinic); the check is that no operation gives them a second
place on its own (an offer, a move, an expiry).
"""

from __future__ import annotations

import contextlib
from datetime import datetime, timedelta

import pytest
from django.conf import settings as django_settings
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule, run_state_machine_as_test

from clinics.booking import (
    accept_offer,
    cancel_request,
    decline_offer,
    expire_offers,
    free_slots,
    move_request,
    offer_freed_slot,
    waiting_list,
)
from clinics.models import Clinic, ConsultationRequest, WaitlistOffer
from clinics.refusal import Refused
from clinics.scheduling import cancel_clinic
from tests.factories import book, make_clinic, make_user

Status = ConsultationRequest.Status
PEOPLE = 4
CLINICS = 2
index = st.integers(min_value=0, max_value=50)


class BookingMachine(RuleBasedStateMachine):
    people: list = []
    coordinator = None

    def __init__(self) -> None:
        super().__init__()
        self._savepoint = transaction.atomic()
        self._savepoint.__enter__()
        self.now: datetime = timezone.now()
        self.clinics: list[Clinic] = []
        self.seen_offers = 0

    def teardown(self) -> None:
        transaction.set_rollback(True)
        self._savepoint.__exit__(None, None, None)

    @initialize()
    def open_clinics(self) -> None:
        self.seen_offers = WaitlistOffer.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        for i in range(CLINICS):
            starts = self.now + timedelta(days=70 + 7 * i)
            self.clinics.append(make_clinic(starts_at=starts, capacity=1 + i))
        for person in self.people:  # a full first clinic with a queue, so offers happen early
            book(person, self.clinics[0], now=self.now)

    # --- helpers --------------------------------------------------------------------------

    def _requests(self, statuses) -> list[ConsultationRequest]:
        return list(ConsultationRequest.objects.filter(clinic__in=self.clinics, status__in=statuses).order_by("pk"))

    def _active_in(self, person, clinic: Clinic) -> bool:
        return ConsultationRequest.objects.filter(
            requester=person, clinic=clinic, status__in=ConsultationRequest.ACTIVE
        ).exists()

    def _pending_offers(self) -> list[WaitlistOffer]:
        return list(
            WaitlistOffer.objects.filter(slot__clinic__in=self.clinics, outcome=WaitlistOffer.Outcome.PENDING).order_by("pk")
        )

    # --- rules ----------------------------------------------------------------------------

    @rule(person=st.integers(0, PEOPLE - 1), clinic=st.integers(0, CLINICS - 1))
    def request_a_place(self, person: int, clinic: int) -> None:
        who, where = self.people[person], Clinic.objects.get(pk=self.clinics[clinic].pk)
        if self._active_in(who, where):
            return
        with contextlib.suppress(Refused):
            book(who, where, now=self.now)

    @rule(pick=index)
    def cancel(self, pick: int) -> None:
        active = self._requests(ConsultationRequest.ACTIVE)
        if active:
            request = active[pick % len(active)]
            with contextlib.suppress(Refused):
                cancel_request(request, by=request.requester, now=self.now)

    @rule(pick=index, clinic=st.integers(0, CLINICS - 1))
    def move(self, pick: int, clinic: int) -> None:
        movable = self._requests([Status.BOOKED, Status.WAITLISTED, Status.OFFERED])
        target = Clinic.objects.get(pk=self.clinics[clinic].pk)
        if movable:
            request = movable[pick % len(movable)]
            if request.clinic_id == target.pk or self._active_in(request.requester, target):
                return
            with contextlib.suppress(Refused):
                move_request(request, target, by=request.requester, now=self.now)

    @rule(clinic=st.integers(0, CLINICS - 1), position=st.integers(1, 2))
    def offer(self, clinic: int, position: int) -> None:
        """Offering a slot again (a sweep run twice) changes nothing that is not free."""
        slot = self.clinics[clinic].slots.filter(position__lte=position).order_by("-position").first()
        offer_freed_slot(slot, now=self.now)

    @rule(pick=index)
    def accept(self, pick: int) -> None:
        offers = self._pending_offers()
        if offers:
            offer = offers[pick % len(offers)]
            with contextlib.suppress(Refused):
                accept_offer(offer, by=offer.request.requester, now=self.now)

    @rule(pick=index)
    def decline(self, pick: int) -> None:
        offers = self._pending_offers()
        if offers:
            offer = offers[pick % len(offers)]
            decline_offer(offer, by=offer.request.requester, now=self.now)

    @rule()
    def expire(self) -> None:
        self.now += timedelta(hours=django_settings.WAITLIST_OFFER_HOURS, minutes=1)
        expire_offers(now=self.now)

    @rule(clinic=st.integers(0, CLINICS - 1))
    def cancel_a_clinic(self, clinic: int) -> None:
        with contextlib.suppress(Refused):
            cancel_clinic(self.clinics[clinic], by=self.coordinator, reason="Venue closed", now=self.now)

    # --- invariants -----------------------------------------------------------------------

    @invariant()
    def never_more_held_places_than_capacity(self) -> None:
        for clinic in self.clinics:
            held = ConsultationRequest.objects.filter(clinic=clinic, status__in=ConsultationRequest.HOLDS_SLOT).count()
            assert held <= clinic.capacity

    @invariant()
    def one_place_per_person_per_clinic(self) -> None:
        holders = [(r.requester_id, r.clinic_id) for r in self._requests(ConsultationRequest.HOLDS_SLOT)]
        assert len(holders) == len(set(holders)), holders

    @invariant()
    def waiting_list_served_in_order(self) -> None:
        new = list(WaitlistOffer.objects.filter(slot__clinic__in=self.clinics, pk__gt=self.seen_offers).order_by("pk"))
        for offer in new:
            self.seen_offers = max(self.seen_offers, offer.pk)
            # When the offer was made the request was waiting: the history row before the one
            # that took the slot says since when.
            rows = list(offer.request.history.order_by("history_date", "history_id"))
            took = max(i for i, r in enumerate(rows) if r.status == Status.OFFERED and r.slot_id == offer.slot_id)
            joined = rows[took - 1]
            assert joined.status == Status.WAITLISTED, offer
            if offer.outcome != WaitlistOffer.Outcome.PENDING:
                continue  # already answered within this step; its place went on again
            for still in waiting_list(offer.slot.clinic):
                assert (still.waitlisted_at, still.pk) > (joined.waitlisted_at, offer.request_id), (offer, still)

    @invariant()
    def every_freed_place_is_offered_or_free(self) -> None:
        for clinic in Clinic.objects.filter(pk__in=[c.pk for c in self.clinics]):
            if clinic.status != Clinic.Status.SCHEDULED or self.now >= clinic.booking_closes_at:
                continue
            if free_slots(clinic).exists():
                assert not waiting_list(clinic).exists(), f"{clinic} has a free place and people waiting"

    @invariant()
    def every_change_has_a_history_row(self) -> None:
        for request in self._requests([s for s, _ in Status.choices]):
            last = request.history.order_by("-history_date", "-history_id").first()
            assert (last.status, last.clinic_id, last.slot_id) == (request.status, request.clinic_id, request.slot_id)
        for clinic in Clinic.objects.filter(pk__in=[c.pk for c in self.clinics]):
            last = clinic.history.order_by("-history_date", "-history_id").first()
            assert last.status == clinic.status


@pytest.mark.django_db
def test_booking_rules_hold_after_every_step_of_random_sequences():
    BookingMachine.people = [make_user(f"machine{i}@council.gov.uk", f"Practitioner {i}") for i in range(PEOPLE)]
    BookingMachine.coordinator = make_user("machine-coordinator@council.gov.uk", "Coordinator 1", roles=["coordinator"])
    run_state_machine_as_test(
        BookingMachine,
        settings=settings(
            max_examples=8,
            stateful_step_count=15,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
        ),
    )
