"""Celery application.

Scheduled work is a handful of short periodic sweeps (CELERY_BEAT_SCHEDULE in settings); we never
queue long ETA/countdown tasks, which a broker restart or visibility timeout can duplicate or
lose. Settings are the ``CELERY_*`` names in config/settings.py (docs/operations.md explains
the choices).

Django does not load this module (config/__init__.py says why): the task modules, the worker
and beat (``celery -A config``) and config/wsgi.py do.
"""

from __future__ import annotations

import os
from typing import Any

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("csa_clinics")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def beat_schedule(table: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """CELERY_BEAT_SCHEDULE with each daily "HH:MM" made a crontab (numbers are seconds, as Celery reads them)."""
    schedule: dict[str, dict[str, Any]] = {}
    for name, entry in table.items():
        when = entry["schedule"]
        if isinstance(when, str):
            hour, minute = (int(part) for part in when.split(":"))
            when = crontab(hour=hour, minute=minute)
        schedule[name] = {**entry, "schedule": when}
    return schedule


@app.on_after_configure.connect
def daily_crontabs(sender: Celery, **kwargs: Any) -> None:
    sender.conf.beat_schedule = beat_schedule(sender.conf.beat_schedule)
