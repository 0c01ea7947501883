"""The one door other apps use to tell people things.

Call ``notify(Event.X, **ids)`` INSIDE the transaction that made the change: the notifications
app turns the event into outbox rows (one per recipient) in that same transaction, so the
message exists if and only if the change committed, and dispatches them after commit.
Arguments are primary keys, never model instances or text, so events can be stored and
replayed.
"""

from __future__ import annotations

import logging
from enum import StrEnum

logger = logging.getLogger(__name__)


class Event(StrEnum):
    # Consultation requests (clinics app). Keyword: request_id.
    BOOKING_CONFIRMED = "booking_confirmed"  # booked into a slot: confirmation + .ics REQUEST
    WAITLISTED = "waitlisted"  # clinic full: "you are number N on the waiting list"
    BOOKING_MOVED = "booking_moved"  # moved to another slot/clinic/time: updated .ics (SEQUENCE+1)
    BOOKING_CANCELLED = "booking_cancelled"  # cancelled by practitioner, clinic cancelled, etc.: .ics CANCEL; kw: reason
    REQUEST_DECLINED = "request_declined"  # triage declined or redirected; kw: none (reason is on the request)
    NEW_REQUEST = "new_request"  # to the clinic's practice leads
    FEEDBACK_REQUESTED = "feedback_requested"  # after attendance is recorded as attended
    REWORD_REQUESTED = "reword_requested"  # a practice lead asks the practitioner to reword held text
    # Waiting list. Keyword: offer_id.
    PLACE_OFFERED = "place_offered"
    # Accounts. Keyword: invitation_id.
    INVITATION = "invitation"
    # Reflective sessions. Keyword: booking_id (reflective booking).
    REFLECTIVE_INVITATION = "reflective_invitation"
    REFLECTIVE_CANCELLED = "reflective_cancelled"  # apologies, session cancelled, offer declined: .ics CANCEL; kw: reason
    REFLECTIVE_CHANGED = "reflective_changed"  # session moved or its place changed: updated .ics (SEQUENCE+1)
    REFLECTIVE_WAITLISTED = "reflective_waitlisted"  # session full: "you are number N on the waiting list"
    REFLECTIVE_OFFERED = "reflective_offered"  # a freed place held for the first lead waiting


def notify(event: Event, **ids: int | str) -> None:
    """Record that ``event`` happened. Must be called inside the caller's transaction."""
    from notifications import outbox

    outbox.record_event(event, **ids)
