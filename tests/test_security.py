"""Production guarantees: check --deploy, security headers on sample pages, cookies, templates."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import reverse

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "templates"


def production_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "SECURE_"))}
    env.update(DJANGO_ENV="production", DJANGO_SECRET_KEY=secrets.token_urlsafe(60), DJANGO_ALLOWED_HOSTS="clinics.example.org")
    env.update(extra)
    return env


def run_python(code: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def test_check_deploy_passes_in_production_mode():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=production_env(), capture_output=True, text=True, timeout=120,
    )
    # security.W021 (HSTS preload) needs SILENCED_SYSTEM_CHECKS = ["security.W021"] in
    # config/settings.py: preloading binds the whole parent domain and is not this service's call.
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_a_short_secret_key():
    env = production_env(DJANGO_SECRET_KEY="too-short")
    result = run_python("import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings'); django.setup()", env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_production_settings_turn_on_hsts_secure_cookies_and_idle_timeout():
    code = (
        "import os, json; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings');"
        "import django; django.setup(); from django.conf import settings as s;"
        "print(json.dumps({k: getattr(s, k) for k in ['SECURE_HSTS_SECONDS', 'SECURE_HSTS_INCLUDE_SUBDOMAINS',"
        "'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', 'SESSION_COOKIE_HTTPONLY', 'CSRF_COOKIE_HTTPONLY',"
        "'SECURE_SSL_REDIRECT', 'SESSION_COOKIE_AGE', 'SESSION_SAVE_EVERY_REQUEST', 'DEBUG']}))"
    )
    result = run_python(code, production_env())
    assert result.returncode == 0, result.stderr
    import json

    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values["SECURE_HSTS_SECONDS"] >= 31_536_000
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert values["SESSION_COOKIE_SECURE"] is True and values["CSRF_COOKIE_SECURE"] is True
    assert values["SESSION_COOKIE_HTTPONLY"] is True and values["CSRF_COOKIE_HTTPONLY"] is True
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["DEBUG"] is False
    # Idle timeout: the session lasts this long after the last request, and every request renews it.
    assert 0 < values["SESSION_COOKIE_AGE"] <= 8 * 3600
    assert values["SESSION_SAVE_EVERY_REQUEST"] is True


def test_idle_timeout_is_set_here_too():
    assert 0 < settings.SESSION_COOKIE_AGE <= 8 * 3600
    assert settings.SESSION_SAVE_EVERY_REQUEST


# --- Headers on sample pages ---------------------------------------------------------------

SIGNED_OUT_PAGES = ["start", "account_login", "account_signup", "accessibility", "privacy", "support"]


def csp_directives(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


def assert_security_headers(response) -> None:
    directives = csp_directives(response)
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]
    assert directives["object-src"] == ["'none'"]
    assert directives["base-uri"] in (["'self'"], ["'none'"])
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["script-src"] == ["'self'"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"]
    assert "camera=()" in response["Permissions-Policy"]
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize("name", SIGNED_OUT_PAGES)
def test_signed_out_pages_carry_the_security_headers(client, db, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert_security_headers(response)


def test_a_404_carries_the_security_headers(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert_security_headers(response)
    assert b"Page not found" in response.content


def test_a_403_carries_the_security_headers_and_no_store(client, practitioner):
    client.force_login(practitioner)
    response = client.get(reverse("accounts:people"))
    assert response.status_code == 403
    assert_security_headers(response)
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("name", ["home", "accounts:profile", "mfa_index"])
def test_signed_in_pages_are_never_stored(client, practitioner, name):
    client.force_login(practitioner)
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert_security_headers(response)
    assert "no-store" in response["Cache-Control"]


def test_privileged_pages_are_never_stored(client, coordinator):
    client.force_login(coordinator)
    response = client.get(reverse("accounts:people"))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


@override_settings(
    SECURE_HSTS_SECONDS=31_536_000,
    SECURE_HSTS_INCLUDE_SUBDOMAINS=True,
    SESSION_COOKIE_SECURE=True,
    CSRF_COOKIE_SECURE=True,
)
def test_over_https_hsts_is_sent_and_cookies_are_secure_and_http_only(client, practitioner):
    # The production values above, applied to a live request: the response must carry them.
    response = client.post(
        reverse("account_login"),
        {"login": practitioner.email, "password": "correct-horse-battery-staple"},
        secure=True,
    )
    assert response.status_code == 302
    hsts = response["Strict-Transport-Security"]
    assert int(re.search(r"max-age=(\d+)", hsts).group(1)) >= 31_536_000
    assert "includeSubDomains" in hsts
    session = response.cookies[settings.SESSION_COOKIE_NAME]
    assert session["secure"] and session["httponly"]
    assert session["samesite"] == "Lax"
    login_page = client.get(reverse("account_login"), secure=True)
    csrf = login_page.cookies.get(settings.CSRF_COOKIE_NAME) or client.cookies.get(settings.CSRF_COOKIE_NAME)
    assert csrf is not None
    assert csrf["secure"] and csrf["httponly"]


# --- Templates: nothing CSP would block, nothing that needs 'unsafe-inline' ----------------

# A <script type="application/json"> block is data, never run (CSP's script-src does not apply to
# it): allauth's security-key pages pass their options that way and read them from static scripts.
INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)(?![^>]*\btype=[\"']application/json[\"'])[^>]*>", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"<[^>]*\sstyle\s*=", re.IGNORECASE)
STYLE_ELEMENT = re.compile(r"<style\b", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=", re.IGNORECASE)


def page_templates() -> list[Path]:
    return [p for p in TEMPLATES.rglob("*.html") if "emails" not in p.relative_to(TEMPLATES).parts]


def test_there_are_templates_to_check():
    names = {p.relative_to(TEMPLATES).as_posix() for p in page_templates()}
    assert {"base.html", "account/login.html", "allauth/layouts/base.html", "pages/privacy.html"} <= names


@pytest.mark.parametrize("pattern", [INLINE_SCRIPT, STYLE_ATTRIBUTE, STYLE_ELEMENT, EVENT_HANDLER], ids=["inline-script", "style-attribute", "style-element", "event-handler"])
def test_no_template_needs_unsafe_inline(pattern):
    offenders = [
        f"{path.relative_to(TEMPLATES)}: {match.group(0)[:80]}"
        for path in page_templates()
        for match in pattern.finditer(path.read_text())
    ]
    assert offenders == []


def test_the_inline_checks_catch_what_they_should():
    assert INLINE_SCRIPT.search('<script>alert(1)</script>')
    assert not INLINE_SCRIPT.search('<script type="module" src="/static/js/app.js"></script>')
    assert not INLINE_SCRIPT.search('<script data-allauth-onload="x" type="application/json">{"ids": {}}</script>')
    assert INLINE_SCRIPT.search('<script type="text/javascript">alert(1)</script>')
    assert INLINE_SCRIPT.search('<script type="module">alert(1)</script>')
    assert INLINE_SCRIPT.search('<script type="application/javascript">alert(1)</script>')
    assert STYLE_ATTRIBUTE.search('<div class="x" style="color: red">')
    assert not STYLE_ATTRIBUTE.search('<p class="govuk-body">style= is how you would write it</p>')
