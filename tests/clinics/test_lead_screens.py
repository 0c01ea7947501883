"""Practice-lead screens: my clinics, triage, the agenda and attendance."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse

from clinics.models import AccessLog, ConsultationRequest, RedirectRoute, WaitlistOffer
from tests.factories import book, make_clinic, make_user

Status = ConsultationRequest.Status
pytestmark = pytest.mark.django_db

QUESTION = "Child A (aged 9) has told her teacher"


@pytest.fixture
def booked(practitioner, clinic):
    return book(practitioner, clinic).request


def signed_in(client, user):
    client.force_login(user)
    return client


def fill_with_waiting(clinic, waiting: int = 2):
    """Book every slot and put ``waiting`` more people on the waiting list, in that order."""
    people = [make_user(f"p{i}@council.gov.uk", f"Practitioner {i + 3}") for i in range(clinic.capacity + waiting)]
    return [book(p, clinic).request for p in people]


# --- who may open what -------------------------------------------------------------------------

@pytest.mark.parametrize(
    "name", ["clinics:lead_clinics", "clinics:triage", "clinics:reflective_list"]
)
def test_lead_pages_send_anonymous_people_to_sign_in_and_refuse_practitioners(client, practitioner, name):
    url = reverse(name)
    assert client.get(url).status_code == 302
    assert signed_in(client, practitioner).get(url).status_code == 403


def test_lead_without_two_factor_is_sent_to_set_it_up(client):
    lead = make_user("lead9@council.gov.uk", "Lead 9", roles=["practice_lead"], totp=False)
    response = signed_in(client, lead).get(reverse("clinics:triage"))
    assert response.status_code == 302
    assert reverse("mfa_activate_totp") in response["Location"]


def test_another_lead_gets_403_on_every_request_and_clinic_page(client, other_lead, clinic, booked):
    signed_in(client, other_lead)
    assert client.get(reverse("clinics:clinic_agenda", args=[clinic.pk])).status_code == 403
    assert client.get(reverse("clinics:triage_decline", args=[booked.pk])).status_code == 403
    assert client.post(reverse("clinics:triage_accept", args=[booked.pk])).status_code == 403
    assert client.post(reverse("clinics:attendance", args=[booked.pk]), {"attended": "yes"}).status_code == 403
    assert client.get(reverse("clinics:outcome", args=[booked.pk])).status_code == 403
    booked.refresh_from_db()
    assert booked.triage == ConsultationRequest.Triage.NEW
    assert not AccessLog.objects.exists()


def test_unknown_request_is_404(client, lead):
    assert signed_in(client, lead).get(reverse("clinics:triage_decline", args=[999999])).status_code == 404


# --- my clinics ---------------------------------------------------------------------------------

def test_my_clinics_shows_booked_free_and_waiting_counts(client, lead, clinic):
    fill_with_waiting(clinic, waiting=2)
    elsewhere = make_clinic(starts_at=clinic.starts_at + timedelta(days=7), facilitators=[])
    response = signed_in(client, lead).get(reverse("clinics:lead_clinics"))
    assert response.status_code == 200
    rows = response.context["upcoming"]
    assert [r.clinic.pk for r in rows] == [clinic.pk]  # not the clinic someone else runs
    assert (rows[0].clinic.held, rows[0].free, rows[0].waiting) == (3, 0, 2)
    assert reverse("clinics:clinic_agenda", args=[clinic.pk]) in response.content.decode()
    assert elsewhere.pk not in [r.clinic.pk for r in rows]


def test_my_clinics_lists_past_clinics_still_waiting_for_attendance(client, lead, clinic, booked):
    with time_machine.travel(clinic.starts_at + timedelta(hours=3)):
        response = signed_in(client, lead).get(reverse("clinics:lead_clinics"))
        to_record = list(response.context["to_record"])
    assert [c.pk for c in to_record] == [clinic.pk]
    assert to_record[0].awaiting_attendance == 1


# --- triage -------------------------------------------------------------------------------------

def test_triage_shows_context_and_question_and_logs_the_read(client, lead, booked):
    response = signed_in(client, lead).get(reverse("clinics:triage"))
    page = response.content.decode()
    assert QUESTION in page
    assert "Responding to" in page or str(booked.pathway_stage) in page
    assert "Assessment Team 2" in page  # requester's team
    log = AccessLog.objects.get()
    assert (log.user, log.request, log.action) == (lead, booked, "viewed triage")


def test_triage_does_not_log_a_lead_reading_their_own_question(client, lead, clinic):
    own = book(lead, clinic).request
    response = signed_in(client, lead).get(reverse("clinics:triage"))
    assert own in response.context["queue"]
    assert not AccessLog.objects.exists()


def test_triage_queue_of_another_lead_is_empty(client, other_lead, booked):
    response = signed_in(client, other_lead).get(reverse("clinics:triage"))
    assert response.context["queue"] == []
    assert QUESTION not in response.content.decode()


def test_accepting_takes_the_request_out_of_the_queue(client, lead, booked):
    signed_in(client, lead)
    assert client.get(reverse("clinics:triage_accept", args=[booked.pk])).status_code == 405
    response = client.post(reverse("clinics:triage_accept", args=[booked.pk]))
    assert response.status_code == 302
    booked.refresh_from_db()
    assert (booked.triage, booked.triaged_by, booked.status) == (ConsultationRequest.Triage.ACCEPTED, lead, Status.BOOKED)
    assert client.get(reverse("clinics:triage")).context["queue"] == []


def test_decline_needs_a_reason_and_changes_nothing_without_one(client, lead, booked):
    response = signed_in(client, lead).post(reverse("clinics:triage_decline", args=[booked.pk]), {"reason": "   "})
    assert response.status_code == 400
    page = response.content.decode()
    assert "govuk-error-summary" in page
    assert "Enter a reason: the practitioner will see it" in page
    booked.refresh_from_db()
    assert (booked.status, booked.triage) == (Status.BOOKED, ConsultationRequest.Triage.NEW)


def test_decline_form_shows_the_question_and_logs_the_read(client, lead, booked):
    response = signed_in(client, lead).get(reverse("clinics:triage_decline", args=[booked.pk]))
    assert QUESTION in response.content.decode()
    assert AccessLog.objects.get().action == "viewed request"


def test_redirecting_frees_the_slot_and_offers_it_to_the_first_waiting(client, lead, clinic):
    requests = fill_with_waiting(clinic, waiting=2)
    declined, first_waiting, second_waiting = requests[0], requests[3], requests[4]
    route = RedirectRoute.objects.get(slug="front-door-mash")
    response = signed_in(client, lead).post(
        reverse("clinics:triage_decline", args=[declined.pk]),
        {"reason": "There is a risk of harm today: this needs the front door now.", "redirect_route": route.pk},
    )
    assert response.status_code == 302
    declined.refresh_from_db()
    assert (declined.status, declined.triage, declined.redirect_route) == (
        Status.DECLINED, ConsultationRequest.Triage.REDIRECTED, route,
    )
    first_waiting.refresh_from_db()
    second_waiting.refresh_from_db()
    assert first_waiting.status == Status.OFFERED
    assert first_waiting.slot == declined.slot
    assert second_waiting.status == Status.WAITLISTED
    assert WaitlistOffer.objects.get().request == first_waiting


# --- agenda and attendance ----------------------------------------------------------------------

def test_agenda_lists_slots_and_waiting_list_and_logs_every_question_read(client, lead, clinic):
    requests = fill_with_waiting(clinic, waiting=1)
    response = signed_in(client, lead).get(reverse("clinics:clinic_agenda", args=[clinic.pk]))
    assert response.status_code == 200
    rows = response.context["rows"]
    assert [r["consultation"] for r in rows] == requests[:3]
    assert response.context["waiting"] == requests[3:]
    page = response.content.decode()
    assert "Looking after yourself" in page and "0808 802 9999" in page
    logged = set(AccessLog.objects.filter(user=lead, action="viewed agenda").values_list("request_id", flat=True))
    assert logged == {r.pk for r in requests}


def test_coordinator_can_open_any_agenda(client, coordinator, clinic, booked):
    response = signed_in(client, coordinator).get(reverse("clinics:clinic_agenda", args=[clinic.pk]))
    assert response.status_code == 200
    assert AccessLog.objects.get().user == coordinator


def test_attendance_cannot_be_recorded_before_the_consultation_starts(client, lead, booked):
    response = signed_in(client, lead).post(reverse("clinics:attendance", args=[booked.pk]), {"attended": "yes"})
    assert response.status_code == 409
    assert "once the consultation has started" in response.content.decode()
    booked.refresh_from_db()
    assert booked.status == Status.BOOKED


def test_attendance_needs_an_answer(client, lead, booked):
    with time_machine.travel(booked.slot.starts_at + timedelta(minutes=5)):
        response = signed_in(client, lead).post(reverse("clinics:attendance", args=[booked.pk]), {"attended": "maybe"})
    assert response.status_code == 400
    booked.refresh_from_db()
    assert booked.status == Status.BOOKED


@pytest.mark.parametrize(("answer", "status"), [("yes", Status.ATTENDED), ("no", Status.DID_NOT_ATTEND)])
def test_attendance_after_the_start_is_recorded(client, lead, booked, answer, status):
    with time_machine.travel(booked.slot.starts_at + timedelta(minutes=5)):
        response = signed_in(client, lead).post(reverse("clinics:attendance", args=[booked.pk]), {"attended": answer})
    assert response.status_code == 302
    assert response["Location"] == reverse("clinics:clinic_agenda", args=[booked.clinic_id])
    booked.refresh_from_db()
    assert booked.status == status
    assert booked.attendance_recorded_at is not None


# --- query budget -------------------------------------------------------------------------------

def _queries(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("name", ["clinics:triage", "clinics:clinic_agenda"])
def test_case_pages_do_not_run_a_query_per_request(client, lead, clinic, name):
    url = reverse(name, args=[clinic.pk]) if name == "clinics:clinic_agenda" else reverse(name)
    signed_in(client, lead)
    fill_with_waiting(clinic, waiting=1)
    before = _queries(client, url)
    for i in range(4):
        book(make_user(f"more{i}@council.gov.uk", f"Practitioner {i + 20}"), clinic)
    assert _queries(client, url) == before


def test_triage_leaves_out_clinics_that_have_started(client, lead, clinic, booked):
    with time_machine.travel(clinic.starts_at + timedelta(minutes=1)):
        response = signed_in(client, lead).get(reverse("clinics:triage"))
    assert response.context["queue"] == []
