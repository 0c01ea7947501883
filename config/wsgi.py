from __future__ import annotations

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

# Before the first request rather than during it: the anonymity detector's word lists (about a
# second to load) and the broker connection the first confirmation is published over.
from anonymity import detector  # noqa: E402 - needs the settings configured above
from notifications.outbox import warm_up  # noqa: E402

detector.load()
warm_up()
