from __future__ import annotations

import fnmatch

from allauth.account.adapter import DefaultAccountAdapter
from django import forms
from django.conf import settings
from django.http import HttpRequest

from accounts.models import Invitation

INVITATION_SESSION_KEY = "invitation_token"


def email_domain_allowed(email: str, patterns: list[str] | None = None) -> bool:
    """``*.gov.uk`` matches ``council.gov.uk`` and deeper subdomains, not ``gov.uk`` itself
    unless listed; a plain ``nhs.net`` matches exactly."""
    patterns = settings.SIGNUP_ALLOWED_DOMAINS if patterns is None else patterns
    domain = email.rsplit("@", 1)[-1].strip().lower()
    return any(fnmatch.fnmatchcase(domain, p.lower()) for p in patterns)


def invitation_for(request: HttpRequest | None, email: str) -> Invitation | None:
    if request is None:
        return None
    token = request.session.get(INVITATION_SESSION_KEY)
    if not token:
        return None
    invitation = Invitation.objects.filter(token=token).first()
    if invitation and invitation.is_usable() and invitation.email.lower() == email.strip().lower():
        return invitation
    return None


class AccountAdapter(DefaultAccountAdapter):
    def clean_email(self, email: str) -> str:
        email = super().clean_email(email).lower()
        request = getattr(self, "request", None)
        # Only signup asks us to check the domain; changing an email goes through the same
        # rule, which is what we want too.
        if not email_domain_allowed(email) and invitation_for(request, email) is None:
            raise forms.ValidationError(
                "You can only create an account with a work email address from an approved "
                "organisation (for example a council, NHS, police or school address). If you "
                "work for a partner agency, ask the clinic coordinator to invite you."
            )
        return email

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            from accounts.roles import accept_invitations

            accept_invitations(user)
            request.session.pop(INVITATION_SESSION_KEY, None)
        return user
