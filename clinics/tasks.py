"""Periodic clinic sweeps (scheduled in settings.CELERY_BEAT_SCHEDULE).

Each is a thin wrapper over an operation, short, and safe to run twice or concurrently.
"""

from __future__ import annotations

from celery import shared_task

import config.celery  # noqa: F401 - our app before any task is sent (config/__init__.py)
from clinics import booking, retention, scheduling


@shared_task(name="clinics.tasks.expire_offers")
def expire_offers() -> int:
    from clinics.reflective_waitlist import expire_place_offers

    return booking.expire_offers() + expire_place_offers()


@shared_task(name="clinics.tasks.generate_occurrences")
def generate_occurrences() -> int:
    return scheduling.generate_all()


@shared_task(name="clinics.tasks.generate_reflective_sessions")
def generate_reflective_sessions() -> int:
    from clinics.reflective_scheduling import generate_all_reflective

    return generate_all_reflective()


@shared_task(name="clinics.tasks.apply_retention")
def apply_retention() -> int:
    return retention.apply_retention().total


@shared_task(name="clinics.tasks.refresh_theme_rollups")
def refresh_theme_rollups() -> int:
    """Rebuild the themes months marked changed, so the managers' next read need not."""
    from clinics import themes_rollup

    return themes_rollup.rebuild_all(only_stale=True) if themes_rollup.enabled() else 0


@shared_task(name="clinics.tasks.rebuild_theme_rollups")
def rebuild_theme_rollups() -> int:
    """Recompute every month's themes roll-up: corrects anything the triggers could not see."""
    from clinics import themes_rollup

    return themes_rollup.rebuild_all() if themes_rollup.enabled() else 0
