"""The clinic-date filter lists a year of dates, and still accepts an older one."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import make_clinic

pytestmark = pytest.mark.django_db


def test_clinic_filter_lists_recent_and_upcoming_dates_only(client, coordinator, clinic):
    old = make_clinic(starts_at=timezone.now() - timedelta(days=500))
    client.force_login(coordinator)
    page = client.get(reverse("clinics:requests_all")).content.decode()
    assert f'value="{clinic.pk}"' in page
    assert f'value="{old.pk}"' not in page
    filtered = client.get(reverse("clinics:requests_all"), {"clinic": old.pk})
    assert filtered.status_code == 200
    assert "Select a valid choice" not in filtered.content.decode()
