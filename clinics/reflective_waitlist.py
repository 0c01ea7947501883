"""The waiting list of a reflective session, served in order by the clinic waitlist's rules.

- A lead who asks for a place when the session is full, or when others are already waiting,
  joins the end of the queue (``waitlisted_at``, then id): nobody jumps the queue.
- A freed place (apologies, a declined or expired offer, more places) is offered to the first
  lead waiting and *held* for them (status OFFERED, with a numbered place) until
  ``WAITLIST_OFFER_HOURS`` later or the start of the session, whichever comes first.
- Accepting in time books the place (invitation with a calendar file); declining takes the
  lead off the list; an offer not answered in time goes back to the end of the queue (an
  away-from-desk lead still gets a later chance) and the place goes to the next lead.

Every function that changes the register runs under the session lock (clinics/locking.py
order: session, then register rows); ``offer_free_places`` expects the caller to hold it.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from clinics.locking import lock_or_busy
from clinics.models import ReflectiveAttendance, ReflectiveSession
from clinics.refusal import Refused
from config.history import changed_by
from notifications.api import Event, notify

Status = ReflectiveAttendance.Status
# Statuses that hold one of the session's numbered places.
HOLDS_PLACE = (Status.BOOKED, Status.OFFERED, Status.ATTENDED)
WHAT = "this session"


def lock_session(session_id: int) -> ReflectiveSession:
    return lock_or_busy(ReflectiveSession, session_id, what=WHAT)


def waiting_list(session: ReflectiveSession) -> QuerySet[ReflectiveAttendance]:
    return session.register.filter(status=Status.WAITLISTED).order_by("waitlisted_at", "pk")


def waitlist_position(entry: ReflectiveAttendance) -> int | None:
    if entry.status != Status.WAITLISTED:
        return None
    ahead = waiting_list(entry.session).filter(
        Q(waitlisted_at__lt=entry.waitlisted_at) | Q(waitlisted_at=entry.waitlisted_at, pk__lt=entry.pk)
    )
    return ahead.count() + 1


def free_places(session: ReflectiveSession) -> list[int]:
    used = set(session.register.filter(status__in=HOLDS_PLACE).exclude(place=None).values_list("place", flat=True))
    return [p for p in range(1, session.capacity + 1) if p not in used]


def join_waitlist(entry: ReflectiveAttendance, now: datetime) -> None:
    entry.status = Status.WAITLISTED
    entry.place = None
    entry.offer_expires_at = None
    entry.waitlisted_at = now
    entry.save(update_fields=["status", "place", "offer_expires_at", "waitlisted_at", "updated_at"])


def offer_free_places(session: ReflectiveSession, *, now: datetime) -> list[ReflectiveAttendance]:
    """Offer each free place to the next lead waiting. The caller holds the session lock."""
    if session.is_cancelled or now >= session.starts_at:
        return []
    offered = []
    for place in free_places(session):
        first = waiting_list(session).select_for_update().first()
        if first is None:
            break
        first.status = Status.OFFERED
        first.place = place
        first.offer_expires_at = min(now + timedelta(hours=settings.WAITLIST_OFFER_HOURS), session.starts_at)
        first.save(update_fields=["status", "place", "offer_expires_at", "updated_at"])
        notify(Event.REFLECTIVE_OFFERED, booking_id=first.pk)
        offered.append(first)
    return offered


def _open_offer(session: ReflectiveSession, lead, now: datetime) -> ReflectiveAttendance:
    entry = session.register.select_for_update().filter(lead=lead, status=Status.OFFERED).first()
    if entry is None:
        raise Refused("There is no place on offer to you at this session.")
    if now >= entry.offer_expires_at:
        raise Refused("Sorry, this offer has expired and the place is being offered to the next person waiting.")
    return entry


def accept_place(session: ReflectiveSession, lead, *, by, now: datetime | None = None) -> ReflectiveAttendance:
    """The lead takes the place held for them: booked, with an invitation."""
    now = now or timezone.now()
    with transaction.atomic():
        session = lock_session(session.pk)
        entry = _open_offer(session, lead, now)
        changed_by(entry, by, "accepted the offered place")
        entry.status = Status.BOOKED
        entry.offer_expires_at = None
        entry.waitlisted_at = None
        entry.save(update_fields=["status", "offer_expires_at", "waitlisted_at", "updated_at"])
        notify(Event.REFLECTIVE_INVITATION, booking_id=entry.pk)
        return entry


def decline_place(session: ReflectiveSession, lead, *, by, now: datetime | None = None) -> ReflectiveAttendance:
    """Turning the place down also takes the lead off the waiting list; the next lead is offered it."""
    now = now or timezone.now()
    with transaction.atomic():
        session = lock_session(session.pk)
        entry = session.register.select_for_update().filter(lead=lead, status=Status.OFFERED).first()
        if entry is None:
            raise Refused("There is no place on offer to you at this session.")
        changed_by(entry, by, "declined the offered place")
        entry.status = Status.APOLOGIES
        entry.place = None
        entry.offer_expires_at = None
        entry.waitlisted_at = None
        entry.save(update_fields=["status", "place", "offer_expires_at", "waitlisted_at", "updated_at"])
        notify(Event.REFLECTIVE_CANCELLED, booking_id=entry.pk, reason="offer_declined")
        offer_free_places(session, now=now)
        return entry


def expire_place_offers(*, now: datetime | None = None) -> int:
    """Pass unanswered offers to the next lead waiting. Safe to run twice: each offer is
    re-checked under its session lock."""
    now = now or timezone.now()
    due = ReflectiveAttendance.objects.filter(status=Status.OFFERED, offer_expires_at__lte=now)
    expired = 0
    for session_id in sorted(set(due.values_list("session_id", flat=True))):
        with transaction.atomic():
            session = lock_session(session_id)
            rows = session.register.select_for_update().filter(status=Status.OFFERED, offer_expires_at__lte=now)
            for entry in rows.order_by("pk"):
                join_waitlist(entry, now)
                expired += 1
            offer_free_places(session, now=now)
    return expired
