"""Quiet, useful logs: an expected refusal (403, 404, 400, 429) is one line without a
traceback, naming method, path (never the query string), status, user id and reason; a real
error keeps its traceback; and case text reaches neither.

These read what the service's own log handler writes (config/settings.py LOGGING), filters
included, not pytest's capture.
"""

from __future__ import annotations

import io
import logging
import logging.config

import pytest
from django.conf import settings
from django.test import Client

# Case text as a practitioner would type it; it must never reach the logs.
CANARY = "Child A told Practitioner 1 about the canary-kestrel-4417 incident at home"


@pytest.fixture
def service_log():
    handler = next((h for h in logging.getLogger().handlers if h.get_name() == "console"), None)
    if handler is None:  # another test (a Celery or gunicorn set-up) replaced the root handlers
        logging.config.dictConfig(settings.LOGGING)
        handler = next(h for h in logging.getLogger().handlers if h.get_name() == "console")
    stream = io.StringIO()
    previous = handler.setStream(stream)
    yield stream
    handler.setStream(previous)


def lines_of(stream: io.StringIO) -> list[str]:
    return stream.getvalue().splitlines()


def test_a_forbidden_request_is_one_line_without_a_traceback(client, practitioner, service_log):
    client.force_login(practitioner)
    response = client.get("/clinics/series/?search=" + CANARY)
    assert response.status_code == 403
    [line] = lines_of(service_log)
    assert "Traceback" not in service_log.getvalue()
    assert line.endswith(
        f"refused GET /clinics/series/ 403 user={practitioner.pk} reason=This page is for coordinators"
    )


def test_many_forbidden_requests_are_as_many_lines(client, practitioner, service_log):
    client.force_login(practitioner)
    for _ in range(20):
        assert client.post("/clinics/series/", {"question": CANARY}).status_code == 403
    assert len(lines_of(service_log)) == 20
    assert "Traceback" not in service_log.getvalue()


def test_a_missing_page_is_one_line_without_the_query_string(client, db, service_log):
    assert client.get("/no-such-page/?q=" + CANARY).status_code == 404
    [line] = lines_of(service_log)
    assert line.endswith("refused GET /no-such-page/ 404 user=- reason=not found")


def test_bad_bytes_are_one_line_with_the_reason_and_escaped(client, db, service_log):
    assert client.get("/accounts/invitation/%00/").status_code == 400
    [line] = lines_of(service_log)
    assert line.endswith("refused GET /accounts/invitation/\\x00/ 400 user=- reason=bad bytes in the address")


def test_throttling_is_one_line(client, db, settings, service_log):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login": "1/m/ip"}
    client.post("/accounts/login/", {"login": "someone@council.gov.uk", "password": "x"})
    response = client.post("/accounts/login/", {"login": "someone@council.gov.uk", "password": "x"})
    assert response.status_code == 429
    [line] = [line for line in lines_of(service_log) if "refused" in line]
    assert line.endswith("refused POST /accounts/login/ 429 user=- reason=too many attempts (rate limit)")
    assert "Traceback" not in service_log.getvalue()


def test_a_real_error_keeps_its_traceback_and_no_case_text(db, settings, service_log):
    settings.ROOT_URLCONF = "tests.raising_urls"
    client = Client(raise_request_exception=False)
    assert client.post("/broken/?q=" + CANARY, {"question": CANARY}).status_code == 500
    log = service_log.getvalue()
    assert "Internal Server Error: /broken/" in log
    assert log.count("Traceback (most recent call last)") == 1
    assert "RuntimeError: a bug in a view" in log
    assert "refused" not in log


def test_no_case_text_in_any_log_line(client, practitioner, service_log, settings):
    """The canary: case text sent every way a request can carry it, to refusals and errors."""
    client.force_login(practitioner)
    client.post("/clinics/series/?q=" + CANARY, {"question": CANARY})  # 403
    client.post("/no-such-page/?q=" + CANARY, {"question": CANARY})  # 404
    client.post("/clinics/request/?q=" + CANARY, {"question": CANARY + "\x00"})  # 400, bad bytes
    client.post("/clinics/request/", {"question": CANARY})  # the form, re-shown with its errors
    settings.ROOT_URLCONF = "tests.raising_urls"
    broken = Client(raise_request_exception=False)
    broken.force_login(practitioner)
    broken.post("/broken/?q=" + CANARY, {"question": CANARY})  # 500
    log = service_log.getvalue()
    assert len(lines_of(service_log)) >= 4
    assert "canary-kestrel" not in log


FEED_TOKEN = "kT9x2QpLm4Vb8sZr1yWc"


def test_a_calendar_feeds_secret_never_reaches_the_service_log(client, db, service_log):
    client.get(f"/calendar/{FEED_TOKEN}.ics?search=" + CANARY)  # an unknown token: refused
    logging.getLogger("django.server").info('"GET /calendar/%s.ics HTTP/1.1" 200 512', FEED_TOKEN)
    text = service_log.getvalue()
    assert "/calendar/[secret].ics" in text
    assert FEED_TOKEN not in text and "canary" not in text


def test_gunicorns_access_log_has_no_feed_secret_nor_query_string():
    from datetime import timedelta
    from types import SimpleNamespace

    from gunicorn.config import Config

    from config.access_log import AccessLogger

    environ = {
        "REQUEST_METHOD": "GET", "RAW_URI": f"/calendar/{FEED_TOKEN}.ics?x={CANARY}",
        "PATH_INFO": f"/calendar/{FEED_TOKEN}.ics", "QUERY_STRING": f"x={CANARY}", "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_REFERER": f"https://clinics.example.org/calendar/{FEED_TOKEN}.ics",
    }
    req = SimpleNamespace(headers=[("REFERER", environ["HTTP_REFERER"])])
    resp = SimpleNamespace(status="200 OK", sent=10, headers=[])
    atoms = AccessLogger(Config()).atoms(resp, req, environ, timedelta(milliseconds=3))
    line = Config().access_log_format % atoms
    assert 'GET /calendar/[secret].ics HTTP/1.1' in line
    assert FEED_TOKEN not in line and "canary" not in line
    assert FEED_TOKEN not in str(atoms) and "canary" not in str(atoms)


def test_the_production_web_server_uses_the_redacting_access_log():
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    for name in ("Dockerfile", "docker-compose.yml"):
        assert '"--logger-class", "config.access_log.AccessLogger"' in (root / name).read_text(), name
