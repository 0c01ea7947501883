"""Forms for the practice leads' programme: cohorts."""

from __future__ import annotations

from django import forms

from accounts.models import Role, User
from accounts.submissions import OnceFormMixin
from clinics.forms_coordinator import GovukDateField, govuk_required_messages
from clinics.models import Cohort, ReflectiveSeries


class CohortForm(OnceFormMixin, forms.ModelForm):
    start_month = GovukDateField(label="Start month", help_text="Any day in the month, for example 1 9 2026")
    members = forms.ModelMultipleChoiceField(
        label="Practice leads in this cohort", queryset=User.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple, help_text="Only people with the practice lead role are listed",
    )

    class Meta:
        model = Cohort
        fields = ["name", "start_month", "organisations", "programme", "sessions_planned", "session_format",
                  "missed_flag_after", "members"]
        labels = {
            "name": "Name of the cohort",
            "organisations": "Organisations",
            "programme": "Programme sessions",
            "sessions_planned": "Number of programme days",
            "session_format": "Format of each day",
            "missed_flag_after": "Flag a lead who has missed this many days in a row",
        }
        widgets = {"organisations": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = User.objects.filter(
            role_grants__role=Role.PRACTICE_LEAD, is_active=True
        ).distinct().order_by("full_name", "email")
        self.fields["programme"].queryset = ReflectiveSeries.objects.order_by("title")
        self.fields["programme"].empty_label = "Choose a reflective series"
        for name in ("sessions_planned", "missed_flag_after"):
            self.fields[name].govuk_width = "govuk-input--width-3"
        govuk_required_messages(self)
