"""The benchmark's floor: the cheapest useful thing this server can do per request.

Served only in benchmark mode (settings.BENCH, see config/urls.py). ``bench/run.py`` drives it
with the same clients as the booking confirm step, so ``booking.rps / floor.rps`` says how much
of the server's capacity one booking costs, whatever the machine.
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib.sessions.models import Session
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
