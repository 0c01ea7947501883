from __future__ import annotations

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

# Before the first request rather than during it: the anonymity detector's word lists, the Celery
# app with the tasks a booking sends (not loaded with Django: config/__init__.py) and the broker
# connection the first confirmation is published over.
import notifications.tasks  # noqa: E402, F401 - needs the settings configured above
from anonymity import detector  # noqa: E402
from notifications.outbox import warm_up  # noqa: E402

detector.load()
warm_up()
