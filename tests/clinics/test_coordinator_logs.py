"""Coordinator: all requests, the access log and the waiting-list offers log."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from clinics.booking import cancel_request, expire_offers
from clinics.models import AccessLog, ConsultationRequest, WaitlistOffer
from tests.factories import book, make_clinic, make_user

pytestmark = pytest.mark.django_db
QUESTION = "Child A (aged 12) has been sent images by an adult online. How do we talk to Mum about monitoring?"


def test_all_requests_lists_everyone_and_filters_by_status_and_clinic(client, coordinator, practitioner, other_practitioner):
    first = make_clinic(capacity=1)
    second = make_clinic(capacity=1, starts_at=first.starts_at + timedelta(days=7))
    booked = book(practitioner, first).request
    waiting = book(other_practitioner, first).request
    elsewhere = book(make_user("p3@council.gov.uk", "Practitioner 3"), second).request
    client.force_login(coordinator)
    url = reverse("clinics:requests_all")
    html = client.get(url).content.decode()
    assert all(r.reference in html for r in (booked, waiting, elsewhere))
    assert QUESTION not in html and "told her teacher" not in html  # the list never shows questions
    only_waiting = client.get(url, {"status": "waitlisted"}).content.decode()
    assert waiting.reference in only_waiting and booked.reference not in only_waiting
    only_second = client.get(url, {"clinic": second.pk}).content.decode()
    assert elsewhere.reference in only_second and booked.reference not in only_second
    bad = client.get(url, {"status": "nonsense"}).content.decode()
    assert "govuk-error-summary" in bad
    assert AccessLog.objects.count() == 0


def test_reading_a_question_is_logged_and_shown_in_the_access_log(client, coordinator, lead, practitioner, clinic):
    request = book(practitioner, clinic, question=QUESTION).request
    other = book(make_user("p2@council.gov.uk", "Practitioner 2"), clinic).request
    client.force_login(coordinator)
    page = client.get(reverse("clinics:coordinator_request", args=[request.pk])).content.decode()
    assert "images by an adult online" in page and "Rape Crisis" in page
    entry = AccessLog.objects.get()
    assert (entry.user, entry.request) == (coordinator, request)
    AccessLog.objects.create(user=lead, request=other, action="lead: agenda")
    log = client.get(reverse("clinics:access_log")).content.decode()
    assert request.reference in log and other.reference in log and "Coordinator 1" in log and "Lead 1" in log
    assert "images by an adult" not in log
    by_lead = client.get(reverse("clinics:access_log"), {"user": lead.pk}).content.decode()
    assert other.reference in by_lead and request.reference not in by_lead
    by_ref = client.get(reverse("clinics:access_log"), {"reference": request.reference.lower()}).content.decode()
    assert request.reference in by_ref and other.reference not in by_ref


def test_access_log_is_paginated(client, coordinator, practitioner, clinic):
    request = book(practitioner, clinic).request
    AccessLog.objects.bulk_create(AccessLog(user=coordinator, request=request, action=f"read {i}") for i in range(55))
    client.force_login(coordinator)
    first = client.get(reverse("clinics:access_log")).content.decode()
    assert "Page 1 of 2" in first and "55 in total" in first and "read 54" in first and "read 0<" not in first
    second = client.get(reverse("clinics:access_log"), {"page": 2}).content.decode()
    assert "Page 2 of 2" in second and "read 0<" in second


def test_offers_log_shows_who_was_offered_which_place_and_what_happened(client, coordinator, practitioner):
    clinic = make_clinic(capacity=1)
    holder = book(practitioner, clinic).request
    first = book(make_user("w1@council.gov.uk", "Practitioner W1"), clinic).request
    second = book(make_user("w2@council.gov.uk", "Practitioner W2"), clinic).request
    cancel_request(holder, by=practitioner)
    offer = WaitlistOffer.objects.get()
    assert offer.request == first
    expire_offers(now=offer.expires_at)
    assert WaitlistOffer.objects.filter(request=second, outcome=WaitlistOffer.Outcome.PENDING).exists()
    client.force_login(coordinator)
    html = client.get(reverse("clinics:offers_log")).content.decode()
    assert "Practitioner W1" in html and "Practitioner W2" in html
    assert "Expired" in html and "Waiting for a reply" in html
    assert html.index("Practitioner W2") < html.index("Practitioner W1")  # newest first
    expired_only = client.get(reverse("clinics:offers_log"), {"outcome": "expired"}).content.decode()
    assert "Practitioner W1" in expired_only and "Practitioner W2" not in expired_only
    offer.refresh_from_db()
    assert (offer.outcome, offer.decided_at) == (WaitlistOffer.Outcome.EXPIRED, offer.expires_at)
    assert ConsultationRequest.objects.get(pk=second.pk).status == ConsultationRequest.Status.OFFERED


@pytest.mark.parametrize("name", ["requests_all", "access_log", "offers_log", "series_list", "series_new", "taxonomy",
                                  "resources_manage", "resource_add", "reflective_series_list", "reflective_series_new"])
def test_coordinator_pages_are_closed_to_others(client, practitioner, lead, manager, coordinator, name):
    url = reverse(f"clinics:{name}")
    assert client.get(url).status_code == 302  # to sign in
    for person in (practitioner, lead, manager):
        client.force_login(person)
        assert client.get(url).status_code == 403
    client.force_login(coordinator)
    assert client.get(url).status_code == 200
