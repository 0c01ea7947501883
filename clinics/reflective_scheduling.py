"""Reflective sessions as occurrences (the shared operations are in clinics/occurrences.py)."""

from __future__ import annotations

from datetime import date, datetime

from clinics.models import ReflectiveSeries, ReflectiveSession
from clinics.occurrences import cancel_occurrence, generate, move_occurrence, occurrence_fields, save_series


def create_session(series: ReflectiveSeries, day: date) -> ReflectiveSession:
    session = ReflectiveSession.objects.create(**occurrence_fields(series, day), capacity=series.capacity)
    session.facilitators.set(series.facilitators.all())
    return session


def generate_reflective_sessions(
    series: ReflectiveSeries, now: datetime | None = None, *, months: int | None = None
) -> list[ReflectiveSession]:
    return generate(series, create_session, now=now, months=months)


def generate_all_reflective(*, now: datetime | None = None) -> int:
    return sum(len(generate_reflective_sessions(s, now=now)) for s in ReflectiveSeries.objects.filter(active=True))


def save_reflective_series(
    series: ReflectiveSeries, *, by, related: dict, now: datetime | None = None
) -> tuple[ReflectiveSeries, int]:
    """Save a new or edited series; held future sessions follow its place, link, capacity and
    facilitators, and the people booked get an updated invite when the place or link changed."""
    return save_series(series, by=by, create=create_session, related=related, now=now)


def move_session(session: ReflectiveSession, new_start: datetime, *, by, now: datetime | None = None) -> int:
    return move_occurrence(session, new_start, by=by, now=now)


def cancel_session(session: ReflectiveSession, *, by, reason: str, now: datetime | None = None) -> int:
    return cancel_occurrence(session, by=by, reason=reason, now=now)
