"""One small function per message the service sends.

Each returns a :class:`Draft` (or a list, one per recipient) rendered from
``templates/emails/<kind>/subject.txt|body.txt|body.html``. Emails leave our control, so they
carry a reference, date, time, place, status and links only: never a case question, an outcome
or a free-text reason typed by staff.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from clinics.models.clinics import where_label
from config.wording import clock, long_date, time_range
from notifications.calendar import Invite


@dataclass
class Draft:
    kind: str
    to_email: str
    subject: str
    body_text: str
    body_html: str
    user: object | None = None
    request: object | None = None
    headers: dict[str, str] = field(default_factory=dict)
    invite: Invite | None = None


# --- helpers --------------------------------------------------------------------------------

def absolute(path: str) -> str:
    return settings.SITE_URL + path


def link(name: str, *args: object, fallback: str = "home") -> str:
    """Absolute URL of a named route. Another app may not have added a route yet; the email
    then points at the home page rather than failing to send."""
    try:
        return absolute(reverse(name, args=args))
    except NoReverseMatch:
        return absolute(reverse(fallback))


def when(starts_at: datetime, ends_at: datetime) -> dict[str, str]:
    return {"date": long_date(starts_at), "time": time_range(starts_at, ends_at)}


def place(obj: object) -> dict[str, str]:
    online = getattr(obj, "mode", "online") == "online"
    return {
        "where": where_label(obj),
        "online_link": obj.online_link if online else "",
        "location": (obj.online_link or "Online") if online else (obj.venue or "In person"),
    }


def render(kind: str, to_email: str, context: dict, **extra: object) -> Draft:
    context = {
        "SERVICE_NAME": settings.SERVICE_NAME,
        "ORGANISATION_NAME": settings.ORGANISATION_NAME,
        "SITE_URL": settings.SITE_URL,
        "settings_url": link("notifications:settings"),
        **context,
    }
    subject = " ".join(render_to_string(f"emails/{kind}/subject.txt", context).split())
    return Draft(
        kind=kind,
        to_email=to_email,
        subject=subject,
        body_text=render_to_string(f"emails/{kind}/body.txt", context).strip() + "\n",
        body_html=render_to_string(f"emails/{kind}/body.html", context),
        **extra,
    )


def _request_context(request) -> dict:
    context = {
        "reference": request.reference,
        "status": request.get_status_display(),
        "request_url": link("clinics:request_detail", request.pk, fallback="home"),
        "my_requests_url": link("clinics:my_requests"),
    }
    clinic = request.clinic
    if clinic is not None:
        slot = request.slot
        context.update(when(slot.starts_at, slot.ends_at) if slot else when(clinic.starts_at, clinic.ends_at))
        context.update(place(clinic))
        context["clinic_title"] = clinic.title
    return context


def _request_invite(request, method: str, sequence: int) -> Invite:
    slot = request.slot
    clinic = request.clinic
    return Invite(
        uid=request.calendar_uid,
        sequence=sequence,
        method=method,
        starts_at=slot.starts_at,
        ends_at=slot.ends_at,
        summary=f"{clinic.title} ({request.reference})",
        location=place(clinic)["location"],
        description=f"CSA consultation, reference {request.reference}. Details: "
        + link("clinics:request_detail", request.pk),
        attendee_email=request.requester.email,
    )


# --- consultation requests ------------------------------------------------------------------

def booking_confirmed(request, sequence: int) -> Draft:
    return render(
        "booking_confirmed", request.requester.email, _request_context(request),
        user=request.requester, request=request, invite=_request_invite(request, "REQUEST", sequence),
    )


def booking_moved(request, sequence: int) -> Draft:
    return render(
        "booking_moved", request.requester.email, _request_context(request),
        user=request.requester, request=request, invite=_request_invite(request, "REQUEST", sequence),
    )


CANCEL_REASONS = {
    "cancelled": "You cancelled this booking.",
    "clinic_cancelled": "The clinic on this date has been cancelled. We are sorry for the inconvenience.",
    "moved_to_waiting_list": "You moved to the waiting list for another date, so this booking has been released.",
    "offer_declined": "You turned down the place you were offered, so your request has been taken off the waiting list.",
}


def booking_cancelled(request, reason: str, sequence: int | None) -> Draft:
    context = _request_context(request)
    # Only known reason codes are shown: a free-text reason might say something about the case.
    context["reason"] = CANCEL_REASONS.get(reason, "This booking has been cancelled.")
    context["hide_join"] = True  # a meeting link in a cancellation only invites confusion
    context["book_url"] = link("clinics:request_new")
    invite = None
    if sequence is not None and request.slot_id:
        invite = _request_invite(request, "CANCEL", sequence)
    context["calendar_update"] = invite is not None
    return render("booking_cancelled", request.requester.email, context, user=request.requester, request=request,
                  invite=invite)


def waitlisted(request, position: int | None) -> Draft:
    context = _request_context(request) | {"position": position}
    return render("waitlisted", request.requester.email, context, user=request.requester, request=request)


def request_declined(request, sequence: int | None) -> Draft:
    context = _request_context(request)
    # The route is a label from a coordinator-managed list (e.g. "Front door / MASH"), not case text.
    context["redirect_route"] = str(request.redirect_route) if request.redirect_route_id else ""
    context["hide_join"] = True
    invite = _request_invite(request, "CANCEL", sequence) if sequence is not None and request.slot_id else None
    context["calendar_update"] = invite is not None
    return render("request_declined", request.requester.email, context, user=request.requester, request=request,
                  invite=invite)


def new_request(request, recipients) -> list[Draft]:
    context = _request_context(request) | {"triage_url": link("clinics:triage")}
    return [render("new_request", lead.email, context | {"lead": lead}, user=lead, request=request) for lead in recipients]


def feedback_requested(request) -> Draft:
    context = _request_context(request) | {"feedback_url": link("clinics:feedback", request.pk, fallback="home")}
    return render("feedback_requested", request.requester.email, context, user=request.requester, request=request)


def reword_requested(request) -> Draft:
    """One link to the page where the practitioner changes the held wording; no text of it."""
    context = _request_context(request) | {"reword_url": link("clinics:request_reword", request.pk, fallback="home")}
    return render("reword_requested", request.requester.email, context, user=request.requester, request=request)


def place_offered(offer) -> Draft:
    request = offer.request
    context = _request_context(request)
    context.update(when(offer.slot.starts_at, offer.slot.ends_at))
    expires = timezone.localtime(offer.expires_at)
    context["expires"] = f"{clock(expires)} on {long_date(expires)}"
    context["offer_url"] = link("clinics:offer_accept", offer.pk, fallback="home")
    return render("place_offered", request.requester.email, context, user=request.requester, request=request)


def consultation_reminder(request, offset_hours: int) -> Draft:
    context = _request_context(request) | {"lead_time": lead_time(offset_hours)}
    return render("reminder", request.requester.email, context, user=request.requester, request=request)


# --- accounts -------------------------------------------------------------------------------

def invitation(invite_row) -> Draft:
    expires = timezone.localtime(invite_row.expires_at)
    context = {
        "accept_url": absolute(reverse("accounts:accept_invitation", args=[invite_row.token])),
        "expires": long_date(expires),
    }
    return render("invitation", invite_row.email, context)


# --- reflective sessions --------------------------------------------------------------------

def _reflective_context(attendance) -> dict:
    session = attendance.session
    return {
        "session_title": session.title,
        "status": attendance.get_status_display(),
        "sessions_url": link("clinics:reflective_list"),
        **when(session.starts_at, session.ends_at),
        **place(session),
    }


def _reflective_invite(attendance, method: str, sequence: int, description: str) -> Invite:
    session = attendance.session
    return Invite(
        uid=attendance.calendar_uid,
        sequence=sequence,
        method=method,
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        summary=session.title,
        location=place(session)["location"],
        description=description,
        attendee_email=attendance.lead.email,
    )


def reflective_invitation(attendance, sequence: int) -> Draft:
    invite = _reflective_invite(
        attendance, "REQUEST", sequence, "Practice-lead reflective session. Details: " + link("clinics:reflective_list")
    )
    return render("reflective_invitation", attendance.lead.email, _reflective_context(attendance), user=attendance.lead,
                  invite=invite)


def reflective_changed(attendance, sequence: int) -> Draft:
    """The session moved or its place changed: an updated invite (same UID, higher SEQUENCE)."""
    invite = _reflective_invite(
        attendance, "REQUEST", sequence, "Practice-lead reflective session. Details: " + link("clinics:reflective_list")
    )
    return render("reflective_changed", attendance.lead.email, _reflective_context(attendance), user=attendance.lead,
                  invite=invite)


# Reason codes only: the coordinator's free-text reason stays on the screens, never in an email.
REFLECTIVE_CANCEL_REASONS = {
    "apologies": ("Apologies sent", "Your apologies have been sent",
                  "You are no longer booked on this reflective session and your place is free for another practice lead."),
    "session_cancelled": ("Cancelled", "This reflective session has been cancelled",
                          "The coordinator has cancelled this reflective session. We are sorry for the inconvenience."),
    "offer_declined": ("Place declined", "You turned down the place",
                       "You turned down the place you were offered, so you are no longer on the waiting list."),
}


def reflective_cancelled(attendance, sequence: int | None, reason: str = "apologies") -> Draft:
    """The lead's calendar entry is withdrawn (when one was sent), with the reason in plain words."""
    invite = None
    if sequence is not None:
        invite = _reflective_invite(attendance, "CANCEL", sequence, "Practice-lead reflective session: cancelled.")
    prefix, heading, text = REFLECTIVE_CANCEL_REASONS.get(reason, REFLECTIVE_CANCEL_REASONS["apologies"])
    context = _reflective_context(attendance) | {
        "calendar_update": invite is not None, "hide_join": True, "subject_prefix": prefix, "heading": heading,
        "reason_text": text,
    }
    return render("reflective_cancelled", attendance.lead.email, context, user=attendance.lead, invite=invite)


def reflective_waitlisted(attendance, position: int | None) -> Draft:
    context = _reflective_context(attendance) | {"position": position, "hide_join": True}
    return render("reflective_waitlisted", attendance.lead.email, context, user=attendance.lead)


def reflective_offered(attendance) -> Draft:
    expires = timezone.localtime(attendance.offer_expires_at)
    context = _reflective_context(attendance) | {
        "expires": f"{clock(expires)} on {long_date(expires)}", "hide_join": True,
        "session_url": link("clinics:reflective_session", attendance.session_id),
    }
    return render("reflective_offered", attendance.lead.email, context, user=attendance.lead)


def reflective_reminder(attendance, offset_hours: int) -> Draft:
    context = _reflective_context(attendance) | {"lead_time": lead_time(offset_hours)}
    return render("reflective_reminder", attendance.lead.email, context, user=attendance.lead)


def lead_time(offset_hours: int) -> str:
    span = timedelta(hours=offset_hours)
    if offset_hours % 24 == 0:
        days = span.days
        return "tomorrow" if days == 1 else f"in {days} days"
    return f"in {offset_hours} hours"
