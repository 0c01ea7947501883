"""Occurrence dates for clinic and reflective series.

dateutil's rrule gives the dates; England and Wales bank holidays come from the ``holidays``
package (a packaged list, nothing fetched at run time). Times are wall-clock Europe/London and
made aware per date, so a 10:00 clinic is at 10:00 local in both GMT and BST.
"""

from __future__ import annotations

from datetime import date, datetime, time
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays
from dateutil.rrule import rrulestr

LONDON = ZoneInfo("Europe/London")


class RecurrenceError(ValueError):
    pass


@lru_cache(maxsize=16)
def bank_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year).keys())


def is_bank_holiday(day: date) -> bool:
    return day in bank_holidays(day.year)


def validate_rrule(rule: str) -> None:
    rule = rule.strip()
    if not rule:
        raise RecurrenceError("Enter a recurrence rule")
    if "DTSTART" in rule.upper():
        raise RecurrenceError("Leave out DTSTART: the series start date is used")
    try:
        rrulestr(rule, dtstart=datetime(2000, 1, 1))
    except (ValueError, TypeError) as exc:
        raise RecurrenceError(f"The recurrence rule is not valid: {exc}") from None


def occurrence_dates(
    rule: str, *, starts_on: date, until: date, ends_on: date | None = None, skip_bank_holidays: bool = True
) -> list[date]:
    """Dates produced by ``rule`` from ``starts_on`` up to ``until`` (inclusive)."""
    validate_rrule(rule)
    last = min(until, ends_on) if ends_on else until
    if last < starts_on:
        return []
    recurrence = rrulestr(rule, dtstart=datetime.combine(starts_on, time()))
    dates = [d.date() for d in recurrence.between(datetime.combine(starts_on, time()), datetime.combine(last, time(23, 59)), inc=True)]
    if skip_bank_holidays:
        dates = [d for d in dates if not is_bank_holiday(d)]
    return dates


def local_datetime(day: date, at: time) -> datetime:
    """An aware datetime for wall-clock ``at`` on ``day`` in London (handles GMT/BST)."""
    return datetime.combine(day, at, tzinfo=LONDON)


def describe(rule: str) -> str:
    """A plain-English description of the common monthly/weekly rules, for screens and emails."""
    parts = dict(p.split("=", 1) for p in rule.upper().split(";") if "=" in p)
    days = {"MO": "Monday", "TU": "Tuesday", "WE": "Wednesday", "TH": "Thursday", "FR": "Friday", "SA": "Saturday", "SU": "Sunday"}
    ordinals = {"1": "1st", "2": "2nd", "3": "3rd", "4": "4th", "-1": "last"}
    freq = parts.get("FREQ")
    interval = parts.get("INTERVAL", "1")
    byday = parts.get("BYDAY", "")
    if freq == "MONTHLY" and byday:
        pos = parts.get("BYSETPOS", "")
        raw = byday.lstrip("+")
        if not pos:
            pos, raw = raw[:-2] or "1", raw[-2:]
        day = days.get(raw[-2:], raw)
        every = "each month" if interval == "1" else f"every {interval} months"
        return f"{ordinals.get(pos.lstrip('+'), pos)} {day} of {every}"
    if freq == "WEEKLY" and byday:
        day = days.get(byday[-2:], byday)
        return f"Every {day}" if interval == "1" else f"Every {interval} weeks on {day}"
    return rule
