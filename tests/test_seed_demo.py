"""Demo data: role names only, idempotent, refused in production."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from accounts.models import User
from clinics.models import Clinic, ConsultationRequest

pytestmark = pytest.mark.django_db


def test_seed_demo_runs_twice_and_books_a_reminder_check_each_time():
    call_command("seed_demo")
    people = User.objects.count()
    requests = ConsultationRequest.objects.count()
    call_command("seed_demo")
    assert User.objects.count() == people == 7
    assert ConsultationRequest.objects.count() == requests + 1
    checks = Clinic.objects.filter(title="Demo clinic (reminder check)")
    assert checks.count() == 2
    assert all(c.requests.get().status == "booked" for c in checks)
    assert all(u.full_name.split()[0] in {"Coordinator", "Lead", "Practitioner", "Manager"} for u in User.objects.all())


def test_seed_demo_is_refused_in_production(settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="refused"):
        call_command("seed_demo")
    assert not User.objects.exists()
