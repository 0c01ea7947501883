from __future__ import annotations

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from anonymity.detector import Finding

register = template.Library()

_KIND_LABELS = {
    "name": "possible name",
    "date": "possible date",
    "address": "possible address",
    "postcode": "possible postcode",
    "nhs_number": "possible NHS number",
    "ni_number": "possible National Insurance number",
    "phone": "possible phone number",
    "email": "possible email address",
    "url": "possible web address",
    "social_handle": "possible social media username",
    "school": "possible school, nursery, college or club name",
    "case_reference": "possible case reference",
    "vehicle_registration": "possible vehicle registration",
}


@register.simple_tag
def anonymity_marked(text: str, findings: list[Finding] | None) -> SafeString:
    """The text, escaped, with each finding wrapped in <mark>; kinds spelled out for screen readers."""
    text = text or ""
    parts: list[tuple[str, ...]] = []
    pos = 0
    for f in sorted(findings or [], key=lambda f: f.start):
        if f.start < pos or f.end > len(text) or text[f.start : f.end] != f.text:
            continue  # stale findings for different text: show the text unmarked
        parts.append(("{}", text[pos : f.start]))
        parts.append(
            (
                '<mark class="app-anonymity-mark app-anonymity-mark--{}">{}'
                '<span class="govuk-visually-hidden"> ({})</span></mark>',
                f.kind,
                f.text,
                _KIND_LABELS.get(f.kind, f.kind),
            )
        )
        pos = f.end
    parts.append(("{}", text[pos:]))
    return format_html_join("", "{}", ((format_html(fmt, *args),) for fmt, *args in parts))


@register.simple_tag
def anonymity_field_findings(form: object, field_name: str) -> list[Finding]:
    return getattr(form, "anonymity_findings", {}).get(field_name, [])


@register.simple_tag
def anonymity_field_text(form: object, field_name: str) -> str:
    cleaned = getattr(form, "cleaned_data", {}) or {}
    if isinstance(cleaned.get(field_name), str):
        return cleaned[field_name]
    # A field with errors is no longer in cleaned_data: mark what was submitted,
    # cleaned the same way the field would (e.g. stripped), so offsets match.
    bound = form[field_name]  # type: ignore[index]
    value = bound.value() or ""
    try:
        return bound.field.clean(value)
    except Exception:  # noqa: BLE001 - fall back to the raw value for display only
        return value
