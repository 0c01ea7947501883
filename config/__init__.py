"""The project package (settings, URLs, WSGI, the Celery app).

The Celery app (config/celery.py) is not imported here: importing Celery (kombu, amqp, click,
yaml...) costs about 0.15 s of CPU, which every process that sets Django up would pay, most of
them never sending a task. It is imported where it is needed instead:
by the modules that define tasks (clinics/tasks.py, notifications/tasks.py), so a task is never
sent through Celery's default app, by the worker and beat (`celery -A config` finds
config/celery.py) and by config/wsgi.py at web start-up.
"""

from __future__ import annotations

from typing import Any

__all__ = ("celery_app",)


def __getattr__(name: str) -> Any:
    # ``config.celery_app`` still works (Celery's documented Django layout), loading it on first use.
    if name == "celery_app":
        from config.celery import app

        return app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
