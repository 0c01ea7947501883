"""Practitioner journey, part 2: my requests, the request page, cancel, move, offers, feedback."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from clinics.booking import cancel_request
from clinics.intake import decline_request, record_attendance
from clinics.models import ConsultationRequest, Feedback, Outcome, RedirectRoute, Resource, WaitlistOffer
from tests.factories import book, make_clinic, make_user

pytestmark = pytest.mark.django_db
Status = ConsultationRequest.Status


@pytest.fixture
def signed_in(client, practitioner):
    client.force_login(practitioner)
    return client


@pytest.fixture
def booked(practitioner, clinic):
    return book(practitioner, clinic).request


@pytest.fixture
def offer(practitioner, lead):
    """``practitioner`` was waiting for a one-slot clinic and has just been offered the place."""
    small = make_clinic(capacity=1, facilitators=[lead])
    holder = book(make_user("p9@council.gov.uk", "Practitioner 9"), small).request
    book(practitioner, small)
    cancel_request(holder, by=holder.requester)
    return WaitlistOffer.objects.get(request__requester=practitioner)


def attended(consultation, lead):
    return record_attendance(consultation, attended=True, by=lead, now=consultation.slot.ends_at)


# --- my requests and the request page -------------------------------------------------------

def test_my_requests_lists_only_my_own_with_their_actions(signed_in, booked, other_practitioner, clinic):
    theirs = book(other_practitioner, clinic).request
    html = signed_in.get(reverse("clinics:my_requests")).content.decode()
    assert booked.reference in html
    assert theirs.reference not in html
    assert reverse("clinics:request_cancel", args=[booked.pk]) in html
    assert reverse("clinics:request_move", args=[booked.pk]) in html
    assert "Booked" in html


def test_request_page_shows_slot_link_question_and_support_panel(signed_in, booked):
    html = signed_in.get(reverse("clinics:request_detail", args=[booked.pk])).content.decode()
    assert "10:00 to 10:45" in html
    assert "https://meet.example.org/csa-clinic" in html
    assert "How do we talk to Child A" in html
    assert "Looking after yourself" in html and "0808 802 9999" in html


def test_request_page_shows_waiting_list_position(signed_in, practitioner, lead):
    full = make_clinic(capacity=1, facilitators=[lead])
    book(make_user("p9@council.gov.uk", "Practitioner 9"), full)
    mine = book(practitioner, full).request
    html = signed_in.get(reverse("clinics:request_detail", args=[mine.pk])).content.decode()
    assert "You are number 1 on the waiting list" in html


def test_erased_question_says_so(signed_in, booked):
    erased_on = timezone.now()
    ConsultationRequest.objects.filter(pk=booked.pk).update(question="", text_erased_at=erased_on)
    html = signed_in.get(reverse("clinics:request_detail", args=[booked.pk])).content.decode()
    assert f"The text of this question was erased on {timezone.localtime(erased_on):%-d %B %Y} under the retention policy" in html


def test_outcome_is_visible_once_recorded(signed_in, booked, lead):
    url = reverse("clinics:request_detail", args=[booked.pk])
    assert "Outcome of the consultation" not in signed_in.get(url).content.decode()
    attended(booked, lead)
    outcome = Outcome.objects.create(
        request=booked, advice="Use the Signs and Indicators Template with Child A's school.", actions="Book a strategy discussion.",
        follow_up_needed=True, follow_up="Return to the clinic next month.", recorded_by=lead,
    )
    outcome.resources.set(Resource.objects.filter(title__startswith="Signs"))
    html = signed_in.get(url).content.decode()
    assert "Outcome of the consultation" in html
    assert "Book a strategy discussion." in html
    assert "Return to the clinic next month." in html
    assert "https://www.csacentre.org.uk/resources/key-messages/signs-indicators-template/" in html
    assert "Yes" in signed_in.get(reverse("clinics:my_requests")).content.decode()


def test_triage_decision_is_shown(signed_in, booked, lead):
    decline_request(booked, by=lead, reason="This needs a LADO referral first.",
                    redirect_route=RedirectRoute.objects.get(slug="lado"))
    html = signed_in.get(reverse("clinics:request_detail", args=[booked.pk])).content.decode()
    assert "This needs a LADO referral first." in html
    assert "Local authority designated officer (LADO)" in html


@pytest.mark.parametrize("name", ["clinics:request_detail", "clinics:request_cancel", "clinics:request_move", "clinics:feedback"])
def test_another_practitioner_gets_404_on_my_request(client, other_practitioner, booked, name):
    client.force_login(other_practitioner)
    assert client.get(reverse(name, args=[booked.pk])).status_code == 404
    if name != "clinics:request_detail":  # a read-only page: POST is 405 before anything is looked up
        assert client.post(reverse(name, args=[booked.pk])).status_code == 404
    booked.refresh_from_db()
    assert booked.status == Status.BOOKED


@pytest.mark.parametrize("name", ["clinics:offer_accept", "clinics:offer_decline"])
def test_another_practitioner_gets_404_on_my_offer(client, other_practitioner, offer, name):
    client.force_login(other_practitioner)
    assert client.get(reverse(name, args=[offer.pk])).status_code == 404
    assert client.post(reverse(name, args=[offer.pk])).status_code == 404
    offer.refresh_from_db()
    assert offer.outcome == WaitlistOffer.Outcome.PENDING


# --- cancel and move ------------------------------------------------------------------------

def test_cancel_asks_first_then_cancels(signed_in, booked):
    url = reverse("clinics:request_cancel", args=[booked.pk])
    assert "Are you sure you want to cancel?" in signed_in.get(url).content.decode()
    booked.refresh_from_db()
    assert booked.status == Status.BOOKED
    response = signed_in.post(url)
    assert response["Location"] == reverse("clinics:request_detail", args=[booked.pk])
    booked.refresh_from_db()
    assert booked.status == Status.CANCELLED


def test_cancel_after_the_cutoff_is_refused_calmly(signed_in, practitioner, booked, clinic):
    with time_machine.travel(clinic.change_cutoff_at + timedelta(minutes=1)):
        signed_in.force_login(practitioner)  # a fresh session: the old one has timed out by then
        response = signed_in.post(reverse("clinics:request_cancel", args=[booked.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "It is too late to cancel online" in html
    assert "govuk-error-summary" in html
    booked.refresh_from_db()
    assert booked.status == Status.BOOKED


def test_move_to_another_date_books_there(signed_in, booked, clinic, lead):
    later = make_clinic(facilitators=[lead], starts_at=clinic.starts_at + timedelta(days=28))
    url = reverse("clinics:request_move", args=[booked.pk])
    html = signed_in.get(url).content.decode()
    assert f'value="{later.pk}"' in html
    assert f'value="{clinic.pk}"' not in html  # not the date it is already on
    response = signed_in.post(url, {"clinic": str(later.pk)})
    assert response["Location"] == reverse("clinics:request_detail", args=[booked.pk])
    booked.refresh_from_db()
    assert booked.clinic == later and booked.status == Status.BOOKED


def test_move_after_the_cutoff_is_refused_calmly(signed_in, practitioner, booked, clinic, lead):
    later = make_clinic(facilitators=[lead], starts_at=clinic.starts_at + timedelta(days=28))
    with time_machine.travel(clinic.change_cutoff_at + timedelta(minutes=1)):
        signed_in.force_login(practitioner)
        response = signed_in.post(reverse("clinics:request_move", args=[booked.pk]), {"clinic": str(later.pk)})
    assert response.status_code == 200
    assert "It is too late to move this booking online" in response.content.decode()
    booked.refresh_from_db()
    assert booked.clinic == clinic


def test_move_without_a_choice_is_a_form_error(signed_in, booked, clinic, lead):
    make_clinic(facilitators=[lead], starts_at=clinic.starts_at + timedelta(days=28))
    response = signed_in.post(reverse("clinics:request_move", args=[booked.pk]), {})
    html = response.content.decode()
    assert "govuk-error-summary" in html and "Choose a new clinic date" in html


def test_move_with_no_other_dates_says_so(signed_in, booked):
    html = signed_in.get(reverse("clinics:request_move", args=[booked.pk])).content.decode()
    assert "There are no other clinic dates open for booking" in html


# --- waiting-list offers --------------------------------------------------------------------

def test_offer_page_shows_the_expiry_and_accepting_books(signed_in, offer):
    url = reverse("clinics:offer_accept", args=[offer.pk])
    html = signed_in.get(url).content.decode()
    assert "Reply by" in html
    assert f"{timezone.localtime(offer.expires_at):%H:%M}" in html
    response = signed_in.post(url)
    assert response["Location"] == reverse("clinics:request_detail", args=[offer.request_id])
    offer.refresh_from_db()
    assert offer.outcome == WaitlistOffer.Outcome.ACCEPTED
    assert offer.request.status == Status.BOOKED


def test_declining_an_offer_closes_the_request(signed_in, offer):
    signed_in.post(reverse("clinics:offer_decline", args=[offer.pk]))
    offer.refresh_from_db()
    offer.request.refresh_from_db()
    assert offer.outcome == WaitlistOffer.Outcome.DECLINED
    assert offer.request.status == Status.CANCELLED


def test_accepting_an_expired_offer_is_refused_and_changes_nothing(signed_in, practitioner, offer):
    with time_machine.travel(offer.expires_at + timedelta(minutes=1)):
        signed_in.force_login(practitioner)
        response = signed_in.post(reverse("clinics:offer_accept", args=[offer.pk]))
    assert response.status_code == 200
    assert "this offer has expired" in response.content.decode()
    offer.refresh_from_db()
    assert offer.outcome == WaitlistOffer.Outcome.PENDING  # the sweep, not the page, expires it
    assert offer.request.status == Status.OFFERED


def test_answered_offer_cannot_be_answered_again(signed_in, offer):
    signed_in.post(reverse("clinics:offer_accept", args=[offer.pk]))
    response = signed_in.post(reverse("clinics:offer_decline", args=[offer.pk]))
    assert "This offer is no longer open" in response.content.decode()
    offer.refresh_from_db()
    assert offer.outcome == WaitlistOffer.Outcome.ACCEPTED


def test_pending_offer_is_linked_from_my_requests_and_the_request_page(signed_in, offer):
    accept = reverse("clinics:offer_accept", args=[offer.pk])
    assert accept in signed_in.get(reverse("clinics:my_requests")).content.decode()
    assert accept in signed_in.get(reverse("clinics:request_detail", args=[offer.request_id])).content.decode()


# --- feedback -------------------------------------------------------------------------------

def test_feedback_only_after_attending(signed_in, booked):
    response = signed_in.get(reverse("clinics:feedback", args=[booked.pk]))
    assert response.status_code == 403
    assert "once you have attended" in response.content.decode()


def test_feedback_is_saved_once_only(signed_in, booked, lead):
    attended(booked, lead)
    url = reverse("clinics:feedback", args=[booked.pk])
    assert signed_in.get(url).status_code == 200
    response = signed_in.post(url, {"confidence_after": "4", "comment": "The traffic light tool helped."})
    assert response["Location"] == reverse("clinics:request_detail", args=[booked.pk])
    feedback = Feedback.objects.get(request=booked)
    assert feedback.confidence_after == 4
    again = signed_in.post(url, {"confidence_after": "1"})
    assert again.status_code == 403
    assert "already given feedback" in again.content.decode()
    assert Feedback.objects.get(request=booked).confidence_after == 4
    html = signed_in.get(reverse("clinics:request_detail", args=[booked.pk])).content.decode()
    assert "Confidence after the clinic: 4 out of 5" in html


def test_feedback_needs_a_confidence(signed_in, booked, lead):
    attended(booked, lead)
    html = signed_in.post(reverse("clinics:feedback", args=[booked.pk]), {"comment": ""}).content.decode()
    assert "govuk-error-summary" in html and "Select how confident you feel now" in html
    assert not Feedback.objects.exists()


def test_feedback_comment_with_identifiers_is_refused(signed_in, booked, lead):
    attended(booked, lead)
    response = signed_in.post(
        reverse("clinics:feedback", args=[booked.pk]), {"confidence_after": "4", "comment": "Email me at sam.jones@example.org"}
    )
    assert "looks like an email address" in response.content.decode()
    assert not Feedback.objects.exists()


# --- resource hub ---------------------------------------------------------------------------

def test_resource_hub_lists_and_filters(signed_in):
    html = signed_in.get(reverse("clinics:resources")).content.decode()
    assert "Brook Sexual Behaviours Traffic Light Tool" in html
    assert "Sibling sexual abuse: a guide for practitioners" in html
    filtered = signed_in.get(reverse("clinics:resources"), {"kind": "tool"}).content.decode()
    assert "Brook Sexual Behaviours Traffic Light Tool" in filtered
    assert "Sibling sexual abuse: a guide for practitioners" not in filtered
    by_form = signed_in.get(reverse("clinics:resources"), {"form": "sibling"}).content.decode()
    assert "Sibling sexual abuse: a guide for practitioners" in by_form
    assert "Brook Sexual Behaviours Traffic Light Tool" not in by_form


def test_resource_hub_with_an_unknown_filter_shows_an_error_not_a_crash(signed_in):
    response = signed_in.get(reverse("clinics:resources"), {"kind": "nonsense"})
    assert response.status_code == 200
    assert "govuk-error-message" in response.content.decode()


def test_resource_hub_needs_sign_in(client):
    assert client.get(reverse("clinics:resources")).status_code == 302


def test_my_requests_query_count_does_not_grow_with_the_number_of_requests(
    signed_in, practitioner, lead, django_assert_max_num_queries
):
    for days in range(0, 8 * 7, 7):
        book(practitioner, make_clinic(facilitators=[lead], starts_at=timezone.now() + timedelta(days=14 + days)))
    with django_assert_max_num_queries(12):
        html = signed_in.get(reverse("clinics:my_requests")).content.decode()
    assert html.count("govuk-tag--green") == 8
