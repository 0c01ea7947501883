"""The coordinator's "move one date" and "cancel one date" pages, for clinics and reflective
sessions alike: parse the form, call the kind's operation, say how many people were told."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from clinics.forms_coordinator import ClinicCancelForm, ClinicMoveForm
from clinics.models.occurrences import OccurrenceBase
from clinics.refusal import Refused

Done = Callable[[int], str]  # the success message for how many people were told


def move_page(request: HttpRequest, occurrence: OccurrenceBase, *, move: Callable, back_url: str, done: Done,
              extra: dict | None = None) -> HttpResponse:
    form = ClinicMoveForm(request.POST or None, clinic=occurrence)
    if request.method == "POST" and form.is_valid():
        try:
            told = move(occurrence, form.cleaned_data["new_start"], by=request.user)
        except Refused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, done(told))
            return redirect(back_url)
    context = {"form": form, "clinic": occurrence, "back_url": back_url, **(extra or {})}
    return render(request, "clinics/coordinator/clinic_move.html", context, status=400 if form.errors else 200)


def cancel_page(request: HttpRequest, occurrence: OccurrenceBase, *, cancel: Callable, back_url: str, done: Done,
                affected: int, extra: dict | None = None) -> HttpResponse:
    form = ClinicCancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            told = cancel(occurrence, by=request.user, reason=form.cleaned_data["reason"])
        except Refused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, done(told))
            return redirect(back_url)
    context = {"form": form, "clinic": occurrence, "affected": affected, "back_url": back_url, **(extra or {})}
    return render(request, "clinics/coordinator/clinic_cancel.html", context, status=400 if form.errors else 200)
