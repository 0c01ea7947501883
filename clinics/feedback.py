"""Feedback after the clinic: the practitioner's confidence now, and an optional comment.

Only an attended consultation can get feedback, and only once: the one-to-one on Feedback is
the backstop if two submissions race.
"""

from __future__ import annotations

from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from clinics.models import ConsultationRequest, Feedback


class FeedbackError(Exception):
    """Feedback that cannot be given; ``str(exc)`` is safe to show to the person."""


def why_no_feedback(request: ConsultationRequest) -> str | None:
    """Why feedback cannot be given on ``request`` now, or None when it can."""
    if Feedback.objects.filter(request=request).exists():
        return "You have already given feedback on this consultation. Thank you."
    if request.status != ConsultationRequest.Status.ATTENDED:
        return "You can give feedback once you have attended the consultation."
    return None


def give_feedback(
    request: ConsultationRequest, confidence_after: int, comment: str = "", now: datetime | None = None
) -> Feedback:
    if not 1 <= confidence_after <= 5:
        raise FeedbackError("Confidence must be from 1 to 5.")
    now = now or timezone.now()
    with transaction.atomic():
        request = ConsultationRequest.objects.select_for_update().get(pk=request.pk)
        reason = why_no_feedback(request)
        if reason:
            raise FeedbackError(reason)
        try:
            with transaction.atomic():
                return Feedback.objects.create(
                    request=request, confidence_after=confidence_after, comment=comment.strip(), submitted_at=now
                )
        except IntegrityError as exc:
            raise FeedbackError("You have already given feedback on this consultation. Thank you.") from exc
