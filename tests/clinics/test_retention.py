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


def test_a_reason_quoted_in_the_history_goes_with_the_text_and_the_action_stays(clinic, practitioner, coordinator, settings):
    from clinics.scheduling import cancel_clinic

    settings.RETENTION_MONTHS = 12
    mine = book(practitioner, clinic).request
    cancel_clinic(clinic, by=coordinator, reason="Lead 2 unwell: Child B's school closed")

    def reasons() -> list[str]:
        rows = [*clinic.history.all(), *mine.history.all()]
        return sorted({r.history_change_reason for r in rows if "cancelled the clinic" in (r.history_change_reason or "")})

    assert reasons() == ["cancelled the clinic: Lead 2 unwell: Child B's school closed"]
    with time_machine.travel(clinic.ends_at + timedelta(days=364), tick=False):
        assert apply_retention().of_history == 0
    with time_machine.travel(clinic.ends_at + timedelta(days=370), tick=False):
        assert apply_retention().of_history == 2  # the clinic's row and the request's
        assert apply_retention().of_history == 0  # idempotent
    assert reasons() == ["cancelled the clinic"]
    clinic.refresh_from_db()
    assert clinic.status_reason == ""
    assert mine.history.filter(history_change_reason="booked a place").exists()  # other actions untouched


def test_a_history_reason_of_a_model_without_a_rule_goes_a_period_after_it_was_written(lead, coordinator, settings):
    from accounts.models import RoleGrant
    from config.history import changed_by

    settings.RETENTION_MONTHS = 12
    grant = RoleGrant.objects.get(user=lead, role="practice_lead")
    changed_by(grant, coordinator, "confirmed the role", "Lead 2 asked: see email")
    grant.save()
    with time_machine.travel(timezone.now() + timedelta(days=300), tick=False):
        assert apply_retention().of_history == 0
    with time_machine.travel(timezone.now() + timedelta(days=400), tick=False):
        assert apply_retention().of_history == 1
    assert grant.history.filter(history_change_reason="confirmed the role").exists()
    assert not grant.history.filter(history_change_reason__contains="Lead 2").exists()
