"""The Django admin site, behind the same two-factor rule as every privileged page.

A password alone must not open the admin: it can see and change everything. Staff and
superusers count as privileged (``User.is_privileged``), so ``needs_totp_setup`` sends one
without an authenticator app to set it up before any admin page, the index included, opens.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib import admin
from django.http import HttpRequest, HttpResponse

from accounts.access import mfa_setup_redirect, needs_totp_setup


class TwoFactorAdminSite(admin.AdminSite):
    def has_permission(self, request: HttpRequest) -> bool:
        return super().has_permission(request) and not needs_totp_setup(request.user)

    def admin_view(self, view: Callable[..., HttpResponse], cacheable: bool = False) -> Callable[..., HttpResponse]:
        checked = super().admin_view(view, cacheable)

        @wraps(checked)
        def two_factor_first(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
            # has_permission already refuses; this sends them to set up the app with the page
            # they wanted as "next", instead of round the admin's own sign-in form.
            if _staff_without_app(request):
                return mfa_setup_redirect(request)
            return checked(request, *args, **kwargs)

        return two_factor_first

    def login(self, request: HttpRequest, extra_context: dict | None = None) -> HttpResponse:
        # Every admin page without permission comes here; staff who only lack the app are
        # sent to set it up rather than shown a second sign-in form.
        if _staff_without_app(request):
            return mfa_setup_redirect(request)
        return super().login(request, extra_context)


def _staff_without_app(request: HttpRequest) -> bool:
    user = request.user
    return bool(user.is_active and user.is_staff and needs_totp_setup(user))
