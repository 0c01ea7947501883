"""Practice leads' reflective sessions: booking a place, apologies, the register and the notes.

Capacity is protected the same way as clinic slots: the session row is locked
(``select_for_update``) before places are counted, so two leads taking the last place queue
one behind the other and the second is told the session is full.
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
from clinics.locking import lock_or_busy
from clinics.models import FormOfAbuse, ReflectiveAttendance, ReflectiveSession, Resource
from config.history import changed_by
from notifications.api import Event, notify

Status = ReflectiveAttendance.Status
# Statuses that take one of the session's places.
TAKES_PLACE = (Status.BOOKED, Status.ATTENDED)


class ReflectiveError(Exception):
    """A reflective-session action that cannot be done; ``str(exc)`` is safe to show."""


@dataclass(frozen=True)
class SessionPlaces:
    session: ReflectiveSession
    booked: int
    my_status: str | None

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
    """Booked count and ``user``'s own status for each session (two queries)."""
    rows = list(sessions.annotate(taken=Count("register", filter=Q(register__status__in=TAKES_PLACE))))
    mine = dict(
        ReflectiveAttendance.objects.filter(session__in=[s.pk for s in rows], lead=user).values_list("session_id", "status")
    )
    return [SessionPlaces(s, s.taken, mine.get(s.pk)) for s in rows]


def upcoming_sessions(now: datetime | None = None) -> QuerySet[ReflectiveSession]:
    now = now or timezone.now()
    return ReflectiveSession.objects.filter(status=ReflectiveSession.Status.SCHEDULED, starts_at__gt=now).order_by("starts_at")


def register_for(session: ReflectiveSession) -> QuerySet[ReflectiveAttendance]:
    return session.register.select_related("lead").order_by("lead__full_name", "lead__email")


# --- operations -----------------------------------------------------------------------------

def _lock_session(session_id: int) -> ReflectiveSession:
    return lock_or_busy(ReflectiveSession, session_id, what="this session")


def book_place(session: ReflectiveSession, lead, *, now: datetime | None = None) -> ReflectiveAttendance:
    """Take a place for ``lead``; refuse when the session is full, cancelled or has started."""
    now = now or timezone.now()
    with transaction.atomic():
        session = _lock_session(session.pk)
        if session.status != ReflectiveSession.Status.SCHEDULED:
            raise ReflectiveError("This session has been cancelled.")
        if now >= session.starts_at:
            raise ReflectiveError("This session has already started, so places can no longer be booked.")
        entry = ReflectiveAttendance.objects.filter(session=session, lead=lead).first()
        if entry is not None and entry.status in TAKES_PLACE:
            raise ReflectiveError("You already have a place at this session.")
        holders = session.register.filter(status__in=TAKES_PLACE)
        taken = holders.count()
        used = set(holders.exclude(place=None).values_list("place", flat=True))
        free_places = [p for p in range(1, session.capacity + 1) if p not in used]
        if taken >= session.capacity or not free_places:
            raise ReflectiveError(
                f"This session is full: all {session.capacity} places are taken. Choose another date or "
                "ask the coordinator about a place."
            )
        try:
            with transaction.atomic():
                if entry is None:
                    entry = ReflectiveAttendance.objects.create(
                        session=session, lead=lead, status=Status.BOOKED, place=free_places[0]
                    )
                else:
                    entry.status = Status.BOOKED
                    entry.place = free_places[0]
                    # A rebooking after apologies re-sends the invite: calendars want a higher SEQUENCE.
                    entry.calendar_sequence += 1
                    entry.save(update_fields=["status", "place", "calendar_sequence", "updated_at"])
        except IntegrityError as exc:
            # Only reachable if the session lock failed us: the unique place kept the count true.
            raise ReflectiveError(
                "Lots of people are booking this session right now. Nothing has been saved: please try again."
            ) from exc
        notify(Event.REFLECTIVE_INVITATION, booking_id=entry.pk)
        return entry


def send_apologies(session: ReflectiveSession, lead, *, now: datetime | None = None) -> ReflectiveAttendance:
    """Record that ``lead`` cannot come; a booked place is freed for someone else."""
    now = now or timezone.now()
    with transaction.atomic():
        session = _lock_session(session.pk)
        if now >= session.ends_at:
            raise ReflectiveError("This session has finished. Ask a practice lead to correct the register instead.")
        entry, created = ReflectiveAttendance.objects.get_or_create(
            session=session, lead=lead, defaults={"status": Status.APOLOGIES}
        )
        if not created:
            if entry.status == Status.APOLOGIES:
                raise ReflectiveError("You have already sent apologies for this session.")
            was_booked = entry.status == Status.BOOKED
            if was_booked:
                entry.calendar_sequence += 1
            entry.status = Status.APOLOGIES
            entry.place = None  # the place is free for someone else
            entry.save(update_fields=["status", "place", "calendar_sequence", "updated_at"])
            if was_booked:
                notify(Event.REFLECTIVE_CANCELLED, booking_id=entry.pk)
        return entry


def record_register(
    session: ReflectiveSession, *, by, attended: Iterable[int], now: datetime | None = None
) -> list[ReflectiveAttendance]:
    """Mark who came. ``attended`` holds register-entry ids; booked entries not in it stay
    booked (they did not come), attended ones not in it go back to booked (a correction)."""
    now = now or timezone.now()
    attended = set(attended)
    with transaction.atomic():
        session = _lock_session(session.pk)
        if now < session.starts_at:
            raise ReflectiveError("You can record the register once the session has started.")
        entries = list(session.register.select_for_update())
        unknown = attended - {e.pk for e in entries}
        if unknown:
            raise ReflectiveError("Choose people from this session's register.")
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
    now: datetime | None = None,
) -> ReflectiveSession:
    """Themes discussed (anonymised notes, forms of CSA) and resources shared at a session."""
    now = now or timezone.now()
    with transaction.atomic():
        session = _lock_session(session.pk)
        if session.status != ReflectiveSession.Status.SCHEDULED:
            raise ReflectiveError("This session was cancelled, so there is nothing to record.")
        if now < session.starts_at:
            raise ReflectiveError("You can record what was discussed once the session has started.")
        if session.notes_erased_at is not None:
            raise ReflectiveError("The notes of this session were erased under the retention policy.")
        session.notes = notes.strip()
        changed_by(session, by, "recorded what was discussed")
        session.save(update_fields=["notes"])
        session.themes.set(list(themes))
        session.resources.set(list(resources))
        return session
