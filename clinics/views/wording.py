"""Screens of the held-wording path (clinics/wording.py).

The author changes held wording from the one link in the "please reword" email; a practice
lead of the request's clinic confirms the wording or sends it back, from the triage queue.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from accounts.access import role_required, signed_in
from accounts.models import Role
from clinics.access import get_own_request, get_request_for_lead
from clinics.forms_practitioner import QUESTION_MAX_WORDS
from clinics.forms_wording import ConfirmWordingForm, RewordForm
from clinics.locking import Busy
from clinics.wording import (
    WordingError,
    ask_to_reword,
    can_read_held_text,
    confirm_wording,
    open_check,
    reword_request,
)


def _refused(request: HttpRequest, reason: str) -> HttpResponse:
    return render(request, "clinics/lead/problem.html", {"reason": reason, "back": "clinics:triage"}, status=409)


@role_required(Role.PRACTICE_LEAD)
@require_POST
def wording_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = get_request_for_lead(request.user, pk)
    if not can_read_held_text(request.user, consultation):
        raise PermissionDenied("Only a practice lead of this clinic can check its wording.")
    form = ConfirmWordingForm(request.POST)
    try:
        if not form.is_valid():
            raise WordingError("Open the triage queue again and look at the highlighted words.")
        confirm_wording(consultation, by=request.user, shown_digest=form.cleaned_data["digest"])
    except (WordingError, Busy) as exc:
        return _refused(request, str(exc))
    messages.success(request, f"Wording of {consultation.reference} confirmed. The clinic agenda now shows it.")
    return redirect("clinics:triage")


@role_required(Role.PRACTICE_LEAD)
@require_POST
def wording_send_back(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = get_request_for_lead(request.user, pk)
    if not can_read_held_text(request.user, consultation):
        raise PermissionDenied("Only a practice lead of this clinic can check its wording.")
    try:
        ask_to_reword(consultation, by=request.user)
    except (WordingError, Busy) as exc:
        return _refused(request, str(exc))
    messages.success(request, f"{consultation.reference} sent back. We have emailed the practitioner a link to reword it.")
    return redirect("clinics:triage")


@signed_in
@require_http_methods(["GET", "POST"])
def request_reword(request: HttpRequest, pk: int) -> HttpResponse:
    consultation = get_own_request(request.user, pk)
    check = open_check(consultation)
    if check is None:
        messages.info(request, "The wording of this request is not waiting for any change.")
        return redirect("clinics:request_detail", pk=consultation.pk)
    # Bound from the start, so the page opens with the highlighted words already marked.
    data = request.POST if request.method == "POST" else {
        "question": consultation.question, "support_other": consultation.support_other
    }
    form = RewordForm(data, allow_hold=True)
    if request.method == "POST" and form.is_valid():
        try:
            reword_request(
                consultation,
                by=request.user,
                question=form.cleaned_data["question"],
                support_other=form.cleaned_data["support_other"],
                hold_reason=form.hold_reason if form.held else "",
            )
        except (WordingError, Busy) as exc:
            form.add_error(None, str(exc))
        else:
            if form.held:
                messages.success(request, "Sent again. A practice lead will check the wording; your request keeps its place.")
            else:
                messages.success(request, "Thank you. The wording is clear and your request is with the practice leads.")
            return redirect("clinics:request_detail", pk=consultation.pk)
    return render(
        request,
        "clinics/practitioner/request_reword.html",
        {"consultation": consultation, "check": check, "form": form, "max_words": QUESTION_MAX_WORDS},
        status=400 if request.method == "POST" and form.errors else 200,
    )
