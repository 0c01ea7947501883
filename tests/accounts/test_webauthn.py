"""Security keys and passkeys (WebAuthn) as an extra second factor next to the authenticator app."""

from __future__ import annotations

import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.urls import reverse

from accounts.models import Role
from tests.browser import console_problems, make_driver
from tests.factories import TOTP_SECRET, make_user

PASSWORD = "correct-horse-battery-staple"


def current_totp_code() -> str:
    return format_hotp_value(hotp_value(TOTP_SECRET, int(time.time()) // 30))


# --- In a real browser, with Chromium's virtual authenticator ---------------------------------


@pytest.fixture
def key_driver():
    from selenium.webdriver.common.virtual_authenticator import VirtualAuthenticatorOptions

    driver = make_driver()
    driver.add_virtual_authenticator(
        VirtualAuthenticatorOptions(
            protocol="ctap2", transport="usb", has_resident_key=True, has_user_verification=True, is_user_verified=True
        )
    )
    yield driver
    driver.quit()


def wait_for_path(driver, path: str, seconds: float = 10) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(driver, seconds).until(lambda d: d.current_url.split("?")[0].endswith(path))


def sign_in_with_password(driver, base_url: str, email: str) -> None:
    from selenium.webdriver.common.by import By

    driver.get(base_url + reverse("account_login"))
    driver.find_element(By.ID, "id_login").send_keys(email)
    driver.find_element(By.ID, "id_password").send_keys(PASSWORD)
    driver.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    wait_for_path(driver, reverse("mfa_authenticate"))


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_lead_adds_a_security_key_and_signs_in_with_it_instead_of_a_code(live_server, key_driver, settings):
    from selenium.webdriver.common.by import By

    # The real origin check, as in production: http://localhost is a secure context for
    # Chromium and fido2 accepts it, so the development-only switch is not what makes this pass.
    settings.MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = False
    driver = key_driver
    lead = make_user("lead-key@council.gov.uk", "Lead 3", roles=[Role.PRACTICE_LEAD])
    RecoveryCodes.activate(lead)  # as allauth does when the app is set up
    console_problems(driver)

    # A full sign-in through the real screens: password, then the app's code.
    sign_in_with_password(driver, live_server.url, lead.email)
    assert driver.find_elements(By.ID, "mfa_webauthn_authenticate") == []  # no key yet: not offered
    driver.find_element(By.ID, "id_code").send_keys(current_totp_code())
    driver.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    wait_for_path(driver, reverse("home"))

    driver.get(live_server.url + reverse("mfa_index"))
    assert "Security keys and passkeys" in driver.find_element(By.TAG_NAME, "main").text
    driver.find_element(By.CSS_SELECTOR, f'main a[href="{reverse("mfa_add_webauthn")}"]').click()
    # allauth asks for the password again before any change to how someone signs in.
    wait_for_path(driver, reverse("account_reauthenticate"))
    driver.find_element(By.ID, "id_password").send_keys(PASSWORD)
    driver.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    wait_for_path(driver, reverse("mfa_add_webauthn"))
    name = driver.find_element(By.ID, "id_name")
    name.clear()
    name.send_keys("Blue USB key")
    driver.find_element(By.ID, "mfa_webauthn_add").click()
    wait_for_path(driver, reverse("mfa_index"))

    key = Authenticator.objects.get(user=lead, type=Authenticator.Type.WEBAUTHN)
    assert key.wrap().name == "Blue USB key"
    main = driver.find_element(By.TAG_NAME, "main").text
    assert "1 key added" in main

    driver.find_element(By.CSS_SELECTOR, f'main a[href="{reverse("mfa_list_webauthn")}"]').click()
    wait_for_path(driver, reverse("mfa_list_webauthn"))
    assert "Blue USB key" in driver.find_element(By.TAG_NAME, "main").text

    # Sign out, then in again: password, then the key instead of the app's code.
    driver.delete_all_cookies()
    sign_in_with_password(driver, live_server.url, lead.email)
    driver.find_element(By.ID, "mfa_webauthn_authenticate").click()
    wait_for_path(driver, reverse("home"))
    key.refresh_from_db()
    assert key.last_used_at is not None

    # Signed in with two factors: the privileged pages open (the app is still set up).
    driver.get(live_server.url + reverse("clinics:lead_clinics"))
    assert driver.current_url.endswith(reverse("clinics:lead_clinics"))
    assert console_problems(driver) == []
