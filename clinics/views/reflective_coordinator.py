"""Coordinator screens for reflective series: one series and its sessions, changing the
series, moving or cancelling one session. The operations are the shared occurrence ones
(clinics/occurrences.py through clinics/reflective_scheduling.py)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from accounts.access import role_required
from accounts.models import Role
from clinics.forms_coordinator import ReflectiveSeriesForm
from clinics.models import ReflectiveAttendance, ReflectiveSeries, ReflectiveSession
from clinics.reflective import session_availability
from clinics.reflective_scheduling import cancel_session, move_session
from clinics.views.occurrence_pages import cancel_page, move_page, series_context, series_form_page

coordinator_only = role_required(Role.COORDINATOR)
Place = ReflectiveAttendance.Status


def get_reflective_series(pk: int) -> ReflectiveSeries:
    return get_object_or_404(ReflectiveSeries, pk=pk)


def get_reflective_session(pk: int) -> ReflectiveSession:
    return get_object_or_404(ReflectiveSession.objects.select_related("series"), pk=pk)


def _back(session: ReflectiveSession) -> str:
    if session.series_id:
        return reverse("clinics:reflective_series_detail", args=[session.series_id])
    return reverse("clinics:reflective_series_list")


def _told(n: int) -> str:
    return f"{n} {'practice lead was' if n == 1 else 'practice leads were'} told"


@coordinator_only
def reflective_series_detail(request: HttpRequest, pk: int) -> HttpResponse:
    context = series_context(get_reflective_series(pk), session_availability)
    return render(request, "clinics/coordinator/reflective_series_detail.html", context)


@coordinator_only
@require_http_methods(["GET", "POST"])
def reflective_series_edit(request: HttpRequest, pk: int) -> HttpResponse:
    series = get_reflective_series(pk)
    form = ReflectiveSeriesForm(request.POST or None, instance=series)
    return series_form_page(request, form, template="clinics/coordinator/reflective_series_form.html",
                            detail="clinics:reflective_series_detail", context={"series": series},
                            done=lambda n: f"Reflective series saved: {n} sessions generated from the new settings")


@coordinator_only
@require_http_methods(["GET", "POST"])
def reflective_session_move(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_reflective_session(pk)
    return move_page(request, session, move=move_session, back_url=_back(session), extra={"noun": "session"},
                     done=lambda n: f"Session moved: {_told(n)} and sent an updated invitation")


@coordinator_only
@require_http_methods(["GET", "POST"])
def reflective_session_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_reflective_session(pk)
    affected = session.register.filter(status__in=(Place.BOOKED, Place.OFFERED, Place.WAITLISTED)).count()
    return cancel_page(request, session, cancel=cancel_session, back_url=_back(session), affected=affected,
                       extra={"noun": "session"}, done=lambda n: f"Session cancelled: {_told(n)}")
