"""The coordinator's series pages and "move one date" / "cancel one date" pages, for clinics and
reflective sessions alike: parse the form, call the kind's operation, say what happened."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from accounts.submissions import ALREADY_SENT, once
from clinics.forms_coordinator import ClinicCancelForm, ClinicMoveForm
from clinics.models.occurrences import OccurrenceBase, SeriesBase
from clinics.recurrence import describe
from clinics.refusal import Refused

Done = Callable[[int], str]  # the success message for how many people were told
# A form with errors is re-shown with 200, as the clinic pages always have.


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
    return render(request, "clinics/coordinator/clinic_move.html", context)


def cancel_page(request: HttpRequest, occurrence: OccurrenceBase, *, cancel: Callable, back_url: str, done: Done,
                affected: int, extra: dict | None = None) -> HttpResponse:
    # The reason is shown to people: scanned like all free text; a coordinator may confirm a false alarm.
    form = ClinicCancelForm(request.POST or None, allow_false_alarm=True)
    if request.method == "POST" and form.is_valid():
        try:
            told = cancel(occurrence, by=request.user, reason=form.cleaned_data["reason"])
        except Refused as exc:
            form.add_error(None, str(exc))
        else:
            form.record_false_alarms(request.user, f"{occurrence._meta.model_name}_cancel:{occurrence.pk}")
            messages.success(request, done(told))
            return redirect(back_url)
    context = {"form": form, "clinic": occurrence, "affected": affected, "back_url": back_url, **(extra or {})}
    return render(request, "clinics/coordinator/clinic_cancel.html", context)


def series_form_page(request: HttpRequest, form, *, template: str, detail: str, done: Done,
                     context: dict | None = None) -> HttpResponse:
    """Create or change a series: the form's ``save_and_generate`` is the shared operation; a
    new series is created once per form sent (``accounts.submissions.once``)."""
    if request.method == "POST" and form.is_valid():
        generated: list[int] = []

        def save():  # type: ignore[no-untyped-def]
            series, count = form.save_and_generate(by=request.user)
            generated.append(count)
            return series

        try:
            if form.instance.pk is None:
                series, made = once(form.cleaned_data["submission_key"], request.user, save)
            else:
                series, made = save(), True
        except Refused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, done(generated[0]) if made else ALREADY_SENT)
            return redirect(detail, pk=series.pk)
    return render(request, template, {"form": form, **(context or {})})


def series_context(series: SeriesBase, availability: Callable[[QuerySet], list], **extra: object) -> dict:
    """A series page: its rule, facilitators, and its dates with free and waiting counts."""
    occurrences = series.occurrences.order_by("starts_at")
    now = timezone.now()
    return {
        "series": series,
        "rule": describe(series.rrule),
        "facilitators": list(series.facilitators.all()),
        "upcoming": availability(occurrences.filter(starts_at__gt=now)),
        "past": availability(occurrences.filter(starts_at__lte=now).reverse()[:12]),
        **extra,
    }
