"""Dates and times in the service's own words, one way everywhere: screens, forms, emails.

"Tuesday 9 December 2025" and "10:00 to 10:45", always in Europe/London local time.
"""

from __future__ import annotations

from datetime import date, datetime

from django.utils import timezone


def _local(value: datetime | date) -> datetime | date:
    if isinstance(value, datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


def long_date(value: datetime | date, *, year: bool = True) -> str:
    local = _local(value)
    text = f"{local:%A} {local.day} {local:%B}"
    return f"{text} {local:%Y}" if year else text


def clock(value: datetime) -> str:
    return f"{_local(value):%H:%M}"


def time_range(start: datetime, end: datetime) -> str:
    return f"{clock(start)} to {clock(end)}"
