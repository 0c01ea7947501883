"""Who changed what, when and why: the change history of clinics, series, requests, reflective
series and sessions, and role grants (django-simple-history).

Operations say who acted with ``config.history.changed_by(instance, by, action, reason)`` before
they save; the history row then carries the person, the role they acted in at that moment
(``history_role``, worked out when the row is written, so a later change of roles does not
rewrite the past), what they did and why. A change made without a person (a scheduled sweep,
the waiting list passing a place on) has no person and reads "The service".

Case text is never copied into history: each tracked model's ``config.history.TrackedHistory``
leaves out the fields declared free text (``anonymity.freetext``), and a reason given for a
decision about a case (a triage decline) is not passed as the history reason. A reason that is
passed (a clinic's cancellation reason, scanned when given) is erased from the history rows with
the record's other text under retention; the action stays (``clinics/retention.py``).
``tests/clinics/test_history.py`` plants a canary in every free-text field and reads every
history row.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Model

SYSTEM = "The service"


# --- reading --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Change:
    at: datetime
    who: str
    role: str
    what: str
    changes: list[tuple[str, str, str]]  # (field label, old, new)


_VERBS = {"+": "created", "~": "changed", "-": "deleted"}


def _display(record, field: str) -> str:
    try:
        value = getattr(record, field, None)
    except ObjectDoesNotExist:
        return "(deleted)"
    model_field = record.instance_type._meta.get_field(field)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value or "—"))
    if value is None or value == "":
        return "—"
    if isinstance(value, datetime):
        from django.utils import timezone

        return f"{timezone.localtime(value):%-d %b %Y %H:%M}"
    return str(value)


# Bookkeeping fields whose change alone is not worth a line.
_QUIET = {"updated_at", "calendar_sequence", "waitlisted_at", "moved_at"}


def changes_of(obj: Model, *, noun: str) -> list[Change]:
    """The history of ``obj``, newest first, in words a coordinator reads."""
    records = list(obj.history.select_related("history_user").order_by("-history_date", "-history_id"))
    out = []
    for i, record in enumerate(records):
        previous = records[i + 1] if i + 1 < len(records) else None
        diffs: list[tuple[str, str, str]] = []
        if previous is not None and record.history_type == "~":
            delta = record.diff_against(previous)
            for change in delta.changes:
                if change.field in _QUIET:
                    continue
                label = str(obj._meta.get_field(change.field).verbose_name)
                diffs.append((label, _display(previous, change.field), _display(record, change.field)))
        user = record.history_user
        out.append(
            Change(
                at=record.history_date,
                who=(user.full_name or user.email) if user else SYSTEM,
                role=record.history_role,
                what=record.history_change_reason or f"{_VERBS[record.history_type]} the {noun}",
                changes=diffs,
            )
        )
    return out
