"""The one lock order for clinics and reflective sessions, and the one lock-or-busy helper.

Every operation that changes who holds a place takes its row locks in this order, and only in
this order, so two operations can never wait on each other in a cycle (a deadlock, which
PostgreSQL breaks by aborting one of them):

1. the series (``ClinicSeries`` / ``ReflectiveSeries``), when the operation changes a series;
2. the occurrences (``Clinic`` / ``ReflectiveSession``), ascending primary key when several;
3. the place holders (``ConsultationRequest`` / ``ReflectiveAttendance``), ascending primary key;
4. the offers (``WaitlistOffer``), ascending primary key;
5. outbox rows are only ever inserted (``notify``), never locked by an operation.

A row of a later level is never locked before a row of an earlier one. An operation that starts
from a request (a practitioner cancelling) reads the request *without* a lock to learn its
clinic, locks the clinic, then locks the request and re-checks that it still belongs to that
clinic, trying again when a concurrent move changed it.

In ``clinics.booking`` this is ``lock_request``: clinics (ascending id) -> request, re-checked,
used by every booking, intake and scheduling operation; a clinic-wide operation (cancelling or
moving a clinic) locks the clinic, then all its requests with ``lock_rows``, then touches offers.
A row lock taken inside a savepoint that is rolled back is released (PostgreSQL), which is how
the re-check gives back a clinic lock it no longer needs.

``lock_or_busy`` turns a lock timeout (``lock_timeout`` on PostgreSQL, "database is locked" on
SQLite) into ``Busy``, whose message is safe to show: nothing was saved, try again. ``Busy`` is a
``clinics.refusal.Refused``, the one base of every "cannot do that now" error whose message a view shows as it is
(``clinics.booking.BookingError`` is one too), so a view catches ``Refused`` once.

Tested by ``tests/clinics/test_lock_order.py``.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import TypeVar

from django.db import OperationalError
from django.db.models import Model

from clinics.refusal import Refused

logger = logging.getLogger(__name__)

M = TypeVar("M", bound=Model)


class Busy(Refused):
    """Another operation holds the lock for too long; nothing was saved."""

    def __init__(self, what: str = "this clinic") -> None:
        super().__init__(
            f"Lots of people are booking {what} right now. Nothing has been saved: please try again in a moment."
        )


def _log_refused(what: str, exc: OperationalError) -> None:
    # 40P01 is PostgreSQL's deadlock_detected: with one lock order it must never happen, so it
    # is an error worth a look, not the expected "busy" of a lock timeout.
    if getattr(exc.__cause__, "sqlstate", None) == "40P01":
        logger.error("%s lock not acquired: deadlock detected", what)
    else:
        logger.warning("%s lock not acquired: %s", what, type(exc).__name__)


def lock_or_busy(model: type[M], pk: int, *, what: str = "this clinic") -> M:
    """Lock one row of ``model`` (level 1 or 2 above) and return it fresh, or raise ``Busy``."""
    try:
        return model._default_manager.select_for_update().get(pk=pk)
    except OperationalError as exc:
        _log_refused(f"{model._meta.label} {pk}", exc)
        raise Busy(what) from exc


def lock_rows(model: type[M], pks: Iterable[int], *, what: str = "this clinic") -> list[M]:
    """Lock several rows of one level in ascending primary-key order, or raise ``Busy``."""
    ordered = sorted(set(pks))
    if not ordered:
        return []
    try:
        return list(model._default_manager.select_for_update().filter(pk__in=ordered).order_by("pk"))
    except OperationalError as exc:
        _log_refused(f"{model._meta.label} rows", exc)
        raise Busy(what) from exc
