"""Held wording: the fair path when the anonymity guard is wrong.

A practitioner whose request the guard flags may send it anyway with a short reason
(``hold_for_wording``, called by ``submit_request`` in the same transaction). The request is
then held (``ConsultationRequest.wording_held_at``) and one open ``WordingCheck`` says why:

    waiting --confirm_wording--> confirmed           (held no more; FalseAlarm rows say who/what)
    waiting --ask_to_reword----> reword --reword_request--> reworded (clean: held no more)
                                                        \\-> reworded + a new waiting check
                                                            (still flagged, sent with a reason)

Invariants:
- While held, the free text is readable only by its author and the practice leads of its
  clinic (``can_read_held_text``); every other page, export and message leaves it out.
- Holding never touches the booking: the slot or waiting-list place is kept throughout.
- At most one open check per request (a partial unique index stands behind it).
- A lead confirms the findings they were shown: the digest of the findings on the page must
  match the text's findings now, else the text changed and they must look again.

Locks: only the request row (level 3 of clinics/locking.py); nothing here moves a place.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from accounts.models import Role
from anonymity.detector import Finding
from anonymity.forms import findings_digest, record_false_alarms, scan_fields
from clinics.locking import lock_or_busy
from clinics.models import ConsultationRequest, WordingCheck
from notifications.api import Event, notify

# The request's text that its author wrote (the decline reason is a lead's).
AUTHOR_TEXT = ("question", "support_other")
State = WordingCheck.State


class WordingError(Exception):
    """The wording decision cannot be made now; nothing was saved."""


def can_read_held_text(user, request: ConsultationRequest) -> bool:
    if request.requester_id == user.pk:
        return True
    return (
        user.has_role(Role.PRACTICE_LEAD)
        and request.clinic_id is not None
        and request.clinic.facilitators.filter(pk=user.pk).exists()
    )


def open_check(request: ConsultationRequest) -> WordingCheck | None:
    return request.wording_checks.filter(state__in=WordingCheck.OPEN).first()


def held_findings(request: ConsultationRequest) -> dict[str, list[Finding]]:
    """What the guard finds in the author's text now (the lead sees these marked)."""
    return scan_fields({name: getattr(request, name) for name in AUTHOR_TEXT})


def show_held_text(user, requests: list[ConsultationRequest]) -> list[ConsultationRequest]:
    """Mark which held requests ``user`` may read, with the findings to highlight; templates
    leave held text out unless ``held_text_visible`` is set."""
    for request in requests:
        if request.wording_held_at is not None and can_read_held_text(user, request):
            request.held_text_visible = True
            request.held_findings = held_findings(request)
            request.held_digest = findings_digest(request.held_findings)
            request.wording_check = open_check(request)
    return requests


def hold_for_wording(request: ConsultationRequest, *, reason: str, by, now: datetime | None = None) -> WordingCheck:
    """Hold ``request`` for a lead's check. Call inside the transaction that saved the text."""
    now = now or timezone.now()
    if not reason.strip():
        raise WordingError("Say why the highlighted words are safe.")
    request.wording_held_at = now
    request.save(update_fields=["wording_held_at", "updated_at"])
    return WordingCheck.objects.create(request=request, reason=reason.strip(), sent_by=by, sent_at=now)


def _locked_with_open_check(request: ConsultationRequest, states: tuple[str, ...]) -> tuple[ConsultationRequest, WordingCheck]:
    request = lock_or_busy(ConsultationRequest, request.pk, what="this request")
    check = request.wording_checks.filter(state__in=states).first()
    if check is None:
        raise WordingError("This request is not waiting for a wording check any more.")
    if request.status not in ConsultationRequest.ACTIVE:
        raise WordingError("This request is no longer active.")
    return request, check


def confirm_wording(
    request: ConsultationRequest, *, by, shown_digest: str, now: datetime | None = None
) -> WordingCheck:
    """A practice lead confirms the flagged words do not identify anyone: the request is
    released, and each confirmed finding is recorded as a false alarm (who, when, what)."""
    now = now or timezone.now()
    with transaction.atomic():
        request, check = _locked_with_open_check(request, tuple(WordingCheck.OPEN))
        findings = held_findings(request)
        if findings_digest(findings) != shown_digest:
            raise WordingError("The wording has changed since you opened the page. Look at it again.")
        alarms = record_false_alarms(by, f"request:{request.pk}", findings)
        check.state = State.CONFIRMED
        check.decided_by = by
        check.decided_at = now
        check.confirmed_findings = len(alarms)
        check.save(update_fields=["state", "decided_by", "decided_at", "confirmed_findings"])
        request.wording_held_at = None
        request.save(update_fields=["wording_held_at", "updated_at"])
        return check


def ask_to_reword(request: ConsultationRequest, *, by, now: datetime | None = None) -> WordingCheck:
    """A practice lead sends the request back: the practitioner is emailed a link to edit it.
    It stays held, and keeps its place, meanwhile."""
    now = now or timezone.now()
    with transaction.atomic():
        request, check = _locked_with_open_check(request, (State.WAITING,))
        check.state = State.REWORD
        check.decided_by = by
        check.decided_at = now
        check.save(update_fields=["state", "decided_by", "decided_at"])
        notify(Event.REWORD_REQUESTED, request_id=request.pk)
        return check


def reword_request(
    request: ConsultationRequest,
    *,
    by,
    question: str,
    support_other: str,
    hold_reason: str = "",
    now: datetime | None = None,
) -> ConsultationRequest:
    """The author changes the held text (already scanned by the form). Clean text releases the
    request; text still flagged and sent with a reason opens a new check."""
    now = now or timezone.now()
    with transaction.atomic():
        request, check = _locked_with_open_check(request, tuple(WordingCheck.OPEN))
        if request.requester_id != by.pk:
            raise WordingError("Only the person who wrote the request can change its wording.")
        request.question = question.strip()
        request.support_other = support_other.strip()
        request.wording_held_at = None
        request.save(update_fields=["question", "support_other", "wording_held_at", "updated_at"])
        check.state = State.REWORDED
        check.decided_at = check.decided_at or now
        check.save(update_fields=["state", "decided_at"])
        if hold_reason:
            hold_for_wording(request, reason=hold_reason, by=by, now=now)
        return request
