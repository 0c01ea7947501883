"""Turning series into dated clinics, and moving or cancelling one clinic.

Moving or cancelling a clinic follows the one lock order (``clinics/locking.py``): the clinic,
then its requests in ascending id (``lock_rows``), then its offers; never a request before its
clinic, so a practitioner cancelling at the same moment queues behind the clinic lock.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from clinics.booking import BookingError, lock_clinic
from clinics.locking import lock_rows
from clinics.models import Clinic, ClinicSeries, ConsultationRequest, Slot, WaitlistOffer
from clinics.recurrence import LONDON, local_datetime, occurrence_dates
from config.history import changed_by
from config.wording import long_date
from notifications.api import Event, notify

Status = ConsultationRequest.Status


def _windows(series: ClinicSeries, starts_at: datetime) -> dict[str, datetime]:
    return {
        "booking_opens_at": starts_at - timedelta(weeks=series.booking_opens_weeks),
        "booking_closes_at": starts_at - timedelta(hours=series.booking_closes_hours),
        "change_cutoff_at": starts_at - timedelta(hours=series.change_cutoff_hours),
    }


def _slot_times(starts_at: datetime, count: int, minutes: int, break_minutes: int) -> list[tuple[datetime, datetime]]:
    # Computed in local wall-clock time: a clinic never straddles a clock change (they happen
    # at 01:00/02:00 on Sundays), and local arithmetic keeps "10:45" meaning 10:45.
    local = starts_at.astimezone(LONDON)
    times = []
    for i in range(count):
        begin = local + timedelta(minutes=i * (minutes + break_minutes))
        times.append((begin, begin + timedelta(minutes=minutes)))
    return times


def create_clinic(series: ClinicSeries, day: date) -> Clinic:
    starts_at = local_datetime(day, series.start_time)
    clinic = Clinic.objects.create(
        series=series,
        original_date=day,
        starts_at=starts_at,
        ends_at=starts_at + series.duration,
        title=series.title,
        mode=series.mode,
        online_link=series.online_link,
        venue=series.venue,
        capacity=series.slot_count,
        **_windows(series, starts_at),
    )
    Slot.objects.bulk_create(
        Slot(clinic=clinic, position=i + 1, starts_at=a, ends_at=b)
        for i, (a, b) in enumerate(_slot_times(starts_at, series.slot_count, series.slot_minutes, series.break_minutes))
    )
    clinic.facilitators.set(series.facilitators.all())
    return clinic


def generate_occurrences(series: ClinicSeries, *, now: datetime | None = None, months: int | None = None) -> list[Clinic]:
    """Create the clinics of ``series`` for the coming months. Idempotent: a date that already
    has a clinic (including one that was moved or cancelled) is left alone."""
    now = now or timezone.now()
    months = months or settings.OCCURRENCE_MONTHS_AHEAD
    today = timezone.localtime(now).date()
    until = today + relativedelta(months=months)
    created = []
    if not series.active:
        return created
    existing = set(series.clinics.values_list("original_date", flat=True))
    # The rule runs from the series' own start so "every 6 weeks" keeps its rhythm whatever
    # day this runs; past dates are simply not created.
    for day in occurrence_dates(
        series.rrule, starts_on=series.starts_on, until=until, ends_on=series.ends_on, skip_bank_holidays=series.skip_bank_holidays
    ):
        if day < today or day in existing:
            continue
        try:
            with transaction.atomic():
                created.append(create_clinic(series, day))
        except IntegrityError:
            continue  # generated concurrently by another worker: the constraint kept one
    return created


def generate_all(*, now: datetime | None = None) -> int:
    return sum(len(generate_occurrences(s, now=now)) for s in ClinicSeries.objects.filter(active=True))


def _in_clinic(clinic: Clinic, statuses: list[str]) -> list[int]:
    return list(ConsultationRequest.objects.filter(clinic=clinic, status__in=statuses).values_list("pk", flat=True))


def cancel_clinic(clinic: Clinic, *, by, reason: str, now: datetime | None = None) -> int:
    """Cancel one date. Everyone booked, offered or waiting is told; returns how many."""
    now = now or timezone.now()
    with transaction.atomic():
        clinic = lock_clinic(clinic.pk)
        if clinic.status == Clinic.Status.CANCELLED:
            raise BookingError("This clinic is already cancelled.")
        # Who is in this clinic cannot change while we hold its lock: every operation that
        # moves a request in or out locks the clinic first.
        affected = lock_rows(ConsultationRequest, _in_clinic(clinic, [Status.BOOKED, Status.OFFERED, Status.WAITLISTED]))
        clinic.status = Clinic.Status.CANCELLED
        clinic.status_reason = reason
        changed_by(clinic, by, "cancelled the clinic", reason)
        clinic.save(update_fields=["status", "status_reason"])
        WaitlistOffer.objects.filter(slot__clinic=clinic, outcome=WaitlistOffer.Outcome.PENDING).update(
            outcome=WaitlistOffer.Outcome.WITHDRAWN, decided_at=now, note="Clinic cancelled"
        )
        for request in affected:
            if request.status in (Status.BOOKED, Status.OFFERED):
                request.calendar_sequence += 1
            changed_by(request, by, "cancelled the clinic", reason)
            request.status = Status.CANCELLED
            request.cancelled_at = now
            request.save(update_fields=["status", "cancelled_at", "calendar_sequence", "updated_at"])
            notify(Event.BOOKING_CANCELLED, request_id=request.pk, reason="clinic_cancelled")
        return len(affected)


def move_clinic(clinic: Clinic, new_start: datetime, *, by, now: datetime | None = None) -> int:
    """Move one date to a new start time; slots keep their order and length. Bookings stay and
    are sent an updated invite. Returns how many bookings were told."""
    now = now or timezone.now()
    if timezone.is_naive(new_start):
        raise BookingError("The new start time must include a time zone.")
    if new_start <= now:
        raise BookingError("The new date must be in the future.")
    with transaction.atomic():
        clinic = lock_clinic(clinic.pk)
        if clinic.status == Clinic.Status.CANCELLED:
            raise BookingError("A cancelled clinic cannot be moved.")
        affected = lock_rows(ConsultationRequest, _in_clinic(clinic, [Status.BOOKED, Status.OFFERED]))
        slots = list(clinic.slots.order_by("position"))
        length = clinic.ends_at - clinic.starts_at
        delta = new_start - clinic.starts_at
        clinic.starts_at = new_start
        clinic.ends_at = new_start + length
        clinic.moved_at = now
        changed_by(clinic, by, f"moved the clinic to {long_date(new_start)} {timezone.localtime(new_start):%H:%M}")
        if clinic.series is not None:
            for field, value in _windows(clinic.series, new_start).items():
                setattr(clinic, field, value)
        else:
            clinic.booking_opens_at += delta
            clinic.booking_closes_at += delta
            clinic.change_cutoff_at += delta
        clinic.save()
        if slots:
            minutes = int((slots[0].ends_at - slots[0].starts_at).total_seconds() // 60)
            gap = int((slots[1].starts_at - slots[0].ends_at).total_seconds() // 60) if len(slots) > 1 else 0
            for slot, (a, b) in zip(slots, _slot_times(new_start, len(slots), minutes, gap), strict=True):
                slot.starts_at, slot.ends_at = a, b
            Slot.objects.bulk_update(slots, ["starts_at", "ends_at"])
        for request in affected:
            request.calendar_sequence += 1
            changed_by(request, by, "moved the clinic")
            request.save(update_fields=["calendar_sequence", "updated_at"])
            notify(Event.BOOKING_MOVED, request_id=request.pk)
        return len(affected)
