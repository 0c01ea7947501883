"""Security keys and passkeys (WebAuthn) as an extra second factor next to the authenticator app."""

from __future__ import annotations

import hashlib
import json
import os
import time
import uuid

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from django.test import Client
from django.urls import NoReverseMatch, reverse
from fido2.cose import ES256
from fido2.utils import websafe_decode
from fido2.webauthn import (
    Aaguid,
    AttestationObject,
    AttestedCredentialData,
    AuthenticationResponse,
    AuthenticatorAssertionResponse,
    AuthenticatorAttestationResponse,
    AuthenticatorData,
    CollectedClientData,
    RegistrationResponse,
)

from accounts.models import Role
from tests.browser import console_problems, make_driver
from tests.factories import TOTP_SECRET, make_user

PASSWORD = "correct-horse-battery-staple"


def fresh_totp_code(user) -> str:
    """The app's current code. allauth remembers used codes in the cache by user id, and ids come
    round again between tests (and runs, with Redis), so forget this one first."""
    from django.core.cache import cache

    code = format_hotp_value(hotp_value(TOTP_SECRET, int(time.time()) // 30))
    totp = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP).wrap()
    cache.delete(totp._get_used_cache_key(code))
    return code


class SoftKey:
    """Just enough of a security key to register and sign in through the real views: a P-256 key
    pair and the WebAuthn messages a browser would send for it (the server checks them all)."""

    def __init__(self, origin: str = "https://testserver") -> None:
        self.origin = origin
        self.rp_id_hash = hashlib.sha256(origin.split("://")[1].encode()).digest()
        self.private_key = ec.generate_private_key(ec.SECP256R1())
        self.credential_id = os.urandom(32)
        self.counter = 0

    def _client_data(self, kind: str, options: dict) -> CollectedClientData:
        challenge = websafe_decode(options["publicKey"]["challenge"])
        return CollectedClientData.create(type=kind, challenge=challenge, origin=self.origin)

    def register(self, creation_options: dict) -> dict:
        flags = AuthenticatorData.FLAG.UP | AuthenticatorData.FLAG.AT
        credential = AttestedCredentialData.create(
            Aaguid.NONE, self.credential_id, ES256.from_cryptography_key(self.private_key.public_key())
        )
        auth_data = AuthenticatorData.create(self.rp_id_hash, flags, self.counter, credential)
        response = AuthenticatorAttestationResponse(
            client_data=self._client_data("webauthn.create", creation_options),
            attestation_object=AttestationObject.create("none", auth_data, {}),
        )
        return dict(RegistrationResponse(raw_id=self.credential_id, response=response))

    def sign_in(self, request_options: dict) -> dict:
        self.counter += 1
        client_data = self._client_data("webauthn.get", request_options)
        auth_data = AuthenticatorData.create(self.rp_id_hash, AuthenticatorData.FLAG.UP, self.counter)
        signature = self.private_key.sign(bytes(auth_data) + client_data.hash, ec.ECDSA(hashes.SHA256()))
        response = AuthenticatorAssertionResponse(client_data=client_data, authenticator_data=auth_data, signature=signature)
        return dict(AuthenticationResponse(raw_id=self.credential_id, response=response))


@pytest.fixture(autouse=True)
def _settings(settings):
    # As in production: the development-only switch must not be what makes these pass.
    settings.MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = False
    # allauth counts password confirmations per user id in the cache, and ids come round again
    # from test to test: without this, the eleventh confirmation in a minute is refused (429).
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "reauthenticate": None}


@pytest.fixture
def client(db) -> Client:
    """Sign-ins are rate-limited per address: give each test its own."""
    return Client(REMOTE_ADDR=f"10.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}")


def confirm_password(client: Client) -> None:
    """allauth asks for the password again before any change to how someone signs in."""
    response = client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert response.status_code == 302


def add_key(client: Client, key: SoftKey, name: str = "Blue USB key"):
    page = client.get(reverse("mfa_add_webauthn"))
    assert page.status_code == 200
    credential = key.register(page.context["js_data"]["creation_options"])
    return client.post(reverse("mfa_add_webauthn"), {"name": name, "credential": json.dumps(credential)})


@pytest.fixture
def lead_with_codes(db):
    lead = make_user("lead-key@council.gov.uk", "Lead 3", roles=[Role.PRACTICE_LEAD])
    RecoveryCodes.activate(lead)  # as allauth does when the app is set up
    return lead


@pytest.fixture
def lead_with_key(client, lead_with_codes):
    key = SoftKey()
    client.force_login(lead_with_codes)
    confirm_password(client)
    assert add_key(client, key)["Location"] == reverse("mfa_index")
    client.logout()
    return lead_with_codes, key


# --- Settings: a second factor only ----------------------------------------------------------


def test_security_keys_are_on_but_never_a_way_round_the_password(settings):
    from allauth.mfa import app_settings

    assert "webauthn" in settings.MFA_SUPPORTED_TYPES
    assert {"totp", "recovery_codes"} <= set(settings.MFA_SUPPORTED_TYPES)
    assert app_settings.PASSKEY_LOGIN_ENABLED is False
    assert app_settings.PASSKEY_SIGNUP_ENABLED is False
    for name in ("mfa_login_webauthn", "mfa_signup_webauthn"):
        with pytest.raises(NoReverseMatch):
            reverse(name)


def test_production_checks_the_origin_of_every_key():
    from tests.test_security import production_env, run_python

    code = (
        "import os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings');"
        "import django; django.setup(); from django.conf import settings as s;"
        "print(s.MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN)"
    )
    result = run_python(code, production_env())
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "False"


# --- Screens, through the real views with a software key -------------------------------------


def test_the_overview_lists_security_keys_with_a_link_to_add_one(client, practitioner):
    client.force_login(practitioner)
    page = client.get(reverse("mfa_index")).content.decode()
    assert "Security keys and passkeys" in page
    assert reverse("mfa_add_webauthn") in page
    assert f'href="{reverse("mfa_list_webauthn")}"' not in page


def test_the_add_page_passes_its_data_without_inline_javascript(client, lead_with_codes):
    client.force_login(lead_with_codes)
    confirm_password(client)
    response = client.get(reverse("mfa_add_webauthn"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "<h1 class=\"govuk-heading-l\">Add a security key</h1>" in page
    assert 'id="js_data" type="application/json"' in page
    assert 'data-allauth-onload="allauth.webauthn.forms.addForm" type="application/json"' in page
    assert "/static/mfa/js/webauthn.js" in page and "/static/account/js/onload.js" in page
    assert "Your role still needs the authenticator app" in page
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]


def test_adding_a_key_lists_it_on_the_overview_and_the_key_list(client, lead_with_codes):
    client.force_login(lead_with_codes)
    confirm_password(client)
    response = add_key(client, SoftKey(), name="Blue USB key")
    assert response["Location"] == reverse("mfa_index")
    overview = client.get(reverse("mfa_index")).content.decode()
    assert "1 key added" in overview
    assert f'href="{reverse("mfa_list_webauthn")}"' in overview
    listing = client.get(reverse("mfa_list_webauthn")).content.decode()
    assert "Blue USB key" in listing and "Not used yet" in listing
    assert Authenticator.objects.filter(user=lead_with_codes, type=Authenticator.Type.WEBAUTHN).count() == 1


def test_a_key_answer_for_another_site_is_refused_and_nothing_is_saved(client, lead_with_codes):
    client.force_login(lead_with_codes)
    confirm_password(client)
    response = add_key(client, SoftKey(origin="https://clinics.example.net"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in page
    assert "Your security key was not added" in page
    assert '<a href="#mfa_webauthn_add">' in page
    assert not Authenticator.objects.filter(type=Authenticator.Type.WEBAUTHN).exists()


def test_rubbish_in_the_credential_field_is_a_form_error_not_a_crash(client, lead_with_codes):
    client.force_login(lead_with_codes)
    confirm_password(client)
    client.get(reverse("mfa_add_webauthn"))
    response = client.post(reverse("mfa_add_webauthn"), {"name": "Key", "credential": '{"id": 1}'})
    assert response.status_code == 200
    assert "Your security key was not added" in response.content.decode()
    assert not Authenticator.objects.filter(type=Authenticator.Type.WEBAUTHN).exists()


def test_a_key_can_be_renamed_and_removed(client, lead_with_key):
    lead, _ = lead_with_key
    key = Authenticator.objects.get(user=lead, type=Authenticator.Type.WEBAUTHN)
    client.force_login(lead)
    confirm_password(client)
    response = client.post(reverse("mfa_edit_webauthn", kwargs={"pk": key.pk}), {"name": "Work laptop"})
    assert response["Location"] == reverse("mfa_list_webauthn")
    key.refresh_from_db()
    assert key.wrap().name == "Work laptop"
    confirm_page = client.get(reverse("mfa_remove_webauthn", kwargs={"pk": key.pk})).content.decode()
    assert "Remove 'Work laptop'?" in confirm_page
    client.post(reverse("mfa_remove_webauthn", kwargs={"pk": key.pk}))
    assert not Authenticator.objects.filter(pk=key.pk).exists()
    assert lead.has_totp  # the app, which the role needs, is untouched


def test_nobody_can_rename_or_remove_someone_elses_key(client, lead_with_key, other_lead):
    lead, _ = lead_with_key
    key = Authenticator.objects.get(user=lead, type=Authenticator.Type.WEBAUTHN)
    client.force_login(other_lead)
    confirm_password(client)
    assert client.post(reverse("mfa_edit_webauthn", kwargs={"pk": key.pk}), {"name": "Mine"}).status_code == 404
    assert client.post(reverse("mfa_remove_webauthn", kwargs={"pk": key.pk})).status_code == 404
    key.refresh_from_db()
    assert key.wrap().name == "Blue USB key"


# --- Signing in: password, then the app's code or the key ------------------------------------


def sign_in_with_password(client: Client, email: str) -> None:
    response = client.post(reverse("account_login"), {"login": email, "password": PASSWORD})
    assert response["Location"] == reverse("mfa_authenticate")


def test_the_key_is_offered_at_sign_in_only_to_people_who_have_one(client, lead_with_codes):
    sign_in_with_password(client, lead_with_codes.email)
    page = client.get(reverse("mfa_authenticate")).content.decode()
    assert "Enter your security code" in page
    assert "mfa_webauthn_authenticate" not in page


def test_signing_in_with_password_and_key_opens_the_privileged_pages(client, lead_with_key):
    lead, key = lead_with_key
    sign_in_with_password(client, lead.email)
    response = client.get(reverse("mfa_authenticate"))
    page = response.content.decode()
    assert 'id="mfa_webauthn_authenticate"' in page
    assert 'id="js_data" type="application/json"' in page
    answer = key.sign_in(response.context["js_data"]["request_options"])
    response = client.post(reverse("mfa_authenticate"), {"credential": json.dumps(answer)})
    assert response.status_code == 302
    assert client.get(reverse("clinics:lead_clinics")).status_code == 200
    stored = Authenticator.objects.get(user=lead, type=Authenticator.Type.WEBAUTHN)
    assert stored.last_used_at is not None


def test_an_unknown_key_at_sign_in_shows_an_error_and_does_not_sign_in(client, lead_with_key):
    lead, _ = lead_with_key
    sign_in_with_password(client, lead.email)
    response = client.get(reverse("mfa_authenticate"))
    answer = SoftKey().sign_in(response.context["js_data"]["request_options"])
    response = client.post(reverse("mfa_authenticate"), {"credential": json.dumps(answer)})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Your security key was not accepted" in page
    assert client.get(reverse("clinics:lead_clinics")).status_code == 302  # still signing in


@pytest.mark.parametrize("rubbish", ['{"id": 1}', '{"rawId": "x", "id": "x", "type": "public-key", "response": {}}', '"text"'])
def test_rubbish_instead_of_a_key_answer_at_sign_in_does_not_sign_in(client, lead_with_key, rubbish):
    lead, _ = lead_with_key
    sign_in_with_password(client, lead.email)
    client.get(reverse("mfa_authenticate"))
    response = client.post(reverse("mfa_authenticate"), {"credential": rubbish})
    assert response.status_code == 200
    assert "Your security key was not accepted" in response.content.decode()
    assert client.get(reverse("clinics:lead_clinics")).status_code == 302


def test_the_app_code_still_works_for_someone_with_a_key(client, lead_with_key):
    lead, _ = lead_with_key
    sign_in_with_password(client, lead.email)
    response = client.post(reverse("mfa_authenticate"), {"code": fresh_totp_code(lead)})
    assert response.status_code == 302
    assert client.get(reverse("clinics:lead_clinics")).status_code == 200


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


def browser_sign_in_with_password(driver, base_url: str, email: str) -> None:
    from selenium.webdriver.common.by import By

    driver.get(base_url + reverse("account_login"))
    driver.find_element(By.ID, "id_login").send_keys(email)
    driver.find_element(By.ID, "id_password").send_keys(PASSWORD)
    driver.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    wait_for_path(driver, reverse("mfa_authenticate"))


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_lead_adds_a_security_key_and_signs_in_with_it_instead_of_a_code(live_server, key_driver):
    from selenium.webdriver.common.by import By

    # With the real origin check (fixture above): http://localhost is a secure context for
    # Chromium and fido2 accepts it.
    driver = key_driver
    lead = make_user("lead-key@council.gov.uk", "Lead 3", roles=[Role.PRACTICE_LEAD])
    RecoveryCodes.activate(lead)  # as allauth does when the app is set up
    console_problems(driver)

    # A full sign-in through the real screens: password, then the app's code.
    browser_sign_in_with_password(driver, live_server.url, lead.email)
    assert driver.find_elements(By.ID, "mfa_webauthn_authenticate") == []  # no key yet: not offered
    driver.find_element(By.ID, "id_code").send_keys(fresh_totp_code(lead))
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
    browser_sign_in_with_password(driver, live_server.url, lead.email)
    driver.find_element(By.ID, "mfa_webauthn_authenticate").click()
    wait_for_path(driver, reverse("home"))
    key.refresh_from_db()
    assert key.last_used_at is not None

    # Signed in with two factors: the privileged pages open (the app is still set up).
    driver.get(live_server.url + reverse("clinics:lead_clinics"))
    assert driver.current_url.endswith(reverse("clinics:lead_clinics"))
    assert console_problems(driver) == []
