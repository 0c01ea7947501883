"""Turning a reflective series into dated sessions, with the same recurrence code as clinics."""

from __future__ import annotations

from datetime import datetime, timedelta

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from clinics.models import ReflectiveSeries, ReflectiveSession
from clinics.recurrence import local_datetime, occurrence_dates


def generate_reflective_sessions(
    series: ReflectiveSeries, now: datetime | None = None, *, months: int | None = None
) -> list[ReflectiveSession]:
    """Create the sessions of ``series`` for the coming months. Idempotent: a date that already
    has a session (moved or cancelled included) is left alone, and the unique constraint on
    (series, original_date) keeps one if two workers generate at once."""
    now = now or timezone.now()
    if not series.active:
        return []
    today = timezone.localtime(now).date()
    until = today + relativedelta(months=months or settings.OCCURRENCE_MONTHS_AHEAD)
    # The rule is anchored on the series' own first date, not today, so "every 6 weeks" keeps
    # its rhythm whichever day the generator happens to run.
    dates = occurrence_dates(
        series.rrule, starts_on=series.starts_on, until=until, ends_on=series.ends_on,
        skip_bank_holidays=series.skip_bank_holidays,
    )
    existing = set(series.sessions.values_list("original_date", flat=True))
    created = []
    for day in dates:
        if day < today or day in existing:
            continue
        starts_at = local_datetime(day, series.start_time)
        try:
            with transaction.atomic():
                created.append(
                    ReflectiveSession.objects.create(
                        series=series,
                        original_date=day,
                        title=series.title,
                        starts_at=starts_at,
                        ends_at=starts_at + timedelta(minutes=series.duration_minutes),
                        capacity=series.capacity,
                        mode=series.mode,
                        online_link=series.online_link,
                        venue=series.venue,
                    )
                )
        except IntegrityError:
            continue
    return created


def generate_all_reflective(*, now: datetime | None = None) -> int:
    return sum(len(generate_reflective_sessions(s, now=now)) for s in ReflectiveSeries.objects.filter(active=True))
