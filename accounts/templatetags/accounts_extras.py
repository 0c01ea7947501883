"""Template helpers for the accounts screens."""

from __future__ import annotations

from django import template
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from accounts.access import MFA_NEXT_SESSION_KEY

register = template.Library()


@register.simple_tag(takes_context=True)
def mfa_continue_url(context: template.Context) -> str:
    """Where "continue" goes after setting up two-factor sign-in.

    allauth ends the set-up on the recovery-codes page (which must be seen),
    so the page a privileged person was sent away from is kept in the session
    by ``mfa_setup_redirect`` and offered here, once; otherwise the home page.
    """
    request = context.get("request")
    target = request.session.pop(MFA_NEXT_SESSION_KEY, None) if request is not None else None
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=False):
        return target
    return reverse("home")
