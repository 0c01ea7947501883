"""Celery application.

Scheduled work is a handful of short periodic sweeps (CELERY_BEAT_SCHEDULE in settings); we never
queue long ETA/countdown tasks, which a broker restart or visibility timeout can duplicate or
lose. Settings are the ``CELERY_*`` names in config/settings.py (docs/operations.md explains
the choices).
"""

from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("csa_clinics")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
