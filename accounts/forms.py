from __future__ import annotations

import copy
import uuid

from allauth.mfa.webauthn.forms import AddWebAuthnForm, AuthenticateWebAuthnForm, ReauthenticateWebAuthnForm
from django import forms

from accounts.models import AgencyType, Role, User
from accounts.profile import PROFILE_FIELDS


class ProfileForm(forms.ModelForm):
    agency_type = forms.ModelChoiceField(
        queryset=AgencyType.objects.filter(active=True),
        widget=forms.RadioSelect,
        empty_label=None,
        label="Which type of agency do you work for?",
        error_messages={"required": "Select the type of agency you work for"},
    )

    class Meta:
        model = User
        fields = PROFILE_FIELDS
        labels = {
            "full_name": "Your name",
            "organisation": "Organisation",
            "team": "Team",
            "job_title": "Job title",
        }
        help_texts = {
            "full_name": "Shown to the practice leads who run your clinic.",
            "organisation": "For example, the council, school, trust or force you work for.",
        }
        error_messages = {
            "full_name": {"required": "Enter your name"},
            "organisation": {"required": "Enter your organisation"},
        }

    # Optional on the model (an invited person has none yet), required once they answer.
    REQUIRED = ("full_name", "organisation")

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        for name in self.REQUIRED:
            self.fields[name].required = True


def profile_fields() -> dict[str, forms.Field]:
    """The profile questions, as fresh fields, for forms that ask them in passing (the request
    form asks a first-time practitioner here rather than on a page of its own)."""
    fields = copy.deepcopy(ProfileForm.base_fields)
    for name in ProfileForm.REQUIRED:
        fields[name].required = True
    return fields


def profile_initial(user: User) -> dict[str, object]:
    """What the profile questions start with: the person's saved details."""
    return {name: getattr(user, "agency_type_id" if name == "agency_type" else name) for name in ProfileForm.base_fields}


class GrantRoleForm(forms.Form):
    role = forms.ChoiceField(
        choices=Role.choices,
        widget=forms.RadioSelect,
        label="Role to grant",
        error_messages={"required": "Select a role to grant"},
    )


class InviteForm(forms.Form):
    email = forms.EmailField(
        label="Email address",
        error_messages={"required": "Enter the email address to invite", "invalid": "Enter an email address in the correct format, like name@example.org"},
    )
    roles = forms.MultipleChoiceField(
        choices=Role.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Roles to grant when they join (optional)",
        help_text="Everyone can request consultations. Leave these empty for a practitioner.",
    )
    # A new key each time the form is shown; sending the same form twice invites once.
    submission_key = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4, required=False)


# --- Two-factor forms --------------------------------------------------------------------
# allauth 65.21 lets fido2's KeyError/ValueError escape when a security-key answer is
# malformed (a 500). Browsers never send one, but a hand-made POST must get the ordinary
# "not accepted" form error, never a crash.

def _key_answer_error():
    from allauth.mfa.adapter import get_adapter

    return get_adapter().validation_error("incorrect_code")


class SafeAddWebAuthnForm(AddWebAuthnForm):
    def clean(self) -> dict:
        try:
            return super().clean()
        except (KeyError, ValueError, TypeError):
            raise _key_answer_error() from None


class SafeAuthenticateWebAuthnForm(AuthenticateWebAuthnForm):
    def clean_credential(self):
        try:
            return super().clean_credential()
        except (KeyError, ValueError, TypeError):
            raise _key_answer_error() from None


class SafeReauthenticateWebAuthnForm(ReauthenticateWebAuthnForm):
    def clean_credential(self):
        try:
            return super().clean_credential()
        except (KeyError, ValueError, TypeError):
            raise _key_answer_error() from None
