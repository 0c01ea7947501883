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


def _booked_at(request) -> datetime:
    """When the booking for the current slot was made: the latest confirmation or move."""
    last = (
        Message.objects.filter(request=request, kind__in=BOOKING_KINDS).aggregate(at=Max("created_at"))["at"]
    )
    return last or request.created_at


def send_due_reminders(*, now: datetime | None = None) -> int:
    return send_consultation_reminders(now=now) + send_reflective_reminders(now=now)


def _window(now: datetime, choices: list[int]) -> tuple[datetime, datetime]:
    # An hour of slack covers the wall-clock shift across a clock change; offset_to_send decides.
    return now, now + timedelta(hours=max(choices) + 1)


def send_consultation_reminders(*, now: datetime | None = None) -> int:
    from clinics.models import ConsultationRequest

    now = now or timezone.now()
    choices = offsets()
    if not choices:
        return 0
    start, end = _window(now, choices)
    candidates = ConsultationRequest.objects.filter(
        status=ConsultationRequest.Status.BOOKED,
        clinic__status="scheduled",
        slot__starts_at__gt=start,
        slot__starts_at__lte=end,
    ).select_related("requester", "clinic", "slot")
    sent = 0
    for request in candidates:
        starts_at = request.slot.starts_at
        offset = offset_to_send(starts_at, _booked_at(request), now, choices)
        if offset is None or not preferences.wants(request.requester, "reminders"):
            continue
        if Reminder.objects.filter(request=request, offset_hours=offset, starts_at=starts_at).exists():
            continue
        if _claim_and_store(lambda r=request, o=offset: emails.consultation_reminder(r, o), now,
                            request=request, offset_hours=offset, starts_at=starts_at):
            sent += 1
            logger.info("reminder %sh queued for request %s", offset, request.pk)
    return sent


def send_reflective_reminders(*, now: datetime | None = None) -> int:
    from clinics.models import ReflectiveAttendance

    now = now or timezone.now()
    choices = offsets()
    if not choices:
        return 0
    start, end = _window(now, choices)
    candidates = ReflectiveAttendance.objects.filter(
        status=ReflectiveAttendance.Status.BOOKED,
        session__status="scheduled",
        session__starts_at__gt=start,
        session__starts_at__lte=end,
    ).select_related("lead", "session")
    sent = 0
    for attendance in candidates:
        starts_at = attendance.session.starts_at
        invited = Message.objects.filter(calendar_uid=attendance.calendar_uid).aggregate(at=Max("created_at"))["at"]
        offset = offset_to_send(starts_at, invited or attendance.updated_at, now, choices)
        if offset is None or not preferences.wants(attendance.lead, "reminders"):
            continue
        if Reminder.objects.filter(attendance=attendance, offset_hours=offset, starts_at=starts_at).exists():
            continue
        if _claim_and_store(lambda a=attendance, o=offset: emails.reflective_reminder(a, o), now,
                            attendance=attendance, offset_hours=offset, starts_at=starts_at):
            sent += 1
    return sent
