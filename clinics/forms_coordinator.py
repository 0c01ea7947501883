"""Forms for the coordinator screens: clinic series, one-date changes, filters, resources,
taxonomies and reflective series.

Dates use the GOV.UK date input pattern (day, month, year as three boxes), because people
type dates more reliably that way than into a single free-format box.
"""

from __future__ import annotations

from datetime import date, datetime

from dateutil.relativedelta import relativedelta
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.utils import timezone
from django.utils.text import slugify

from accounts.models import AgencyType, Role, User
from accounts.submissions import OnceFormMixin
from anonymity.forms import AnonymityCheckedFormMixin
from clinics.models import (
    AgeBand,
    Clinic,
    ClinicSeries,
    CoAttendeeRole,
    ConsultationRequest,
    ContextFactor,
    FormOfAbuse,
    Gender,
    Mode,
    PathwayStage,
    PlanStatus,
    RedirectRoute,
    ReflectiveSeries,
    Resource,
    ResourceKind,
    SupportNeed,
    WaitlistOffer,
)
from clinics.recurrence import RecurrenceError, local_datetime, validate_rrule
from config.forms import https_url_fields

# --- GOV.UK date input ------------------------------------------------------------------------


class DateParts(forms.MultiWidget):
    template_name = "clinics/coordinator/widgets/date_input.html"

    def __init__(self, attrs: dict | None = None) -> None:
        super().__init__({"day": forms.TextInput, "month": forms.TextInput, "year": forms.TextInput}, attrs)

    def decompress(self, value: date | None) -> list:
        return [value.day, value.month, value.year] if value else [None, None, None]


class GovukDateField(forms.Field):
    """A date typed as day, month and year; errors name the field, as the GOV.UK pattern asks."""

    widget = DateParts

    def __init__(self, **kwargs: object) -> None:
        kwargs.setdefault("template_name", "clinics/coordinator/widgets/date_field.html")
        super().__init__(**kwargs)
        self.error_messages["required"] = f"Enter the {str(self.label or 'date').lower()}"

    def to_python(self, value: object) -> date | None:
        if isinstance(value, date):
            return value
        parts = [str(p or "").strip() for p in (value or [])]
        if not any(parts):
            return None
        label = str(self.label or "Date")
        if len(parts) != 3 or not all(parts):
            raise ValidationError(f"{label} must include a day, month and year")
        try:
            day, month, year = (int(p) for p in parts)
            if year < 1000:
                raise ValueError
            return date(year, month, day)
        except ValueError:
            raise ValidationError(f"{label} must be a real date, for example 9 12 2025") from None


def _width(field: forms.Field, css: str) -> forms.Field:
    field.govuk_width = css  # read by templates/govuk/field.html
    return field


def govuk_required_messages(form: forms.BaseForm) -> None:
    """Replace Django's "This field is required." with a message that names the field, as the
    GOV.UK error summary pattern asks."""
    for field in form.fields.values():
        if field.error_messages.get("required") != forms.Field.default_error_messages["required"]:
            continue
        label = str(field.label or "this").lower()
        choose = isinstance(field.widget, forms.RadioSelect | forms.Select | forms.CheckboxSelectMultiple)
        field.error_messages["required"] = f"Select {label}" if choose else f"Enter {label}"


def _lead_choices():
    return User.objects.filter(role_grants__role=Role.PRACTICE_LEAD, is_active=True).distinct().order_by("full_name", "email")


# --- Clinic series ------------------------------------------------------------------------------

WEEKDAYS = [("MO", "Monday"), ("TU", "Tuesday"), ("WE", "Wednesday"), ("TH", "Thursday"), ("FR", "Friday")]
ORDINALS = [("1", "First"), ("2", "Second"), ("3", "Third"), ("4", "Fourth"), ("-1", "Last")]
MONTHLY, WEEKLY = "monthly", "weekly"


def build_rrule(frequency: str, *, weekday: str, ordinal: str = "1", interval: int = 1) -> str:
    """The RFC 5545 rule for the friendly choices (stored in ``rrule``)."""
    if frequency == MONTHLY:
        position = ordinal if ordinal.startswith("-") else f"+{ordinal}"
        return f"FREQ=MONTHLY;BYDAY={position}{weekday}"
    if interval > 1:
        return f"FREQ=WEEKLY;INTERVAL={interval};BYDAY={weekday}"
    return f"FREQ=WEEKLY;BYDAY={weekday}"


def parse_rrule(rule: str) -> dict[str, object]:
    """The friendly choices behind a stored rule (best effort: unknown rules give no initial)."""
    parts = dict(p.split("=", 1) for p in rule.upper().split(";") if "=" in p)
    byday = parts.get("BYDAY", "")
    if parts.get("FREQ") == "MONTHLY" and len(byday) >= 3:
        return {"frequency": MONTHLY, "ordinal": byday[:-2].lstrip("+") or "1", "weekday": byday[-2:]}
    if parts.get("FREQ") == "WEEKLY" and len(byday) == 2:
        return {"frequency": WEEKLY, "weekday": byday, "interval_weeks": int(parts.get("INTERVAL", "1"))}
    return {}


class RecurrenceFields(forms.Form):
    """Shared by clinic and reflective series: frequency, ordinal, weekday, weeks apart."""

    frequency = forms.ChoiceField(
        label="How often",
        choices=[(MONTHLY, "Monthly, on a set weekday (for example the second Tuesday)"),
                 (WEEKLY, "Every few weeks, on a set weekday (for example every 6 weeks on Thursday)")],
        widget=forms.RadioSelect,
    )
    ordinal = forms.ChoiceField(label="Which week of the month", choices=ORDINALS, required=False,
                                help_text="For monthly clinics")
    weekday = forms.ChoiceField(label="Day of the week", choices=WEEKDAYS)
    interval_weeks = _width(
        forms.IntegerField(label="Weeks between dates", min_value=1, max_value=26, required=False,
                           help_text="For clinics every few weeks, for example 6"),
        "govuk-input--width-3",
    )

    def recurrence_initial(self, rule: str) -> None:
        for name, value in parse_rrule(rule).items():
            self.initial.setdefault(name, value)

    def clean_rrule(self) -> str | None:
        data = self.cleaned_data
        frequency, weekday = data.get("frequency"), data.get("weekday")
        if not frequency or not weekday:
            return None
        if frequency == MONTHLY and not data.get("ordinal"):
            self.add_error("ordinal", "Select which week of the month")
            return None
        if frequency == WEEKLY and not data.get("interval_weeks"):
            self.add_error("interval_weeks", "Enter how many weeks apart the dates are, for example 6")
            return None
        rule = build_rrule(frequency, weekday=weekday, ordinal=data.get("ordinal") or "1",
                           interval=data.get("interval_weeks") or 1)
        try:
            validate_rrule(rule)
        except RecurrenceError as exc:
            self.add_error("frequency", str(exc))
            return None
        return rule


def _mode_fields(form: forms.Form) -> None:
    data = form.cleaned_data
    if data.get("mode") == Mode.ONLINE and not data.get("online_link"):
        form.add_error("online_link", "Enter the link for the online meeting")
    if data.get("mode") == Mode.IN_PERSON and not (data.get("venue") or "").strip():
        form.add_error("venue", "Enter the venue")
    if data.get("mode") == Mode.ONLINE:
        data["venue"] = ""
    elif data.get("mode") == Mode.IN_PERSON:
        data["online_link"] = ""


def _date_order(form: forms.Form) -> None:
    starts_on, ends_on = form.cleaned_data.get("starts_on"), form.cleaned_data.get("ends_on")
    if starts_on and ends_on and ends_on < starts_on:
        form.add_error("ends_on", "The end date must be the same as or after the start date")


class SeriesFormBase(OnceFormMixin, RecurrenceFields, forms.ModelForm):
    """What clinic and reflective series forms share: recurrence, dates, time, where, leads."""

    starts_on = GovukDateField(label="First date", help_text="The first date the series may run from. For example, 14 1 2026")
    ends_on = GovukDateField(label="Last date (optional)", required=False, help_text="Leave blank to keep running")
    start_time = _width(forms.TimeField(label="Start time", help_text="24-hour clock, for example 10:00"), "govuk-input--width-5")
    facilitators = forms.ModelMultipleChoiceField(
        label="Facilitating practice leads", queryset=User.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple, help_text="Only people with the practice lead role are listed",
    )
    related_fields: tuple[str, ...] = ("facilitators",)
    narrow_fields: tuple[str, ...] = ()

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["facilitators"].queryset = _lead_choices()
        self.fields["mode"].choices = list(Mode.choices)
        for name in self.narrow_fields:
            self.fields[name].govuk_width = "govuk-input--width-3"
        govuk_required_messages(self)
        if self.instance.pk:
            self.recurrence_initial(self.instance.rrule)
        elif "active" in self.fields:
            del self.fields["active"]

    def clean(self) -> dict:
        data = super().clean()
        data["rrule"] = self.clean_rrule()
        _date_order(self)
        _mode_fields(self)
        return data

    def save(self, commit: bool = True) -> Model:
        series = super().save(commit=False)
        series.rrule = self.cleaned_data["rrule"]
        if commit:
            series.save()
            self.save_m2m()
        return series

    def related(self) -> dict[str, list]:
        """The many-to-many values, set by the operation once the series has an id."""
        return {name: list(self.cleaned_data.get(name) or []) for name in self.related_fields}


class ClinicSeriesForm(SeriesFormBase):
    """Create or edit a clinic series. Saving generates its dates at once (see ``save``)."""

    access = forms.ChoiceField(
        label="Who can book",
        choices=[("multi", "Multi-agency: any agency can book"),
                 ("single", "Single-agency: only the agency types ticked below")],
        widget=forms.RadioSelect,
    )
    agency_types = forms.ModelMultipleChoiceField(
        label="Agency types that can book", queryset=AgencyType.objects.filter(active=True), required=False,
        widget=forms.CheckboxSelectMultiple, help_text="Only used for single-agency clinics",
    )
    related_fields = ("facilitators", "agency_types")
    narrow_fields = ("slot_count", "slot_minutes", "break_minutes", "booking_opens_weeks", "booking_closes_hours",
                     "change_cutoff_hours")

    class Meta:
        model = ClinicSeries
        formfield_callback = https_url_fields
        fields = [
            "title", "description", "starts_on", "ends_on", "start_time", "slot_count", "slot_minutes", "break_minutes",
            "mode", "online_link", "venue", "agency_types", "facilitators", "booking_opens_weeks",
            "booking_closes_hours", "change_cutoff_hours", "skip_bank_holidays", "active",
        ]
        labels = {
            "title": "Name of the series",
            "slot_count": "Number of slots",
            "slot_minutes": "Length of each slot in minutes",
            "break_minutes": "Break between slots in minutes",
            "mode": "Where it happens",
            "online_link": "Online meeting link",
            "booking_opens_weeks": "Booking opens this many weeks before",
            "booking_closes_hours": "Booking closes this many hours before",
            "change_cutoff_hours": "Practitioners can cancel or move until this many hours before",
            "skip_bank_holidays": "Skip bank holidays in England and Wales",
            "active": "Keep generating dates for this series",
        }
        widgets = {"mode": forms.RadioSelect, "description": forms.Textarea(attrs={"rows": 3})}

    field_order = [
        "title", "description", "frequency", "ordinal", "weekday", "interval_weeks", "starts_on", "ends_on",
        "start_time", "slot_count", "slot_minutes", "break_minutes", "mode", "online_link", "venue", "access",
        "agency_types", "facilitators", "booking_opens_weeks", "booking_closes_hours", "change_cutoff_hours",
        "skip_bank_holidays", "active",
    ]

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial.setdefault("access", "multi" if self.instance.multi_agency else "single")
        else:
            for name, value in {"frequency": MONTHLY, "start_time": "10:00", "slot_count": 3, "slot_minutes": 45,
                                "break_minutes": 5}.items():
                self.initial.setdefault(name, value)
            self.initial.setdefault("access", "multi")

    def clean(self) -> dict:
        data = super().clean()
        if data.get("access") == "single" and not data.get("agency_types"):
            self.add_error("agency_types", "Select the agency types that can book a single-agency clinic")
        return data

    def save(self, commit: bool = True) -> ClinicSeries:
        self.instance.multi_agency = self.cleaned_data["access"] == "multi"
        return super().save(commit=commit)

    def save_and_generate(self, *, by: User, now: datetime | None = None) -> tuple[ClinicSeries, int]:
        """Save the series and bring its dates in line (clinics/occurrences.py ``save_series``)."""
        from clinics.scheduling import save_clinic_series

        return save_clinic_series(self.save(commit=False), by=by, related=self.related(), now=now)


# --- One date -------------------------------------------------------------------------------------


class ClinicMoveForm(forms.Form):
    new_date = GovukDateField(label="New date", help_text="For example, 9 12 2025")
    new_time = _width(forms.TimeField(label="New start time", help_text="24-hour clock, for example 10:00"),
                      "govuk-input--width-5")

    def __init__(self, *args: object, clinic: Clinic, now: datetime | None = None, **kwargs: object) -> None:
        self.clinic = clinic
        self.now = now or timezone.now()
        super().__init__(*args, **kwargs)
        govuk_required_messages(self)

    def clean(self) -> dict:
        data = super().clean()
        day, at = data.get("new_date"), data.get("new_time")
        if day and at:
            new_start = local_datetime(day, at)
            if new_start <= self.now:
                self.add_error("new_date", "The new date must be in the future")
            elif new_start == self.clinic.starts_at:
                self.add_error("new_date", "The new date and time must be different from the current ones")
            data["new_start"] = new_start
        return data


class ClinicCancelForm(AnonymityCheckedFormMixin, forms.Form):
    anonymity_model = Clinic
    anonymity_field_map = {"reason": "status_reason"}

    reason = forms.CharField(
        label="Why is this date cancelled?", max_length=250,
        help_text="Practitioners who booked see this reason. Do not include anything about a case.",
        error_messages={"required": "Enter why this date is cancelled"},
    )

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise ValidationError("Enter why this date is cancelled")
        return reason


# --- Filters (GET forms: bad values are reported, never fatal) ------------------------------------


class _RecentClinicDates(forms.models.ModelChoiceIterator):
    def __init__(self, field: forms.ModelChoiceField) -> None:
        super().__init__(field)
        self.queryset = field.queryset.filter(starts_at__gte=timezone.now() - relativedelta(months=12))


class ClinicDateField(forms.ModelChoiceField):
    """Lists the last year's and all upcoming clinic dates: listing every clinic ever held would
    add ~100 options a year and dominate the page's render time (docs/benchmarks.md). An older
    date is still accepted when given (a bookmarked filter), just not listed."""

    iterator = _RecentClinicDates


class RequestFilterForm(forms.Form):
    status = forms.ChoiceField(label="Status", required=False,
                               choices=[("", "Any status"), *ConsultationRequest.Status.choices])
    clinic = ClinicDateField(label="Clinic date", required=False, empty_label="Any clinic",
                             queryset=Clinic.objects.order_by("-starts_at"))


class AccessLogFilterForm(forms.Form):
    user = forms.ModelChoiceField(label="Who read it", required=False, empty_label="Anyone",
                                  queryset=User.objects.filter(role_grants__isnull=False).distinct().order_by("full_name"))
    reference = _width(forms.CharField(label="Request reference", required=False, max_length=16,
                                       help_text="For example, CSA-4KQ7ZP"), "govuk-input--width-10")

    def clean_reference(self) -> str:
        return self.cleaned_data["reference"].strip().upper()


class OfferFilterForm(forms.Form):
    clinic = ClinicDateField(label="Clinic date", required=False, empty_label="Any clinic",
                             queryset=Clinic.objects.order_by("-starts_at"))
    outcome = forms.ChoiceField(label="Outcome", required=False,
                                choices=[("", "Any outcome"), *WaitlistOffer.Outcome.choices])


# --- Resources ----------------------------------------------------------------------------------------


class ResourceForm(OnceFormMixin, forms.ModelForm):
    class Meta:
        model = Resource
        formfield_callback = https_url_fields
        fields = ["title", "url", "kind", "publisher", "description", "forms", "stages"]
        labels = {"url": "Link", "forms": "Forms of CSA it helps with", "stages": "Pathway stages it helps with"}
        widgets = {
            "kind": forms.RadioSelect,
            "forms": forms.CheckboxSelectMultiple,
            "stages": forms.CheckboxSelectMultiple,
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].queryset = ResourceKind.objects.filter(active=True)
        self.fields["kind"].empty_label = None
        self.fields["forms"].queryset = FormOfAbuse.objects.filter(active=True)
        self.fields["stages"].queryset = PathwayStage.objects.filter(active=True)
        govuk_required_messages(self)


# --- Taxonomies -------------------------------------------------------------------------------------------

# URL key -> (model, plain-English name). Order is the order on the taxonomy page.
TAXONOMIES: dict[str, tuple[type[Model], str]] = {
    "forms-of-csa": (FormOfAbuse, "Forms of CSA"),
    "pathway-stages": (PathwayStage, "Pathway stages"),
    "age-bands": (AgeBand, "Age bands"),
    "genders": (Gender, "Genders"),
    "plan-statuses": (PlanStatus, "Plan statuses"),
    "context-factors": (ContextFactor, "Context factors"),
    "support-needs": (SupportNeed, "What practitioners want from the clinic"),
    "co-attendee-roles": (CoAttendeeRole, "Co-attendee roles"),
    "redirect-routes": (RedirectRoute, "Redirect routes"),
    "resource-kinds": (ResourceKind, "Resource kinds"),
}


class TermForm(OnceFormMixin, forms.ModelForm):
    """One term of a taxonomy. The slug is never edited: it is what history points at."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["position"].govuk_width = "govuk-input--width-3"
        govuk_required_messages(self)

    def save(self, commit: bool = True) -> Model:
        term = super().save(commit=False)
        if not term.pk:
            term.slug = _unique_slug(type(term), term.label)
        if commit:
            term.save()
        return term


def term_form_class(model: type[Model]) -> type[forms.ModelForm]:
    return forms.modelform_factory(
        model,
        form=TermForm,
        fields=["label", "hint", "position", "active"],
        labels={"position": "Order (lower numbers come first)", "active": "Offer this term on forms"},
        help_texts={"active": "Untick to retire it: records that already use it keep it"},
    )


def _unique_slug(model: type[Model], label: str) -> str:
    base = slugify(label)[:56] or "term"
    slug, n = base, 2
    while model.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


# --- Reflective series ----------------------------------------------------------------------------


class ReflectiveSeriesForm(SeriesFormBase):
    """Create or edit a reflective series; saving regenerates untouched dates, and held dates
    follow the new place, link, capacity and facilitators (see clinics/occurrences.py)."""

    narrow_fields = ("duration_minutes", "capacity")

    class Meta:
        model = ReflectiveSeries
        formfield_callback = https_url_fields
        fields = ["title", "starts_on", "ends_on", "start_time", "duration_minutes", "capacity", "mode", "online_link",
                  "venue", "facilitators", "skip_bank_holidays", "active"]
        labels = {
            "title": "Name of the series",
            "duration_minutes": "Length in minutes",
            "capacity": "Places",
            "mode": "Where it happens",
            "online_link": "Online meeting link",
            "skip_bank_holidays": "Skip bank holidays in England and Wales",
            "active": "Keep generating dates for this series",
        }
        widgets = {"mode": forms.RadioSelect}

    field_order = ["title", "frequency", "ordinal", "weekday", "interval_weeks", "starts_on", "ends_on", "start_time",
                   "duration_minutes", "capacity", "mode", "online_link", "venue", "facilitators", "skip_bank_holidays",
                   "active"]

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.initial.setdefault("frequency", WEEKLY)
        self.initial.setdefault("interval_weeks", 6)

    def save_and_generate(self, *, by: User, now: datetime | None = None) -> tuple[ReflectiveSeries, int]:
        """Save the series and bring its sessions in line (clinics/occurrences.py ``save_series``)."""
        from clinics.reflective_scheduling import save_reflective_series

        return save_reflective_series(self.save(commit=False), by=by, related=self.related(), now=now)
