from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django import forms
from django.utils import timezone

from accounts.submissions import OnceFormMixin
from config.forms import https_url_fields
from notifications.models import Bulletin, BulletinItem, Preference

try:
    from anonymity.forms import AnonymityCheckedFormMixin
except ImportError:  # the anonymity app is being built alongside; keep the mixin slot first
    class AnonymityCheckedFormMixin:  # type: ignore[no-redef]
        anonymised_fields: tuple[str, ...] = ()

        def __init__(self, *args, allow_false_alarm: bool = False, **kwargs) -> None:
            super().__init__(*args, **kwargs)

        def record_false_alarms(self, user, context_label: str) -> None:
            return None


class PreferenceForm(forms.ModelForm):
    class Meta:
        model = Preference
        fields = ("bulletin", "reminders")
        labels = {
            "bulletin": "Send me the monthly bulletin",
            "reminders": "Send me reminders before my clinics and reflective sessions",
        }
        help_texts = {
            "bulletin": "Best practice, new guidance and tools, research, support for staff and clinic dates with free places.",
            "reminders": "Booking confirmations, changes and cancellations are always sent: they are part of your booking.",
        }


def _month_choices(today: date) -> list[tuple[str, str]]:
    choices = []
    year, month = today.year, today.month
    for _ in range(13):
        first = date(year, month, 1)
        choices.append((first.isoformat(), f"{first:%B %Y}"))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return choices


class BulletinForm(AnonymityCheckedFormMixin, OnceFormMixin, forms.Form):
    anonymised_fields = ("introduction",)  # published, so scanned but not erased
    title = forms.CharField(max_length=150, help_text="For example, \u201cCSA bulletin: December\u201d.")
    month = forms.TypedChoiceField(label="Month", coerce=date.fromisoformat)
    introduction = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 4}),
                                   help_text="Optional. A short welcome at the top of the bulletin.")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["month"].choices = _month_choices(timezone.localdate())


class BulletinItemForm(AnonymityCheckedFormMixin, OnceFormMixin, forms.ModelForm):
    anonymised_fields = ("title", "body")
    # Declared so the radios have no empty "---------" choice.
    section = forms.ChoiceField(choices=BulletinItem.Section.choices, widget=forms.RadioSelect)

    class Meta:
        model = BulletinItem
        formfield_callback = https_url_fields
        fields = ("section", "title", "body", "link")
        widgets = {"section": forms.RadioSelect, "body": forms.Textarea(attrs={"rows": 6})}
        help_texts = {
            "body": "Do not include names or details that could identify a child, family or practitioner.",
            "link": "Optional. A web address starting with https://",
        }


class ScheduleForm(forms.Form):
    send_on = forms.DateField(label="Date", widget=forms.DateInput(attrs={"type": "date"}),
                              help_text="UK time. For example, 2 December.")
    send_at = forms.TimeField(label="Time", initial=time(9, 0), widget=forms.TimeInput(attrs={"type": "time"}))

    def clean(self):
        cleaned = super().clean()
        day, at = cleaned.get("send_on"), cleaned.get("send_at")
        if day and at:
            when = timezone.make_aware(datetime.combine(day, at))
            if when < timezone.now() - timedelta(minutes=5):
                self.add_error("send_on", "Choose a date and time in the future")
            cleaned["when"] = when
        return cleaned


class ConfirmForm(forms.Form):
    """No fields: a POST that only says "yes"."""


__all__ = ["Bulletin", "BulletinForm", "BulletinItemForm", "ConfirmForm", "PreferenceForm", "ScheduleForm"]
