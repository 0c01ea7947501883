"""The benchmark's floor: the cheapest useful thing this server can do per request.

Served only in benchmark mode (settings.BENCH, see config/urls.py). ``bench/run.py`` drives it
with the same clients as the booking confirm step, so ``booking.rps / floor.rps`` says how much
of the server's capacity one booking costs, whatever the machine.
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib.sessions.models import Session
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST


@csrf_exempt
@require_POST
def floor(request: HttpRequest) -> HttpResponse:
    """Insert one row in a transaction and answer: a session row, because that table exists in
    every deployment and the bench database is dropped afterwards."""
    with transaction.atomic():
        Session.objects.create(
            session_key=get_random_string(40), session_data="", expire_date=timezone.now() + timedelta(minutes=1)
        )
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("floor", floor, name="bench_floor")]


class CountingEmailBackend(BaseEmailBackend):
    """EMAIL_BACKEND=bench: builds each message's bytes, as SMTP would, and keeps nothing but a
    count, so the worker's memory in the bench is the worker's own (locmem keeps every copy)."""

    sent = 0

    def send_messages(self, email_messages) -> int:
        for message in email_messages:
            message.message().as_bytes()
        CountingEmailBackend.sent += len(email_messages)
        return len(email_messages)
