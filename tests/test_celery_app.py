"""The Celery app loads with the task modules, not with Django, and is the one every task uses."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from celery.schedules import crontab

from config.celery import app, beat_schedule

ROOT = Path(__file__).resolve().parents[1]
# A fresh process: in this one Celery is loaded already. The task is looked up from another
# thread, as the outbox publishes (notifications/outbox.py).
AFTER_SETUP = """
import sys
from concurrent.futures import ThreadPoolExecutor
import django
django.setup()
print("celery loaded with django:", "celery" in sys.modules)
def app_of_task():
    from notifications.tasks import send_message
    return send_message.app.main
print("task app:", ThreadPoolExecutor(1).submit(app_of_task).result())
"""


def test_django_starts_without_celery_and_tasks_are_sent_through_our_app() -> None:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings"}
    done = subprocess.run(
        [sys.executable, "-c", AFTER_SETUP], cwd=ROOT, env=env, capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.splitlines() == ["celery loaded with django: False", "task app: csa_clinics"]


def test_beat_runs_the_daily_sweeps_at_their_times_and_the_others_every_n_seconds() -> None:
    schedule = app.conf.beat_schedule
    assert schedule["clinics.generate_occurrences"]["schedule"] == crontab(hour=2, minute=15)
    assert schedule["clinics.apply_retention"]["schedule"] == crontab(hour=3, minute=5)
    assert schedule["notifications.sweep_outbox"]["schedule"] == 30.0
    assert {entry["task"] for entry in schedule.values()} >= {"clinics.tasks.expire_offers", "notifications.tasks.send_due_bulletins"}


def test_a_daily_time_becomes_a_crontab_and_a_number_stays_seconds() -> None:
    table = {"a": {"task": "x.a", "schedule": "23:59"}, "b": {"task": "x.b", "schedule": 60.0}}
    assert beat_schedule(table) == {
        "a": {"task": "x.a", "schedule": crontab(hour=23, minute=59)},
        "b": {"task": "x.b", "schedule": 60.0},
    }
