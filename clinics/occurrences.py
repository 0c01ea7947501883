"""One occurrence model, one set of operations: clinics and reflective sessions alike.

- ``generate``: the dates of a series for the coming months (skipping bank holidays), idempotent
  because (series, original_date) is unique in each kind;
- ``save_series``: a coordinator's edit of a series, under the series lock: untouched future
  dates are regenerated from the new settings, dates people hold keep their time (the
  coordinator moves those one by one, so nobody's booking shifts silently) but follow the
  series' facilitators (and, for reflective sessions, its place, link and capacity);
- ``move_occurrence`` / ``cancel_occurrence``: one date, under its lock;
- ``tell_people``: the one place that tells everyone holding a place that their date changed
  (an updated invite: same UID, higher SEQUENCE) or was cancelled (METHOD:CANCEL).

Locks follow clinics/locking.py: series, then the occurrence, then place holders (ascending
id), then offers. What differs between the kinds is data, in ``KINDS``; the kind-specific
steps (a clinic's slots and booking windows, a session's waiting list) are callables passed in
by clinics/scheduling.py and clinics/reflective_scheduling.py.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from clinics.locking import lock_or_busy
from clinics.models import Clinic, ConsultationRequest, ReflectiveAttendance, ReflectiveSession, WaitlistOffer
from clinics.models.occurrences import OccurrenceBase, OccurrenceStatus, SeriesBase
from clinics.recurrence import local_datetime, occurrence_dates
from clinics.refusal import Refused
from config.history import changed_by
from config.wording import long_date
from notifications.api import Event, notify

logger = logging.getLogger(__name__)

Create = Callable[[SeriesBase, date], OccurrenceBase]
Reschedule = Callable[[OccurrenceBase, datetime], None]
Request = ConsultationRequest.Status
Place = ReflectiveAttendance.Status


def _withdraw_clinic_offers(clinic: Clinic, now: datetime) -> None:
    WaitlistOffer.objects.filter(slot__clinic=clinic, outcome=WaitlistOffer.Outcome.PENDING).update(
        outcome=WaitlistOffer.Outcome.WITHDRAWN, decided_at=now, note="Clinic cancelled"
    )


@dataclass(frozen=True)
class Kind:
    """What a kind of occurrence calls its people and their messages."""

    noun: str
    holders: str  # related name of the place holders on the occurrence
    told_on_change: tuple[str, ...]  # statuses sent an updated invite when the date changes
    told_on_cancel: tuple[str, ...]  # statuses released and told when the date is cancelled
    cancelled_status: str
    cancel_fields: Callable[[datetime], dict[str, object]]  # what else a cancelled holder gets
    changed_event: Event
    cancelled_event: Event
    id_name: str  # the keyword ``notify`` takes for a holder
    cancel_reason: str  # a reason code (emails show known codes only, never free text)
    follows_series: tuple[str, ...] = ()  # copied to held future dates when the series is edited
    after_cancel: Callable[[OccurrenceBase, datetime], None] | None = None


KINDS: dict[type[OccurrenceBase], Kind] = {
    Clinic: Kind(
        noun="clinic",
        holders="requests",
        told_on_change=(Request.BOOKED, Request.OFFERED),
        told_on_cancel=(Request.BOOKED, Request.OFFERED, Request.WAITLISTED),
        cancelled_status=Request.CANCELLED,
        cancel_fields=lambda now: {"cancelled_at": now},
        changed_event=Event.BOOKING_MOVED,
        cancelled_event=Event.BOOKING_CANCELLED,
        id_name="request_id",
        cancel_reason="clinic_cancelled",
        after_cancel=_withdraw_clinic_offers,
    ),
    ReflectiveSession: Kind(
        noun="session",
        holders="register",
        told_on_change=(Place.BOOKED, Place.OFFERED),
        told_on_cancel=(Place.BOOKED, Place.OFFERED, Place.WAITLISTED),
        cancelled_status=Place.CANCELLED,
        cancel_fields=lambda now: {"place": None, "offer_expires_at": None},
        changed_event=Event.REFLECTIVE_CHANGED,
        cancelled_event=Event.REFLECTIVE_CANCELLED,
        id_name="booking_id",
        cancel_reason="session_cancelled",
        follows_series=("title", "mode", "online_link", "venue"),
    ),
}


def kind_of(occurrence: OccurrenceBase | type[OccurrenceBase]) -> Kind:
    return KINDS[occurrence if isinstance(occurrence, type) else type(occurrence)]


# --- generating dates --------------------------------------------------------------------------


def occurrence_fields(series: SeriesBase, day: date) -> dict[str, object]:
    """What every kind's new occurrence on ``day`` takes from its series (wall-clock London)."""
    starts_at = local_datetime(day, series.start_time)
    return {
        "series": series, "original_date": day, "starts_at": starts_at, "ends_at": starts_at + series.duration,
        "title": series.title, "mode": series.mode, "online_link": series.online_link, "venue": series.venue,
    }


def generate(series: SeriesBase, create: Create, *, now: datetime | None = None, months: int | None = None) -> list:
    """Create the dates of ``series`` for the coming months with ``create(series, day)``.

    Idempotent: a date that already has an occurrence (moved or cancelled included) is left
    alone, and the unique (series, original_date) keeps one if two workers generate at once.
    """
    now = now or timezone.now()
    if not series.active:
        return []
    today = timezone.localtime(now).date()
    until = today + relativedelta(months=months or settings.OCCURRENCE_MONTHS_AHEAD)
    existing = set(series.occurrences.values_list("original_date", flat=True))
    created = []
    # The rule runs from the series' own start so "every 6 weeks" keeps its rhythm whatever
    # day this runs; past dates are simply not created.
    for day in occurrence_dates(
        series.rrule, starts_on=series.starts_on, until=until, ends_on=series.ends_on,
        skip_bank_holidays=series.skip_bank_holidays,
    ):
        if day < today or day in existing:
            continue
        try:
            with transaction.atomic():
                created.append(create(series, day))
        except IntegrityError:
            continue  # generated concurrently by another worker: the constraint kept one
    return created


def save_series(
    series: SeriesBase,
    *,
    by,
    create: Create,
    related: Mapping[str, Iterable] | None = None,
    now: datetime | None = None,
) -> tuple[SeriesBase, int]:
    """Save a new or edited series (``related``: its many-to-many values) and bring its dates in
    line; returns the series and how many dates were created."""
    now = now or timezone.now()
    with transaction.atomic():
        if series.pk:
            lock_or_busy(type(series), series.pk, what="this series")
        changed_by(series, by, "changed the series" if series.pk else "set up the series")
        if series.created_by_id is None:
            series.created_by = by
        series.save()
        for name, values in (related or {}).items():
            getattr(series, name).set(list(values))
        future = series.occurrences.filter(starts_at__gt=now, status=OccurrenceStatus.SCHEDULED)
        kind = kind_of(future.model)
        future.filter(moved_at__isnull=True, **{f"{kind.holders}__isnull": True}).delete()
        facilitators = list(series.facilitators.all())
        told = 0
        for pk in sorted(future.values_list("pk", flat=True)):
            occurrence = lock_or_busy(future.model, pk, what=f"this {kind.noun}")
            occurrence.facilitators.set(facilitators)
            told += _follow_series(occurrence, series, kind, by=by, now=now)
        created = generate(series, create, now=now)
    logger.info("series %s saved by %s: %s dates created, %s people told", series.pk, getattr(by, "pk", None),
                len(created), told)
    return series, len(created)


def _follow_series(occurrence: OccurrenceBase, series: SeriesBase, kind: Kind, *, by, now: datetime) -> int:
    changed = [name for name in kind.follows_series if getattr(occurrence, name) != getattr(series, name)]
    if hasattr(series, "capacity") and occurrence.capacity != series.capacity:
        taken = getattr(occurrence, kind.holders).exclude(place=None).count()
        # Never below the places already held: people keep what they booked.
        occurrence.capacity = max(series.capacity, taken, 1)
        changed.append("capacity")
    if not changed:
        return 0
    for name in changed:
        if name != "capacity":
            setattr(occurrence, name, getattr(series, name))
    changed_by(occurrence, by, "changed the series")
    occurrence.save(update_fields=changed)
    where_changed = bool(set(changed) & {"title", "mode", "online_link", "venue"})
    return tell_people(occurrence, changed=True, by=by, action="changed the series", now=now) if where_changed else 0


# --- one date ---------------------------------------------------------------------------------


def move_occurrence(
    occurrence: OccurrenceBase,
    new_start: datetime,
    *,
    by,
    reschedule: Reschedule | None = None,
    now: datetime | None = None,
) -> int:
    """Move one date to ``new_start``, keeping its length; ``reschedule(occurrence, new_start)``
    moves what else the kind has (a clinic's slots and booking windows). Everyone holding a
    place gets an updated invite. Returns how many were told."""
    now = now or timezone.now()
    kind = kind_of(occurrence)
    if timezone.is_naive(new_start):
        raise Refused("The new start time must include a time zone.")
    if new_start <= now:
        raise Refused("The new date must be in the future.")
    with transaction.atomic():
        occurrence = lock_or_busy(type(occurrence), occurrence.pk, what=f"this {kind.noun}")
        if occurrence.is_cancelled:
            raise Refused(f"A cancelled {kind.noun} cannot be moved.")
        length = occurrence.ends_at - occurrence.starts_at
        if reschedule is not None:
            reschedule(occurrence, new_start)
        occurrence.starts_at = new_start
        occurrence.ends_at = new_start + length
        occurrence.moved_at = now
        action = f"moved the {kind.noun} to {long_date(new_start)} {timezone.localtime(new_start):%H:%M}"
        changed_by(occurrence, by, action)
        occurrence.save()
        return tell_people(occurrence, changed=True, by=by, action=f"moved the {kind.noun}", now=now)


def cancel_occurrence(occurrence: OccurrenceBase, *, by, reason: str, now: datetime | None = None) -> int:
    """Cancel one date with a reason (shown on screens, never emailed). Everyone booked,
    offered or waiting is released and told; returns how many."""
    now = now or timezone.now()
    kind = kind_of(occurrence)
    with transaction.atomic():
        occurrence = lock_or_busy(type(occurrence), occurrence.pk, what=f"this {kind.noun}")
        if occurrence.is_cancelled:
            raise Refused(f"This {kind.noun} is already cancelled.")
        occurrence.status = OccurrenceStatus.CANCELLED
        occurrence.status_reason = reason
        changed_by(occurrence, by, f"cancelled the {kind.noun}", reason)
        occurrence.save(update_fields=["status", "status_reason"])
        told = tell_people(occurrence, changed=False, by=by, action=f"cancelled the {kind.noun}", reason=reason, now=now)
        if kind.after_cancel is not None:
            kind.after_cancel(occurrence, now)
        return told


def tell_people(
    occurrence: OccurrenceBase, *, changed: bool, now: datetime, by=None, action: str = "", reason: str = ""
) -> int:
    """Lock and tell every place holder of ``occurrence``: an updated invite when the date
    ``changed``, otherwise the cancellation (their place released). The caller holds the
    occurrence lock. Returns how many were told."""
    kind = kind_of(occurrence)
    statuses = kind.told_on_change if changed else kind.told_on_cancel
    holders = list(
        getattr(occurrence, kind.holders).select_for_update().filter(status__in=statuses).order_by("pk")
    )
    for holder in holders:
        changed_by(holder, by, action, reason)
        fields = ["calendar_sequence", "updated_at"]
        if holder.status in kind.told_on_change:
            holder.calendar_sequence += 1  # calendars only take a change with a higher SEQUENCE
        if changed:
            holder.save(update_fields=fields)
            notify(kind.changed_event, **{kind.id_name: holder.pk})
            continue
        holder.status = kind.cancelled_status
        for name, value in kind.cancel_fields(now).items():
            setattr(holder, name, value)
        holder.save(update_fields=[*fields, "status", *kind.cancel_fields(now)])
        notify(kind.cancelled_event, **{kind.id_name: holder.pk}, reason=kind.cancel_reason)
    return len(holders)
