"""Reminders before consultations and reflective sessions, found by a periodic sweep.

"7 days before" means the same wall-clock time a week earlier in Europe/London, so a 10:00
clinic on the Monday after the clocks go back is reminded at 10:00 the Monday before, not 11:00.
A reminder is claimed by inserting its Reminder row (unique per booking, offset and the start it
was computed for) in the same transaction as its Message, so it is sent once however many
sweeps run. Stale reminders are skipped: one whose due time came before the booking was made
(the confirmation covers it), and a longer one once a shorter one is already due.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from notifications import emails, outbox, preferences
from notifications.models import Message, Reminder

logger = logging.getLogger(__name__)
LONDON = ZoneInfo("Europe/London")
BOOKING_KINDS = ("booking_confirmed", "booking_moved")


def offsets() -> list[int]:
    return sorted({int(h) for h in settings.REMINDER_OFFSETS_HOURS}, reverse=True)


def due_at(starts_at: datetime, offset_hours: int) -> datetime:
    """``offset_hours`` before ``starts_at`` on the London wall clock."""
    local = starts_at.astimezone(LONDON).replace(tzinfo=None) - timedelta(hours=offset_hours)
    return local.replace(tzinfo=LONDON).astimezone(ZoneInfo("UTC"))


def offset_to_send(starts_at: datetime, booked_at: datetime, now: datetime, choices: list[int]) -> int | None:
    """The one offset to send now, if any: the smallest offset already due, unless its due time
    was before the booking was made."""
    if starts_at <= now:
        return None
    due = [h for h in choices if due_at(starts_at, h) <= now]
    if not due:
        return None
    smallest = min(due)
    if due_at(starts_at, smallest) < booked_at:
        return None
    return smallest


def _claim_and_store(draft_factory, now: datetime, **target: object) -> bool:
    try:
        with transaction.atomic():
            reminder = Reminder.objects.create(created_at=now, **target)
            message = outbox.store([draft_factory()], now=now)[0]
            reminder.message = message
            reminder.save(update_fields=["message"])
    except IntegrityError:
        return False  # another sweep got there first
    return True


def _reflective_booked_at(attendance) -> datetime:
    """When the lead was last invited (the register row's own time if no invite was stored)."""
    invited = Message.objects.filter(calendar_uid=attendance.calendar_uid).aggregate(at=Max("created_at"))["at"]
    return invited or attendance.updated_at


def send_due_reminders(*, now: datetime | None = None) -> int:
    """One sweep over booked consultations and booked reflective places starting soon."""
    from clinics.models import ConsultationRequest, ReflectiveAttendance

    now = now or timezone.now()
    choices = offsets()
    if not choices:
        return 0
    # An hour of slack covers the wall-clock shift across a clock change; offset_to_send decides.
    start, end = now, now + timedelta(hours=max(choices) + 1)
    consultations = list(ConsultationRequest.objects.filter(
        status=ConsultationRequest.Status.BOOKED,
        clinic__status="scheduled",
        slot__starts_at__gt=start,
        slot__starts_at__lte=end,
    ).select_related("requester__notification_preference", "clinic", "slot"))
    sessions = ReflectiveAttendance.objects.filter(
        status=ReflectiveAttendance.Status.BOOKED,
        session__status="scheduled",
        session__starts_at__gt=start,
        session__starts_at__lte=end,
    ).select_related("lead__notification_preference", "session")
    # What each candidate needs, read for all of them at once rather than per booking: when
    # the booking for its current slot was made (the latest confirmation or move, else the
    # request's own time), and which reminders it already has (a sweep every 30 s finds the same
    # bookings again and again).
    booked = dict(
        Message.objects.filter(request__in=[r.pk for r in consultations], kind__in=BOOKING_KINDS)
        .values_list("request").annotate(at=Max("created_at")).order_by()
    )
    done = set(
        Reminder.objects.filter(request__in=[r.pk for r in consultations])
        .values_list("request_id", "offset_hours", "starts_at")
    )
    return _remind(
        consultations, now, choices, target="request", starts_at=lambda r: r.slot.starts_at,
        booked_at=lambda r: booked.get(r.pk) or r.created_at, person=lambda r: r.requester,
        draft=emails.consultation_reminder, done=done,
    ) + _remind(
        sessions, now, choices, target="attendance", starts_at=lambda a: a.session.starts_at,
        booked_at=_reflective_booked_at, person=lambda a: a.lead, draft=emails.reflective_reminder,
    )


def _remind(candidates, now: datetime, choices: list[int], *, target: str, starts_at, booked_at, person, draft,
            done: set | None = None) -> int:
    """Store the one due reminder of each candidate, at most once per (booking, offset, start).

    ``done``: the (booking id, offset, start) of reminders already stored, when the caller read
    them in advance; the unique Reminder row is still what makes a reminder once-only."""
    sent = 0
    for booking in candidates:
        when = starts_at(booking)
        offset = offset_to_send(when, booked_at(booking), now, choices)
        if offset is None or not preferences.wants(person(booking), "reminders", preloaded=True):
            continue
        key = {target: booking, "offset_hours": offset, "starts_at": when}
        if (booking.pk, offset, when) in done if done is not None else Reminder.objects.filter(**key).exists():
            continue
        if _claim_and_store(lambda b=booking, o=offset: draft(b, o), now, **key):
            sent += 1
            logger.info("reminder %sh queued for %s %s", offset, target, booking.pk)
    return sent
