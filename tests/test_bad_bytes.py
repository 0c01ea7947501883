"""Bad bytes are a 400 (or are ignored), never a 500: every URL pattern, found by walking the
resolver, gets NUL, control characters, a lone surrogate and invalid UTF-8 in its path, its
query string, its cookies and its form fields, anonymously and as a person holding every role
and the admin. PostgreSQL refuses NUL in text (SQLite does not), so this runs there in CI.
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from accounts.models import Role
from tests.factories import make_user
from tests.url_walk import url_shapes

pytestmark = pytest.mark.postgres

# Percent-encoded as they would arrive on the wire: NUL, a control character, a lone
# surrogate (UTF-8 of U+D800, which no valid UTF-8 holds) and a byte that is not UTF-8 at all.
BAD_ESCAPES = ["%00", "%01", "%ED%A0%80", "%FF"]
SHAPES = url_shapes()


@pytest.fixture
def everyone_client(db):
    """Signed in as a person with every role, an authenticator app and the admin."""
    person = make_user("everything@council.gov.uk", "Lead 9", roles=list(Role.values))
    person.is_staff = person.is_superuser = True
    person.save(update_fields=["is_staff", "is_superuser"])
    client = Client(raise_request_exception=False)
    client.force_login(person)
    return client


@pytest.fixture
def anonymous_client(db):
    return Client(raise_request_exception=False)


def assert_not_5xx(response, what: str) -> None:
    assert response.status_code < 500, f"{what} answered {response.status_code}"


def test_the_walk_finds_every_kind_of_url():
    names = {shape.name for shape in SHAPES}
    assert {"accounts:accept_invitation", "account_login", "account_confirm_email", "healthz", "admin:index"} <= names
    assert len(SHAPES) > 150


@pytest.mark.parametrize("shape", SHAPES, ids=lambda s: s.name)
def test_bad_bytes_anywhere_in_a_request_never_answer_5xx(shape, anonymous_client, everyone_client):
    good = shape.with_value("x")
    for who, client in (("anonymous", anonymous_client), ("signed in", everyone_client)):
        for bad in BAD_ESCAPES:
            url = shape.with_value(f"x{bad}y")
            response = client.get(url)
            assert_not_5xx(response, f"{who} GET {url}")
            assert response.status_code == 400, f"{who} GET {url} answered {response.status_code}"

        response = client.get(good + "?next=%00&q=a%ED%A0%80b")
        assert response.status_code == 400, f"{who} GET {good} with a bad query answered {response.status_code}"

        response = client.post(good, {"email": "\x00", "question": "a\x01b", "next": "\x00"})
        assert response.status_code == 400, f"{who} POST {good} with bad fields answered {response.status_code}"

    # Cookies: a corrupt one is dropped, so the request goes on as if it had not been sent.
    for value in ["abc\x00def" * 4, "\u00e9" * 32]:
        client = Client(raise_request_exception=False)
        for name in (settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME, "messages"):
            client.cookies[name] = value
        response = client.get(good)
        assert_not_5xx(response, f"GET {good} with cookies {value!r}")


# --- each kind of bad byte, on one address ---------------------------------------------------

@pytest.mark.parametrize("bad", [*BAD_ESCAPES, "%7F", "%0A", "%1B"])
def test_a_bad_byte_in_the_path_or_query_is_a_400_with_the_reason_on_a_govuk_page(anonymous_client, bad):
    for url in (f"/accounts/invitation/{bad}/", f"/accounts/login/?next={bad}", f"/?q=a{bad}"):
        response = anonymous_client.get(url)
        assert response.status_code == 400, url
        assert b"Sorry, there is a problem with your request" in response.content
        assert b"characters in it that are not allowed" in response.content
        assert b"govuk-header" in response.content


@pytest.mark.parametrize("bad", ["\x00", "\x01", "\x08", "\x0b", "\x1b", "\x7f"])
def test_a_control_character_in_a_form_field_is_a_400(anonymous_client, bad):
    for data in ({"email": f"a{bad}b@council.gov.uk", "password": "x"}, {f"a{bad}b": "x"}):
        response = anonymous_client.post("/accounts/login/", data)
        assert response.status_code == 400, data
        assert b"The form could not be read" in response.content


@pytest.mark.parametrize("bad", ["%ED%A0%80", "%FF"])
def test_invalid_utf8_in_a_form_body_is_replaced_not_a_500(anonymous_client, bad):
    # A lone surrogate cannot travel as UTF-8: on the wire it is invalid bytes, which Django
    # decodes to U+FFFD, so it is ignored and the form answers as for any wrong password.
    body = f"login=a{bad}b%40council.gov.uk&password=x"
    response = anonymous_client.post("/accounts/login/", body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200


def test_tabs_and_line_breaks_in_a_form_field_are_fine(anonymous_client):
    response = anonymous_client.post("/accounts/login/", {"login": "a@council.gov.uk", "password": "x\t\r\ny"})
    assert response.status_code == 200  # the sign-in form again, with its error


def test_the_invitation_link_with_a_nul_is_a_400_not_a_500(anonymous_client):
    assert anonymous_client.get("/accounts/invitation/%00/").status_code == 400


def test_a_session_cookie_holding_a_nul_escape_means_no_session(everyone_client):
    assert everyone_client.get("/home/").status_code == 200
    # Python's cookie parser turns the quoted escape "\000" into NUL.
    everyone_client.cookies[settings.SESSION_COOKIE_NAME] = "\x00" + everyone_client.cookies[settings.SESSION_COOKIE_NAME].value
    for url in ("/home/", "/", "/healthz", "/accounts/login/"):
        response = everyone_client.get(url)
        assert response.status_code < 500, url
    response = everyone_client.get("/home/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    # ... and the browser is told to forget it.
    assert response.cookies[settings.SESSION_COOKIE_NAME].value == ""


def test_a_garbage_session_cookie_means_no_session(anonymous_client):
    anonymous_client.cookies[settings.SESSION_COOKIE_NAME] = "garbage-that-is-no-session-key"
    response = anonymous_client.get("/home/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
