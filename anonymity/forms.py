"""Form mixin that refuses free text holding identifying details.

Usage in another app::

    class OutcomeForm(AnonymityCheckedFormMixin, forms.ModelForm):
        anonymised_fields = ("advice", "actions")

    form = OutcomeForm(request.POST or None, allow_false_alarm=request.user.is_practice_lead)
    if form.is_valid():
        outcome = form.save()
        form.record_false_alarms(request.user, f"outcome:{outcome.pk}")

Put the mixin first so its ``clean()`` runs around the form's own.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django import forms
from django.core import signing
from django.core.exceptions import ValidationError

from anonymity.detector import Finding
from anonymity.models import FLAGGED_TEXT_MAX, FalseAlarm
from anonymity.verdicts import scan_remembered

CONFIRM_FIELD = "confirm_false_alarm"
DIGEST_FIELD = "anonymity_checked"
_SALT = "anonymity.false-alarm"


class AnonymityCheckedFormMixin:
    """Adds one field error per finding in each of ``anonymised_fields``.

    ``anonymity_findings`` maps field name to the findings in its cleaned text,
    for the ``anonymity/findings.html`` include that marks them.

    With ``allow_false_alarm=True`` (practice leads) the form also has a
    ``confirm_false_alarm`` checkbox. Ticking it lets the form validate despite
    findings, but only for the findings the writer was actually shown: a signed
    digest of them travels in a hidden field, so a box ticked before any
    findings appeared, or text changed since, is checked again.
    """

    anonymised_fields: tuple[str, ...] = ()
    confirm_false_alarm_label = "I have checked these and they are not identifying details"

    def __init__(self, *args: Any, allow_false_alarm: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.allow_false_alarm = allow_false_alarm
        self.anonymity_findings: dict[str, list[Finding]] = {}
        self.false_alarm_confirmed = False
        if allow_false_alarm:
            # Hidden until there is something to confirm (see _show_confirmation).
            self.fields[CONFIRM_FIELD] = forms.BooleanField(
                required=False,
                label=self.confirm_false_alarm_label,
                help_text="Only tick this if every highlighted item is safe to keep. "
                "Your name and the time are recorded.",
                widget=forms.HiddenInput,
            )
            self.fields[DIGEST_FIELD] = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()  # type: ignore[misc]
        self.anonymity_findings = {}
        self.false_alarm_confirmed = False
        for name in self.anonymised_fields:
            value = self.cleaned_data.get(name)
            if isinstance(value, str) and value:
                findings = scan_remembered(value)
                if findings:
                    self.anonymity_findings[name] = findings
        if not self.anonymity_findings:
            return cleaned
        digest = _digest(self.anonymity_findings)
        if self.allow_false_alarm and self.cleaned_data.get(CONFIRM_FIELD):
            try:
                shown = signing.loads(self.cleaned_data.get(DIGEST_FIELD) or "", salt=_SALT)
            except signing.BadSignature:
                shown = None
            if shown == digest:
                self.false_alarm_confirmed = True
                return cleaned
        for name, findings in self.anonymity_findings.items():
            for finding in findings:
                self.add_error(name, ValidationError(finding.message, code=f"identifier_{finding.kind}"))
        if self.allow_false_alarm:
            self._show_confirmation(signing.dumps(digest, salt=_SALT))
        return cleaned

    def _show_confirmation(self, signed_digest: str) -> None:
        self.fields[CONFIRM_FIELD].widget = forms.CheckboxInput()
        # The re-rendered form must carry the digest of what the writer is now
        # looking at, and start with the box unticked.
        data = self.data.copy()
        data[self.add_prefix(DIGEST_FIELD)] = signed_digest
        data.pop(self.add_prefix(CONFIRM_FIELD), None)
        self.data = data

    def record_false_alarms(self, user: Any, context_label: str) -> list[FalseAlarm]:
        """Record the confirmed false alarms (who, when, kind, flagged text); call after is_valid()."""
        if not self.false_alarm_confirmed:
            return []
        rows = [
            FalseAlarm(
                user=user,
                kind=finding.kind,
                flagged_text=finding.text[:FLAGGED_TEXT_MAX],
                field_name=name,
                context_label=context_label[:100],
            )
            for name, findings in self.anonymity_findings.items()
            for finding in findings
        ]
        return FalseAlarm.objects.bulk_create(rows)


def _digest(findings: dict[str, list[Finding]]) -> str:
    # A hash, not the findings themselves: the hidden field must not carry the
    # identifying text back and forth any more than the textarea already does.
    parts = sorted(f"{name}\x1f{f.kind}\x1f{f.start}\x1f{f.text}" for name, fs in findings.items() for f in fs)
    return hashlib.sha256("\x1e".join(parts).encode()).hexdigest()
