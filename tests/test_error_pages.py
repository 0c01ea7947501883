"""Error pages carry the same security headers as every other page, and the 500 page renders
without the session, the user or the database (any of which may be what failed)."""

from __future__ import annotations

import pytest
from django.test import Client, RequestFactory

from config.views import server_error

SECURITY_HEADERS = [
    "Content-Security-Policy", "X-Frame-Options", "X-Content-Type-Options", "Referrer-Policy",
    "Cross-Origin-Opener-Policy", "Permissions-Policy",
]


def security_headers(response) -> dict[str, str]:
    return {name: response[name] for name in SECURITY_HEADERS if response.has_header(name)}


@pytest.fixture
def client_with_a_broken_view(settings, db):
    settings.ROOT_URLCONF = "tests.raising_urls"
    settings.DEBUG = False
    return Client(raise_request_exception=False)


def test_normal_pages_carry_the_security_headers(client, db):
    assert set(security_headers(client.get("/"))) == set(SECURITY_HEADERS)


def test_the_500_page_carries_the_same_security_headers_as_a_normal_page(client_with_a_broken_view):
    normal = security_headers(client_with_a_broken_view.get("/"))
    response = client_with_a_broken_view.get("/broken/")
    assert response.status_code == 500
    assert b"Sorry, there is a problem with the service" in response.content
    assert security_headers(response) == normal


@pytest.mark.parametrize("url", ["/accounts/invitation/%00/", "/?q=%00", "/no-such-page/"])
def test_400_and_404_pages_carry_the_same_security_headers_as_a_normal_page(client, db, url):
    normal = security_headers(client.get("/"))
    response = client.get(url)
    assert response.status_code in (400, 404)
    assert security_headers(response) == normal


class Exploding:
    def __getattr__(self, name):
        raise AssertionError(f"the 500 page touched {name}")


class UntouchableRequest:
    """A request whose session and user raise if the 500 page reads them."""

    def __init__(self, request) -> None:
        self._request = request

    session = property(lambda self: Exploding().session)
    user = property(lambda self: Exploding().user)

    def __getattr__(self, name):
        return getattr(self._request, name)


def test_the_500_page_renders_without_touching_the_session_or_the_user():
    response = server_error(UntouchableRequest(RequestFactory().get("/")))
    assert response.status_code == 500
    assert b"Sorry, there is a problem with the service" in response.content
    assert b"govuk-header" in response.content
