"""Calendar files (RFC 5545 / iTIP) built with the icalendar library.

One invite per recipient, listing only that recipient as attendee, so nobody learns who else
comes to a clinic. The UID never changes for a booking; SEQUENCE rises on every change, which is
how Outlook and Google know an invite updates or cancels the one they hold.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from email.utils import parseaddr
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, Timezone, vCalAddress, vText

LONDON = ZoneInfo("Europe/London")
PRODID = "-//CSA consultation clinics//notifications//EN"


@dataclass(frozen=True)
class Invite:
    uid: str
    sequence: int
    method: str  # "REQUEST" or "CANCEL"
    starts_at: datetime
    ends_at: datetime
    summary: str
    location: str
    description: str
    attendee_email: str


def organiser_email() -> str:
    return parseaddr(settings.DEFAULT_FROM_EMAIL)[1] or settings.DEFAULT_FROM_EMAIL


def london_timezone(first: datetime, last: datetime) -> Timezone:
    """A VTIMEZONE for Europe/London covering the events, so clients that do not know the TZID
    still place 10:00 at 10:00 on both sides of a clock change."""
    return Timezone.from_tzid("Europe/London", first_date=first.date().replace(month=1, day=1),
                              last_date=last.date().replace(month=12, day=31))


def event_component(*, uid: str, sequence: int, stamp: datetime, starts_at: datetime, ends_at: datetime,
                    summary: str, location: str, description: str) -> Event:
    """The VEVENT fields an invite and a subscription feed share (same UID, same SEQUENCE rule)."""
    event = Event()
    event.add("uid", uid)
    event.add("sequence", sequence)
    event.add("dtstamp", stamp.astimezone(ZoneInfo("UTC")))
    event.add("dtstart", starts_at.astimezone(LONDON))
    event.add("dtend", ends_at.astimezone(LONDON))
    event.add("summary", summary)
    event.add("location", location)
    event.add("description", description)
    return event


def build_ics(invite: Invite, *, now: datetime | None = None) -> str:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", invite.method)
    cal.add_component(london_timezone(invite.starts_at, invite.ends_at))
    event = event_component(
        uid=invite.uid, sequence=invite.sequence, stamp=now or timezone.now(), starts_at=invite.starts_at,
        ends_at=invite.ends_at, summary=invite.summary, location=invite.location, description=invite.description,
    )
    organizer = vCalAddress(f"mailto:{organiser_email()}")
    organizer.params["cn"] = vText(settings.SERVICE_NAME)
    event.add("organizer", organizer)
    attendee = vCalAddress(f"mailto:{invite.attendee_email}")
    attendee.params["role"] = vText("REQ-PARTICIPANT")
    attendee.params["partstat"] = vText("ACCEPTED" if invite.method == "REQUEST" else "DECLINED")
    attendee.params["rsvp"] = vText("FALSE")
    event.add("attendee", attendee)
    if invite.method == "CANCEL":
        event.add("status", "CANCELLED")
    else:
        event.add("status", "CONFIRMED")
        event.add("transp", "OPAQUE")
    cal.add_component(event)
    return cal.to_ical().decode("utf-8")
