"""Emails people can act on: one main link per email, absolute from SITE_URL, that lands on the
right page after signing in; and a plain-text part beside every HTML one."""

from __future__ import annotations

import time
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.conf import settings
from django.core import mail
from django.core.cache import cache
from django.test import Client, override_settings
from django.urls import reverse

from notifications.outbox import deliver, store
from tests.factories import TOTP_SECRET
from tests.notifications.email_samples import sample_emails

pytestmark = pytest.mark.django_db

SITE = "https://clinics.example.gov.uk"
PASSWORD = "correct-horse-battery-staple"
EMAIL_TEMPLATES = Path(settings.BASE_DIR) / "templates" / "emails"


def email_kinds() -> set[str]:
    return {p.name for p in EMAIL_TEMPLATES.iterdir() if p.is_dir() and not p.name.startswith("_")}


class _Anchors(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.main: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "a" and "main-action" in (found.get("class") or "").split():
            self.main.append(found.get("href") or "")


def main_actions(html: str) -> list[str]:
    parser = _Anchors()
    parser.feed(html)
    return parser.main


@pytest.fixture
def samples(practitioner, lead, coordinator):
    with override_settings(SITE_URL=SITE):
        return sample_emails(practitioner, lead, coordinator)


def test_every_email_template_directory_has_a_subject_a_text_and_an_html_body():
    for kind in sorted(email_kinds()):
        for name in ("subject.txt", "body.txt", "body.html"):
            assert (EMAIL_TEMPLATES / kind / name).is_file(), f"{kind}/{name} is missing"


def test_every_kind_of_email_has_a_sample(samples):
    assert set(samples) == email_kinds(), "add the new email to tests/notifications/email_samples.py"


def test_every_email_has_one_main_action_an_absolute_link_from_site_url_also_in_the_text(samples):
    for kind, sample in samples.items():
        actions = main_actions(sample.draft.body_html)
        assert len(actions) == 1, f"{kind}: {len(actions)} main actions"
        assert actions[0].startswith(SITE + "/"), f"{kind}: {actions[0]}"
        # emails.link() falls back to the home page when a route is missing: never for a main action.
        assert actions[0] != SITE + reverse("home"), f"{kind}: the main action is the home page"
        assert actions[0] in sample.draft.body_text, f"{kind}: the text part lacks the main link"


def test_every_sent_email_has_a_plain_text_part_beside_its_html(samples):
    rows = store(sample.draft for sample in samples.values())
    for row in rows:
        assert deliver(row.pk)
    assert len(mail.outbox) == len(samples)
    for sent in mail.outbox:
        types = [part.get_content_type() for part in sent.message().walk()]
        assert "text/plain" in types and "text/html" in types, (sent.subject, types)
        assert sent.body.strip(), sent.subject


def _fresh_totp_code(user) -> str:
    """allauth refuses a code twice (it remembers used codes in the cache): forget this one."""
    code = format_hotp_value(hotp_value(TOTP_SECRET, int(time.time()) // 30))
    totp = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP).wrap()
    cache.delete(totp._get_used_cache_key(code))
    return code


def follow_after_signing_in(path: str, person) -> tuple[str, int]:
    """Open ``path`` signed out, sign in as ``person`` on the page it sends us to, and return
    where we end up and its status."""
    client = Client()
    response = client.get(path)
    assert response.status_code == 302, f"{path}: {response.status_code} before signing in"
    login = urlsplit(response["Location"])
    assert login.path == reverse("account_login"), response["Location"]
    assert parse_qs(login.query)["next"] == [path]
    response = client.post(response["Location"], {"login": person.email, "password": PASSWORD})
    assert response.status_code == 302, f"{path}: sign-in answered {response.status_code}"
    if response["Location"] == reverse("mfa_authenticate"):
        response = client.post(reverse("mfa_authenticate"), {"code": _fresh_totp_code(person)})
        assert response.status_code == 302, f"{path}: the code was refused"
    landed = response["Location"]
    return landed, client.get(landed).status_code


def test_each_emails_main_link_lands_on_its_page_after_signing_in(samples):
    failures = []
    for kind, sample in sorted(samples.items()):
        url = main_actions(sample.draft.body_html)[0]
        path = url.removeprefix(SITE)
        if sample.recipient is None:  # an invitation: no account yet, the link leads to creating one
            response = Client().get(path, follow=True)
            landed = response.redirect_chain[-1][0] if response.redirect_chain else path
            if (landed, response.status_code) != (reverse("account_signup"), 200):
                failures.append(f"{kind}: {path} led to {landed} ({response.status_code}) signed out")
            continue
        landed, status = follow_after_signing_in(path, sample.recipient)
        if (landed, status) != (path, 200):
            failures.append(f"{kind}: {path} led to {landed} ({status})")
    assert not failures, "\n".join(failures)
