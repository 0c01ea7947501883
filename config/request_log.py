"""One quiet line per expected refusal; tracebacks only for real errors.

A 403, 404, 400 or 429 is the service working: people follow old links, probes try URLs,
rate limits bite. Django logs a 403 with the full traceback of ``PermissionDenied`` (thousands
of them in one security probe), which buries the errors that matter. So:

- ``RequestLogMiddleware`` (outermost) writes one line for every 4xx: method, path without the
  query string (query strings can carry search words), status, user id and a short reason;
- ``DropDjangoRefusals`` (a filter on our log handler) drops Django's own 4xx records
  (``django.request`` and ``django.security.*``), which the line above replaces;
- 5xx records pass untouched, traceback and all. Neither carries form fields or query strings,
  so no case text reaches the log;
- ``RedactSecrets`` (a filter on the same handler) and ``config.access_log.AccessLogger``
  (gunicorn's access log) replace a secret carried in a URL path (a calendar feed's token,
  which is the whole of a feed's protection) with ``[secret]``: ``redact_url`` is the one rule.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

logger = logging.getLogger("config.refusals")

DEFAULT_REASONS = {
    400: "bad request",
    403: "forbidden",
    404: "not found",
    405: "method not allowed",
    429: "too many attempts (rate limit)",
}


# Secrets that travel in a URL path: a calendar feed's token (notifications/feed_urls.py).
SECRET_IN_PATH = re.compile(r"(/calendar/)[^/?#\s\"']+(\.ics)")


def redact_secrets(text: str) -> str:
    return SECRET_IN_PATH.sub(r"\1[secret]\2", text)


def redact_url(url: str) -> str:
    """A URL as a log may show it: no query string (search words can be case text), no secret."""
    return redact_secrets(url.split("?", 1)[0])


def printable(text: str, limit: int = 300) -> str:
    """Control characters and non-ASCII escaped, so a hostile path cannot forge log lines."""
    return ascii(text[:limit])[1:-1]


def user_id(request: HttpRequest) -> str:
    user = getattr(request, "user", None)
    try:
        return str(user.pk) if user is not None and user.is_authenticated else "-"
    except Exception:  # noqa: BLE001 - the database may be why we are refusing; log without it
        return "?"


def log_refusal(request: HttpRequest, response: HttpResponse) -> None:
    reason = getattr(response, "refusal_reason", "") or DEFAULT_REASONS.get(response.status_code, "refused")
    logger.info(
        "refused %s %s %s user=%s reason=%s",
        printable(request.method or "-", 10), printable(redact_url(request.path)), response.status_code,
        user_id(request), printable(reason, 200),
    )


class RequestLogMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if 400 <= response.status_code < 500:
            log_refusal(request, response)
        return response


class DropDjangoRefusals(logging.Filter):
    """Drop Django's records about 4xx responses: RequestLogMiddleware logs those once."""

    def filter(self, record: logging.LogRecord) -> bool:
        from_django = record.name == "django.request" or record.name.startswith("django.security")
        return not (from_django and getattr(record, "status_code", 500) < 500)


class RedactSecrets(logging.Filter):
    """Take URL secrets out of every record (Django's development server logs each request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact_secrets(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(redact_secrets(a) if isinstance(a, str) else a for a in record.args)
        return True
