"""Every privileged URL, found by walking the URL resolver: a view wrapped in
``accounts.access.role_required`` carries ``required_roles``, so screens added later by anyone
are covered without touching this file.

The decorator answers before the view body runs (sign in, 403 or two-factor setup), so any
object id in the URL will do: pk 1 need not exist.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.resolvers import RoutePattern

from accounts.models import Role
from tests.factories import make_user

SAMPLE_VALUES = {"int": "1", "str": "x", "slug": "x", "path": "x", "uuid": str(uuid.UUID(int=1))}
PARAMETER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>\w+)>")


@dataclass(frozen=True)
class PrivilegedUrl:
    name: str
    path: str
    roles: tuple[str, ...]

    def __str__(self) -> str:
        return self.name


def _required_roles(callback) -> tuple[str, ...] | None:
    # Follow functools.wraps chains: other decorators may sit outside role_required.
    seen = 0
    while callback is not None and seen < 10:
        roles = getattr(callback, "required_roles", None)
        if roles:
            return tuple(roles)
        callback = getattr(callback, "__wrapped__", None) or getattr(callback, "view_class", None)
        seen += 1
    return None


def _route(pattern) -> str:
    if not isinstance(pattern, RoutePattern):
        raise AssertionError(f"cannot build a sample URL for regex pattern {pattern}: use path()")
    return PARAMETER.sub(lambda m: SAMPLE_VALUES[m.group("converter") or "str"], str(pattern))


def privileged_urls() -> list[PrivilegedUrl]:
    found: list[PrivilegedUrl] = []

    def walk(patterns, prefix: str, namespace: str) -> None:
        for entry in patterns:
            if isinstance(entry, URLResolver):
                ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
                try:
                    route = _route(entry.pattern)
                except AssertionError:
                    route = None
                if route is not None:
                    walk(entry.url_patterns, prefix + route, ns)
            elif isinstance(entry, URLPattern):
                roles = _required_roles(entry.callback)
                if roles:
                    name = f"{namespace}{entry.name}" if entry.name else "(unnamed)"
                    found.append(PrivilegedUrl(name, "/" + prefix + _route(entry.pattern), roles))

    walk(get_resolver().url_patterns, "", "")
    return found


PRIVILEGED = privileged_urls()


def fetch(client, url: PrivilegedUrl):
    """GET the page; a POST-only action answers 405 to GET only if its method check sits
    outside role_required, so try POST then."""
    response = client.get(url.path)
    if response.status_code == 405:
        response = client.post(url.path, {})
    return response


def test_the_enumeration_finds_the_privileged_screens():
    names = {u.name for u in PRIVILEGED}
    assert {"accounts:people", "accounts:person", "accounts:invite", "accounts:person_grant_role", "accounts:person_remove_role"} <= names
    # The clinics and notifications screens are built on the same decorator.
    assert any(u.name.startswith("clinics:") for u in PRIVILEGED)
    covered = {role for u in PRIVILEGED for role in u.roles}
    assert covered == set(Role.values)


def test_every_privileged_url_has_a_name():
    assert [u.path for u in PRIVILEGED if u.name == "(unnamed)"] == []


def _assert_sent_to_totp_setup(response, url: PrivilegedUrl) -> None:
    assert response.status_code == 302, f"{url.name} ({url.path}) answered {response.status_code}"
    location = urlsplit(response["Location"])
    assert location.path == reverse("mfa_activate_totp"), f"{url.name} sent to {response['Location']}"
    assert parse_qs(location.query)["next"] == [url.path]


@pytest.mark.parametrize("role", Role.values)
def test_privileged_people_without_totp_are_sent_to_set_it_up_from_every_privileged_url(client, db, role):
    person = make_user(f"{role}-no-totp@council.gov.uk", f"{Role(role).label} 9", roles=[role], totp=False)
    client.force_login(person)
    urls = [u for u in PRIVILEGED if role in u.roles]
    assert urls, f"no URL is for {role}"
    for url in urls:
        _assert_sent_to_totp_setup(fetch(client, url), url)


def test_someone_with_every_role_but_no_totp_is_sent_to_set_it_up_from_every_privileged_url(client, db):
    person = make_user("all-roles@council.gov.uk", "Coordinator 9", roles=list(Role.values), totp=False)
    client.force_login(person)
    for url in PRIVILEGED:
        _assert_sent_to_totp_setup(fetch(client, url), url)


def test_a_practitioner_gets_403_on_every_privileged_url(client, practitioner):
    client.force_login(practitioner)
    for url in PRIVILEGED:
        response = fetch(client, url)
        assert response.status_code == 403, f"{url.name} ({url.path}) answered {response.status_code}"
        assert b"You do not have access to this page" in response.content


def test_someone_without_the_role_gets_403_even_with_totp(client, manager):
    client.force_login(manager)
    for url in (u for u in PRIVILEGED if Role.MANAGER not in u.roles):
        assert fetch(client, url).status_code == 403, url.name


def test_signed_out_visitors_are_sent_to_sign_in_from_every_privileged_url(client, db):
    for url in PRIVILEGED:
        response = fetch(client, url)
        assert response.status_code == 302, url.name
        assert urlsplit(response["Location"]).path == reverse("account_login"), url.name


def test_with_totp_the_privileged_page_opens(client, coordinator):
    client.force_login(coordinator)
    response = client.get(reverse("accounts:people"))
    assert response.status_code == 200
    assert b"<h1 class=\"govuk-heading-l\">People</h1>" in response.content
