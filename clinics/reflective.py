"""Practice leads' reflective sessions: booking a place, apologies, the register and the notes.

Capacity is protected the same way as clinic slots: the session row is locked
(``clinics/locking.py``) before places are counted, so two leads taking the last place queue
one behind the other and the second joins the waiting list (clinics/reflective_waitlist.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from accounts.models import Role
from clinics.locking import Busy
from clinics.models import FormOfAbuse, PathwayStage, ReflectiveAttendance, ReflectiveSession, Resource
from clinics.reflective_waitlist import (
    HOLDS_PLACE,
    WHAT,
    free_places,
    join_waitlist,
    lock_session,
    offer_free_places,
    waiting_list,
)
from clinics.refusal import Refused
from clinics.services import ClinicAvailability
from config.history import changed_by
from notifications.api import Event, notify

Status = ReflectiveAttendance.Status
# Statuses that count as a place taken (an offer holds a place but is not yet taken).
TAKES_PLACE = (Status.BOOKED, Status.ATTENDED)


@dataclass(frozen=True)
class SessionPlaces:
    session: ReflectiveSession
    booked: int  # places held: booked, attended or on offer
    my_status: str | None
    waiting: int = 0

    @property
    def places_left(self) -> int:
        return max(self.session.capacity - self.booked, 0)

    @property
    def my_status_label(self) -> str:
        return Status(self.my_status).label if self.my_status else "Not booked"

    @property
    def i_am_booked(self) -> bool:
        return self.my_status in TAKES_PLACE


# --- access and reading ---------------------------------------------------------------------

def get_session_for_lead(user, pk: int) -> ReflectiveSession:
    """A reflective session, for practice leads and coordinators (404 if there is none)."""
    if not (user.has_role(Role.PRACTICE_LEAD) or user.has_role(Role.COORDINATOR)):
        raise PermissionDenied("Reflective sessions are for practice leads.")
    session = ReflectiveSession.objects.filter(pk=pk).select_related("series").first()
    if session is None:
        raise Http404("No such reflective session")
    return session


def with_places(sessions: QuerySet[ReflectiveSession], user) -> list[SessionPlaces]:
    """Places held, people waiting and ``user``'s own status for each session (two queries)."""
    rows = list(sessions.annotate(
        taken=Count("register", filter=Q(register__status__in=HOLDS_PLACE)),
        queue=Count("register", filter=Q(register__status=Status.WAITLISTED)),
    ))
    mine = dict(
        ReflectiveAttendance.objects.filter(session__in=[s.pk for s in rows], lead=user).values_list("session_id", "status")
    )
    return [SessionPlaces(s, s.taken, mine.get(s.pk), s.queue) for s in rows]


def upcoming_sessions(now: datetime | None = None) -> QuerySet[ReflectiveSession]:
    now = now or timezone.now()
    return ReflectiveSession.objects.filter(status=ReflectiveSession.Status.SCHEDULED, starts_at__gt=now).order_by("starts_at")


def register_for(session: ReflectiveSession) -> QuerySet[ReflectiveAttendance]:
    return session.register.select_related("lead").order_by("lead__full_name", "lead__email")


# --- operations -----------------------------------------------------------------------------

def book_place(session: ReflectiveSession, lead, *, now: datetime | None = None) -> ReflectiveAttendance:
    """Take a place for ``lead``, or join the waiting list when the session is full (or others
    are already waiting); refuse when the session is cancelled or has started."""
    now = now or timezone.now()
    with transaction.atomic():
        session = lock_session(session.pk)
        if session.is_cancelled:
            raise Refused("This session has been cancelled.")
        if now >= session.starts_at:
            raise Refused("This session has already started, so places can no longer be booked.")
        entry = session.register.select_for_update().filter(lead=lead).first()
        if entry is not None and entry.status in (*TAKES_PLACE, Status.OFFERED):
            raise Refused("You already have a place at this session.")
        if entry is not None and entry.status == Status.WAITLISTED:
            raise Refused("You are already on the waiting list for this session.")
        if entry is None:
            entry = ReflectiveAttendance(session=session, lead=lead, status=Status.INVITED)
        changed_by(entry, lead, "asked for a place")
        places = free_places(session)
        if not places or waiting_list(session).exists():
            entry.save()
            join_waitlist(entry, now)
            notify(Event.REFLECTIVE_WAITLISTED, booking_id=entry.pk)
            return entry
        if entry.pk is not None:
            # A rebooking after apologies re-sends the invite: calendars want a higher SEQUENCE.
            entry.calendar_sequence += 1
        entry.status = Status.BOOKED
        entry.place = places[0]
        entry.waitlisted_at = None
        try:
            with transaction.atomic():
                entry.save()
        except IntegrityError as exc:
            # Only reachable if the session lock failed us: the unique place kept the count true.
            raise Busy(WHAT) from exc
        notify(Event.REFLECTIVE_INVITATION, booking_id=entry.pk)
        return entry


def send_apologies(session: ReflectiveSession, lead, *, now: datetime | None = None) -> ReflectiveAttendance:
    """Record that ``lead`` cannot come; a place they held goes to the first lead waiting."""
    now = now or timezone.now()
    with transaction.atomic():
        session = lock_session(session.pk)
        if now >= session.ends_at:
            raise Refused("This session has finished. Ask a practice lead to correct the register instead.")
        entry, created = ReflectiveAttendance.objects.get_or_create(
            session=session, lead=lead, defaults={"status": Status.APOLOGIES}
        )
        if not created:
            if entry.status == Status.APOLOGIES:
                raise Refused("You have already sent apologies for this session.")
            entry = ReflectiveAttendance.objects.select_for_update().get(pk=entry.pk)
            was_booked = entry.status in (Status.BOOKED, Status.OFFERED)
            if entry.status == Status.BOOKED:
                entry.calendar_sequence += 1
            changed_by(entry, lead, "sent apologies")
            entry.status = Status.APOLOGIES
            entry.place = None  # the place is free for someone else
            entry.offer_expires_at = None
            entry.waitlisted_at = None
            entry.save(update_fields=["status", "place", "offer_expires_at", "waitlisted_at", "calendar_sequence",
                                      "updated_at"])
            if was_booked:
                notify(Event.REFLECTIVE_CANCELLED, booking_id=entry.pk, reason="apologies")
                offer_free_places(session, now=now)
        return entry


def record_register(
    session: ReflectiveSession, *, by, attended: Iterable[int], now: datetime | None = None
) -> list[ReflectiveAttendance]:
    """Mark who came. ``attended`` holds register-entry ids; booked entries not in it stay
    booked (they did not come), attended ones not in it go back to booked (a correction)."""
    now = now or timezone.now()
    attended = set(attended)
    with transaction.atomic():
        session = lock_session(session.pk)
        if session.is_cancelled:
            raise Refused("This session was cancelled, so there is no register to record.")
        if now < session.starts_at:
            raise Refused("You can record the register once the session has started.")
        entries = list(session.register.select_for_update().order_by("pk"))
        unknown = attended - {e.pk for e in entries}
        if unknown:
            raise Refused("Choose people from this session's register.")
        for entry in entries:
            changed_by(entry, by, "recorded the register")
            if entry.pk in attended and entry.status != Status.ATTENDED:
                entry.status = Status.ATTENDED
                entry.save(update_fields=["status", "updated_at"])
            elif entry.pk not in attended and entry.status == Status.ATTENDED:
                entry.status = Status.BOOKED
                entry.save(update_fields=["status", "updated_at"])
        return entries


def record_session_notes(
    session: ReflectiveSession,
    *,
    by,
    themes: Iterable[FormOfAbuse],
    notes: str,
    resources: Iterable[Resource],
    stages: Iterable[PathwayStage] = (),
    now: datetime | None = None,
) -> ReflectiveSession:
    """Topics discussed (forms of CSA, pathway stages), anonymised notes and resources shared."""
    now = now or timezone.now()
    with transaction.atomic():
        session = lock_session(session.pk)
        if session.is_cancelled:
            raise Refused("This session was cancelled, so there is nothing to record.")
        if now < session.starts_at:
            raise Refused("You can record what was discussed once the session has started.")
        if session.notes_erased_at is not None:
            raise Refused("The notes of this session were erased under the retention policy.")
        session.notes = notes.strip()
        changed_by(session, by, "recorded what was discussed")
        session.save(update_fields=["notes"])
        session.themes.set(list(themes))
        session.stages.set(list(stages))
        session.resources.set(list(resources))
        return session


def session_availability(sessions: QuerySet[ReflectiveSession]) -> list[ClinicAvailability]:
    """Free and waiting counts per session, in the shape the coordinator's dates table reads."""
    rows = sessions.annotate(
        held=Count("register", filter=Q(register__status__in=HOLDS_PLACE)),
        waiting=Count("register", filter=Q(register__status=Status.WAITLISTED)),
    )
    return [ClinicAvailability(s, max(s.capacity - s.held, 0), s.waiting) for s in rows]
