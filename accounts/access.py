"""Who may open what.

Every privileged view is wrapped in ``role_required``: anonymous people go to sign in, people
without the role get 403, and people with a privileged role but no authenticator app are sent
to set one up before anything privileged opens. Object-level checks live beside the objects
(e.g. clinics/access.py) and return the object or raise.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from accounts.models import Role

View = Callable[..., HttpResponse]


MFA_NEXT_SESSION_KEY = "mfa_setup_next"


def mfa_setup_redirect(request: HttpRequest) -> HttpResponse:
    messages.info(
        request,
        "Your role lets you see sensitive case material, so you must set up two-factor sign-in "
        "with an authenticator app before you continue.",
    )
    wanted = request.get_full_path()
    # allauth's set-up ends on the recovery codes (which must be seen), not on
    # ?next=; the recovery-codes page offers this path as "continue" instead.
    request.session[MFA_NEXT_SESSION_KEY] = wanted
    url = reverse("mfa_activate_totp") + "?" + urlencode({"next": wanted})
    return redirect(url)


def needs_totp_setup(user: object) -> bool:
    """The one two-factor rule: a privileged person (a privileged role, or admin access) must
    have an authenticator app before anything privileged opens. Used by ``role_required`` and
    by the Django admin site (accounts/admin_site.py)."""
    return bool(getattr(user, "is_authenticated", False) and user.is_privileged and not user.has_totp)


def role_required(*roles: str) -> Callable[[View], View]:
    """Allow users holding any of ``roles``; privileged roles must have TOTP set up."""
    for role in roles:
        if role not in Role.values:
            raise ValueError(role)

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not any(user.has_role(r) for r in roles):
                raise PermissionDenied("This page is for " + " or ".join(Role(r).label.lower() + "s" for r in roles))
            if needs_totp_setup(user):
                return mfa_setup_redirect(request)
            return view(request, *args, **kwargs)

        wrapper.required_roles = roles  # type: ignore[attr-defined]
        return wrapper

    return decorator


def signed_in(view: View) -> View:
    """Any signed-in person (every one of them is a practitioner)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return wrapper
