"""Kept no longer than needed (DOMAIN.md rule 5).

The free text of case questions, outcomes, feedback comments, reflective notes and wellbeing
check-ins is erased a
configurable time (settings.RETENTION_MONTHS, default 12) after the clinic or session it
belongs to; the structured context stays, so the themes keep their history. Erasing is an
UPDATE that blanks the text and stamps ``*_erased_at``; pages then say the text was erased
under the retention policy. Idempotent: already-erased rows are not touched again.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from anonymity.models import FalseAlarm
from clinics.models import ConsultationRequest, Feedback, Outcome, ReflectiveSession, WellbeingCheckIn

logger = logging.getLogger(__name__)

ERASED_PLACEHOLDER = ""


@dataclass(frozen=True)
class RetentionResult:
    requests: int
    outcomes: int
    feedback: int
    reflective_notes: int
    wellbeing: int = 0

    @property
    def total(self) -> int:
        return self.requests + self.outcomes + self.feedback + self.reflective_notes + self.wellbeing


def retention_cutoff(now: datetime | None = None, months: int | None = None) -> datetime:
    return (now or timezone.now()) - relativedelta(months=months or settings.RETENTION_MONTHS)


def apply_retention(*, now: datetime | None = None, months: int | None = None) -> RetentionResult:
    now = now or timezone.now()
    cutoff = retention_cutoff(now, months)
    # A request's clock starts at its clinic; one that never reached a clinic (declined
    # before booking, cancelled while waiting) starts at its creation.
    old_requests = ConsultationRequest.objects.filter(text_erased_at=None).filter(
        Q(clinic__ends_at__lt=cutoff) | Q(clinic__isnull=True, created_at__lt=cutoff)
    )
    with transaction.atomic():
        ids = list(old_requests.values_list("pk", flat=True))
        requests = ConsultationRequest.objects.filter(pk__in=ids).update(
            question=ERASED_PLACEHOLDER, support_other=ERASED_PLACEHOLDER, text_erased_at=now
        )
        outcomes = Outcome.objects.filter(request_id__in=ids, text_erased_at=None).update(
            advice=ERASED_PLACEHOLDER, actions=ERASED_PLACEHOLDER, follow_up=ERASED_PLACEHOLDER, text_erased_at=now
        )
        feedback = Feedback.objects.filter(request_id__in=ids, text_erased_at=None).update(
            comment=ERASED_PLACEHOLDER, text_erased_at=now
        )
        reflective = ReflectiveSession.objects.filter(ends_at__lt=cutoff, notes_erased_at=None).update(
            notes=ERASED_PLACEHOLDER, notes_erased_at=now
        )
        wellbeing = WellbeingCheckIn.objects.filter(session__ends_at__lt=cutoff, text_erased_at=None).update(
            text=ERASED_PLACEHOLDER, text_erased_at=now
        )
        # False-alarm records keep the few flagged words: they go with the text they came from.
        FalseAlarm.objects.erase_flagged_text(cutoff)
    result = RetentionResult(requests, outcomes, feedback, reflective, wellbeing)
    logger.info("retention: erased text of %s records older than %s", result.total, cutoff.date())
    return result
