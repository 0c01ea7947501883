"""Series generation: wall-clock times across the clock changes, bank holidays, idempotence."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest
import time_machine
from django.utils import timezone

from clinics.models import Clinic
from clinics.recurrence import RecurrenceError, describe, is_bank_holiday, occurrence_dates, validate_rrule
from clinics.scheduling import cancel_clinic, generate_occurrences, move_clinic
from tests.factories import book, make_series

pytestmark = pytest.mark.django_db


def test_second_tuesday_dates():
    dates = occurrence_dates("FREQ=MONTHLY;BYDAY=+2TU", starts_on=date(2026, 1, 1), until=date(2026, 4, 30))
    assert dates == [date(2026, 1, 13), date(2026, 2, 10), date(2026, 3, 10), date(2026, 4, 14)]


def test_bank_holidays_are_skipped():
    # First Monday of May 2026 is the Early May bank holiday; Easter Monday is 6 April 2026.
    assert is_bank_holiday(date(2026, 5, 4)) and is_bank_holiday(date(2026, 4, 6))
    dates = occurrence_dates("FREQ=MONTHLY;BYDAY=+1MO", starts_on=date(2026, 4, 1), until=date(2026, 6, 30))
    assert dates == [date(2026, 6, 1)]
    assert date(2026, 5, 4) not in dates and date(2026, 4, 6) not in dates
    kept = occurrence_dates(
        "FREQ=MONTHLY;BYDAY=+1MO", starts_on=date(2026, 4, 1), until=date(2026, 6, 30), skip_bank_holidays=False
    )
    assert date(2026, 5, 4) in kept


@time_machine.travel(datetime(2026, 9, 1, 9, 0, tzinfo=UTC), tick=False)
def test_ten_oclock_stays_ten_oclock_across_the_october_change(lead):
    series = make_series(facilitators=[lead], starts_on=date(2026, 9, 1), start_time=time(10, 0))
    created = generate_occurrences(series, months=3)
    by_date = {c.original_date: c for c in created}
    october, november = by_date[date(2026, 10, 13)], by_date[date(2026, 11, 10)]
    assert october.starts_at.astimezone(UTC).hour == 9  # 10:00 BST
    assert november.starts_at.astimezone(UTC).hour == 10  # 10:00 GMT
    for clinic in (october, november):
        local = timezone.localtime(clinic.starts_at)
        assert (local.hour, local.minute) == (10, 0)
        slots = [timezone.localtime(s.starts_at).strftime("%H:%M") for s in clinic.slots.all()]
        assert slots == ["10:00", "10:50", "11:40"]


@time_machine.travel(datetime(2026, 2, 1, 9, 0, tzinfo=UTC), tick=False)
def test_march_change_keeps_local_time(lead):
    series = make_series(facilitators=[lead], rrule="FREQ=WEEKLY;BYDAY=MO", starts_on=date(2026, 3, 23), start_time=time(9, 30))
    created = generate_occurrences(series, months=2)
    before, after = created[0], created[1]  # Mon 23 March (GMT), Mon 30 March (BST, after 29 March)
    assert before.original_date == date(2026, 3, 23) and after.original_date == date(2026, 3, 30)
    assert before.starts_at.astimezone(UTC).hour == 9 and after.starts_at.astimezone(UTC).hour == 8


@time_machine.travel(datetime(2026, 9, 1, 9, 0, tzinfo=UTC), tick=False)
def test_generation_is_idempotent(lead):
    series = make_series(facilitators=[lead], starts_on=date(2026, 9, 1))
    first = generate_occurrences(series, months=6)
    again = generate_occurrences(series, months=6)
    assert first and again == []
    assert Clinic.objects.filter(series=series).count() == len(first)
    assert all(c.facilitators.filter(pk=lead.pk).exists() for c in first)


@time_machine.travel(datetime(2026, 9, 1, 9, 0, tzinfo=UTC), tick=False)
def test_cancelling_one_date_leaves_the_others_and_tells_bookings(lead, practitioner):
    series = make_series(facilitators=[lead], starts_on=date(2026, 9, 1))
    first, second, *_ = generate_occurrences(series, months=4)
    request = book(practitioner, first).request
    assert cancel_clinic(first, by=lead, reason="Facilitators unavailable") == 1
    request.refresh_from_db()
    second.refresh_from_db()
    assert request.status == "cancelled" and request.calendar_sequence == 1
    assert second.status == Clinic.Status.SCHEDULED
    assert generate_occurrences(series, months=4) == []  # the cancelled date is not recreated


@time_machine.travel(datetime(2026, 9, 1, 9, 0, tzinfo=UTC), tick=False)
def test_moving_one_date_shifts_its_slots_and_updates_invites(lead, practitioner):
    series = make_series(facilitators=[lead], starts_on=date(2026, 9, 1))
    first, second, *_ = generate_occurrences(series, months=4)
    request = book(practitioner, first).request
    new_start = datetime(2026, 9, 10, 14, 0, tzinfo=timezone.get_current_timezone())
    assert move_clinic(first, new_start, by=lead) == 1
    request.refresh_from_db()
    assert request.calendar_sequence == 1
    assert timezone.localtime(request.slot.starts_at).strftime("%d %H:%M") == "10 14:00"
    second.refresh_from_db()
    assert timezone.localtime(second.starts_at).hour == 10


def test_bad_rules_are_rejected_with_a_reason():
    with pytest.raises(RecurrenceError):
        validate_rrule("FREQ=SOMETIMES")
    with pytest.raises(RecurrenceError):
        validate_rrule("DTSTART:20260101T000000\nRRULE:FREQ=MONTHLY")


def test_rules_are_described_in_plain_english():
    assert describe("FREQ=MONTHLY;BYDAY=+2TU") == "2nd Tuesday of each month"
    assert describe("FREQ=WEEKLY;INTERVAL=6;BYDAY=TH") == "Every 6 weeks on Thursday"
