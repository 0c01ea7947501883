"""Shared fixtures: one named user per role, real services, a clinic ready to book.

Services: tests marked ``postgres``/``redis``/``browser`` need the real thing. Locally they
are skipped when it is missing (so `make test` passes on a laptop with only Python); in CI
(``CI=true``) a missing service is a failure, never a skip.
"""

from __future__ import annotations

import os
import shutil

import pytest
from django.db import connection

from tests.factories import make_clinic, make_series, make_user

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def _require(condition: bool, what: str) -> None:
    if condition:
        return
    if IN_CI:
        pytest.fail(f"{what} is required in CI but is not available", pytrace=False)
    pytest.skip(f"{what} not available (set it up or run in CI)")


def redis_url() -> str:
    return os.environ.get("REDIS_URL", "")


def redis_available() -> bool:
    url = redis_url()
    if not url:
        return False
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


def pytest_runtest_setup(item: pytest.Item) -> None:
    if item.get_closest_marker("postgres"):
        _require(connection.vendor == "postgresql", "PostgreSQL (DATABASE_URL)")
    if item.get_closest_marker("redis"):
        _require(redis_available(), "Redis (REDIS_URL)")
    if item.get_closest_marker("browser"):
        _require(bool(shutil.which("chromium") and shutil.which("chromedriver")), "Chromium and chromedriver")


REFERENCE_DATA_MIGRATIONS = ("accounts.migrations.0002_agency_types", "clinics.migrations.0002_default_taxonomies")


def ensure_reference_data() -> None:
    """Put back the rows our data migrations load (agency types, taxonomies, resources).

    Transactional tests (real threads, a real Celery worker, a live browser) end with a flush
    that empties every table, data migrations included; the tests after them would then run
    without the taxonomies. Reloading with the migrations' own functions keeps one source.
    """
    from importlib import import_module

    from django.apps import apps

    from accounts.models import AgencyType

    if AgencyType.objects.exists():
        return
    for module in REFERENCE_DATA_MIGRATIONS:
        import_module(module).load(apps, None)


@pytest.fixture(autouse=True)
def _reference_data(request):
    uses_db = request.node.get_closest_marker("django_db") or {"db", "transactional_db", "live_server"} & set(
        request.fixturenames
    )
    if uses_db:
        request.getfixturevalue("_django_db_helper")
        ensure_reference_data()
    return


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def practitioner(db):
    return make_user("practitioner@council.gov.uk", "Practitioner 1")


@pytest.fixture
def other_practitioner(db):
    return make_user("practitioner2@council.gov.uk", "Practitioner 2")


@pytest.fixture
def lead(db):
    return make_user("lead1@council.gov.uk", "Lead 1", roles=["practice_lead"])


@pytest.fixture
def other_lead(db):
    return make_user("lead2@council.gov.uk", "Lead 2", roles=["practice_lead"])


@pytest.fixture
def coordinator(db):
    return make_user("coordinator@council.gov.uk", "Coordinator 1", roles=["coordinator"])


@pytest.fixture
def manager(db):
    return make_user("manager@council.gov.uk", "Manager 1", roles=["manager"])


@pytest.fixture
def series(db, lead, coordinator):
    return make_series(facilitators=[lead], created_by=coordinator)


@pytest.fixture
def clinic(db, lead):
    """A clinic a fortnight ahead, open for booking, three slots, run by ``lead``."""
    return make_clinic(facilitators=[lead])
