"""Template helpers for GOV.UK Design System markup (loaded as a builtin)."""

from __future__ import annotations

from django import forms, template
from django.forms.boundfield import BoundField

register = template.Library()

_INPUT_CLASS = {
    "textarea": "govuk-textarea",
    "select": "govuk-select",
    "selectmultiple": "govuk-select",
    "file": "govuk-file-upload",
}


@register.filter
def govuk_widget(field: BoundField, extra: str = "") -> str:
    """Render a text-like widget with GOV.UK classes and error state."""
    kind = field.widget_type
    css = _INPUT_CLASS.get(kind, "govuk-input")
    if field.errors:
        css += f" {css}--error"
    if extra:
        css += f" {extra}"
    attrs: dict[str, str] = {"class": css}
    described = []
    if field.help_text:
        described.append(f"{field.auto_id}-hint")
    if field.errors:
        described.append(f"{field.auto_id}-error")
    if described:
        attrs["aria-describedby"] = " ".join(described)
    return field.as_widget(attrs=attrs)


@register.filter
def first_input_id(field: BoundField) -> str:
    """The id an error-summary link should point at (the first radio/checkbox of a group)."""
    if field.widget_type in {"radioselect", "checkboxselectmultiple"}:
        return f"{field.auto_id}_0"
    return field.auto_id


@register.filter
def is_checked(field: BoundField) -> bool:
    return bool(field.value())


@register.filter
def widget_class(field: BoundField) -> str:
    return field.widget_type


@register.simple_tag
def govuk_field_width(field: BoundField) -> str:
    return getattr(field.field, "govuk_width", "")


@register.filter
def is_hidden(field: BoundField) -> bool:
    return isinstance(field.field.widget, forms.HiddenInput)


# --- Dates and times in GOV.UK style: "Tuesday 9 December 2025", "10am", "10:45am" --------

def _local(value):
    from django.utils import timezone

    return timezone.localtime(value) if timezone.is_aware(value) else value


@register.filter
def govuk_time(value) -> str:
    if not value:
        return ""
    value = _local(value)
    hour = value.hour % 12 or 12
    suffix = "am" if value.hour < 12 else "pm"
    if value.hour == 12 and value.minute == 0:
        return "midday"
    return f"{hour}{suffix}" if value.minute == 0 else f"{hour}:{value.minute:02d}{suffix}"


@register.filter
def govuk_date(value, with_weekday: bool = True) -> str:
    if not value:
        return ""
    value = _local(value) if hasattr(value, "hour") else value
    text = f"{value.day} {value:%B %Y}"
    return f"{value:%A} {text}" if with_weekday else text


@register.filter
def govuk_datetime(value) -> str:
    if not value:
        return ""
    return f"{govuk_date(value)}, {govuk_time(value)}"


@register.simple_tag
def govuk_time_range(start, end) -> str:
    return f"{govuk_time(start)} to {govuk_time(end)}"
