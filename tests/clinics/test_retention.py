"""Free text is erased after the retention period; the structured themes stay."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from clinics.intake import record_attendance
from clinics.models import ConsultationRequest, Feedback, Outcome
from clinics.retention import apply_retention
from clinics.tasks import apply_retention as apply_retention_task
from clinics.themes import themes_summary
from tests.factories import book

pytestmark = pytest.mark.django_db


@pytest.fixture
def attended(clinic, practitioner, lead):
    request = book(practitioner, clinic).request
    record_attendance(request, attended=True, by=lead, now=clinic.ends_at)
    Outcome.objects.create(request=request, advice="Use the traffic light tool.", actions="Lead 1 to share the guide.", recorded_by=lead)
    Feedback.objects.create(request=request, confidence_after=4, comment="Helpful.")
    return request


def test_text_is_kept_until_the_retention_period_ends(attended, settings):
    settings.RETENTION_MONTHS = 12
    clinic_end = attended.clinic.ends_at
    with time_machine.travel(clinic_end + timedelta(days=364), tick=False):
        assert apply_retention().total == 0
    attended.refresh_from_db()
    assert attended.question


def test_text_is_erased_after_the_period_and_themes_stay(attended, settings):
    settings.RETENTION_MONTHS = 12
    start = attended.created_at - timedelta(days=1)
    end = attended.created_at + timedelta(days=1)
    before = [(label, str(count)) for label, count in themes_summary(start, end)]
    with time_machine.travel(attended.clinic.ends_at + timedelta(days=370), tick=False):
        assert apply_retention_task.apply().get() == 3
        assert apply_retention().total == 0  # idempotent: nothing left to erase
    attended.refresh_from_db()
    assert attended.question == "" and attended.text_erased_at is not None
    outcome = Outcome.objects.get(request=attended)
    assert outcome.advice == "" and outcome.actions == "" and outcome.text_erased_at is not None
    assert Feedback.objects.get(request=attended).comment == ""
    assert attended.forms.exists() and attended.pathway_stage_id  # structured fields untouched
    assert [(label, str(count)) for label, count in themes_summary(start, end)] == before


def test_retention_period_is_configurable(attended, settings):
    settings.RETENTION_MONTHS = 3
    with time_machine.travel(attended.clinic.ends_at + timedelta(days=100), tick=False):
        assert apply_retention().requests == 1


def test_requests_that_never_reached_a_clinic_are_erased_from_creation(practitioner, settings, lead):
    from tests.factories import answers

    request = ConsultationRequest.objects.create(
        requester=practitioner, pathway_stage=answers().pathway_stage, age_band=answers().age_band,
        plan_status=answers().plan_status, question="Child A question", confidence_before=3,
    )
    with time_machine.travel(timezone.now() + timedelta(days=400), tick=False):
        assert apply_retention().requests == 1
    request.refresh_from_db()
    assert request.text_erased_at is not None
