"""Booking, waiting list and offers: the operations that must never overbook or lose a place.

Lock order (the one declared in ``clinics/locking.py``, followed here, in ``clinics/intake.py``
and in ``clinics/scheduling.py``): **clinic(s) first, ascending id; then requests, ascending
id; then offers.** An operation that starts from a request (``lock_request``) reads the request
unlocked to learn its clinic, locks that clinic, then the request, and re-checks that the request
is still in that clinic (a concurrent move may have changed it; it then gives the lock back and
tries again). A clinic-wide operation (cancel or move a clinic) locks the clinic, then its
requests, then touches offers. So a practitioner cancelling while a coordinator cancels the same
clinic queue behind one clinic lock instead of deadlocking
(``tests/clinics/test_lock_order.py``).

Every operation here:
- runs in one transaction and holds the clinic lock before it counts or changes who holds a
  slot, so concurrent bookers queue instead of racing;
- relies on the partial unique index ``one_consultation_per_slot`` as the last line of defence:
  even a bug here cannot put two consultations in one slot, and a clinic has exactly
  ``capacity`` slots;
- records the messages to send with ``notify`` inside the same transaction (outbox), and who
  did it (``by``) on the change history (``clinics.history.changed_by``).

A lock not granted in time is ``Busy``; every refusal is a ``Refused`` (clinics/refusal.py) whose message is safe to
show. Views, tasks and commands all call these functions; ``now`` is a parameter so tests can
fix it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, Q
from django.utils import timezone

from clinics.locking import Busy, lock_or_busy, lock_rows
from clinics.models import Clinic, ConsultationRequest, Slot, WaitlistOffer
from clinics.refusal import Refused
from config.history import changed_by
from config.wording import long_date
from notifications.api import Event, notify

logger = logging.getLogger(__name__)
Status = ConsultationRequest.Status
# How often ``lock_request`` re-reads a request whose clinic changed under it before giving up.
RELOCK_ATTEMPTS = 3


# The one refusal error (clinics/refusal.py), under the name booking code has always used.
BookingError = Refused


@dataclass(frozen=True)
class Placement:
    request: ConsultationRequest
    booked: bool
    waitlist_position: int | None = None


class _ClinicChanged(Exception):
    pass


# --- locks, in the one order ----------------------------------------------------------------

def _now(now: datetime | None) -> datetime:
    return now or timezone.now()


def lock_clinic(clinic_id: int) -> Clinic:
    """Lock one clinic (level 2 of the lock order), or raise ``Busy``."""
    return lock_or_busy(Clinic, clinic_id)


def lock_request(request_id: int, *, also_clinics: Iterable[int] = ()) -> ConsultationRequest:
    """Lock a request after its clinic (and ``also_clinics``), all clinics in ascending id.

    The request's clinic is read without a lock, the clinics are locked, then the request; if a
    concurrent move changed its clinic in between, the savepoint is rolled back (which releases
    the clinic locks it took) and it tries again.
    """
    for _ in range(RELOCK_ATTEMPTS):
        clinic_id = ConsultationRequest.objects.values_list("clinic_id", flat=True).get(pk=request_id)
        try:
            with transaction.atomic():
                lock_rows(Clinic, {clinic_id, *also_clinics} - {None})
                request = lock_or_busy(ConsultationRequest, request_id)
                if request.clinic_id != clinic_id:
                    raise _ClinicChanged
                return request
        except _ClinicChanged:
            continue
    raise Busy()


def _withdraw_pending_offers(request: ConsultationRequest, now: datetime, note: str) -> None:
    WaitlistOffer.objects.filter(request=request, outcome=WaitlistOffer.Outcome.PENDING).update(
        outcome=WaitlistOffer.Outcome.WITHDRAWN, decided_at=now, note=note
    )


def free_slots(clinic: Clinic):
    taken = ConsultationRequest.objects.filter(slot__clinic=clinic, status__in=ConsultationRequest.HOLDS_SLOT)
    return clinic.slots.exclude(pk__in=taken.values("slot_id")).order_by("position")


def waiting_list(clinic: Clinic):
    return ConsultationRequest.objects.filter(clinic=clinic, status=Status.WAITLISTED).order_by("waitlisted_at", "pk")


def waitlist_position(request: ConsultationRequest) -> int | None:
    if request.status != Status.WAITLISTED or request.clinic_id is None:
        return None
    ahead = waiting_list(request.clinic).filter(
        Q(waitlisted_at__lt=request.waitlisted_at) | Q(waitlisted_at=request.waitlisted_at, pk__lt=request.pk)
    )
    return ahead.count() + 1


def can_book(clinic: Clinic, user, now: datetime | None = None) -> str | None:
    """Why ``user`` may not book ``clinic`` now, or None when they may."""
    now = _now(now)
    if clinic.status != Clinic.Status.SCHEDULED:
        return "This clinic has been cancelled. Choose another date."
    if now < clinic.booking_opens_at:
        return f"Booking for this clinic opens on {timezone.localtime(clinic.booking_opens_at):%-d %B %Y}."
    if now >= clinic.booking_closes_at:
        return "Booking for this clinic has closed. Choose a later date."
    series = clinic.series
    if series is not None and not series.multi_agency:
        allowed = set(series.agency_types.values_list("pk", flat=True))
        if allowed and user.agency_type_id not in allowed:
            return "This clinic is only open to some agencies. Choose another date."
    return None


def bookable_clinics(user, now: datetime | None = None):
    """Clinics this person could book or join the waiting list of now, soonest first."""
    now = _now(now)
    candidates = Clinic.objects.open_for_booking(now).select_related("series").order_by("starts_at")
    return [c for c in candidates if can_book(c, user, now) is None]


def _take_slot(
    request: ConsultationRequest, clinic: Clinic, slot: Slot, status: str = Status.BOOKED, *, savepoint: bool = True
) -> None:
    """``savepoint=False`` when the caller's whole transaction is to be rolled back on failure
    anyway (a new submission): the Busy below then undoes everything, which is what it wants."""
    request.clinic = clinic
    request.slot = slot
    request.status = status
    request.waitlisted_at = None
    try:
        with transaction.atomic(savepoint=savepoint):
            request.save(update_fields=["clinic", "slot", "status", "waitlisted_at", "updated_at"])
    except IntegrityError as exc:
        # Cannot happen while the clinic lock is held; if it ever does, the constraint has
        # saved us from an overbooking and the person gets a calm "try again".
        logger.error("slot %s already held (request %s)", slot.pk, request.pk)
        raise Busy() from exc


def _join_waitlist(request: ConsultationRequest, clinic: Clinic, now: datetime) -> None:
    request.clinic = clinic
    request.slot = None
    request.status = Status.WAITLISTED
    request.waitlisted_at = now
    request.save(update_fields=["clinic", "slot", "status", "waitlisted_at", "updated_at"])


def placement_of(request: ConsultationRequest) -> Placement:
    """Where an already placed request stands (what a repeated submission is shown)."""
    booked = request.status in ConsultationRequest.HOLDS_SLOT
    return Placement(request, booked=booked, waitlist_position=None if booked else waitlist_position(request))


# --- operations -----------------------------------------------------------------------------

def place_request(
    request: ConsultationRequest, clinic: Clinic | None = None, *, by=None, now: datetime | None = None,
    created_here: bool = False,
) -> Placement:
    """Book ``request`` into ``clinic`` (or the next clinic with a free slot), else waitlist it.

    With no clinic given: the soonest open clinic with a free slot; if every open clinic is full,
    the waiting list of the soonest one. Every candidate clinic is locked (ascending id) before
    the request, as the lock order asks.

    ``created_here``: the caller inserted ``request`` in its own, still open, transaction (a new
    submission). No other transaction can see that row, so it is used as it is, neither read
    again nor locked, and no savepoint is needed: any failure rolls the caller's insert back too.
    """
    now = _now(now)
    with transaction.atomic(savepoint=not created_here):
        if created_here:
            requester = request.requester
        else:
            requester = ConsultationRequest.objects.select_related("requester").get(pk=request.pk).requester
        candidates = [clinic] if clinic is not None else bookable_clinics(requester, now)
        if not candidates:
            raise BookingError("There are no clinics open for booking at the moment. Please try again later.")
        # A request still to be placed is in no clinic, so its clinic cannot change under us:
        # the candidates (ascending id), then the request, is the whole lock order here.
        locked = {c.pk: c for c in lock_rows(Clinic, [c.pk for c in candidates])}
        if not created_here:
            request = lock_or_busy(ConsultationRequest, request.pk)
        if request.status != Status.REQUESTED or request.clinic_id is not None:
            raise BookingError("This request has already been placed.")
        # Read under the locks: a clinic cancelled or closed meanwhile is no longer a candidate.
        candidates = [locked[c.pk] for c in candidates]
        reasons = [can_book(c, requester, now) for c in candidates]
        if clinic is not None and reasons[0]:
            raise BookingError(reasons[0])
        candidates = [c for c, reason in zip(candidates, reasons, strict=True) if reason is None]
        if not candidates:
            raise BookingError("There are no clinics open for booking at the moment. Please try again later.")
        for candidate in candidates:
            # A free slot, unless people are already queueing here (do not jump the queue):
            # one query for both questions.
            slot = free_slots(candidate).filter(~Exists(waiting_list(candidate))).first()
            if slot is not None:
                changed_by(request, by or requester, "booked a place")
                _take_slot(request, candidate, slot, savepoint=not created_here)
                notify(Event.BOOKING_CONFIRMED, request_id=request.pk)
                return Placement(request, booked=True)
        # Full everywhere we looked: queue on the first candidate (the chosen or soonest clinic).
        changed_by(request, by or requester, "joined the waiting list")
        _join_waitlist(request, candidates[0], now)
        notify(Event.WAITLISTED, request_id=request.pk)
        return Placement(request, booked=False, waitlist_position=waitlist_position(request))


def cancel_request(
    request: ConsultationRequest, *, by, reason: str = "", now: datetime | None = None, enforce_cutoff: bool = True
) -> ConsultationRequest:
    """The practitioner (or a coordinator) cancels. A freed slot goes to the waiting list."""
    now = _now(now)
    with transaction.atomic():
        request = lock_request(request.pk)
        if request.status not in ConsultationRequest.ACTIVE:
            raise BookingError("This request cannot be cancelled because it is no longer active.")
        holding = request.status in (Status.BOOKED, Status.OFFERED)
        if request.clinic_id and enforce_cutoff and holding and now >= request.clinic.change_cutoff_at:
            raise BookingError("It is too late to cancel online. Please contact the clinic coordinator.")
        freed = request.slot if request.status in (Status.BOOKED, Status.OFFERED) else None
        was_holding = request.status == Status.BOOKED
        _withdraw_pending_offers(request, now, "Request cancelled")
        request.status = Status.CANCELLED
        request.cancelled_at = now
        if was_holding:
            request.calendar_sequence += 1
        changed_by(request, by, "cancelled the request", reason)
        request.save(update_fields=["status", "cancelled_at", "calendar_sequence", "updated_at"])
        notify(Event.BOOKING_CANCELLED, request_id=request.pk, reason=reason or "cancelled")
        if freed is not None:
            offer_freed_slot(freed, now=now)
    return request


def move_request(
    request: ConsultationRequest, to_clinic: Clinic, *, by, now: datetime | None = None, enforce_cutoff: bool = True
) -> Placement:
    """Move to another date: booked there if a slot is free, otherwise onto its waiting list.

    Both clinics are locked in id order, before the request, so two opposite moves cannot
    deadlock.
    """
    now = _now(now)
    with transaction.atomic():
        request = lock_request(request.pk, also_clinics=[to_clinic.pk])
        if request.status not in (Status.BOOKED, Status.WAITLISTED, Status.OFFERED):
            raise BookingError("Only a booked or waiting request can be moved.")
        if request.clinic_id == to_clinic.pk:
            raise BookingError("Your request is already for that date. Choose a different date.")
        old_clinic = request.clinic
        if enforce_cutoff and request.status == Status.BOOKED and now >= old_clinic.change_cutoff_at:
            raise BookingError("It is too late to move this booking online. Please contact the clinic coordinator.")
        target = Clinic.objects.get(pk=to_clinic.pk)
        reason = can_book(target, request.requester, now)
        if reason:
            raise BookingError(reason)
        freed = request.slot if request.status in (Status.BOOKED, Status.OFFERED) else None
        was_booked = request.status == Status.BOOKED
        _withdraw_pending_offers(request, now, "Request moved")
        changed_by(request, by, f"moved the request to {long_date(target.starts_at)}")
        slot = None if waiting_list(target).exists() else free_slots(target).first()
        if slot is not None:
            if was_booked:
                request.calendar_sequence += 1
            # Release the old slot first so the unique index sees one holder at a time.
            request.status = Status.REQUESTED
            request.slot = None
            request.save(update_fields=["status", "slot", "calendar_sequence", "updated_at"])
            _take_slot(request, target, slot)
            notify(Event.BOOKING_MOVED if was_booked else Event.BOOKING_CONFIRMED, request_id=request.pk)
            placement = Placement(request, booked=True)
        else:
            if was_booked:
                request.calendar_sequence += 1
                request.save(update_fields=["calendar_sequence"])
                # Leaving a booked slot for a waiting list: their calendar entry is withdrawn.
                notify(Event.BOOKING_CANCELLED, request_id=request.pk, reason="moved_to_waiting_list")
            _join_waitlist(request, target, now)
            notify(Event.WAITLISTED, request_id=request.pk)
            placement = Placement(request, booked=False, waitlist_position=waitlist_position(request))
        if freed is not None:
            offer_freed_slot(freed, now=now)
        logger.info("request %s moved from clinic %s to %s", request.pk, old_clinic.pk, target.pk)
        return placement


def offer_freed_slot(slot: Slot, *, now: datetime | None = None) -> WaitlistOffer | None:
    """Hold ``slot`` for the first person waiting for its clinic, for a limited time.

    The hold is a request in status OFFERED on that slot, so it counts against capacity; the
    WaitlistOffer row records who was offered what, when, and what became of it. The service
    makes the offer: its history row has no person.
    """
    now = _now(now)
    with transaction.atomic():
        clinic = lock_clinic(slot.clinic_id)
        if clinic.status != Clinic.Status.SCHEDULED or now >= clinic.booking_closes_at:
            return None
        if not free_slots(clinic).filter(pk=slot.pk).exists():
            return None
        queue = list(waiting_list(clinic).values_list("pk", flat=True))
        if not queue:
            return None
        lock_rows(ConsultationRequest, queue)  # ascending id, after the clinic
        first = ConsultationRequest.objects.get(pk=queue[0])
        expires = min(now + timedelta(hours=settings.WAITLIST_OFFER_HOURS), clinic.booking_closes_at)
        changed_by(first, None, "offered a freed place")
        _take_slot(first, clinic, slot, status=Status.OFFERED)
        offer = WaitlistOffer.objects.create(
            request=first,
            slot=slot,
            position_when_offered=1,
            waiting_when_offered=len(queue),
            offered_at=now,
            expires_at=expires,
        )
        notify(Event.PLACE_OFFERED, offer_id=offer.pk)
        return offer


def _decide_offer(
    offer: WaitlistOffer, outcome: str, now: datetime
) -> tuple[WaitlistOffer, ConsultationRequest, bool]:
    """Record the person's answer to a still-open offer; the caller holds the transaction.

    Clinic, then request, then offer (the lock order). Returns whether this call decided it:
    the same answer given twice (a double submit) is the first answer, not an error.
    """
    request = lock_request(offer.request_id)
    offer = WaitlistOffer.objects.select_for_update().get(pk=offer.pk)
    if offer.outcome == outcome:
        return offer, request, False
    if offer.outcome != WaitlistOffer.Outcome.PENDING:
        raise BookingError("This offer is no longer open.")
    if outcome == WaitlistOffer.Outcome.ACCEPTED and now >= offer.expires_at:
        raise BookingError("Sorry, this offer has expired and the place is being offered to the next person waiting.")
    offer.outcome = outcome
    offer.decided_at = now
    offer.save(update_fields=["outcome", "decided_at"])
    return offer, request, True


def accept_offer(offer: WaitlistOffer, *, by, now: datetime | None = None) -> ConsultationRequest:
    now = _now(now)
    with transaction.atomic():
        offer, request, decided = _decide_offer(offer, WaitlistOffer.Outcome.ACCEPTED, now)
        if decided:
            request.status = Status.BOOKED
            changed_by(request, by, "accepted the offered place")
            request.save(update_fields=["status", "updated_at"])
            notify(Event.BOOKING_CONFIRMED, request_id=request.pk)
        return request


def decline_offer(offer: WaitlistOffer, *, by, now: datetime | None = None) -> ConsultationRequest:
    """Turning the place down also takes the request off the waiting list."""
    now = _now(now)
    with transaction.atomic():
        offer, request, decided = _decide_offer(offer, WaitlistOffer.Outcome.DECLINED, now)
        if decided:
            request.status = Status.CANCELLED
            request.cancelled_at = now
            changed_by(request, by, "declined the offered place")
            request.save(update_fields=["status", "cancelled_at", "updated_at"])
            notify(Event.BOOKING_CANCELLED, request_id=request.pk, reason="offer_declined")
            offer_freed_slot(offer.slot, now=now)
        return request


def expire_offers(*, now: datetime | None = None) -> int:
    """Pass expired holds to the next person waiting. Safe to run twice: each offer is claimed
    under its clinic and request locks and only a still-pending one is expired."""
    now = _now(now)
    expired = 0
    due = list(
        WaitlistOffer.objects.filter(outcome=WaitlistOffer.Outcome.PENDING, expires_at__lte=now).values_list(
            "pk", "request_id"
        )
    )
    for offer_id, request_id in due:
        with transaction.atomic():
            request = lock_request(request_id)
            offer = WaitlistOffer.objects.select_for_update().get(pk=offer_id)
            if offer.outcome != WaitlistOffer.Outcome.PENDING:
                continue
            offer.outcome = WaitlistOffer.Outcome.EXPIRED
            offer.decided_at = now
            offer.save(update_fields=["outcome", "decided_at"])
            # Not answered in time: back to the end of the queue rather than removed, so an
            # away-from-desk practitioner still gets a later chance.
            changed_by(request, None, "offer expired")
            _join_waitlist(request, request.clinic, now)
            offer_freed_slot(offer.slot, now=now)
            expired += 1
    return expired
