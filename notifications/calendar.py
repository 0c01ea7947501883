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


def build_ics(invite: Invite, *, now: datetime | None = None) -> str:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", invite.method)
    # A VTIMEZONE for Europe/London covering the event, so clients that do not know the TZID
    # still place 10:00 at 10:00 on both sides of a clock change.
    cal.add_component(Timezone.from_tzid("Europe/London", first_date=invite.starts_at.date().replace(month=1, day=1),
                                         last_date=invite.ends_at.date().replace(month=12, day=31)))
    event = Event()
    event.add("uid", invite.uid)
    event.add("sequence", invite.sequence)
    event.add("dtstamp", (now or timezone.now()).astimezone(ZoneInfo("UTC")))
    event.add("dtstart", invite.starts_at.astimezone(LONDON))
    event.add("dtend", invite.ends_at.astimezone(LONDON))
    event.add("summary", invite.summary)
    event.add("location", invite.location)
    event.add("description", invite.description)
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
