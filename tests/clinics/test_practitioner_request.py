"""Practitioner journey, part 1: request form -> check your answers -> confirmation panel."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from accounts.models import AgencyType
from clinics.models import (
    AgeBand,
    CoAttendeeRole,
    ConsultationRequest,
    FormOfAbuse,
    PathwayStage,
    PlanStatus,
    SupportNeed,
)
from clinics.views.practitioner import DRAFT_KEY
from tests.factories import book, make_clinic, make_user

pytestmark = pytest.mark.django_db
Status = ConsultationRequest.Status

QUESTION = (
    "Child A (aged 9) has told her teacher that an older cousin touched her. Mum is supportive. "
    "How do we talk to Child A about what happens next without leading her?"
)


def pk_of(model, slug: str) -> str:
    return str(model.objects.get(slug=slug).pk)


def form_data(choice="next", **overrides) -> dict:
    data = {
        "clinic": str(choice.pk) if hasattr(choice, "pk") else choice,
        "forms": [pk_of(FormOfAbuse, "intra-familial"), pk_of(FormOfAbuse, "online")],
        "pathway_stage": pk_of(PathwayStage, "responding-to-disclosure"),
        "age_band": pk_of(AgeBand, "5-10"),
        "plan_status": pk_of(PlanStatus, "child-in-need"),
        "support_needs": [pk_of(SupportNeed, "direct-work-tools")],
        "question": QUESTION,
        "co_role_1": pk_of(CoAttendeeRole, "team-manager"),
        "co_agency_1": str(AgencyType.objects.get(slug="childrens-social-care").pk),
        "confidence_before": "2",
        # About you: the pre-filled profile of the practitioner fixture, sent back unchanged.
        "full_name": "Practitioner 1",
        "agency_type": str(AgencyType.objects.get(slug="childrens-social-care").pk),
        "organisation": "Northshire Council",
        "team": "Assessment Team 2",
        "job_title": "Social worker",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def signed_in(client, practitioner):
    client.force_login(practitioner)
    return client


def test_form_lists_open_clinics_with_free_places_and_the_next_available(signed_in, clinic):
    response = signed_in.get(reverse("clinics:request_new"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "not an emergency service" in html
    assert "3 places free" in html
    assert "The next available date" in html
    assert 'data-module="govuk-character-count"' in html
    assert 'data-maxwords="400"' in html
    assert "Child A" in html  # the anonymity hint


def test_full_clinic_is_offered_as_join_the_waiting_list(signed_in, lead):
    full = make_clinic(capacity=1, facilitators=[lead])
    book(make_user("p9@council.gov.uk", "Practitioner 9"), full)
    html = signed_in.get(reverse("clinics:request_new")).content.decode()
    assert "full – join the waiting list" in html


def test_whole_journey_books_a_slot_and_shows_the_confirmation_panel(signed_in, practitioner, clinic):
    response = signed_in.post(reverse("clinics:request_new"), form_data(clinic))
    assert response.status_code == 302
    assert response["Location"] == reverse("clinics:request_check")
    assert not ConsultationRequest.objects.exists()  # nothing saved until confirmed

    check = signed_in.get(reverse("clinics:request_check"))
    html = check.content.decode()
    assert "Check your answers before booking" in html
    assert "Intra-familial child sexual abuse" in html
    assert "Team manager (Children" in html
    assert html.count(">Change<") >= 8
    assert not ConsultationRequest.objects.exists()

    confirmed = signed_in.post(reverse("clinics:request_check"))
    consultation = ConsultationRequest.objects.get(requester=practitioner)
    assert confirmed["Location"] == reverse("clinics:request_detail", args=[consultation.pk])
    assert consultation.status == Status.BOOKED
    assert consultation.slot.position == 1
    assert consultation.co_attendees.count() == 1
    assert set(consultation.forms.values_list("slug", flat=True)) == {"intra-familial", "online"}
    assert DRAFT_KEY not in signed_in.session
    # A second click on "Confirm and book" (or the back button) books nothing more.
    assert signed_in.post(reverse("clinics:request_check"))["Location"] == reverse("clinics:request_new")
    assert ConsultationRequest.objects.count() == 1

    page = signed_in.get(confirmed["Location"]).content.decode()
    assert "govuk-panel--confirmation" in page
    assert "Booked: " in page and "10:00 to 10:45, online" in page
    assert "We have emailed you a calendar invite" in page
    # The panel is shown once, right after booking, not on every later visit.
    again = signed_in.get(confirmed["Location"]).content.decode()
    assert "govuk-panel--confirmation" not in again


def test_full_clinic_puts_the_request_on_the_waiting_list_with_its_position(signed_in, practitioner, lead):
    full = make_clinic(capacity=1, facilitators=[lead])
    book(make_user("p8@council.gov.uk", "Practitioner 8"), full)
    book(make_user("p9@council.gov.uk", "Practitioner 9"), full)  # already number 1 waiting
    signed_in.post(reverse("clinics:request_new"), form_data(full))
    response = signed_in.post(reverse("clinics:request_check"), follow=True)
    consultation = ConsultationRequest.objects.get(requester=practitioner)
    assert consultation.status == Status.WAITLISTED
    assert "You are number 2 on the waiting list for" in response.content.decode()


def test_next_available_books_the_soonest_clinic_with_a_free_slot(signed_in, practitioner, lead):
    soon = make_clinic(capacity=1, facilitators=[lead])
    later = make_clinic(capacity=1, facilitators=[lead], starts_at=soon.starts_at + timedelta(days=28))
    book(make_user("p9@council.gov.uk", "Practitioner 9"), soon)
    signed_in.post(reverse("clinics:request_new"), form_data("next"))
    signed_in.post(reverse("clinics:request_check"))
    consultation = ConsultationRequest.objects.get(requester=practitioner)
    assert consultation.status == Status.BOOKED
    assert consultation.clinic == later


@pytest.mark.parametrize(
    ("missing", "message"),
    [
        ("clinic", "Choose a clinic date"),
        ("forms", "Select at least one form of child sexual abuse"),
        ("pathway_stage", "Select where you are in the response pathway"),
        ("age_band", "Select the child&#x27;s age band"),
        ("plan_status", "Select the child&#x27;s plan status"),
        ("support_needs", "Select what you want from the clinic"),
        ("question", "Enter your case question"),
        ("confidence_before", "Select how confident you feel now"),
    ],
)
def test_each_required_group_has_an_error_in_the_summary(signed_in, clinic, missing, message):
    response = signed_in.post(reverse("clinics:request_new"), form_data(clinic, **{missing: None}))
    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in html
    assert f'href="#id_{missing}' in html
    assert message in html
    assert DRAFT_KEY not in signed_in.session


def test_something_else_needs_its_text(signed_in, clinic):
    data = form_data(clinic, support_needs=[pk_of(SupportNeed, "other")], support_other="")
    html = signed_in.post(reverse("clinics:request_new"), data).content.decode()
    assert "Tell us what else you want from the clinic" in html


def test_co_attendee_agency_without_a_role_is_an_error(signed_in, clinic):
    data = form_data(clinic, co_role_1="", co_agency_1=str(AgencyType.objects.first().pk))
    html = signed_in.post(reverse("clinics:request_new"), data).content.decode()
    assert "Choose the role of person 1" in html


def test_question_over_400_words_is_refused(signed_in, clinic):
    data = form_data(clinic, question="Child A was worried. " * 120)
    html = signed_in.post(reverse("clinics:request_new"), data).content.decode()
    assert "400 words or fewer (it has 480)" in html


def test_identifiers_in_the_question_are_listed_marked_and_nothing_is_saved(signed_in, clinic):
    question = "Amelia Hartley (DOB 14/03/2015) told her teacher at 12 Acacia Road that her uncle hurt her."
    response = signed_in.post(reverse("clinics:request_new"), form_data(clinic, question=question))
    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in html
    assert "&#x27;Amelia Hartley&#x27; looks like a person&#x27;s name" in html
    assert "&#x27;14/03/2015&#x27; looks like a date" in html
    assert "app-anonymity-mark" in html  # the text is marked where the findings are
    assert DRAFT_KEY not in signed_in.session
    assert signed_in.get(reverse("clinics:request_check"))["Location"] == reverse("clinics:request_new")
    assert not ConsultationRequest.objects.exists()


def test_identifiers_in_something_else_are_refused_too(signed_in, clinic):
    data = form_data(clinic, support_needs=[pk_of(SupportNeed, "other")], support_other="Call me on 07700 900123")
    html = signed_in.post(reverse("clinics:request_new"), data).content.decode()
    assert "looks like a phone number" in html
    assert DRAFT_KEY not in signed_in.session


def test_change_link_brings_the_answers_back_into_the_form(signed_in, clinic):
    signed_in.post(reverse("clinics:request_new"), form_data(clinic))
    html = signed_in.get(reverse("clinics:request_new")).content.decode()
    assert "how do we talk to child a" in html.lower()
    assert f'value="{clinic.pk}" checked' in html


def test_booking_error_on_confirm_shows_the_check_page_and_saves_nothing(signed_in, clinic):
    signed_in.post(reverse("clinics:request_new"), form_data(clinic))
    # The clinic is moved past booking while they were reading the check page: its choice
    # is no longer valid, so they go back to the form which says why.
    clinic.booking_closes_at = clinic.booking_opens_at
    clinic.save()
    response = signed_in.post(reverse("clinics:request_check"))
    assert response["Location"] == reverse("clinics:request_new")
    html = signed_in.get(response["Location"]).content.decode()
    assert "no longer open for booking" in html
    assert not ConsultationRequest.objects.exists()


def test_booking_error_from_the_operation_is_shown_calmly(signed_in, practitioner, clinic, monkeypatch):
    signed_in.post(reverse("clinics:request_new"), form_data("next"))
    # Every clinic closes between the form and the confirm (the form is still valid for "next").
    clinic.booking_closes_at = clinic.booking_opens_at
    clinic.save()
    response = signed_in.post(reverse("clinics:request_check"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in html
    assert "There are no clinics open for booking at the moment" in html
    assert not ConsultationRequest.objects.exists()
    assert DRAFT_KEY in signed_in.session  # they can try again


def test_missing_details_are_asked_on_the_request_form_and_saved_with_the_booking(client, practitioner, clinic):
    practitioner.organisation = ""
    practitioner.team = ""
    practitioner.save()
    client.force_login(practitioner)
    response = client.get(reverse("clinics:request_new"))
    assert response.status_code == 200  # no detour to a details page
    html = response.content.decode()
    assert 'name="organisation"' in html and 'value="Practitioner 1"' in html  # what we know is filled in
    answered = client.post(reverse("clinics:request_new"), form_data(clinic, organisation="", team=""))
    assert "Enter your organisation" in answered.content.decode()
    client.post(reverse("clinics:request_new"), form_data(clinic, organisation="Eastshire Council", team=""))
    check = client.get(reverse("clinics:request_check")).content.decode()
    assert "Eastshire Council" in check and 'href="/clinics/request/#id_organisation"' in check
    client.post(reverse("clinics:request_check"))
    practitioner.refresh_from_db()
    assert practitioner.profile_complete and practitioner.organisation == "Eastshire Council"
    assert ConsultationRequest.objects.get(requester=practitioner).requester_organisation == "Eastshire Council"


def test_returning_practitioners_see_their_details_filled_in(signed_in, practitioner, clinic):
    html = signed_in.get(reverse("clinics:request_new")).content.decode()
    assert 'value="Practitioner 1"' in html and 'value="Northshire Council"' in html
    assert f'value="{practitioner.agency_type_id}" checked' in html


def test_signed_out_people_are_sent_to_sign_in(client, clinic):
    response = client.get(reverse("clinics:request_new"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_retired_terms_are_not_offered(signed_in, clinic):
    FormOfAbuse.objects.filter(slug="institutional").update(active=False)
    html = signed_in.get(reverse("clinics:request_new")).content.decode()
    assert "Institutional child sexual abuse" not in html
    assert "Sibling sexual abuse" in html
