"""Decline reasons, a clinic's status reason and held-wording reasons: scanned on entry, marked,
and erased under retention like every other declared free-text field."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse

from anonymity.forms import CONFIRM_FIELD, DIGEST_FIELD
from anonymity.models import FalseAlarm
from clinics.intake import decline_request
from clinics.models import Clinic, ConsultationRequest, WordingCheck
from clinics.retention import apply_retention
from clinics.scheduling import cancel_clinic
from tests.factories import book

pytestmark = pytest.mark.django_db

NAMED = "Amelia Hartley"


def test_a_decline_reason_naming_someone_is_refused_and_marked(client, practitioner, clinic, lead):
    consultation = book(practitioner, clinic).request
    client.force_login(lead)
    response = client.post(reverse("clinics:triage_decline", args=[consultation.pk]), {"reason": f"Ask {NAMED} at the front door"})
    assert response.status_code == 400
    assert '<mark class="app-anonymity-mark' in response.content.decode()
    consultation.refresh_from_db()
    assert consultation.status == ConsultationRequest.Status.BOOKED and consultation.decline_reason == ""


def test_a_lead_may_confirm_a_decline_reason_false_alarm_which_is_recorded(client, practitioner, clinic, lead):
    consultation = book(practitioner, clinic).request
    client.force_login(lead)
    url = reverse("clinics:triage_decline", args=[consultation.pk])
    reason = f"Use the {NAMED} guide first"
    first = client.post(url, {"reason": reason})
    response = client.post(url, {"reason": reason, CONFIRM_FIELD: "on", DIGEST_FIELD: first.context["form"].data[DIGEST_FIELD]})
    assert response.status_code == 302
    assert ConsultationRequest.objects.get(pk=consultation.pk).decline_reason == reason
    assert FalseAlarm.objects.get().context_label == f"decline:{consultation.pk}"


def test_a_clinic_cancellation_reason_naming_someone_is_refused(client, clinic, coordinator):
    client.force_login(coordinator)
    response = client.post(reverse("clinics:clinic_cancel", args=[clinic.pk]), {"reason": f"{NAMED} is off sick"})
    assert response.status_code == 200
    assert '<mark class="app-anonymity-mark' in response.content.decode()
    assert Clinic.objects.get(pk=clinic.pk).status == Clinic.Status.SCHEDULED


def test_decline_status_and_held_reasons_are_erased_after_the_retention_period(practitioner, clinic, lead, coordinator,
                                                                               settings):
    settings.RETENTION_MONTHS = 12
    declined = book(practitioner, clinic).request
    decline_request(declined, by=lead, reason="The front door is the right route")
    book(practitioner, clinic, question=f"Child A likes {NAMED} stories", hold_reason="A storybook character")
    cancel_clinic(clinic, by=coordinator, reason="Facilitators on training")
    with time_machine.travel(clinic.ends_at + timedelta(days=364), tick=False):
        apply_retention()
    assert Clinic.objects.get(pk=clinic.pk).status_reason  # not yet due
    with time_machine.travel(clinic.ends_at + timedelta(days=370), tick=False):
        result = apply_retention()
        assert apply_retention().total == 0  # run twice: nothing left the second time
    assert ConsultationRequest.objects.get(pk=declined.pk).decline_reason == ""
    assert Clinic.objects.get(pk=clinic.pk).status_reason == ""
    assert WordingCheck.objects.get().reason == ""
    assert result.of(Clinic) == 1 and result.of(WordingCheck) == 1
