"""/healthz tells a load balancer or compose whether the database and the broker answer."""

from __future__ import annotations

import socket

import pytest

from config.celery import app as celery_app


@pytest.fixture
def closed_port() -> int:
    # Bind and close: nothing listens on this port for the next moment.
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def broker_url_pointing_at(closed_port):
    original = celery_app.conf.broker_url
    celery_app.conf.broker_url = f"redis://127.0.0.1:{closed_port}/0"
    try:
        yield
    finally:
        celery_app.conf.broker_url = original


def test_healthz_is_ok_when_database_and_broker_answer(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    # "cache" is there too when the cache is Redis with its database fallback (REDIS_URL set).
    assert {"database": "ok", "broker": "ok"}.items() <= body["checks"].items()
    assert set(body["checks"].values()) == {"ok"}


@pytest.mark.redis
def test_healthz_is_ok_with_the_real_redis_broker(client, db, settings):
    from tests.conftest import redis_url

    original = celery_app.conf.broker_url
    celery_app.conf.broker_url = redis_url()
    try:
        response = client.get("/healthz")
    finally:
        celery_app.conf.broker_url = original
    assert response.status_code == 200
    assert response.json()["checks"]["broker"] == "ok"


def test_healthz_names_the_broker_when_it_is_down_but_stays_200(client, db, broker_url_pointing_at):
    # Pages still work without the broker (the outbox waits for the sweep): degraded, not down,
    # so a load balancer keeps the web process in service.
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert body["checks"]["broker"] == "unavailable"
    assert body["checks"]["database"] == "ok"
    assert "broker" in response.content.decode()


def test_healthz_is_never_cached(client, db):
    response = client.get("/healthz")
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]
