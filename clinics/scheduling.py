"""Clinics as occurrences: their slots and booking windows. Generating, saving a series,
moving and cancelling are the shared operations of clinics/occurrences.py."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from clinics.models import Clinic, ClinicSeries, Slot
from clinics.occurrences import cancel_occurrence, generate, move_occurrence, occurrence_fields, save_series
from clinics.recurrence import LONDON


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
    fields = occurrence_fields(series, day)
    starts_at = fields["starts_at"]
    clinic = Clinic.objects.create(**fields, capacity=series.slot_count, **_windows(series, starts_at))
    Slot.objects.bulk_create(
        Slot(clinic=clinic, position=i + 1, starts_at=a, ends_at=b)
        for i, (a, b) in enumerate(_slot_times(starts_at, series.slot_count, series.slot_minutes, series.break_minutes))
    )
    clinic.facilitators.set(series.facilitators.all())
    return clinic


def generate_occurrences(series: ClinicSeries, *, now: datetime | None = None, months: int | None = None) -> list[Clinic]:
    """Create the clinics of ``series`` for the coming months (see ``occurrences.generate``)."""
    return generate(series, create_clinic, now=now, months=months)


def generate_all(*, now: datetime | None = None) -> int:
    return sum(len(generate_occurrences(s, now=now)) for s in ClinicSeries.objects.filter(active=True))


def save_clinic_series(series: ClinicSeries, *, by, related: dict, now: datetime | None = None) -> tuple[ClinicSeries, int]:
    """Save a new or edited clinic series and bring its dates in line (``occurrences.save_series``)."""
    return save_series(series, by=by, create=create_clinic, related=related, now=now)


def cancel_clinic(clinic: Clinic, *, by, reason: str, now: datetime | None = None) -> int:
    """Cancel one date. Everyone booked, offered or waiting is told; returns how many."""
    return cancel_occurrence(clinic, by=by, reason=reason, now=now)


def _reschedule_slots(clinic: Clinic, new_start: datetime) -> None:
    """Slots keep their order and length; booking windows follow the new start."""
    delta = new_start - clinic.starts_at
    if clinic.series is not None:
        for field, value in _windows(clinic.series, new_start).items():
            setattr(clinic, field, value)
    else:
        clinic.booking_opens_at += delta
        clinic.booking_closes_at += delta
        clinic.change_cutoff_at += delta
    slots = list(clinic.slots.order_by("position"))
    if slots:
        minutes = int((slots[0].ends_at - slots[0].starts_at).total_seconds() // 60)
        gap = int((slots[1].starts_at - slots[0].ends_at).total_seconds() // 60) if len(slots) > 1 else 0
        for slot, (a, b) in zip(slots, _slot_times(new_start, len(slots), minutes, gap), strict=True):
            slot.starts_at, slot.ends_at = a, b
        Slot.objects.bulk_update(slots, ["starts_at", "ends_at"])


def move_clinic(clinic: Clinic, new_start: datetime, *, by, now: datetime | None = None) -> int:
    """Move one date to a new start time; slots keep their order and length. Bookings stay and
    are sent an updated invite. Returns how many bookings were told."""
    return move_occurrence(clinic, new_start, by=by, reschedule=_reschedule_slots, now=now)
