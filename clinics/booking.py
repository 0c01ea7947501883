"""Booking, waiting list and offers: the operations that must never overbook or lose a place.

Every operation here:
- runs in one transaction and locks the clinic row (``select_for_update``) before it counts or
  changes who holds a slot, so concurrent bookers queue instead of racing;
- relies on the partial unique index ``one_consultation_per_slot`` as the last line of defence:
  even a bug here cannot put two consultations in one slot, and a clinic has exactly
  ``capacity`` slots;
- records the messages to send with ``notify`` inside the same transaction (outbox).

Views, tasks and commands all call these functions; ``now`` is a parameter so tests can fix it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, OperationalError, transaction
from django.db.models import Q
from django.utils import timezone

from clinics.models import Clinic, ConsultationRequest, Slot, WaitlistOffer
from clinics.refusal import Refused
from notifications.api import Event, notify

logger = logging.getLogger(__name__)
Status = ConsultationRequest.Status


# The one refusal error (clinics/refusal.py), under the name booking code has always used.
BookingError = Refused


class ClinicBusy(BookingError):
    def __init__(self) -> None:
        super().__init__(
            "Lots of people are booking this clinic right now. Nothing has been saved: please try again in a moment."
        )


@dataclass(frozen=True)
class Placement:
    request: ConsultationRequest
    booked: bool
    waitlist_position: int | None = None


# --- helpers --------------------------------------------------------------------------------

def _now(now: datetime | None) -> datetime:
    return now or timezone.now()


def _lock_clinic(clinic_id: int) -> Clinic:
    try:
        return Clinic.objects.select_for_update().get(pk=clinic_id)
    except OperationalError as exc:  # lock_timeout on PostgreSQL, "database is locked" on SQLite
        logger.warning("clinic %s lock not acquired: %s", clinic_id, type(exc).__name__)
        raise ClinicBusy from exc


def _lock_request(request_id: int) -> ConsultationRequest:
    return ConsultationRequest.objects.select_for_update().get(pk=request_id)


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


def _take_slot(request: ConsultationRequest, clinic: Clinic, slot: Slot, status: str = Status.BOOKED) -> None:
    request.clinic = clinic
    request.slot = slot
    request.status = status
    request.waitlisted_at = None
    try:
        with transaction.atomic():
            request.save(update_fields=["clinic", "slot", "status", "waitlisted_at", "updated_at"])
    except IntegrityError as exc:
        # Cannot happen while the clinic lock is held; if it ever does, the constraint has
        # saved us from an overbooking and the person gets a calm "try again".
        logger.error("slot %s already held (request %s)", slot.pk, request.pk)
        raise ClinicBusy from exc


def _join_waitlist(request: ConsultationRequest, clinic: Clinic, now: datetime) -> None:
    request.clinic = clinic
    request.slot = None
    request.status = Status.WAITLISTED
    request.waitlisted_at = now
    request.save(update_fields=["clinic", "slot", "status", "waitlisted_at", "updated_at"])


# --- operations -----------------------------------------------------------------------------

def place_request(request: ConsultationRequest, clinic: Clinic | None = None, *, now: datetime | None = None) -> Placement:
    """Book ``request`` into ``clinic`` (or the next clinic with a free slot), else waitlist it.

    With no clinic given: the soonest open clinic with a free slot; if every open clinic is full,
    the waiting list of the soonest one.
    """
    now = _now(now)
    with transaction.atomic():
        request = _lock_request(request.pk)
        if request.status not in (Status.REQUESTED,):
            raise BookingError("This request has already been placed.")
        if clinic is None:
            candidates = bookable_clinics(request.requester, now)
            if not candidates:
                raise BookingError("There are no clinics open for booking at the moment. Please try again later.")
        else:
            reason = can_book(clinic, request.requester, now)
            if reason:
                raise BookingError(reason)
            candidates = [clinic]
        for candidate in candidates:
            locked = _lock_clinic(candidate.pk)
            if waiting_list(locked).exists():
                continue  # people are already queueing here: do not jump the queue
            slot = free_slots(locked).first()
            if slot is not None:
                _take_slot(request, locked, slot)
                notify(Event.BOOKING_CONFIRMED, request_id=request.pk)
                return Placement(request, booked=True)
        # Full everywhere we looked: queue on the first candidate (the chosen or soonest clinic).
        target = _lock_clinic(candidates[0].pk)
        _join_waitlist(request, target, now)
        notify(Event.WAITLISTED, request_id=request.pk)
        return Placement(request, booked=False, waitlist_position=waitlist_position(request))


def _after_slot_freed(slot: Slot | None, now: datetime) -> None:
    if slot is not None:
        offer_freed_slot(slot, now=now)


def cancel_request(
    request: ConsultationRequest, *, by, reason: str = "", now: datetime | None = None, enforce_cutoff: bool = True
) -> ConsultationRequest:
    """The practitioner (or a coordinator) cancels. A freed slot goes to the waiting list."""
    now = _now(now)
    with transaction.atomic():
        request = _lock_request(request.pk)
        if request.status not in ConsultationRequest.ACTIVE:
            raise BookingError("This request cannot be cancelled because it is no longer active.")
        if request.clinic_id:
            _lock_clinic(request.clinic_id)
            if enforce_cutoff and request.status in (Status.BOOKED, Status.OFFERED) and now >= request.clinic.change_cutoff_at:
                raise BookingError(
                    "It is too late to cancel online. Please contact the clinic coordinator."
                )
        freed = request.slot if request.status in (Status.BOOKED, Status.OFFERED) else None
        was_holding = request.status == Status.BOOKED
        WaitlistOffer.objects.filter(request=request, outcome=WaitlistOffer.Outcome.PENDING).update(
            outcome=WaitlistOffer.Outcome.WITHDRAWN, decided_at=now, note="Request cancelled"
        )
        request.status = Status.CANCELLED
        request.cancelled_at = now
        if was_holding:
            request.calendar_sequence += 1
        request.save(update_fields=["status", "cancelled_at", "calendar_sequence", "updated_at"])
        notify(Event.BOOKING_CANCELLED, request_id=request.pk, reason=reason or "cancelled")
        _after_slot_freed(freed, now)
    return request


def move_request(
    request: ConsultationRequest, to_clinic: Clinic, *, by, now: datetime | None = None, enforce_cutoff: bool = True
) -> Placement:
    """Move to another date: booked there if a slot is free, otherwise onto its waiting list.

    Both clinics are locked in id order so two opposite moves cannot deadlock.
    """
    now = _now(now)
    with transaction.atomic():
        request = _lock_request(request.pk)
        if request.status not in (Status.BOOKED, Status.WAITLISTED, Status.OFFERED):
            raise BookingError("Only a booked or waiting request can be moved.")
        if request.clinic_id == to_clinic.pk:
            raise BookingError("Your request is already for that date. Choose a different date.")
        for clinic_id in sorted({request.clinic_id, to_clinic.pk}):
            _lock_clinic(clinic_id)
        old_clinic = request.clinic
        if enforce_cutoff and request.status == Status.BOOKED and now >= old_clinic.change_cutoff_at:
            raise BookingError("It is too late to move this booking online. Please contact the clinic coordinator.")
        reason = can_book(to_clinic, request.requester, now)
        if reason:
            raise BookingError(reason)
        freed = request.slot if request.status in (Status.BOOKED, Status.OFFERED) else None
        was_booked = request.status == Status.BOOKED
        WaitlistOffer.objects.filter(request=request, outcome=WaitlistOffer.Outcome.PENDING).update(
            outcome=WaitlistOffer.Outcome.WITHDRAWN, decided_at=now, note="Request moved"
        )
        target = Clinic.objects.get(pk=to_clinic.pk)
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
        _after_slot_freed(freed, now)
        logger.info("request %s moved from clinic %s to %s", request.pk, old_clinic.pk, target.pk)
        return placement


def offer_freed_slot(slot: Slot, *, now: datetime | None = None) -> WaitlistOffer | None:
    """Hold ``slot`` for the first person waiting for its clinic, for a limited time.

    The hold is a request in status OFFERED on that slot, so it counts against capacity; the
    WaitlistOffer row records who was offered what, when, and what became of it.
    """
    now = _now(now)
    with transaction.atomic():
        clinic = _lock_clinic(slot.clinic_id)
        if clinic.status != Clinic.Status.SCHEDULED or now >= clinic.booking_closes_at:
            return None
        if not free_slots(clinic).filter(pk=slot.pk).exists():
            return None
        queue = waiting_list(clinic).select_for_update()
        first = queue.first()
        if first is None:
            return None
        position, waiting = 1, queue.count()
        expires = min(now + timedelta(hours=settings.WAITLIST_OFFER_HOURS), clinic.booking_closes_at)
        _take_slot(first, clinic, slot, status=Status.OFFERED)
        offer = WaitlistOffer.objects.create(
            request=first,
            slot=slot,
            position_when_offered=position,
            waiting_when_offered=waiting,
            offered_at=now,
            expires_at=expires,
        )
        notify(Event.PLACE_OFFERED, offer_id=offer.pk)
        return offer


def _decide_offer(offer: WaitlistOffer, outcome: str, now: datetime) -> tuple[WaitlistOffer, ConsultationRequest]:
    """Record the person's answer to a still-open offer; the caller holds the transaction."""
    _lock_clinic(offer.slot.clinic_id)
    offer = WaitlistOffer.objects.select_for_update().get(pk=offer.pk)
    if offer.outcome != WaitlistOffer.Outcome.PENDING:
        raise BookingError("This offer is no longer open.")
    if outcome == WaitlistOffer.Outcome.ACCEPTED and now >= offer.expires_at:
        raise BookingError("Sorry, this offer has expired and the place is being offered to the next person waiting.")
    request = _lock_request(offer.request_id)
    offer.outcome = outcome
    offer.decided_at = now
    offer.save(update_fields=["outcome", "decided_at"])
    return offer, request


def accept_offer(offer: WaitlistOffer, *, by, now: datetime | None = None) -> ConsultationRequest:
    now = _now(now)
    with transaction.atomic():
        offer, request = _decide_offer(offer, WaitlistOffer.Outcome.ACCEPTED, now)
        request.status = Status.BOOKED
        request.save(update_fields=["status", "updated_at"])
        notify(Event.BOOKING_CONFIRMED, request_id=request.pk)
        return request


def decline_offer(offer: WaitlistOffer, *, by, now: datetime | None = None) -> ConsultationRequest:
    """Turning the place down also takes the request off the waiting list."""
    now = _now(now)
    with transaction.atomic():
        offer, request = _decide_offer(offer, WaitlistOffer.Outcome.DECLINED, now)
        request.status = Status.CANCELLED
        request.cancelled_at = now
        request.save(update_fields=["status", "cancelled_at", "updated_at"])
        notify(Event.BOOKING_CANCELLED, request_id=request.pk, reason="offer_declined")
        _after_slot_freed(offer.slot, now)
        return request


def expire_offers(*, now: datetime | None = None) -> int:
    """Pass expired holds to the next person waiting. Safe to run twice: each offer is claimed
    under its clinic lock and only a still-pending one is expired."""
    now = _now(now)
    expired = 0
    due = list(
        WaitlistOffer.objects.filter(outcome=WaitlistOffer.Outcome.PENDING, expires_at__lte=now).values_list(
            "pk", "slot__clinic_id"
        )
    )
    for offer_id, clinic_id in due:
        with transaction.atomic():
            _lock_clinic(clinic_id)
            offer = WaitlistOffer.objects.select_for_update().get(pk=offer_id)
            if offer.outcome != WaitlistOffer.Outcome.PENDING:
                continue
            offer.outcome = WaitlistOffer.Outcome.EXPIRED
            offer.decided_at = now
            offer.save(update_fields=["outcome", "decided_at"])
            request = _lock_request(offer.request_id)
            # Not answered in time: back to the end of the queue rather than removed, so an
            # away-from-desk practitioner still gets a later chance.
            _join_waitlist(request, request.clinic, now)
            _after_slot_freed(offer.slot, now)
            expired += 1
    return expired
