"""The information pages everyone can read, signed in or not."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import make_clinic


def test_start_page_explains_the_clinic_and_warns_it_is_not_an_emergency_service(client, db):
    page = client.get(reverse("start")).content.decode()
    assert "Get advice from the child sexual abuse consultation clinic" in page
    assert "Who the clinic is for" in page and "When it runs" in page
    assert "This is not an emergency service" in page and "999" in page
    assert reverse("account_login") in page and reverse("account_signup") in page


def test_start_page_lists_the_next_clinics_with_free_places(client, lead):
    make_clinic(facilitators=[lead])
    page = client.get(reverse("start")).content.decode()
    assert "Next clinics" in page
    assert "3 places free" in page


def test_signed_in_start_page_continues_to_home(client, practitioner):
    client.force_login(practitioner)
    page = client.get(reverse("start")).content.decode()
    assert reverse("home") in page
    assert "Create an account</a> with your work email" not in page


def test_accessibility_statement_follows_the_model(client, db):
    page = client.get(reverse("accessibility")).content.decode()
    for heading in (
        "How accessible this website is",
        "Feedback and contact information",
        "Enforcement procedure",
        "Compliance status",
        "Non-accessible content",
        "Preparation of this accessibility statement",
    ):
        assert heading in page
    assert "WCAG" in page or "Web Content Accessibility Guidelines" in page


def test_privacy_page_lists_only_essential_cookies_and_retention(client, db, settings):
    page = client.get(reverse("privacy")).content.decode()
    assert settings.SESSION_COOKIE_NAME in page and settings.CSRF_COOKIE_NAME in page
    assert "only use cookies that the service needs" in page
    assert f"erased {settings.RETENTION_MONTHS} months after" in page
    assert f"after {settings.SESSION_COOKIE_AGE // 60} minutes" in page
    assert "analytics" in page  # says there are none


def test_signed_out_pages_set_no_cookie_but_csrf(client, db):
    for name in ("start", "accessibility", "privacy", "support"):
        response = client.get(reverse(name))
        assert set(response.cookies) <= {"csrftoken", "__Host-csrftoken"}, name


@pytest.mark.parametrize(
    "text",
    ["The Survivors Trust", "Rape Crisis", "0808 802 9999", "NAPAC", "0808 801 0331", "SurvivorsUK", "supervisor",
     "employee assistance programme"],
)
def test_looking_after_yourself_page_signposts_support(client, db, text):
    assert text in client.get(reverse("support")).content.decode()


def test_every_page_has_the_support_links_in_the_footer(client, db):
    for name in ("start", "account_login", "privacy"):
        page = client.get(reverse(name)).content.decode()
        assert "0808 802 9999" in page and reverse("support") in page
