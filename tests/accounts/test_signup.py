"""Signing up: work email domains only (or a coordinator's invitation), and a verified email
before anyone can sign in."""

from __future__ import annotations

import re
import uuid

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts.models import Invitation, Role, RoleGrant, User
from accounts.roles import invite

PASSWORD = "a-long-enough-passphrase-for-tests"
REFUSAL = "You can only create an account with a work email address from an approved organisation"


@pytest.fixture
def visitor() -> Client:
    # A fresh address per test: allauth's rate limits (which stay on) count per IP, and with a
    # shared Redis cache they outlive a single test run.
    return Client(REMOTE_ADDR=f"10.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}")


def unique(local: str, domain: str) -> str:
    return f"{local}-{uuid.uuid4().hex[:8]}@{domain}"


def sign_up(client: Client, email: str):
    return client.post(reverse("account_signup"), {"email": email, "password1": PASSWORD, "password2": PASSWORD})


@pytest.mark.parametrize(
    "domain",
    ["gmail.com", "charity.org.uk", "evilgov.uk", "gov.uk.example.com", "nhs.net.example.com", "police.uk"],
)
def test_signup_from_a_domain_that_is_not_allowed_is_refused_with_a_clear_message(visitor, db, domain):
    email = unique("practitioner", domain)
    response = sign_up(visitor, email)
    assert response.status_code == 200
    page = response.content.decode()
    assert REFUSAL in page
    assert "ask the clinic coordinator to invite you" in page
    assert "govuk-error-summary" in page  # the GOV.UK error summary lists it at the top
    assert not User.objects.filter(email=email).exists()
    assert mail.outbox == []


@pytest.mark.parametrize(
    "domain", ["northshire.gov.uk", "nhs.net", "met.police.uk", "greenfield-primary.northshire.sch.uk"]
)
def test_signup_from_an_allowed_domain_creates_the_account_and_sends_a_verification_email(visitor, db, domain):
    email = unique("practitioner", domain)
    response = sign_up(visitor, email)
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    user = User.objects.get(email=email)
    assert not user.is_privileged
    assert not EmailAddress.objects.get(user=user).verified
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [email]
    assert "/accounts/confirm-email/" in mail.outbox[0].body


def test_cannot_sign_in_before_verifying_the_email_then_can_after(visitor, db):
    email = unique("practitioner", "northshire.gov.uk")
    sign_up(visitor, email)
    link = re.search(r"https?://[^\s]+/accounts/confirm-email/[^\s]+/", mail.outbox[0].body).group(0)

    fresh = Client(REMOTE_ADDR=visitor.defaults["REMOTE_ADDR"])
    response = fresh.post(reverse("account_login"), {"login": email, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in fresh.session
    assert fresh.get(reverse("home"))["Location"].startswith(reverse("account_login"))

    confirm_path = link.split("://", 1)[1].split("/", 1)[1]
    page = fresh.get("/" + confirm_path)
    assert page.status_code == 200
    assert b"Confirm email address" in page.content
    fresh.post("/" + confirm_path)
    assert EmailAddress.objects.get(email=email).verified

    response = Client(REMOTE_ADDR=visitor.defaults["REMOTE_ADDR"]).post(
        reverse("account_login"), {"login": email, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_signup_via_an_invitation_works_for_exactly_that_email_and_grants_the_invited_roles(visitor, coordinator):
    email = unique("partner", "charity.org.uk")
    invitation = invite(email, [Role.PRACTICE_LEAD], by=coordinator)

    response = visitor.get(reverse("accounts:accept_invitation", args=[invitation.token]))
    assert response.status_code == 302
    assert response["Location"] == reverse("account_signup")

    # The invitation is for one address: another address at the same domain is still refused.
    other = unique("someone-else", "charity.org.uk")
    refused = sign_up(visitor, other)
    assert REFUSAL in refused.content.decode()
    assert not User.objects.filter(email=other).exists()

    response = sign_up(visitor, email)
    assert response.status_code == 302
    user = User.objects.get(email=email)
    assert user.roles == {Role.PRACTICE_LEAD}
    assert RoleGrant.objects.get(user=user).granted_by == coordinator
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None


def test_a_used_or_unknown_invitation_link_says_so(visitor, coordinator):
    invitation = invite(unique("partner", "charity.org.uk"), [], by=coordinator)
    Invitation.objects.filter(pk=invitation.pk).update(accepted_at=invitation.created_at)
    for token in (invitation.token, "no-such-token"):
        response = visitor.get(reverse("accounts:accept_invitation", args=[token]))
        assert response.status_code == 404
        assert b"This invitation link does not work" in response.content
    # Without a usable invitation in the session, the partner's address is refused as usual.
    assert REFUSAL in sign_up(visitor, invitation.email).content.decode()


def test_rate_limits_are_on():
    from allauth.account import app_settings

    assert app_settings.RATE_LIMITS["login_failed"]
    assert app_settings.RATE_LIMITS["signup"]
