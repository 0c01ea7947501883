"""Who hears about each event, and with which message.

Runs inside the caller's transaction, so it sees the state exactly as the operation left it
(e.g. the old slot of a booking that is being moved to a waiting list).
"""

from __future__ import annotations

import logging

from django.db.models import Max, Window

from accounts.models import Role, User
from notifications import emails
from notifications.api import Event
from notifications.models import Message

logger = logging.getLogger(__name__)


def _calendar_state(uid: str) -> tuple[str, int | None]:
    """The method and highest SEQUENCE of the invites this UID's recipient already holds.

    One query: the latest invite's method, and the highest sequence over all of them
    (a UID has a handful of invites, one per change of its booking)."""
    latest = (
        Message.objects.filter(calendar_uid=uid).exclude(calendar_method="")
        .annotate(highest=Window(Max("calendar_sequence")))
        .order_by("-created_at", "-pk").values_list("calendar_method", "highest").first()
    )
    return latest if latest is not None else ("", None)


def next_sequence(uid: str, wanted: int) -> int:
    """``wanted`` (the booking's own counter) unless the recipient already holds that number or
    higher: calendars ignore an update whose SEQUENCE is not above the one they have."""
    _, highest = _calendar_state(uid)
    if highest is None or wanted > highest:
        return wanted
    return highest + 1


def cancel_sequence(uid: str, wanted: int) -> int | None:
    """Sequence for a CANCEL, or None when the recipient holds no live invite to cancel."""
    method, _ = _calendar_state(uid)
    if method != "REQUEST":
        return None
    return next_sequence(uid, wanted)


def request_for(pk: int):
    from clinics.models import ConsultationRequest

    return ConsultationRequest.objects.select_related("requester", "clinic", "slot", "redirect_route").get(pk=pk)


def leads_for(request) -> list[User]:
    if request.clinic_id:
        leads = list(request.clinic.facilitators.filter(is_active=True))
        if leads:
            return leads
    # No clinic (or nobody named to run it): every practice lead sees the new request.
    return list(User.objects.filter(is_active=True, role_grants__role=Role.PRACTICE_LEAD).distinct())


REFLECTIVE_EVENTS = (
    Event.REFLECTIVE_INVITATION, Event.REFLECTIVE_CHANGED, Event.REFLECTIVE_CANCELLED, Event.REFLECTIVE_WAITLISTED,
    Event.REFLECTIVE_OFFERED,
)


def _reflective_draft(event: Event, ids: dict) -> emails.Draft:
    from clinics.models import ReflectiveAttendance
    from clinics.reflective_waitlist import waitlist_position

    attendance = ReflectiveAttendance.objects.select_related("session", "lead").get(pk=ids["booking_id"])
    uid, wanted = attendance.calendar_uid, attendance.calendar_sequence
    if event == Event.REFLECTIVE_INVITATION:
        return emails.reflective_invitation(attendance, next_sequence(uid, wanted))
    if event == Event.REFLECTIVE_CHANGED:
        return emails.reflective_changed(attendance, next_sequence(uid, wanted))
    if event == Event.REFLECTIVE_CANCELLED:
        return emails.reflective_cancelled(attendance, cancel_sequence(uid, wanted), str(ids.get("reason", "apologies")))
    if event == Event.REFLECTIVE_WAITLISTED:
        return emails.reflective_waitlisted(attendance, waitlist_position(attendance))
    return emails.reflective_offered(attendance)


def drafts_for(event: str, **ids: int | str) -> list[emails.Draft]:
    from clinics.booking import waitlist_position
    from clinics.models import WaitlistOffer

    event = Event(event)
    if event == Event.BOOKING_CONFIRMED:
        request = request_for(ids["request_id"])
        return [emails.booking_confirmed(request, next_sequence(request.calendar_uid, request.calendar_sequence))]
    if event == Event.BOOKING_MOVED:
        request = request_for(ids["request_id"])
        return [emails.booking_moved(request, next_sequence(request.calendar_uid, request.calendar_sequence))]
    if event == Event.BOOKING_CANCELLED:
        request = request_for(ids["request_id"])
        sequence = cancel_sequence(request.calendar_uid, request.calendar_sequence)
        return [emails.booking_cancelled(request, str(ids.get("reason", "")), sequence)]
    if event == Event.WAITLISTED:
        request = request_for(ids["request_id"])
        return [emails.waitlisted(request, waitlist_position(request))]
    if event == Event.REQUEST_DECLINED:
        request = request_for(ids["request_id"])
        return [emails.request_declined(request, cancel_sequence(request.calendar_uid, request.calendar_sequence))]
    if event == Event.NEW_REQUEST:
        request = request_for(ids["request_id"])
        return emails.new_request(request, leads_for(request))
    if event == Event.FEEDBACK_REQUESTED:
        return [emails.feedback_requested(request_for(ids["request_id"]))]
    if event == Event.REWORD_REQUESTED:
        return [emails.reword_requested(request_for(ids["request_id"]))]
    if event == Event.PLACE_OFFERED:
        offer = WaitlistOffer.objects.select_related("slot", "request__requester", "request__clinic").get(pk=ids["offer_id"])
        return [emails.place_offered(offer)]
    if event == Event.INVITATION:
        from accounts.models import Invitation

        return [emails.invitation(Invitation.objects.get(pk=ids["invitation_id"]))]
    if event in REFLECTIVE_EVENTS:
        return [_reflective_draft(event, ids)]
    logger.error("no message for event %s", event)
    return []
