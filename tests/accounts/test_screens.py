"""The sign-in and two-factor screens render in GOV.UK markup inside the service layout."""

from __future__ import annotations

import uuid

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import Role
from tests.factories import make_user

PASSWORD = "correct-horse-battery-staple"


@pytest.fixture
def visitor() -> Client:
    return Client(REMOTE_ADDR=f"10.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}")


def test_sign_in_page_uses_the_service_layout_and_gov_uk_fields(visitor, db):
    page = visitor.get(reverse("account_login")).content.decode()
    assert "govuk-header" in page and "Looking after yourself" in page
    assert '<h1 class="govuk-heading-l">Sign in</h1>' in page
    assert '<label class="govuk-label govuk-label--s" for="id_login">Email address</label>' in page
    assert 'autocomplete="current-password"' in page
    assert "placeholder=" not in page


def test_wrong_password_shows_an_error_summary(visitor, practitioner):
    response = visitor.post(reverse("account_login"), {"login": practitioner.email, "password": "wrong"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in page
    assert "<title>Sign in (error)" in page


def test_privileged_sign_in_asks_for_the_authenticator_code(visitor, lead):
    response = visitor.post(reverse("account_login"), {"login": lead.email, "password": PASSWORD})
    assert response["Location"] == reverse("mfa_authenticate")
    page = visitor.get(response["Location"]).content.decode()
    assert "Enter your security code" in page
    assert 'autocomplete="one-time-code"' in page
    assert "recovery codes" in page


def sign_in_and_confirm_password(visitor: Client, email: str) -> None:
    visitor.post(reverse("account_login"), {"login": email, "password": PASSWORD})
    # allauth asks for the password again before any change to two-factor sign-in.
    response = visitor.get(reverse("mfa_activate_totp"))
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    page = visitor.get(response["Location"]).content.decode()
    assert "Confirm it is you" in page
    response = visitor.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert response.status_code == 302


def test_totp_setup_page_shows_the_qr_code_and_the_setup_key(visitor, db):
    make_user("lead-new@council.gov.uk", "Lead 4", roles=[Role.PRACTICE_LEAD], totp=False)
    sign_in_and_confirm_password(visitor, "lead-new@council.gov.uk")
    response = visitor.get(reverse("mfa_activate_totp"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Set up two-factor sign-in" in page
    assert '<img src="data:image/svg+xml;base64,' in page
    assert response.context["form"].secret in page
    assert "govuk-details" in page


def test_home_tells_a_privileged_person_without_totp_to_set_it_up(client, db):
    person = make_user("manager-new@council.gov.uk", "Manager 4", roles=[Role.MANAGER], totp=False)
    client.force_login(person)
    page = client.get(reverse("home")).content.decode()
    assert "You need to set up two-factor sign-in" in page
    assert reverse("mfa_activate_totp") in page


def test_home_lists_each_persons_tasks_by_role(client, practitioner, coordinator):
    client.force_login(practitioner)
    page = client.get(reverse("home")).content.decode()
    assert "You need to set up two-factor sign-in" not in page
    assert reverse("accounts:people") not in page
    client.force_login(coordinator)
    page = client.get(reverse("home")).content.decode()
    assert reverse("accounts:people") in page
    assert "You need to set up two-factor sign-in" not in page


def test_home_offers_someone_with_an_incomplete_profile_their_tasks_and_a_link_to_it(client, db):
    person = make_user("new@council.gov.uk", "Practitioner 5")
    person.full_name = ""
    person.save()
    client.force_login(person)
    home = client.get(reverse("home"))
    assert home.status_code == 200  # the request form asks for missing details: no detour
    assert reverse("clinics:request_new") in home.content.decode()
    assert reverse("accounts:profile") in home.content.decode()
    page = client.get(reverse("accounts:profile")).content.decode()
    assert "Your details" in page and 'type="radio"' in page


def test_profile_errors_are_summarised_and_nothing_is_saved(client, practitioner):
    client.force_login(practitioner)
    response = client.post(reverse("accounts:profile"), {"full_name": "", "organisation": ""})
    page = response.content.decode()
    assert "govuk-error-summary" in page
    assert "Enter your name" in page and "Select the type of agency you work for" in page
    practitioner.refresh_from_db()
    assert practitioner.full_name == "Practitioner 1"


def test_recovery_codes_page_lists_the_codes(visitor, db):
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

    person = make_user("lead-codes@council.gov.uk", "Lead 5", roles=[Role.PRACTICE_LEAD], totp=False)
    sign_in_and_confirm_password(visitor, person.email)
    # Activated the way allauth does after a correct code: TOTP plus a fresh set of codes.
    from allauth.mfa.totp.internal.auth import TOTP

    from tests.factories import TOTP_SECRET

    TOTP.activate(person, TOTP_SECRET)
    codes = RecoveryCodes.activate(person)
    response = visitor.get(reverse("mfa_view_recovery_codes"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Your recovery codes" in page
    assert codes.get_unused_codes()[0] in page


def test_after_setting_up_two_factor_continue_goes_back_to_the_page_asked_for(visitor, db):
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value, yield_hotp_counters_from_time

    make_user("lead-next@council.gov.uk", "Lead 6", roles=[Role.PRACTICE_LEAD], totp=False)
    sign_in_and_confirm_password(visitor, "lead-next@council.gov.uk")
    wanted = reverse("clinics:triage")
    response = visitor.get(wanted)
    assert response["Location"].startswith(reverse("mfa_activate_totp"))
    form = visitor.get(response["Location"]).context["form"]
    counters = list(yield_hotp_counters_from_time())
    code = format_hotp_value(hotp_value(form.secret, counters[len(counters) // 2]))
    response = visitor.post(reverse("mfa_activate_totp"), {"code": code})
    assert response.status_code == 302, response.content.decode()[:500]
    page = visitor.get(response["Location"]).content.decode()
    assert "Your recovery codes" in page
    assert f'<a href="{wanted}" role="button"' in page
    # offered once: the page seen again later (from Settings) continues to home
    page = visitor.get(reverse("mfa_view_recovery_codes")).content.decode()
    assert f'<a href="{reverse("home")}" role="button"' in page
