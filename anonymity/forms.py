"""Form mixin that refuses free text holding identifying details.

Which fields it scans comes from the one declaration of free text (``anonymity.freetext``):
every form field whose model field is a ``FreeTextField``/``FreeTextCharField``. A ModelForm
needs nothing; a plain form says which model it writes to::

    class OutcomeForm(AnonymityCheckedFormMixin, forms.Form):
        anonymity_model = Outcome

    class DeclineForm(AnonymityCheckedFormMixin, forms.Form):
        anonymity_model = ConsultationRequest
        anonymity_field_map = {"reason": "decline_reason"}   # form name -> model field name

    form = OutcomeForm(request.POST or None, allow_false_alarm=request.user.is_practice_lead)
    if form.is_valid():
        outcome = form.save()
        form.record_false_alarms(request.user, f"outcome:{outcome.pk}")

``anonymised_fields`` still adds fields by hand, for text that is scanned but not kept under the
retention policy (a published bulletin). Put the mixin first so its ``clean()`` runs around the
form's own.

Two ways past a finding, both bound to the findings the writer was shown (a signed digest):
``allow_false_alarm`` (practice leads: "these are not identifying", recorded as FalseAlarm
rows) and ``allow_hold`` (practitioners: "send it anyway" with a short reason; the caller then
holds the record until a practice lead has checked the wording, see clinics/wording.py).
"""

from __future__ import annotations

import hashlib
from typing import Any, ClassVar

from django import forms
from django.core import signing
from django.core.exceptions import ValidationError
from django.db.models import Model

from anonymity.detector import Finding, scan
from anonymity.freetext import free_text_fields
from anonymity.models import FLAGGED_TEXT_MAX, FalseAlarm
from anonymity.verdicts import scan_remembered

CONFIRM_FIELD = "confirm_false_alarm"
DIGEST_FIELD = "anonymity_checked"
HOLD_FIELD = "send_anyway"
HOLD_REASON_FIELD = "send_anyway_reason"
HOLD_REASON_MAX = 200
_SALT = "anonymity.false-alarm"


def scanned_field_names(form_class: type) -> tuple[str, ...]:
    """The form fields ``form_class`` scans: those bound to declared free-text model fields,
    then any listed by hand in ``anonymised_fields``."""
    model = getattr(form_class, "anonymity_model", None)
    meta = getattr(form_class, "_meta", None)
    if model is None and meta is not None:
        model = getattr(meta, "model", None)
    names: list[str] = []
    if model is not None:
        declared = set(free_text_fields(model))
        mapping = getattr(form_class, "anonymity_field_map", {})
        names = [name for name in form_class.base_fields if mapping.get(name, name) in declared]
    names += [name for name in getattr(form_class, "anonymised_fields", ()) if name not in names]
    return tuple(names)


def findings_digest(findings: dict[str, list[Finding]]) -> str:
    """A hash of the findings, to tell later whether a decision was taken on these exact ones."""
    # A hash, not the findings themselves: the hidden field must not carry the
    # identifying text back and forth any more than the textarea already does.
    parts = sorted(f"{name}\x1f{f.kind}\x1f{f.start}\x1f{f.text}" for name, fs in findings.items() for f in fs)
    return hashlib.sha256("\x1e".join(parts).encode()).hexdigest()


def scan_fields(values: dict[str, str]) -> dict[str, list[Finding]]:
    """Findings per field name, leaving out fields with none."""
    found = {name: scan_remembered(value) for name, value in values.items() if isinstance(value, str) and value}
    return {name: fs for name, fs in found.items() if fs}


class AnonymityCheckedFormMixin:
    """Adds one field error per finding in each scanned field (see ``scanned_field_names``).

    ``anonymity_findings`` maps field name to the findings in its cleaned text,
    for the ``anonymity/findings.html`` include that marks them.

    With ``allow_false_alarm=True`` (practice leads) the form also has a
    ``confirm_false_alarm`` checkbox. Ticking it lets the form validate despite
    findings, but only for the findings the writer was actually shown: a signed
    digest of them travels in a hidden field, so a box ticked before any
    findings appeared, or text changed since, is checked again.

    With ``allow_hold=True`` the form instead offers "send it anyway" with a short
    reason, under the same digest rule; ``held`` and ``hold_reason`` then tell the
    caller to hold the record for a practice lead's check.
    """

    anonymity_model: ClassVar[type[Model] | None] = None
    anonymity_field_map: ClassVar[dict[str, str]] = {}
    anonymised_fields: tuple[str, ...] = ()
    confirm_false_alarm_label = "I have checked these and they are not identifying details"

    def __init__(self, *args: Any, allow_false_alarm: bool = False, allow_hold: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.allow_false_alarm = allow_false_alarm
        self.allow_hold = allow_hold
        self.anonymity_findings: dict[str, list[Finding]] = {}
        self.false_alarm_confirmed = False
        self.held = False
        self.hold_reason = ""
        # Hidden until there is something to confirm (see _offer_way_past).
        if allow_false_alarm:
            self.fields[CONFIRM_FIELD] = forms.BooleanField(
                required=False,
                label=self.confirm_false_alarm_label,
                help_text="Only tick this if every highlighted item is safe to keep. "
                "Your name and the time are recorded.",
                widget=forms.HiddenInput,
            )
        if allow_hold:
            self.fields[HOLD_FIELD] = forms.BooleanField(
                required=False,
                label="Send it anyway: none of the highlighted words identifies anyone",
                help_text="A practice lead checks the wording before the clinic sees it. Your request keeps its "
                "place while they check.",
                widget=forms.HiddenInput,
            )
            self.fields[HOLD_REASON_FIELD] = forms.CharField(
                required=False,
                max_length=HOLD_REASON_MAX,
                label="Why are the highlighted words safe?",
                help_text="For example, \u201cthis is the name of a law\u201d or \u201ca national helpline\u201d. "
                "Do not repeat the highlighted words.",
                widget=forms.HiddenInput,
            )
        if allow_false_alarm or allow_hold:
            self.fields[DIGEST_FIELD] = forms.CharField(required=False, widget=forms.HiddenInput)

    @property
    def scanned_fields(self) -> tuple[str, ...]:
        return scanned_field_names(type(self))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()  # type: ignore[misc]
        self.anonymity_findings = scan_fields({name: self.cleaned_data.get(name) for name in self.scanned_fields})
        self.false_alarm_confirmed = False
        self.held = False
        if not self.anonymity_findings:
            return cleaned
        digest = findings_digest(self.anonymity_findings)
        shown = self._shown_digest()
        if self.allow_false_alarm and self.cleaned_data.get(CONFIRM_FIELD) and shown == digest:
            self.false_alarm_confirmed = True
            return cleaned
        if self.allow_hold and self.cleaned_data.get(HOLD_FIELD) and shown == digest and self._hold_reason_ok():
            self.held = True
            self.hold_reason = self.cleaned_data[HOLD_REASON_FIELD].strip()
            return cleaned
        for name, findings in self.anonymity_findings.items():
            for finding in findings:
                self.add_error(name, ValidationError(finding.message, code=f"identifier_{finding.kind}"))
        if self.allow_false_alarm or self.allow_hold:
            self._offer_way_past(signing.dumps(digest, salt=_SALT))
        return cleaned

    def _shown_digest(self) -> str | None:
        try:
            return signing.loads(self.cleaned_data.get(DIGEST_FIELD) or "", salt=_SALT)
        except signing.BadSignature:
            return None

    def _hold_reason_ok(self) -> bool:
        reason = (self.cleaned_data.get(HOLD_REASON_FIELD) or "").strip()
        if not reason:
            self.add_error(HOLD_REASON_FIELD, "Say why the highlighted words are safe, or change them")
            return False
        if scan(reason):
            self.add_error(HOLD_REASON_FIELD, "Explain why without repeating the highlighted words")
            return False
        return True

    def _offer_way_past(self, signed_digest: str) -> None:
        data = self.data.copy()
        if self.allow_false_alarm:
            self.fields[CONFIRM_FIELD].widget = forms.CheckboxInput()
            # The re-rendered form starts with the box unticked.
            data.pop(self.add_prefix(CONFIRM_FIELD), None)
        if self.allow_hold:
            self.fields[HOLD_FIELD].widget = forms.CheckboxInput()
            if HOLD_REASON_FIELD not in self._errors:  # type: ignore[attr-defined]
                data.pop(self.add_prefix(HOLD_FIELD), None)  # ticked for other findings than these
            self.fields[HOLD_REASON_FIELD].widget = forms.TextInput()
        # The re-rendered form must carry the digest of what the writer is now looking at.
        data[self.add_prefix(DIGEST_FIELD)] = signed_digest
        self.data = data

    def record_false_alarms(self, user: Any, context_label: str) -> list[FalseAlarm]:
        """Record the confirmed false alarms (who, when, kind, flagged text); call after is_valid()."""
        if not self.false_alarm_confirmed:
            return []
        return record_false_alarms(user, context_label, self.anonymity_findings)


def record_false_alarms(user: Any, context_label: str, findings: dict[str, list[Finding]]) -> list[FalseAlarm]:
    """One FalseAlarm row per finding that ``user`` confirmed is not identifying."""
    rows = [
        FalseAlarm(
            user=user,
            kind=finding.kind,
            flagged_text=finding.text[:FLAGGED_TEXT_MAX],
            field_name=name,
            context_label=context_label[:100],
        )
        for name, fs in findings.items()
        for finding in fs
    ]
    return FalseAlarm.objects.bulk_create(rows)
