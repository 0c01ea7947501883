"""Forms for the practitioner journey: request a consultation, move it, feedback, resource filters.

Choices come from the taxonomy tables (active terms only), so a coordinator's edits show up
without a deploy. Free text goes through the anonymity app's form mixin: identifiers become
field errors and nothing is saved until the text is clean.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime

from django import forms

from accounts.forms import profile_fields, profile_initial
from accounts.models import AgencyType
from accounts.profile import PROFILE_FIELDS
from anonymity.forms import AnonymityCheckedFormMixin
from clinics.booking import bookable_clinics
from clinics.intake import RequestAnswers
from clinics.models import (
    AgeBand,
    Clinic,
    CoAttendeeRole,
    ConsultationRequest,
    ContextFactor,
    Feedback,
    FormOfAbuse,
    Gender,
    PathwayStage,
    PlanStatus,
    ResourceKind,
    SupportNeed,
)
from clinics.models.clinics import where_label
from clinics.services import ClinicAvailability, with_availability
from clinics.term_fields import TermChoiceField, TermMultipleChoiceField, active_terms
from config.wording import long_date, time_range

DASH = "\u2013"  # typographic en dash, as GOV.UK content style uses
NEXT_AVAILABLE = "next"
QUESTION_MAX_WORDS = 400
CO_ATTENDEE_SLOTS = 3
CONFIDENCE_CHOICES = [
    ("1", f"1 {DASH} not at all confident"),
    ("2", "2"),
    ("3", "3"),
    ("4", "4"),
    ("5", f"5 {DASH} very confident"),
]
_WORD = re.compile(r"\S+")


# --- wording shared by the forms and the pages ----------------------------------------------

def day_label(when: datetime) -> str:
    return long_date(when, year=False)


def clinic_label(clinic: Clinic) -> str:
    """"Tuesday 9 December, 10:00 to 12:30, online"."""
    where = where_label(clinic, capital=False)
    return f"{day_label(clinic.starts_at)}, {time_range(clinic.starts_at, clinic.ends_at)}, {where}"


def availability_label(row: ClinicAvailability) -> str:
    if row.free == 0:
        return f"{clinic_label(row.clinic)} {DASH} full {DASH} join the waiting list"
    places = "1 place" if row.free == 1 else f"{row.free} places"
    return f"{clinic_label(row.clinic)} {DASH} {places} free"


def word_count(text: str) -> int:
    return len(_WORD.findall(text or ""))


def _terms(model):
    return model.objects.filter(active=True)


def once(make: Callable[[], list[tuple[str, str]]]) -> Callable[[], list[tuple[str, str]]]:
    """Choices worked out on first use and kept: a field's choices given as a callable are
    otherwise worked out again on every pass over them."""
    made: list[list[tuple[str, str]]] = []

    def choices() -> list[tuple[str, str]]:
        if not made:
            made.append(make())
        return made[0]

    return choices


def availability_choices(clinics: list[Clinic]) -> list[tuple[str, str]]:
    """Each clinic with its free places (a count per clinic), soonest first."""
    rows = with_availability(Clinic.objects.filter(pk__in=[c.pk for c in clinics]).order_by("starts_at"))
    return [(str(row.clinic.pk), availability_label(row)) for row in rows]


def clinic_choices(user, *, exclude: Clinic | None = None, now: datetime | None = None) -> list[tuple[str, str]]:
    return availability_choices([c for c in bookable_clinics(user, now) if exclude is None or c.pk != exclude.pk])


class ClinicChoiceField(forms.ChoiceField):
    """A clinic date, valid when the clinic is bookable now (or "the next available date").

    Validating needs only the bookable clinics; the labels count each clinic's free places,
    which only a page that shows the choices needs, so "Confirm and book" does not pay for them.
    """

    bookable: dict[str, Clinic]

    def set_bookable(self, clinics: list[Clinic]) -> None:
        self.bookable = {str(c.pk): c for c in clinics}
        self.choices = once(lambda: [*availability_choices(clinics), (NEXT_AVAILABLE, "The next available date")])

    def valid_value(self, value: str) -> bool:
        return value == NEXT_AVAILABLE or value in self.bookable


# --- request a consultation -----------------------------------------------------------------

class RequestForm(AnonymityCheckedFormMixin, forms.Form):
    anonymity_model = ConsultationRequest

    clinic = ClinicChoiceField(
        label="Which clinic date would you like?",
        help_text="You will get a free slot on that date, or a place on its waiting list if it is full.",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a clinic date, or 'The next available date'",
                        "invalid_choice": "That clinic date is no longer open for booking: choose another"},
    )
    pathway_stage = TermChoiceField(
        label="Where are you in the response pathway?",
        queryset=PathwayStage.objects.none(),
        widget=forms.RadioSelect,
        error_messages={"required": "Select where you are in the response pathway"},
    )
    age_band = TermChoiceField(
        label="How old is the child?",
        queryset=AgeBand.objects.none(),
        widget=forms.RadioSelect,
        error_messages={"required": "Select the child's age band"},
    )
    gender = TermChoiceField(
        label="Child's gender (optional)", queryset=Gender.objects.none(), widget=forms.RadioSelect, required=False
    )
    plan_status = TermChoiceField(
        label="Is the child on a plan?",
        queryset=PlanStatus.objects.none(),
        widget=forms.RadioSelect,
        error_messages={"required": "Select the child's plan status, or 'No plan'"},
    )
    context_factors = TermMultipleChoiceField(
        label="Does any of this apply? (optional)",
        help_text="Select all that apply.",
        queryset=ContextFactor.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    support_needs = TermMultipleChoiceField(
        label="What do you want from the clinic?",
        help_text="Select all that apply.",
        queryset=SupportNeed.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select what you want from the clinic"},
    )
    support_other = forms.CharField(
        label="Anything else you want from the clinic (optional)", max_length=300, required=False
    )
    question = forms.CharField(
        label="Your case question",
        help_text=(
            "Refer to people by their role, for example 'Child A', 'Mum' or 'older brother'. Do not include "
            "names, dates of birth, addresses or the names of schools."
        ),
        widget=forms.Textarea(attrs={"rows": 10}),
        error_messages={"required": "Enter your case question"},
    )
    confidence_before = forms.ChoiceField(
        label="How confident do you feel about this case now?",
        help_text="1 is not at all confident, 5 is very confident.",
        choices=CONFIDENCE_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how confident you feel now, from 1 to 5"},
    )

    # Last in the class body because the name "forms" shadows the django.forms module from here on.
    forms = TermMultipleChoiceField(
        label="Which forms of child sexual abuse are you worried about?",
        help_text="Select all that apply.",
        queryset=FormOfAbuse.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select at least one form of child sexual abuse, or 'Not yet clear'"},
    )

    field_order = (
        "clinic", "forms", "pathway_stage", "age_band", "gender", "plan_status", "context_factors",
        "support_needs", "support_other", "question", "co_role_1", "co_agency_1", "co_role_2", "co_agency_2",
        "co_role_3", "co_agency_3", "confidence_before",
    )

    def __init__(self, *args, user, now: datetime | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["clinic"].set_bookable(bookable_clinics(user, now))
        lists = (
            ("forms", FormOfAbuse),
            ("pathway_stage", PathwayStage),
            ("age_band", AgeBand),
            ("gender", Gender),
            ("plan_status", PlanStatus),
            ("context_factors", ContextFactor),
            ("support_needs", SupportNeed),
        )
        terms = active_terms([model for _, model in lists])  # one query for all seven lists
        for name, model in lists:
            self.fields[name].queryset = _terms(model)
            self.fields[name].terms = terms[model]
        self.fields["support_other"].govuk_width = "govuk-!-width-two-thirds"
        # Read when shown, or when someone else is coming (an empty field is valid without
        # them), once per form: "Confirm and book" for one person reads neither list.
        roles = once(lambda: [("", "Choose a role"), *((str(r.pk), r.label) for r in _terms(CoAttendeeRole))])
        agencies = once(
            lambda: [("", "Choose an agency"), *((str(a.pk), a.label) for a in AgencyType.objects.filter(active=True))]
        )
        for i in range(1, CO_ATTENDEE_SLOTS + 1):
            self.fields[f"co_role_{i}"] = forms.ChoiceField(label="Role", choices=roles, required=False)
            self.fields[f"co_agency_{i}"] = forms.ChoiceField(label="Agency", choices=agencies, required=False)
        # "About you": asked here, pre-filled from the profile, so a first-time practitioner
        # needs no separate details page before booking (JOURNEYS.md: three screens).
        self.fields.update(profile_fields())
        self.initial = {**profile_initial(user), **self.initial}
        self.order_fields([*self.field_order, *PROFILE_FIELDS])  # again, now the added fields exist

    def co_attendee_rows(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [(self[f"co_role_{i}"], self[f"co_agency_{i}"]) for i in range(1, CO_ATTENDEE_SLOTS + 1)]

    def clean_question(self) -> str:
        question = self.cleaned_data["question"].strip()
        words = word_count(question)
        if words > QUESTION_MAX_WORDS:
            raise forms.ValidationError(
                f"Your case question must be {QUESTION_MAX_WORDS} words or fewer (it has {words}): the practice leads "
                "will ask for detail in the clinic"
            )
        return question

    def clean(self) -> dict:
        data = super().clean()
        others = data.get("support_needs") or []
        if any(need.slug == "other" for need in others) and not (data.get("support_other") or "").strip():
            self.add_error("support_other", "Tell us what else you want from the clinic")
        for i in range(1, CO_ATTENDEE_SLOTS + 1):
            if data.get(f"co_agency_{i}") and not data.get(f"co_role_{i}"):
                self.add_error(f"co_role_{i}", f"Choose the role of person {i}, or leave their agency empty")
        return data

    # --- what the operation needs ---------------------------------------------------------

    def chosen_clinic(self) -> Clinic | None:
        value = self.cleaned_data["clinic"]
        # The clinic as read for validation: the booking locks it and reads it again anyway.
        return None if value == NEXT_AVAILABLE else self.fields["clinic"].bookable[value]

    def chosen_clinic_label(self) -> str:
        return dict(self.fields["clinic"].choices).get(self.cleaned_data["clinic"], "")

    def co_attendees(self) -> list[tuple[CoAttendeeRole, AgencyType | None]]:
        if not any(self.cleaned_data.get(f"co_role_{i}") for i in range(1, CO_ATTENDEE_SLOTS + 1)):
            return []  # nobody else coming: no need to read the role and agency lists
        roles = {str(r.pk): r for r in CoAttendeeRole.objects.all()}
        agencies = {str(a.pk): a for a in AgencyType.objects.all()}
        rows = []
        for i in range(1, CO_ATTENDEE_SLOTS + 1):
            role = self.cleaned_data.get(f"co_role_{i}")
            if role:
                rows.append((roles[role], agencies.get(self.cleaned_data.get(f"co_agency_{i}") or "")))
        return rows

    def profile_details(self) -> dict[str, object]:
        return {name: self.cleaned_data[name] for name in PROFILE_FIELDS}

    def answers(self) -> RequestAnswers:
        data = self.cleaned_data
        return RequestAnswers(
            forms=list(data["forms"]),
            pathway_stage=data["pathway_stage"],
            age_band=data["age_band"],
            plan_status=data["plan_status"],
            support_needs=list(data["support_needs"]),
            question=data["question"],
            confidence_before=int(data["confidence_before"]),
            gender=data.get("gender"),
            context_factors=list(data.get("context_factors") or []),
            support_other=data.get("support_other") or "",
            co_attendees=self.co_attendees(),
            hold_reason=self.hold_reason if self.held else "",
        )


# --- move, feedback, resource filters -------------------------------------------------------

class MoveForm(forms.Form):
    clinic = forms.ChoiceField(
        label="Which date would you like instead?",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a new clinic date",
                        "invalid_choice": "That clinic date is no longer open for booking: choose another"},
    )

    def __init__(self, *args, user, current: Clinic | None, now: datetime | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["clinic"].choices = clinic_choices(user, exclude=current, now=now)

    @property
    def has_choices(self) -> bool:
        return bool(self.fields["clinic"].choices)

    def chosen_clinic(self) -> Clinic:
        return Clinic.objects.get(pk=int(self.cleaned_data["clinic"]))


class FeedbackForm(AnonymityCheckedFormMixin, forms.Form):
    anonymity_model = Feedback

    confidence_after = forms.ChoiceField(
        label="How confident do you feel about this case now?",
        help_text="1 is not at all confident, 5 is very confident.",
        choices=CONFIDENCE_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how confident you feel now, from 1 to 5"},
    )
    comment = forms.CharField(
        label="Anything you want to tell us about the clinic? (optional)",
        help_text="What helped, what could be better. Do not include names or other identifying details.",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=2000,
        required=False,
    )



class ResourceFilterForm(forms.Form):
    form = forms.ModelChoiceField(
        label="Form of CSA", queryset=FormOfAbuse.objects.none(), required=False, empty_label="All",
        to_field_name="slug",
    )
    stage = forms.ModelChoiceField(
        label="Pathway stage", queryset=PathwayStage.objects.none(), required=False, empty_label="All",
        to_field_name="slug",
    )
    kind = forms.ModelChoiceField(
        label="Kind", queryset=ResourceKind.objects.none(), required=False, empty_label="All", to_field_name="slug"
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["form"].queryset = _terms(FormOfAbuse)
        self.fields["stage"].queryset = _terms(PathwayStage)
        self.fields["kind"].queryset = _terms(ResourceKind)
