"""Celery tasks. Each takes primary keys or nothing, re-reads the database and is safe to run
twice: the claims live in the database (conditional updates, unique constraints), not in the
broker. Beat runs the three sweeps (config/settings.py CELERY_BEAT_SCHEDULE); no task is ever
queued with an ETA or countdown."""

from __future__ import annotations

from celery import shared_task

import config.celery  # noqa: F401 - our app before any task is sent (config/__init__.py)
from notifications import bulletins, outbox, reminders


@shared_task(name="notifications.tasks.send_message")
def send_message(message_id: int) -> bool:
    return outbox.deliver(message_id)


@shared_task(name="notifications.tasks.send_messages")
def send_messages(message_ids: list[int]) -> int:
    return outbox.deliver_many(message_ids)


@shared_task(name="notifications.tasks.sweep_outbox")
def sweep_outbox() -> int:
    return outbox.sweep()


@shared_task(name="notifications.tasks.send_due_reminders")
def send_due_reminders() -> int:
    return reminders.send_due_reminders()


@shared_task(name="notifications.tasks.send_due_bulletins")
def send_due_bulletins() -> int:
    return bulletins.send_due_bulletins()
