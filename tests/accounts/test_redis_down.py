"""Redis is no single point of failure for signing in.

Redis here is really unreachable: the cache and the broker point at a port where nothing
listens. Sign-in (with and without the authenticator app), sign-out and every page still work;
the rate limits and TOTP replay protection keep counting in the database cache, which every web
process shares; /healthz names what is down.
"""

from __future__ import annotations

import socket
import time

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.test import Client

from accounts.models import Role
from config import cache as failover
from config.celery import app as celery_app
from notifications import outbox
from tests.factories import TOTP_SECRET, make_user
from tests.url_walk import url_shapes

PASSWORD = "correct-horse-battery-staple"


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def failover_caches(redis_url: str) -> dict:
    return {
        "database": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": settings.CACHE_TABLE, "KEY_PREFIX": "csa"},
        "default": {
            "BACKEND": "config.cache.RedisWithDatabaseFallback",
            "LOCATION": redis_url,
            "KEY_PREFIX": "csa",
            "OPTIONS": {"FALLBACK": "database", "socket_connect_timeout": 1, "socket_timeout": 1},
        },
    }


@pytest.fixture
def redis_down(settings):
    """Cache and broker both on a Redis URL where nothing listens."""
    url = f"redis://127.0.0.1:{closed_port()}/0"
    settings.CACHES = failover_caches(url)
    broker = celery_app.conf.broker_url
    celery_app.conf.broker_url = url
    celery_app._pool = None
    outbox.broker_reset()
    yield url
    celery_app.conf.broker_url = broker
    celery_app._pool = None
    outbox.broker_reset()


def cached_rows() -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(settings.CACHE_TABLE)}")  # noqa: S608 - our own setting
        return cursor.fetchone()[0]


def sign_in(client: Client, email: str, password: str = PASSWORD):
    return client.post("/accounts/login/", {"login": email, "password": password})


def current_code() -> str:
    return format_hotp_value(hotp_value(TOTP_SECRET, int(time.time()) // 30))


def test_sign_in_and_sign_out_work_with_redis_unreachable(db, redis_down, practitioner):
    client = Client(raise_request_exception=False)
    response = sign_in(client, practitioner.email)
    assert response.status_code == 302 and response["Location"] == "/home/"
    assert client.get("/home/").status_code == 200
    assert caches["default"].redis_down()

    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert client.get("/home/").status_code == 302  # signed out: back to sign in


def test_two_factor_sign_in_works_and_a_used_code_is_refused_with_redis_unreachable(db, redis_down, lead):
    client = Client(raise_request_exception=False)
    assert sign_in(client, lead.email)["Location"].startswith("/accounts/2fa/authenticate/")
    code = current_code()
    response = client.post("/accounts/2fa/authenticate/", {"code": code})
    assert response.status_code == 302 and response["Location"] == "/home/"

    # The same code again, from another browser: the used-code record (replay protection)
    # lives in the database cache, which every web process shares.
    other = Client(raise_request_exception=False)
    sign_in(other, lead.email)
    response = other.post("/accounts/2fa/authenticate/", {"code": code})
    assert response.status_code == 200
    assert "/home/" not in response.get("Location", "")
    assert "_auth_user_id" not in other.session
    assert cached_rows() > 0


def test_failed_sign_ins_are_still_limited_with_redis_unreachable(db, redis_down, practitioner):
    # ACCOUNT_RATE_LIMITS["login_failed"] allows 5 failures per 5 minutes for one address.
    for _ in range(5):
        response = sign_in(Client(raise_request_exception=False), practitioner.email, "wrong password")
        assert response.status_code == 200
    assert cached_rows() > 0  # the counters live in the shared database cache

    # A fresh client (another web process would see the same table): even the right password
    # is refused now.
    response = sign_in(Client(raise_request_exception=False), practitioner.email)
    assert response.status_code == 200
    assert b"Too many failed login attempts" in response.content
    assert "_auth_user_id" not in response.wsgi_request.session


def test_healthz_names_the_broker_and_the_cache_when_redis_is_unreachable(client, db, redis_down):
    response = client.get("/healthz")
    assert response.status_code == 200  # pages still work: do not take the web process out
    body = response.json()
    assert body["status"] == "degraded"
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["broker"] == "unavailable"
    assert body["checks"]["cache"] == "redis unavailable, using the database cache"


@pytest.mark.parametrize("shape", url_shapes(), ids=lambda s: s.name)
def test_every_page_answers_without_a_5xx_with_redis_unreachable(db, redis_down, shape):
    person = make_user("everything@council.gov.uk", "Lead 9", roles=list(Role.values))
    client = Client(raise_request_exception=False)
    client.force_login(person)
    for url in {shape.with_value("1"), shape.with_value("x")}:
        response = client.get(url)
        assert response.status_code < 500, f"GET {url} answered {response.status_code}"


@pytest.mark.redis
def test_the_cache_uses_redis_while_it_answers(db, settings):
    from tests.conftest import redis_url

    settings.CACHES = failover_caches(redis_url())
    cache = caches["default"]
    cache.set("redis-down-test", "in redis", 30)
    assert cache.redis.get("redis-down-test") == "in redis"
    assert caches["database"].get("redis-down-test") is None
    assert not cache.redis_down()
    assert cache.redis_answers()


def test_an_outage_costs_one_connection_attempt_per_interval(db, redis_down):
    cache = caches["default"]
    cache.get("anything")  # finds Redis down
    assert cache.redis_down()
    started = time.monotonic()
    for _ in range(50):
        cache.set("k", "v", 30)
    assert time.monotonic() - started < failover.REDIS_RETRY_SECONDS
    assert caches["database"].get("k") == "v"
