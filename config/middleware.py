from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers


class SecurityHeadersMiddleware:
    """Headers Django does not set itself.

    Permissions-Policy switches off browser features we never use. Pages seen while signed in
    may show case material, so they must never sit in a shared or back-button cache.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        if signed_in_or_unknown(request) and not request.path.startswith(settings.STATIC_URL):
            add_never_cache_headers(response)
            response["Cache-Control"] = "no-store, no-cache, must-revalidate, private, max-age=0"
        return response


def signed_in_or_unknown(request: HttpRequest) -> bool:
    """Whether the response may show a signed-in person's pages.

    Reading the user reads the session, which needs the database: when that is what failed
    (this runs on the 500 page too), we cannot tell, so we answer as for a signed-in person
    rather than raise again and lose the error page.
    """
    user = getattr(request, "user", None)
    if user is None:
        return False
    try:
        return bool(user.is_authenticated)
    except Exception:  # noqa: BLE001 - any failure here means "cannot tell"
        return True
