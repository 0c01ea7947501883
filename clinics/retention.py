"""Kept no longer than needed (DOMAIN.md rule 5).

Every declared free-text field (``anonymity.freetext``: case questions, decline reasons,
outcomes, feedback comments, reflective notes and wellbeing check-ins, a clinic's or session's status reason, the reasons given for
held wording...) is erased a configurable time (settings.RETENTION_MONTHS, default 12) after
the clinic or session it belongs to; the structured context stays, so the themes keep their
history. The fields come from the declaration, so a field declared tomorrow is erased with the
rest; what this module adds is *when* each model's text falls due (``RULES``), and a model
with free text but no rule is reported (and fails tests/anonymity/test_free_text_declared.py).

Erasing is an UPDATE that blanks the text and stamps ``*_erased_at`` where the model has one;
pages then say the text was erased under the retention policy. Idempotent: already-erased rows
are not touched again.

The change history never copies declared free text, but a history row quotes the reason given
with an action ("cancelled the clinic: <reason>", ``config.history.changed_by``). That reason
goes when the record's text goes (or, for a tracked model with no rule, RETENTION_MONTHS after
it was written); the action, who and when stay.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import models, transaction
from django.db.models import F, Q, Value
from django.db.models.functions import Left, StrIndex
from django.utils import timezone

from anonymity.freetext import free_text_fields, models_with_free_text
from anonymity.models import FalseAlarm
from clinics.models import (
    Clinic,
    ConsultationRequest,
    Feedback,
    Outcome,
    ReflectiveSession,
    WellbeingCheckIn,
    WordingCheck,
)
from config.history import REASON_SEPARATOR, tracked_models

logger = logging.getLogger(__name__)

ERASED_PLACEHOLDER = ""


def _with_the_request(prefix: str = "") -> Callable[[datetime], Q]:
    # A request's clock starts at its clinic; one that never reached a clinic (declined
    # before booking, cancelled while waiting) starts at its creation.
    def due(cutoff: datetime) -> Q:
        return Q(**{f"{prefix}clinic__ends_at__lt": cutoff}) | Q(
            **{f"{prefix}clinic__isnull": True, f"{prefix}created_at__lt": cutoff}
        )

    return due


def _after_it_ends(cutoff: datetime) -> Q:
    return Q(ends_at__lt=cutoff)


def _after_its_session(cutoff: datetime) -> Q:
    return Q(session__ends_at__lt=cutoff)


@dataclass(frozen=True)
class Rule:
    """When a model's free text falls due, and the field that records the erasure (if any)."""

    due: Callable[[datetime], Q]
    stamp: str | None = None


RULES: dict[type[models.Model], Rule] = {
    ConsultationRequest: Rule(_with_the_request(), "text_erased_at"),
    Outcome: Rule(_with_the_request("request__"), "text_erased_at"),
    Feedback: Rule(_with_the_request("request__"), "text_erased_at"),
    WordingCheck: Rule(_with_the_request("request__")),
    ReflectiveSession: Rule(_after_it_ends, "notes_erased_at"),
    WellbeingCheckIn: Rule(_after_its_session, "text_erased_at"),
    Clinic: Rule(_after_it_ends),
}


@dataclass(frozen=True)
class RetentionResult:
    erased: dict[str, int] = field(default_factory=dict)  # model label -> rows erased

    @property
    def total(self) -> int:
        return sum(self.erased.values())

    def of(self, model: type[models.Model]) -> int:
        return self.erased.get(model._meta.label, 0)

    @property
    def requests(self) -> int:
        return self.of(ConsultationRequest)

    @property
    def outcomes(self) -> int:
        return self.of(Outcome)

    @property
    def feedback(self) -> int:
        return self.of(Feedback)

    @property
    def reflective_notes(self) -> int:
        return self.of(ReflectiveSession)

    @property
    def wellbeing(self) -> int:
        return self.of(WellbeingCheckIn)

    @property
    def of_history(self) -> int:
        return self.erased.get(HISTORY_REASONS, 0)


def retention_cutoff(now: datetime | None = None, months: int | None = None) -> datetime:
    return (now or timezone.now()) - relativedelta(months=months or settings.RETENTION_MONTHS)


def models_without_rule() -> list[type[models.Model]]:
    return [m for m in models_with_free_text() if m not in RULES]


def erase_due_text(model: type[models.Model], rule: Rule, cutoff: datetime, now: datetime) -> int:
    fields = free_text_fields(model)
    rows = model._default_manager.filter(rule.due(cutoff))
    blank = dict.fromkeys(fields, ERASED_PLACEHOLDER)
    if rule.stamp:
        return rows.filter(**{rule.stamp: None}).update(**blank, **{rule.stamp: now})
    # No stamp to say "done": rows whose text is already blank are left alone.
    not_blank = Q()
    for name in fields:
        not_blank |= ~Q(**{name: ERASED_PLACEHOLDER})
    return rows.filter(not_blank).update(**blank)


HISTORY_REASONS = "history reasons"


def erase_history_reasons(cutoff: datetime) -> int:
    """Cut the reason off every due history row's "<action>: <reason>", keeping the action."""
    erased = 0
    for model in tracked_models():
        rows = model.history.model.objects.filter(history_change_reason__contains=REASON_SEPARATOR)
        rule = RULES.get(model)
        if rule is not None:
            rows = rows.filter(id__in=model._default_manager.filter(rule.due(cutoff)).values("pk"))
        else:
            rows = rows.filter(history_date__lt=cutoff)
        reason = F("history_change_reason")
        erased += rows.update(history_change_reason=Left(reason, StrIndex(reason, Value(REASON_SEPARATOR)) - 1))
    return erased


def apply_retention(*, now: datetime | None = None, months: int | None = None) -> RetentionResult:
    now = now or timezone.now()
    cutoff = retention_cutoff(now, months)
    for model in models_without_rule():
        # Erase everything else rather than nothing; the declaration test fails on this.
        logger.error("retention: %s has free text but no retention rule", model._meta.label)
    erased: dict[str, int] = {}
    with transaction.atomic():
        for model, rule in RULES.items():
            erased[model._meta.label] = erase_due_text(model, rule, cutoff, now)
        erased[HISTORY_REASONS] = erase_history_reasons(cutoff)
        # False-alarm records keep the few flagged words: they go with the text they came from.
        FalseAlarm.objects.erase_flagged_text(cutoff)
    result = RetentionResult(erased)
    logger.info("retention: erased text of %s records older than %s", result.total, cutoff.date())
    return result
