"""Service-wide pages: start page, signed-in home, static information pages, health."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.templatetags.static import static
from django.urls import NoReverseMatch, reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from accounts.access import needs_totp_setup, signed_in
from accounts.models import Role

logger = logging.getLogger(__name__)

# The signed-in home page: each person's tasks, grouped by role. URL names that do not exist
# yet (screens still being built) are skipped, like the service navigation does.
HOME_TASKS: list[tuple[str | None, str, list[tuple[str, str, str]]]] = [
    (None, "Consultations", [
        ("Request a consultation", "clinics:request_new", "Book a slot at the next clinic with free places."),
        ("My requests", "clinics:my_requests", "Cancel, move or give feedback on your requests."),
        ("Resources", "clinics:resources", "Guides, templates and tools about child sexual abuse."),
    ]),
    (Role.PRACTICE_LEAD, "Practice lead", [
        ("My clinics", "clinics:lead_clinics", "Clinics you run, with the agenda for each."),
        ("Triage", "clinics:triage", "New requests to accept, decline or redirect."),
        ("Reflective sessions", "clinics:reflective_list", "Book and record practice-lead reflective sessions."),
        ("Your CPD record", "clinics:my_cpd", "Sessions attended and clinics facilitated, to print or download."),
    ]),
    (Role.COORDINATOR, "Coordinator", [
        ("Clinic series", "clinics:series_list", "Set up clinic dates, slots and facilitators."),
        ("Reflective series", "clinics:reflective_series_list", "Set up, change, move or cancel reflective sessions."),
        ("Programme cohorts", "clinics:cohort_list", "Practice leads following the programme, and who has stopped coming."),
        ("People", "accounts:people", "Invite people, grant roles, see who lacks two-factor sign-in."),
        ("Bulletins", "notifications:bulletin_list", "Write and schedule the monthly bulletin."),
    ]),
    (Role.MANAGER, "Manager", [
        ("Themes", "clinics:themes", "What the clinics are asked about, in aggregate."),
        ("Reflective sessions", "clinics:reflective_themes", "Practice leads' attendance by cohort and topics discussed."),
    ]),
    (None, "Your account", [
        ("Your details", "accounts:profile", "Name, agency, organisation and team."),
        ("Notification settings", "notifications:settings", "Which emails you get, and the bulletin."),
        ("Two-factor sign-in", "mfa_index", "Your authenticator app and recovery codes."),
    ]),
]


def _reverse_or_none(name: str) -> str | None:
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


def home_sections(user) -> list[dict]:
    """The task groups ``user`` may use, each with the links that exist."""
    sections = []
    for role, heading, tasks in HOME_TASKS:
        if role is not None and not user.has_role(role):
            continue
        links = [
            {"label": label, "url": url, "hint": hint}
            for label, name, hint in tasks
            if (url := _reverse_or_none(name))
        ]
        if links:
            sections.append({"heading": heading, "links": links})
    return sections


def start(request: HttpRequest) -> HttpResponse:
    from clinics.services import upcoming_clinics_summary

    return render(request, "start.html", {"upcoming": upcoming_clinics_summary(limit=3)})


@signed_in
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    # No detour to the profile page: the request form asks for any details still missing.
    return render(
        request,
        "home.html",
        {"sections": home_sections(user), "needs_totp": needs_totp_setup(user)},
    )


def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/accessibility.html")


def privacy(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "pages/privacy.html",
        {
            "session_cookie_name": settings.SESSION_COOKIE_NAME,
            "csrf_cookie_name": settings.CSRF_COOKIE_NAME,
            "idle_minutes": settings.SESSION_COOKIE_AGE // 60,
            "retention_months": settings.RETENTION_MONTHS,
            "disclosure_threshold": settings.DISCLOSURE_THRESHOLD,
        },
    )


def support(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/support.html")


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Each part by name: "ok", or what is wrong with it.

    503 only when the database fails: without it no page works. With Redis down, pages and
    signing in still work (the cache falls back to the database, the outbox waits for the
    sweep), so the answer is 200 with ``"status": "degraded"`` and the broken parts named; a
    load balancer must not take every web process out of service because Redis stopped.
    """
    checks: dict[str, str] = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        checks["database"] = "ok"
    except Exception as exc:  # noqa: BLE001 - any failure means unhealthy
        logger.warning("healthz: database check failed: %s", type(exc).__name__)
        checks["database"] = "unavailable"
    try:
        from config.celery import app

        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        checks["broker"] = "ok"
    except Exception as exc:  # noqa: BLE001
        logger.warning("healthz: broker check failed: %s", type(exc).__name__)
        checks["broker"] = "unavailable"
    cache = caches["default"]
    if hasattr(cache, "redis_answers"):
        checks["cache"] = "ok" if cache.redis_answers() else "redis unavailable, using the database cache"
    if checks["database"] != "ok":
        status, code = "unavailable", 503
    else:
        status, code = ("ok", 200) if all(v == "ok" for v in checks.values()) else ("degraded", 200)
    return JsonResponse({"status": status, "checks": checks}, status=code)


def favicon(request: HttpRequest) -> HttpResponse:
    # Resolved per request: in production the hashed name exists only after collectstatic.
    return HttpResponsePermanentRedirect(static("vendor/govuk-frontend/assets/images/favicon.ico"))


# Each error page sets ``refusal_reason`` for the one log line config/request_log.py writes.

def bad_request(request: HttpRequest, exception: Exception | None = None, *, reason: str = "") -> HttpResponse:
    response = render(request, "errors/400.html", {"reason": reason}, status=400)
    response.refusal_reason = reason or (type(exception).__name__ if exception else "")  # type: ignore[attr-defined]
    return response


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    reason = str(exception) if exception and str(exception) else ""
    response = render(request, "errors/403.html", {"reason": reason}, status=403)
    response.refusal_reason = reason  # type: ignore[attr-defined]
    return response


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    response = render(
        request, "errors/400.html",
        {"reason": "The form had expired or came from another site. Reload the page before you send it again."},
        status=403,
    )
    response.refusal_reason = f"CSRF: {reason}"  # type: ignore[attr-defined]
    return response


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 page, rendered from settings alone.

    Whatever failed (the session, the database, the user lookup) may fail again, so this page
    uses no request context: no session, no user, no navigation. A failure here would leave
    the server's bare error page without our security headers.
    """
    context = {"SERVICE_NAME": settings.SERVICE_NAME, "ORGANISATION_NAME": settings.ORGANISATION_NAME}
    return HttpResponseServerError(loader.render_to_string("errors/500.html", context))
