from __future__ import annotations

from django import forms

from accounts.models import AgencyType, Role, User


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
        fields = ("full_name", "agency_type", "organisation", "team", "job_title")
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

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["full_name"].required = True
        self.fields["organisation"].required = True


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
