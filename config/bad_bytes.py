"""Bad bytes stop at the door: a 400 with a reason, never a 500 from deep inside.

PostgreSQL refuses NUL in text, so ``/accounts/invitation/%00/`` or a session cookie holding
``"\\000"`` (Python's cookie parser turns that escape into NUL) used to reach a query and answer
500, on every page for the cookie. This middleware runs before the session is read:

- the **path** and the **query string** must be valid UTF-8 without control characters,
  otherwise 400;
- **form fields** (names and values) must hold no control characters other than tab and line
  breaks, otherwise 400. Invalid UTF-8 in a form body never reaches us: Django decodes it to
  U+FFFD;
- a **cookie** holding control characters or characters outside printable ASCII is dropped, as
  if the browser had not sent it: a corrupt session cookie means "no session", not an error.

Lone surrogates (``%ED%A0%80``) are invalid UTF-8, so they fall under the first rules too.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import unquote_to_bytes

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError

# C0 controls, DEL and UTF-16 surrogates: nothing a person types into an address or a field.
CONTROL = re.compile(r"[\x00-\x1f\x7f\ud800-\udfff]")
# The same, less the tab and line breaks a textarea legitimately sends.
CONTROL_IN_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
BROKEN_UTF8_IN_PATH = re.compile(r"%[0-9A-Fa-f]{2}")
# What a cookie value we set can hold (session keys, CSRF tokens, allauth's signed values).
COOKIE_VALUE = re.compile(r"[\x21-\x7e]*")
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")

ADDRESS_REASON = "The web address has characters in it that are not allowed, such as a control character."
FORM_REASON = "The form could not be read, or has characters in it that are not allowed, such as a control character."


def address_problem(request: HttpRequest) -> str | None:
    """Why the path or query string is refused, or None."""
    # Django has already decoded the path and put invalid UTF-8 back as %XX escapes
    # (RFC 3987); none of our addresses holds a literal percent sign, so an escape left in
    # the decoded path can only be bytes that were not UTF-8.
    if CONTROL.search(request.path_info) or BROKEN_UTF8_IN_PATH.search(request.path_info):
        return ADDRESS_REASON
    query = request.META.get("QUERY_STRING", "")
    for raw in (unquote_to_bytes(part.replace("+", " ")) for part in re.split(r"[&;=]", query)):
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            return ADDRESS_REASON
        if CONTROL.search(text):
            return ADDRESS_REASON
    return None


def form_problem(request: HttpRequest) -> str | None:
    """Why the submitted form fields are refused, or None."""
    if request.method != "POST" or not request.content_type.startswith(FORM_TYPES):
        return None
    try:
        fields = list(request.POST.lists())
    except MultiPartParserError:
        return FORM_REASON
    for name, values in fields:
        if CONTROL.search(name) or any(CONTROL_IN_TEXT.search(value) for value in values):
            return FORM_REASON
    return None


def drop_corrupt_cookies(request: HttpRequest) -> list[str]:
    """Remove cookies no browser of ours would send; return their names."""
    dropped = [
        name for name, value in request.COOKIES.items()
        if CONTROL.search(name) or not COOKIE_VALUE.fullmatch(value)
    ]
    for name in dropped:
        del request.COOKIES[name]
    return dropped


def refuse(request: HttpRequest, reason: str) -> HttpResponse:
    from config.views import bad_request

    response = bad_request(request, reason=reason)
    response.refusal_reason = f"bad bytes in the {'address' if reason == ADDRESS_REASON else 'form'}"  # type: ignore[attr-defined]
    return response


class RejectBadBytesMiddleware:
    """Before the session: refuse bad addresses and forms, forget corrupt cookies."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if reason := address_problem(request):
            return refuse(request, reason)
        dropped = drop_corrupt_cookies(request)
        if reason := form_problem(request):
            return refuse(request, reason)
        response = self.get_response(request)
        if settings.SESSION_COOKIE_NAME in dropped and settings.SESSION_COOKIE_NAME not in response.cookies:
            # Tell the browser to forget it too, or every later request brings it back.
            response.delete_cookie(settings.SESSION_COOKIE_NAME, path=settings.SESSION_COOKIE_PATH,
                                   domain=settings.SESSION_COOKIE_DOMAIN, samesite=settings.SESSION_COOKIE_SAMESITE)
        return response
