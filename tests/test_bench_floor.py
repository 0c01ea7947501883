"""Benchmark mode: the floor view exists only when settings.BENCH is on; the bench email backend counts."""

from __future__ import annotations

import importlib

import pytest
from django.contrib.sessions.models import Session
from django.urls import clear_url_caches

import config.urls


@pytest.fixture
def bench_urls(settings):
    settings.BENCH = True
    importlib.reload(config.urls)
    clear_url_caches()
    yield
    settings.BENCH = False
    importlib.reload(config.urls)
    clear_url_caches()


def test_floor_is_not_found_outside_benchmark_mode(client, db):
    assert client.post("/bench/floor").status_code == 404
    assert client.get("/bench/floor").status_code == 404


def test_floor_inserts_one_row_in_benchmark_mode(client, db, bench_urls):
    before = Session.objects.count()
    response = client.post("/bench/floor")
    assert response.status_code == 200
    assert Session.objects.count() == before + 1
    assert client.get("/bench/floor").status_code == 405


def test_the_bench_email_backend_builds_each_message_and_keeps_only_a_count(settings):
    from django.core.mail import EmailMessage, get_connection

    from config.bench import CountingEmailBackend

    before = CountingEmailBackend.sent
    sent = get_connection("config.bench.CountingEmailBackend").send_messages(
        [EmailMessage("Subject", "Body", "from@example.org", ["to@example.org"]) for _ in range(3)]
    )
    assert sent == 3 and CountingEmailBackend.sent == before + 3
