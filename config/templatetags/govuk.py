"""Template helpers for GOV.UK Design System markup (loaded as a builtin)."""

from __future__ import annotations

from django import template
from django.forms.boundfield import BoundField

from config.wording import clock, long_date

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
def widget_class(field: BoundField) -> str:
    return field.widget_type


@register.simple_tag
def govuk_field_width(field: BoundField) -> str:
    return getattr(field.field, "govuk_width", "")


# --- Dates and times, worded as everywhere else (config/wording.py) ------------------------

@register.filter
def govuk_datetime(value) -> str:
    """"Tuesday 9 December 2025, 10:00"."""
    if not value:
        return ""
    return f"{long_date(value)}, {clock(value)}"
