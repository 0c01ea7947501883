"""Forms for the practice-lead screens: triage, attendance, outcomes, reflective sessions.

Free text that may end up describing a case (advice, actions, follow-up, reflective notes) is
checked by the anonymity app before it is saved; practice leads may mark a finding as a false
alarm, which the anonymity app records with who and when.
"""

from __future__ import annotations

from django import forms

from anonymity.forms import AnonymityCheckedFormMixin
from clinics.models import (
    ConsultationRequest,
    FormOfAbuse,
    Outcome,
    PathwayStage,
    RedirectRoute,
    ReflectiveAttendance,
    ReflectiveSession,
    Resource,
)


def _active_resources():
    return Resource.objects.filter(active=True).select_related("kind").order_by("title")


class ResourceChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Resource) -> str:
        return f"{obj.title} ({obj.kind})"


class DeclineForm(AnonymityCheckedFormMixin, forms.Form):
    anonymity_model = ConsultationRequest
    anonymity_field_map = {"reason": "decline_reason"}

    reason = forms.CharField(
        label="Why is the clinic not the right place for this request?",
        help_text="The practitioner will see this. Do not include names or other identifying details.",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        error_messages={"required": "Enter a reason: the practitioner will see it"},
    )
    redirect_route = forms.ModelChoiceField(
        label="Where should the practitioner go instead? (optional)",
        queryset=RedirectRoute.objects.filter(active=True),
        required=False,
        empty_label=None,
        widget=forms.RadioSelect,
        help_text="Leave blank to decline without pointing to another route.",
    )

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError("Enter a reason: the practitioner will see it")
        return reason


class AttendanceForm(forms.Form):
    attended = forms.TypedChoiceField(
        label="Did the practitioner attend?",
        choices=[("yes", "Attended"), ("no", "Did not attend")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether the practitioner attended"},
    )


class OutcomeForm(AnonymityCheckedFormMixin, forms.Form):
    anonymity_model = Outcome

    advice = forms.CharField(
        label="Advice given",
        help_text="Refer to people by role, such as 'Child A' or 'Mother'. The practitioner will see this.",
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=5000,
        error_messages={"required": "Enter the advice given"},
    )
    actions = forms.CharField(
        label="Agreed actions (optional)",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        required=False,
    )
    resources = ResourceChoiceField(
        label="Resources shared (optional)",
        queryset=_active_resources(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    follow_up_needed = forms.TypedChoiceField(
        label="Is follow-up needed?",
        choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether follow-up is needed"},
    )
    follow_up = forms.CharField(
        label="What follow-up is needed?",
        help_text="Only if follow-up is needed: for example, bring the case back to next month's clinic.",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["follow_up_needed"].govuk_inline = True
        # Evaluated per form, so a resource added to the hub shows without a restart.
        self.fields["resources"].queryset = _active_resources()

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("follow_up_needed") and not (cleaned.get("follow_up") or "").strip():
            self.add_error("follow_up", "Enter what follow-up is needed")
        return cleaned


class RegisterForm(forms.Form):
    attended = forms.ModelMultipleChoiceField(
        label="Who attended?",
        queryset=ReflectiveAttendance.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Tick everyone who came, including anyone who had sent apologies but joined after all.",
    )

    def __init__(self, *args: object, register=None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["attended"]
        field.queryset = register if register is not None else ReflectiveAttendance.objects.none()
        field.label_from_instance = lambda entry: f"{entry.lead} ({entry.get_status_display().lower()})"


class SessionNotesForm(AnonymityCheckedFormMixin, forms.Form):
    anonymity_model = ReflectiveSession

    themes = forms.ModelMultipleChoiceField(
        label="Themes discussed (optional)",
        queryset=FormOfAbuse.objects.filter(active=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    stages = forms.ModelMultipleChoiceField(
        label="Stages of the response discussed (optional)",
        queryset=PathwayStage.objects.filter(active=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    notes = forms.CharField(
        label="Notes (anonymised)",
        help_text="What the group discussed and learnt. Refer to people by role only, such as 'Child A' or 'a school DSL'.",
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=10000,
        required=False,
    )
    resources = ResourceChoiceField(
        label="Resources shared (optional)",
        queryset=_active_resources(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["themes"].queryset = FormOfAbuse.objects.filter(active=True)
        self.fields["stages"].queryset = PathwayStage.objects.filter(active=True)
        self.fields["resources"].queryset = _active_resources()


class WellbeingForm(AnonymityCheckedFormMixin, forms.Form):
    """Private to its writer, but still anonymised: it is free text about case work."""

    anonymised_fields = ("text",)

    text = forms.CharField(
        label="How are you after this session? (optional)",
        help_text="Only you can read this: not the coordinator, not managers, not anyone else. "
        "Leave it empty to remove it. Refer to anyone else by role only.",
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=4000,
        required=False,
    )
