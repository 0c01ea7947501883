"""Recording the outcome of a consultation: anonymity checked, false alarms recorded."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse

from anonymity.models import FalseAlarm
from clinics.intake import record_attendance
from clinics.models import AccessLog, Outcome, Resource
from clinics.outcomes import OutcomeError, record_outcome
from tests.factories import book

pytestmark = pytest.mark.django_db

CLEAN = {
    "advice": "Use the Signs and Indicators Template with the team manager. Plan direct work with Child A using "
    "the Communicating with Children guide, and talk to Mother about safety at home.",
    "actions": "Social Worker to arrange a strategy discussion. CP Chair to be told before the review.",
    "follow_up_needed": "yes",
    "follow_up": "Bring the case back to next month's clinic.",
}


@pytest.fixture
def attended(practitioner, clinic):
    request = book(practitioner, clinic).request
    with time_machine.travel(request.slot.starts_at + timedelta(minutes=10)):
        record_attendance(request, attended=True, by=None)
    return request


@pytest.fixture
def lead_client(client, lead):
    client.force_login(lead)
    return client


def url(request) -> str:
    return reverse("clinics:outcome", args=[request.pk])


def test_outcome_waits_for_attendance(lead_client, practitioner, clinic):
    request = book(practitioner, clinic).request
    response = lead_client.get(url(request))
    assert response.status_code == 409
    assert "attended before you record the outcome" in response.content.decode()


def test_outcome_page_shows_the_question_and_logs_the_read(lead_client, lead, attended):
    response = lead_client.get(url(attended))
    assert response.status_code == 200
    assert "Child A (aged 9)" in response.content.decode()
    assert AccessLog.objects.get(action="viewed request for outcome").user == lead


def test_clean_outcome_is_saved_with_resources_for_the_practitioner(lead_client, lead, attended):
    resources = list(Resource.objects.filter(active=True)[:2])
    response = lead_client.post(url(attended), {**CLEAN, "resources": [r.pk for r in resources]})
    assert response.status_code == 302, response.content.decode()[:2000]
    outcome = Outcome.objects.get(request=attended)
    assert outcome.advice.startswith("Use the Signs and Indicators Template")
    assert outcome.follow_up_needed is True
    assert outcome.recorded_by == lead
    assert set(outcome.resources.all()) == set(resources)
    assert not FalseAlarm.objects.exists()


def test_saving_again_updates_the_one_outcome(lead_client, attended):
    lead_client.post(url(attended), CLEAN)
    lead_client.post(url(attended), {**CLEAN, "follow_up_needed": "no", "follow_up": "ignored"})
    outcome = Outcome.objects.get(request=attended)
    assert (outcome.follow_up_needed, outcome.follow_up) == (False, "")


def test_follow_up_needed_requires_what(lead_client, attended):
    response = lead_client.post(url(attended), {**CLEAN, "follow_up": ""})
    assert response.status_code == 400
    assert "Enter what follow-up is needed" in response.content.decode()
    assert not Outcome.objects.exists()


def test_identifiers_are_refused_and_nothing_is_saved(lead_client, attended):
    response = lead_client.post(
        url(attended), {**CLEAN, "advice": "Amelia Hartley should be seen at 14 Acacia Avenue, RM10 8XY, on 14/03/2025."}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "govuk-error-summary" in page
    assert "Amelia Hartley" in page and "person" in page  # the finding is named
    assert not Outcome.objects.exists()


def test_false_alarm_confirmed_by_a_lead_is_saved_and_recorded(lead_client, lead, attended):
    # Cartoon characters look like children's names to the detector: a lead may say so.
    text = "Child A relaxes watching Bluey and Peppa: use them in direct work."
    first = lead_client.post(url(attended), {**CLEAN, "advice": text})
    assert first.status_code == 400
    assert not Outcome.objects.exists()
    digest = re.search(r'name="anonymity_checked" value="([^"]+)"', first.content.decode()).group(1)
    second = lead_client.post(
        url(attended), {**CLEAN, "advice": text, "confirm_false_alarm": "on", "anonymity_checked": digest}
    )
    assert second.status_code == 302
    assert Outcome.objects.get(request=attended).advice == text
    alarms = list(FalseAlarm.objects.all())
    assert sorted(a.flagged_text for a in alarms) == ["Bluey", "Peppa"]
    assert {(a.user, a.context_label) for a in alarms} == {(lead, f"outcome:{attended.pk}")}
    assert all(a.created_at is not None for a in alarms)


def test_false_alarm_box_ticked_before_any_finding_was_shown_does_not_let_identifiers_through(lead_client, attended):
    response = lead_client.post(
        url(attended), {**CLEAN, "advice": "Call Mother on 07700 900123.", "confirm_false_alarm": "on"}
    )
    assert response.status_code == 400
    assert not Outcome.objects.exists()
    assert not FalseAlarm.objects.exists()


def test_record_outcome_refuses_a_request_that_did_not_attend(practitioner, clinic, lead):
    request = book(practitioner, clinic).request
    with time_machine.travel(request.slot.starts_at + timedelta(minutes=10)):
        record_attendance(request, attended=False, by=lead)
    with pytest.raises(OutcomeError):
        record_outcome(
            request, by=lead, advice="Advice", actions="", resources=[], follow_up_needed=False, follow_up=""
        )
    assert not Outcome.objects.exists()
