"""The Django admin meets the same two-factor rule as privileged roles: a superuser or staff
member without an authenticator app is sent to set one up before any admin page opens."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest

from accounts.models import User
from tests.factories import make_user

ADMIN_PAGES = ["/django-admin/", "/django-admin/accounts/", "/django-admin/accounts/user/", "/django-admin/accounts/user/1/change/"]


def admin_user(*, superuser: bool, totp: bool) -> User:
    user = make_user("admin@council.gov.uk", "Admin 1", totp=totp)
    user.is_staff, user.is_superuser = True, superuser
    user.save(update_fields=["is_staff", "is_superuser"])
    return user


@pytest.mark.parametrize("superuser", [True, False], ids=["superuser", "staff"])
@pytest.mark.parametrize("page", ADMIN_PAGES)
def test_admin_without_an_authenticator_app_is_sent_to_set_one_up(client, db, superuser, page):
    client.force_login(admin_user(superuser=superuser, totp=False))
    response = client.get(page)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/totp/activate/?" + urlencode({"next": page})
    assert b"Site administration" not in client.get(page, follow=True).content


def test_the_admin_sign_in_page_sends_staff_without_the_app_to_set_it_up(client, db):
    client.force_login(admin_user(superuser=True, totp=False))
    response = client.get("/django-admin/login/?next=/django-admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/2fa/totp/activate/")


def test_superuser_with_an_authenticator_app_opens_the_admin(client, db):
    client.force_login(admin_user(superuser=True, totp=True))
    response = client.get("/django-admin/")
    assert response.status_code == 200
    assert b"Site administration" in response.content


def test_admin_access_counts_as_privileged_for_the_two_factor_rule(db):
    assert admin_user(superuser=False, totp=False).is_privileged
    assert not make_user("practitioner@council.gov.uk", "Practitioner 1").is_privileged
