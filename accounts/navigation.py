"""Service navigation by role: each person sees the links their roles need, nothing more."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from accounts.models import Role

# (label, url name, role or None for every signed-in person)
_SIGNED_IN = [
    ("Request a consultation", "clinics:request_new", None),
    ("My requests", "clinics:my_requests", None),
    ("My clinics", "clinics:lead_clinics", Role.PRACTICE_LEAD),
    ("Triage", "clinics:triage", Role.PRACTICE_LEAD),
    ("Reflective sessions", "clinics:reflective_list", Role.PRACTICE_LEAD),
    ("Clinic series", "clinics:series_list", Role.COORDINATOR),
    ("All requests", "clinics:requests_all", Role.COORDINATOR),
    ("People", "accounts:people", Role.COORDINATOR),
    ("Bulletins", "notifications:bulletin_list", Role.COORDINATOR),
    ("Themes", "clinics:themes", Role.MANAGER),
    ("Resources", "clinics:resources", None),
    ("Settings", "notifications:settings", None),
    ("Sign out", "account_logout", None),
]
_SIGNED_OUT = [("Sign in", "account_login"), ("Create an account", "account_signup")]


def _url(name: str) -> str | None:
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


def navigation_for(request: HttpRequest) -> list[dict]:
    user = getattr(request, "user", None)
    if user is None:
        return []
    items = []
    if user.is_authenticated:
        for label, name, role in _SIGNED_IN:
            if role is None or user.has_role(role):
                url = _url(name)
                if url:
                    items.append({"label": label, "url": url})
    else:
        for label, name in _SIGNED_OUT:
            url = _url(name)
            if url:
                items.append({"label": label, "url": url})
    # The longest matching prefix is the active section.
    best = max((i for i in items if request.path.startswith(i["url"]) and i["url"] != "/"), key=lambda i: len(i["url"]), default=None)
    for item in items:
        item["active"] = item is best
    return items
