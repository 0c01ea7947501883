"""A person's calendar-subscription feed (RFC 5545, no METHOD: a published calendar).

What goes in:
- consultations the person requested that hold a slot (booked, offered, attended, did not attend);
- reflective sessions they booked (or attended);
- for practice leads, the clinics and reflective sessions they facilitate.

Events carry the UID of the email invite for the same booking (``ConsultationRequest.calendar_uid``,
``ReflectiveAttendance.calendar_uid``), and a SEQUENCE never below the highest one already
emailed, so the feed and the invites describe one event. A clinic someone facilitates has no
invite; it gets ``person_uid``, the shape of the reflective one (kind, occurrence, person).

Cancelled bookings, clinics and sessions are left out rather than sent as STATUS:CANCELLED.
Calendar apps replace a subscribed calendar with each fetch, so a missing event disappears;
whereas Google Calendar and Outlook's web calendar show a STATUS:CANCELLED event in a
subscription as if it were on, which would send someone to a clinic that is not happening.
(The email invite, which does go out, is the right place for a METHOD:CANCEL.)

Privacy: the feed leaves our control and is fetched without signing in, so it holds titles,
times, places, references and a link back, and nothing else: no case question, no outcome, no
notes, and no other person (no facilitators' or co-attendees' names, no attendee lists).

The output is byte-for-byte the same until something changes (DTSTAMP is each event's last
change, not the time of the fetch), so its ETag can be worked out from the events alone and a
poll that finds nothing new costs the queries but not the rendering.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db.models import Max
from django.utils import timezone
from icalendar import Calendar

from accounts.models import Role
from notifications.calendar import LONDON, PRODID, event_component, london_timezone
from notifications.emails import link, place
from notifications.models import Message

# Past events kept in the feed: enough to look back over the last few clinics, small enough
# that the feed does not grow for ever.
PAST_DAYS = 92
_EPOCH = datetime(2020, 1, 1, tzinfo=UTC)
# Raise when the rendering below changes, so calendar apps holding an ETag fetch the new layout.
FORMAT = 1


@dataclass(frozen=True)
class FeedEvent:
    uid: str
    sequence: int
    stamp: datetime
    starts_at: datetime
    ends_at: datetime
    summary: str
    location: str
    description: str
    url: str
    tentative: bool = False


def _moved_sequence(occurrence) -> int:
    """A SEQUENCE for an entry no invite was ever sent for: it has no counter, so it is the
    number of seconds from 2020 to the last move, which only grows (0 if never moved)."""
    moved_at = occurrence.moved_at
    return int((moved_at - _EPOCH).total_seconds()) if moved_at else 0


def _emailed_sequences(uids: list[str]) -> dict[str, int]:
    rows = (
        Message.objects.filter(calendar_uid__in=uids).exclude(calendar_sequence=None)
        .values("calendar_uid").annotate(highest=Max("calendar_sequence"))
    )
    return {row["calendar_uid"]: row["highest"] for row in rows}


def _consultations(user, since: datetime) -> list[FeedEvent]:
    from clinics.models import Clinic, ConsultationRequest

    requests = (
        ConsultationRequest.objects.filter(
            requester=user, status__in=ConsultationRequest.HOLDS_SLOT, slot__isnull=False,
            clinic__status=Clinic.Status.SCHEDULED, slot__starts_at__gte=since,
        ).select_related("clinic", "slot").order_by("slot__starts_at", "pk")
    )
    events = []
    for request in requests:
        url = link("clinics:request_detail", request.pk)
        events.append(FeedEvent(
            uid=request.calendar_uid, sequence=request.calendar_sequence, stamp=request.updated_at,
            starts_at=request.slot.starts_at, ends_at=request.slot.ends_at,
            # The same words as the email invite for this booking.
            summary=f"{request.clinic.title} ({request.reference})",
            location=place(request.clinic)["location"],
            description=f"CSA consultation, reference {request.reference}. Details: {url}",
            url=url, tentative=request.status == ConsultationRequest.Status.OFFERED,
        ))
    return events


def _reflective_bookings(user, since: datetime) -> list[FeedEvent]:
    from clinics.models import ReflectiveAttendance, ReflectiveSession

    booked = (ReflectiveAttendance.Status.BOOKED, ReflectiveAttendance.Status.ATTENDED)
    entries = ReflectiveAttendance.objects.filter(
        lead=user, status__in=booked, session__status=ReflectiveSession.Status.SCHEDULED, session__starts_at__gte=since,
    ).select_related("session").order_by("session__starts_at", "pk")
    return [_session_event(entry.session, entry.calendar_uid, entry.calendar_sequence, entry.updated_at) for entry in entries]


def _session_event(session, uid: str, sequence: int, stamp: datetime) -> FeedEvent:
    url = link("clinics:reflective_session", session.pk)
    return FeedEvent(
        uid=uid, sequence=sequence, stamp=stamp, starts_at=session.starts_at, ends_at=session.ends_at,
        summary=session.title, location=place(session)["location"],
        description=f"Practice-lead reflective session. Details: {url}", url=url,
    )


def _facilitated_clinics(user, since: datetime) -> list[FeedEvent]:
    from clinics.models import Clinic
    from clinics.models.occurrences import person_uid

    clinics = Clinic.objects.facilitated_by(user).scheduled().filter(starts_at__gte=since).order_by("starts_at", "pk")
    events = []
    for clinic in clinics:
        url = link("clinics:clinic_agenda", clinic.pk)
        events.append(FeedEvent(
            uid=person_uid("clinic", clinic.pk, user.pk), sequence=_moved_sequence(clinic),
            stamp=clinic.moved_at or clinic.created_at, starts_at=clinic.starts_at, ends_at=clinic.ends_at,
            summary=f"Facilitating: {clinic.title}", location=place(clinic)["location"],
            description=f"You are a facilitator of this clinic. Agenda: {url}", url=url,
        ))
    return events


def _facilitated_sessions(user, since: datetime) -> list[FeedEvent]:
    from clinics.models import ReflectiveAttendance, ReflectiveSession

    sessions = ReflectiveSession.objects.filter(
        facilitators=user, status=ReflectiveSession.Status.SCHEDULED, starts_at__gte=since
    ).order_by("starts_at", "pk")
    # The UID is the one a booking by this lead would carry, so booking later changes nothing.
    return [
        _session_event(s, ReflectiveAttendance(session=s, lead=user).calendar_uid, _moved_sequence(s),
                       s.moved_at or s.created_at)
        for s in sessions
    ]


def events_for(user, *, now: datetime | None = None) -> list[FeedEvent]:
    """Everything in ``user``'s feed, earliest first, one event per UID."""
    since = (now or timezone.now()) - timedelta(days=PAST_DAYS)
    events = _consultations(user, since) + _reflective_bookings(user, since)
    if user.has_role(Role.PRACTICE_LEAD):
        events += _facilitated_clinics(user, since) + _facilitated_sessions(user, since)
    emailed = _emailed_sequences([e.uid for e in events])
    unique: dict[str, FeedEvent] = {}
    for event in events:
        if event.uid in unique:
            continue  # a booked session that the lead also facilitates: the booking comes first
        sequence = max(event.sequence, emailed.get(event.uid, 0))
        unique[event.uid] = replace(event, sequence=sequence)
    return sorted(unique.values(), key=lambda e: (e.starts_at, e.uid))


def etag_for(events: list[FeedEvent]) -> str:
    """A strong ETag for the feed these events make, without rendering it (rendering is most of
    the cost, and most polls find nothing changed). The feed is a pure function of the events
    and the settings below; FORMAT names this module's layout, so a change to it is a new tag."""
    fingerprint = repr((FORMAT, settings.SERVICE_NAME, events)).encode()
    return '"' + hashlib.sha256(fingerprint).hexdigest()[:32] + '"'


def feed_ics(user, *, now: datetime | None = None) -> str:
    return render(events_for(user, now=now))


def render(events: list[FeedEvent]) -> str:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    name = f"{settings.SERVICE_NAME}: your bookings"
    cal.add("name", name)  # RFC 7986
    cal.add("x-wr-calname", name)  # the same for Outlook and Google, which read the older name
    cal.add("x-wr-timezone", "Europe/London")
    # Ask apps to poll hourly; most poll less often anyway (Outlook about every 3 hours).
    cal.add("refresh-interval", timedelta(hours=1), parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", "PT1H")
    if events:
        cal.add_component(london_timezone(min(e.starts_at for e in events).astimezone(LONDON),
                                          max(e.ends_at for e in events).astimezone(LONDON)))
    for item in events:
        event = event_component(
            uid=item.uid, sequence=item.sequence, stamp=item.stamp, starts_at=item.starts_at, ends_at=item.ends_at,
            summary=item.summary, location=item.location, description=item.description,
        )
        event.add("url", item.url)
        event.add("status", "TENTATIVE" if item.tentative else "CONFIRMED")
        event.add("transp", "OPAQUE")
        cal.add_component(event)
    return cal.to_ical().decode("utf-8")
