"""The practitioner journey (JOURNEYS.md "Practitioner"): request, check answers, confirmation,
my requests, cancel or move, waiting-list offers, feedback, and the resource hub.

Each view parses input, calls one operation from clinics.booking / clinics.intake /
clinics.feedback, and renders. Objects are fetched through clinics.access, so a request or an
offer that is not yours is a 404.
"""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.datastructures import MultiValueDict
from django.views.decorators.http import require_GET, require_http_methods

from accounts.access import signed_in
from accounts.profile import update_profile
from clinics.access import get_offer_for, get_own_request
from clinics.booking import accept_offer, cancel_request, decline_offer, move_request, waitlist_position
from clinics.feedback import FeedbackError, give_feedback, why_no_feedback
from clinics.forms_practitioner import (
    QUESTION_MAX_WORDS,
    FeedbackForm,
    MoveForm,
    RequestForm,
    ResourceFilterForm,
    clinic_label,
    day_label,
)
from clinics.intake import submit_request, submitted_request
from clinics.models import ConsultationRequest, Outcome, Resource, WaitlistOffer
from clinics.models.clinics import where_label
from clinics.refusal import Refused
from config.wording import time_range

# The answers live in the session between "Request" and "Confirm and book": nothing is in the
# database until the practitioner confirms, and the copy is dropped as soon as they do. Each
# draft carries a submission key, sent back by the check page: the same confirmation posted
# twice finds the request the first made (clinics.intake.submit_request).
DRAFT_KEY = "clinics.request_draft"
SUBMISSION_KEY = "submission_key"
JUST_PLACED_KEY = "clinics.just_placed"

Status = ConsultationRequest.Status


# --- helpers --------------------------------------------------------------------------------

def _draft(request: HttpRequest) -> QueryDict | None:
    saved = request.session.get(DRAFT_KEY)
    if not saved:
        return None
    data = QueryDict(mutable=True)
    data.update(MultiValueDict(saved))
    return data


def _save_draft(request: HttpRequest) -> None:
    draft = {k: request.POST.getlist(k) for k in request.POST if k not in ("csrfmiddlewaretoken", SUBMISSION_KEY)}
    draft[SUBMISSION_KEY] = [str(uuid.uuid4())]
    request.session[DRAFT_KEY] = draft


def _posted_key(request: HttpRequest) -> uuid.UUID | None:
    try:
        return uuid.UUID(request.POST.get(SUBMISSION_KEY, ""))
    except ValueError:
        return None


def _draft_key(data: QueryDict) -> uuid.UUID | None:
    try:
        return uuid.UUID(data.get(SUBMISSION_KEY, ""))
    except ValueError:
        return None  # a draft saved before submission keys existed: no de-duplication for it


def _where(consultation: ConsultationRequest) -> str:
    clinic = consultation.clinic
    if clinic is None:
        return ""
    return where_label(clinic, capital=False)


def placement_summary(consultation: ConsultationRequest) -> dict[str, str]:
    """The words of the confirmation panel and of the request page's heading facts."""
    if consultation.status in (Status.BOOKED, Status.OFFERED, Status.ATTENDED, Status.DID_NOT_ATTEND) and consultation.slot:
        slot = consultation.slot
        return {
            "title": "Booked",
            "body": f"{day_label(slot.starts_at)}, {time_range(slot.starts_at, slot.ends_at)}, {_where(consultation)}",
        }
    if consultation.status == Status.WAITLISTED and consultation.clinic:
        position = waitlist_position(consultation)
        return {
            "title": "On the waiting list",
            "body": f"You are number {position} on the waiting list for {day_label(consultation.clinic.starts_at)}",
        }
    return {"title": consultation.get_status_display(), "body": ""}


# --- request a consultation -----------------------------------------------------------------

@signed_in
@require_http_methods(["GET", "POST"])
def request_new(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = RequestForm(request.POST, user=request.user, allow_hold=True)
        if form.is_valid():
            _save_draft(request)
            return redirect("clinics:request_check")
    else:
        # Coming back from "Change" on the check page: show what they entered.
        form = RequestForm(_draft(request), user=request.user, allow_hold=True)
    return render(
        request, "clinics/practitioner/request_form.html", {"form": form, "max_words": QUESTION_MAX_WORDS}
    )


@signed_in
@require_http_methods(["GET", "POST"])
def request_check(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        done = submitted_request(request.user, _posted_key(request))
        if done is not None:  # this confirmation was already processed: show what it made
            return redirect("clinics:request_detail", pk=done.pk)
    data = _draft(request)
    if data is None:
        return redirect("clinics:request_new")
    form = RequestForm(data, user=request.user, allow_hold=True)
    if not form.is_valid():
        # Something changed since they answered (e.g. the date closed): back to the form,
        # which shows why.
        return redirect("clinics:request_new")
    error = ""
    if request.method == "POST":
        try:
            # Their details are kept even if placing fails (say the date has just closed).
            update_profile(request.user, form.profile_details())
            placement = submit_request(
                request.user, form.answers(), form.chosen_clinic(), submission_key=_draft_key(data)
            )
        except Refused as exc:
            error = str(exc)
        else:
            request.session.pop(DRAFT_KEY, None)
            request.session[JUST_PLACED_KEY] = placement.request.pk
            return redirect("clinics:request_detail", pk=placement.request.pk)
    return render(
        request,
        "clinics/practitioner/request_check.html",
        {"form": form, "error": error, "submission_key": _draft_key(data)},
    )


# --- my requests ----------------------------------------------------------------------------

@signed_in
@require_GET
def my_requests(request: HttpRequest) -> HttpResponse:
    rows = (
        ConsultationRequest.objects.filter(requester=request.user)
        .select_related("clinic", "slot", "outcome", "feedback")
        .prefetch_related(Prefetch("offers", queryset=WaitlistOffer.objects.filter(outcome=WaitlistOffer.Outcome.PENDING)))
        .order_by("-created_at")
    )
    return render(request, "clinics/practitioner/my_requests.html", {"rows": rows})


@signed_in
@require_GET
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = get_own_request(request.user, pk)
    just_placed = request.session.get(JUST_PLACED_KEY) == consultation.pk
    if just_placed:
        del request.session[JUST_PLACED_KEY]
    try:
        outcome = Outcome.objects.prefetch_related("resources").get(request=consultation)
    except Outcome.DoesNotExist:
        outcome = None
    context = {
        "consultation": consultation,
        "summary": placement_summary(consultation),
        "just_placed": just_placed,
        "where": _where(consultation),
        "clinic_when": clinic_label(consultation.clinic) if consultation.clinic else "",
        "slot_when": time_range(consultation.slot.starts_at, consultation.slot.ends_at) if consultation.slot else "",
        "position": waitlist_position(consultation),
        "co_attendees": consultation.co_attendees.select_related("role", "agency_type"),
        "outcome": outcome,
        "feedback": getattr(consultation, "feedback", None) if hasattr(consultation, "feedback") else None,
        "pending_offer": consultation.offers.filter(outcome=WaitlistOffer.Outcome.PENDING).first(),
        "can_give_feedback": why_no_feedback(consultation) is None,
    }
    return render(request, "clinics/practitioner/request_detail.html", context)


# --- cancel and move ------------------------------------------------------------------------

@signed_in
@require_http_methods(["GET", "POST"])
def request_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = get_own_request(request.user, pk)
    error = ""
    if request.method == "POST":
        try:
            cancel_request(consultation, by=request.user)
        except Refused as exc:
            error = str(exc)
        else:
            messages.success(request, f"Request {consultation.reference} has been cancelled.")
            return redirect("clinics:request_detail", pk=consultation.pk)
    return render(
        request,
        "clinics/practitioner/request_cancel.html",
        {"consultation": consultation, "summary": placement_summary(consultation), "error": error},
    )


@signed_in
@require_http_methods(["GET", "POST"])
def request_move(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = get_own_request(request.user, pk)
    form = MoveForm(request.POST if request.method == "POST" else None, user=request.user, current=consultation.clinic)
    error = ""
    if request.method == "POST" and form.is_valid():
        try:
            placement = move_request(consultation, form.chosen_clinic(), by=request.user)
        except Refused as exc:
            error = str(exc)
        else:
            moved = placement_summary(placement.request)
            messages.success(request, f"{moved['title']}: {moved['body']}")
            return redirect("clinics:request_detail", pk=consultation.pk)
    return render(
        request,
        "clinics/practitioner/request_move.html",
        {"consultation": consultation, "summary": placement_summary(consultation), "form": form, "error": error},
    )


# --- waiting-list offers --------------------------------------------------------------------

def _offer_page(request: HttpRequest, offer: WaitlistOffer, action: str, error: str = "") -> HttpResponse:
    slot = offer.slot
    return render(
        request,
        "clinics/practitioner/offer.html",
        {
            "offer": offer,
            "action": action,
            "error": error,
            "slot_when": f"{day_label(slot.starts_at)}, {time_range(slot.starts_at, slot.ends_at)}",
            "where": where_label(slot.clinic, capital=False),
        },
    )


@signed_in
@require_http_methods(["GET", "POST"])
def offer_accept(request: HttpRequest, pk: int) -> HttpResponse:
    offer = get_offer_for(request.user, pk)
    if request.method == "POST":
        try:
            accept_offer(offer, by=request.user)
        except Refused as exc:
            return _offer_page(request, offer, "accept", str(exc))
        messages.success(request, "You have accepted the place. We have emailed you a calendar invite.")
        return redirect("clinics:request_detail", pk=offer.request_id)
    return _offer_page(request, offer, "accept")


@signed_in
@require_http_methods(["GET", "POST"])
def offer_decline(request: HttpRequest, pk: int) -> HttpResponse:
    offer = get_offer_for(request.user, pk)
    if request.method == "POST":
        try:
            decline_offer(offer, by=request.user)
        except Refused as exc:
            return _offer_page(request, offer, "decline", str(exc))
        messages.success(request, "You have turned down the place. It will be offered to the next person waiting.")
        return redirect("clinics:request_detail", pk=offer.request_id)
    return _offer_page(request, offer, "decline")


# --- feedback -------------------------------------------------------------------------------

@signed_in
@require_http_methods(["GET", "POST"])
def feedback(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = get_own_request(request.user, pk)
    reason = why_no_feedback(consultation)
    if reason:
        raise PermissionDenied(reason)
    form = FeedbackForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            give_feedback(consultation, int(form.cleaned_data["confidence_after"]), form.cleaned_data["comment"])
        except FeedbackError as exc:
            raise PermissionDenied(str(exc)) from exc
        messages.success(request, "Thank you for your feedback.")
        return redirect("clinics:request_detail", pk=consultation.pk)
    return render(request, "clinics/practitioner/feedback.html", {"consultation": consultation, "form": form})


# --- resource hub ---------------------------------------------------------------------------

@signed_in
@require_GET
def resources(request: HttpRequest) -> HttpResponse:
    form = ResourceFilterForm(request.GET or None)
    rows = Resource.objects.filter(active=True).select_related("kind").prefetch_related("forms", "stages")
    if form.is_valid():
        data = form.cleaned_data
        if data.get("form"):
            rows = rows.filter(forms=data["form"])
        if data.get("stage"):
            rows = rows.filter(stages=data["stage"])
        if data.get("kind"):
            rows = rows.filter(kind=data["kind"])
    return render(request, "clinics/practitioner/resources.html", {"form": form, "rows": rows.distinct()})
