"""Recording what a consultation concluded: advice given, agreed actions, resources, follow-up.

The practice lead records it after the clinic; the practitioner reads it on their request page.
The text is anonymity-checked by the form before it gets here.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from clinics.models import ConsultationRequest, Outcome, Resource


class OutcomeError(Exception):
    """An outcome that cannot be recorded; ``str(exc)`` is safe to show to the person."""


def can_record_outcome(request: ConsultationRequest) -> str | None:
    """Why no outcome can be recorded for ``request`` now, or None when it can."""
    if request.status != ConsultationRequest.Status.ATTENDED:
        return "Record that the practitioner attended before you record the outcome."
    if request.text_erased_at is not None:
        return "The text of this consultation was erased under the retention policy, so the outcome can no longer be changed."
    return None


def record_outcome(
    request: ConsultationRequest,
    *,
    by,
    advice: str,
    actions: str,
    resources: Iterable[Resource],
    follow_up_needed: bool,
    follow_up: str,
    now: datetime | None = None,
) -> Outcome:
    """Create or update the outcome of an attended consultation."""
    now = now or timezone.now()
    advice, actions, follow_up = advice.strip(), actions.strip(), follow_up.strip()
    if not advice:
        raise OutcomeError("Enter the advice given.")
    if follow_up_needed and not follow_up:
        raise OutcomeError("Enter what follow-up is needed.")
    if not follow_up_needed:
        follow_up = ""
    with transaction.atomic():
        # Lock the request so attendance changes and two leads saving at once serialise.
        locked = ConsultationRequest.objects.select_for_update().get(pk=request.pk)
        reason = can_record_outcome(locked)
        if reason:
            raise OutcomeError(reason)
        outcome, created = Outcome.objects.select_for_update().get_or_create(
            request=locked,
            defaults={
                "advice": advice,
                "actions": actions,
                "follow_up_needed": follow_up_needed,
                "follow_up": follow_up,
                "recorded_by": by,
                "recorded_at": now,
            },
        )
        if not created:
            outcome.advice = advice
            outcome.actions = actions
            outcome.follow_up_needed = follow_up_needed
            outcome.follow_up = follow_up
            # recorded_by/at say who last stood behind the text the practitioner reads.
            outcome.recorded_by = by
            outcome.recorded_at = now
            outcome.save()
        outcome.resources.set(list(resources))
        return outcome
