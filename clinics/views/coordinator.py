"""Coordinator screens: clinic series and their dates, all requests, the access and offers logs,
the resource hub, the taxonomies and reflective series.

Each view parses its input, calls one operation and renders; every object comes from an access
helper that returns it or raises.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Page, Paginator
from django.db.models import Count, Min, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from accounts.access import role_required
from accounts.models import Role
from accounts.submissions import ALREADY_SENT, once
from clinics.access import get_clinic_for_lead, get_request_for_lead, log_case_access
from clinics.forms_coordinator import (
    TAXONOMIES,
    AccessLogFilterForm,
    ClinicSeriesForm,
    OfferFilterForm,
    ReflectiveSeriesForm,
    RequestFilterForm,
    ResourceForm,
    term_form_class,
)
from clinics.history import changes_of
from clinics.models import (
    AccessLog,
    Clinic,
    ClinicSeries,
    ConsultationRequest,
    ReflectiveSeries,
    Resource,
    WaitlistOffer,
)
from clinics.recurrence import describe
from clinics.scheduling import cancel_clinic, move_clinic
from clinics.services import with_availability
from clinics.views.occurrence_pages import cancel_page, move_page, series_context, series_form_page

coordinator_only = role_required(Role.COORDINATOR)
PAGE_SIZE = 50


def _page(request: HttpRequest, rows: QuerySet) -> Page:
    return Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))


def _told(n: int) -> str:
    return f"{n} {'booking was' if n == 1 else 'bookings were'} told"


# --- access helpers (coordinators see everything; these only turn a bad id into a 404) -----------


def get_series(pk: int) -> ClinicSeries:
    return get_object_or_404(ClinicSeries, pk=pk)


def get_resource(pk: int) -> Resource:
    return get_object_or_404(Resource, pk=pk)


def get_taxonomy(kind: str) -> tuple[type, str]:
    if kind not in TAXONOMIES:
        raise Http404("No such list")
    return TAXONOMIES[kind]


# --- Clinic series --------------------------------------------------------------------------------


@coordinator_only
def series_list(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    series = ClinicSeries.objects.annotate(
        next_at=Min("clinics__starts_at", filter=Q(clinics__starts_at__gt=now, clinics__status=Clinic.Status.SCHEDULED)),
        upcoming=Count("clinics", filter=Q(clinics__starts_at__gt=now)),
    ).order_by("-active", "title")
    rows = [(s, describe(s.rrule)) for s in series]
    return render(request, "clinics/coordinator/series_list.html", {"rows": rows})


@coordinator_only
@require_http_methods(["GET", "POST"])
def series_new(request: HttpRequest) -> HttpResponse:
    return series_form_page(request, ClinicSeriesForm(request.POST or None), template="clinics/coordinator/series_form.html",
                            detail="clinics:series_detail", context={"series": None},
                            done=lambda n: f"Clinic series created: {n} dates generated")


@coordinator_only
@require_http_methods(["GET", "POST"])
def series_edit(request: HttpRequest, pk: int) -> HttpResponse:
    series = get_series(pk)
    form = ClinicSeriesForm(request.POST or None, instance=series)
    return series_form_page(request, form, template="clinics/coordinator/series_form.html", detail="clinics:series_detail",
                            context={"series": series},
                            done=lambda n: f"Clinic series saved: {n} dates generated from the new settings")


@coordinator_only
def series_detail(request: HttpRequest, pk: int) -> HttpResponse:
    series = get_series(pk)
    context = series_context(series, with_availability, agency_types=list(series.agency_types.all()),
                             history=changes_of(series, noun="series"))
    return render(request, "clinics/coordinator/series_detail.html", context)


# --- One date ---------------------------------------------------------------------------------------


def _back_url(clinic: Clinic) -> str:
    return reverse("clinics:series_detail", args=[clinic.series_id]) if clinic.series_id else reverse("clinics:series_list")


@coordinator_only
@require_http_methods(["GET", "POST"])
def clinic_move(request: HttpRequest, pk: int) -> HttpResponse:
    clinic = get_clinic_for_lead(request.user, pk)
    return move_page(request, clinic, move=move_clinic, back_url=_back_url(clinic),
                     done=lambda n: f"Clinic moved: {_told(n)} and sent an updated invitation")


@coordinator_only
@require_http_methods(["GET", "POST"])
def clinic_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    clinic = get_clinic_for_lead(request.user, pk)
    affected = clinic.requests.filter(status__in=ConsultationRequest.ACTIVE).count()
    return cancel_page(request, clinic, cancel=cancel_clinic, back_url=_back_url(clinic), affected=affected,
                       done=lambda n: f"Clinic cancelled: {_told(n)}")


# --- Requests and logs --------------------------------------------------------------------------------


@coordinator_only
def requests_all(request: HttpRequest) -> HttpResponse:
    form = RequestFilterForm(request.GET or None)
    rows = ConsultationRequest.objects.select_related("clinic", "requester__agency_type", "pathway_stage", "age_band")
    if form.is_valid():
        if form.cleaned_data["status"]:
            rows = rows.filter(status=form.cleaned_data["status"])
        if form.cleaned_data["clinic"]:
            rows = rows.filter(clinic=form.cleaned_data["clinic"])
    page = _page(request, rows.order_by("-created_at"))
    return render(request, "clinics/coordinator/requests_all.html", {"form": form, "page": page})


@coordinator_only
def request_read(request: HttpRequest, pk: int) -> HttpResponse:
    """The one coordinator page that shows a case question, so the read is logged here."""
    consultation = get_request_for_lead(request.user, pk)
    log_case_access(request.user, [consultation], "coordinator: read request")
    context = {
        "consultation": consultation,
        "forms_of_csa": list(consultation.forms.all()),
        "context_factors": list(consultation.context_factors.all()),
        "support_needs": list(consultation.support_needs.all()),
        "co_attendees": list(consultation.co_attendees.select_related("role", "agency_type")),
        "history": changes_of(consultation, noun="request"),
    }
    return render(request, "clinics/coordinator/request_read.html", context)


@coordinator_only
def access_log(request: HttpRequest) -> HttpResponse:
    form = AccessLogFilterForm(request.GET or None)
    rows = AccessLog.objects.select_related("user", "request")
    if form.is_valid():
        if form.cleaned_data["user"]:
            rows = rows.filter(user=form.cleaned_data["user"])
        if form.cleaned_data["reference"]:
            rows = rows.filter(request__reference=form.cleaned_data["reference"])
    page = _page(request, rows.order_by("-at", "-pk"))
    return render(request, "clinics/coordinator/access_log.html", {"form": form, "page": page})


@coordinator_only
def offers_log(request: HttpRequest) -> HttpResponse:
    form = OfferFilterForm(request.GET or None)
    rows = WaitlistOffer.objects.select_related("request__requester", "slot__clinic")
    if form.is_valid():
        if form.cleaned_data["clinic"]:
            rows = rows.filter(slot__clinic=form.cleaned_data["clinic"])
        if form.cleaned_data["outcome"]:
            rows = rows.filter(outcome=form.cleaned_data["outcome"])
    page = _page(request, rows.order_by("-offered_at", "-pk"))
    return render(request, "clinics/coordinator/offers_log.html", {"form": form, "page": page})


# --- Resources --------------------------------------------------------------------------------------------


@coordinator_only
def resources_manage(request: HttpRequest) -> HttpResponse:
    rows = Resource.objects.select_related("kind").order_by("-active", "title")
    return render(request, "clinics/coordinator/resources_manage.html", {"resources": rows})


@coordinator_only
@require_http_methods(["GET", "POST"])
def resource_add(request: HttpRequest) -> HttpResponse:
    form = ResourceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        resource, made = once(form.cleaned_data["submission_key"], request.user, form.save)
        messages.success(request, f"Resource added: {resource.title}" if made else ALREADY_SENT)
        return redirect("clinics:resources_manage")
    return render(request, "clinics/coordinator/resource_form.html", {"form": form, "resource": None})


@coordinator_only
@require_http_methods(["GET", "POST"])
def resource_edit(request: HttpRequest, pk: int) -> HttpResponse:
    resource = get_resource(pk)
    form = ResourceForm(request.POST or None, instance=resource)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, f"Resource saved: {resource.title}")
        return redirect("clinics:resources_manage")
    return render(request, "clinics/coordinator/resource_form.html", {"form": form, "resource": resource})


@coordinator_only
@require_http_methods(["GET", "POST"])
def resource_retire(request: HttpRequest, pk: int) -> HttpResponse:
    resource = get_resource(pk)
    if request.method == "POST":
        # Retired, not deleted: outcomes that shared it still link to it.
        Resource.objects.filter(pk=resource.pk).update(active=False)
        messages.success(request, f"Resource retired: {resource.title}")
        return redirect("clinics:resources_manage")
    return render(request, "clinics/coordinator/resource_retire.html", {"resource": resource})


@coordinator_only
@require_POST
def resource_restore(request: HttpRequest, pk: int) -> HttpResponse:
    resource = get_resource(pk)
    Resource.objects.filter(pk=resource.pk).update(active=True)
    messages.success(request, f"Resource restored: {resource.title}")
    return redirect("clinics:resources_manage")


# --- Taxonomies -------------------------------------------------------------------------------------------------


@coordinator_only
def taxonomy(request: HttpRequest) -> HttpResponse:
    lists = [(kind, name, list(model.objects.order_by("position", "label"))) for kind, (model, name) in TAXONOMIES.items()]
    return render(request, "clinics/coordinator/taxonomy.html", {"lists": lists})


@coordinator_only
@require_http_methods(["GET", "POST"])
def taxonomy_add(request: HttpRequest, kind: str) -> HttpResponse:
    model, name = get_taxonomy(kind)
    form = term_form_class(model)(request.POST or None, initial={"active": True})
    if request.method == "POST" and form.is_valid():
        term, made = once(form.cleaned_data["submission_key"], request.user, form.save)
        messages.success(request, f"Added to {name.lower()}: {term.label}" if made else ALREADY_SENT)
        return redirect("clinics:taxonomy")
    return render(request, "clinics/coordinator/term_form.html", {"form": form, "name": name, "term": None})


@coordinator_only
@require_http_methods(["GET", "POST"])
def taxonomy_edit(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    model, name = get_taxonomy(kind)
    term = get_object_or_404(model, pk=pk)
    form = term_form_class(model)(request.POST or None, instance=term)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, f"Saved: {term.label}")
        return redirect("clinics:taxonomy")
    return render(request, "clinics/coordinator/term_form.html", {"form": form, "name": name, "term": term})


# --- Reflective series ---------------------------------------------------------------------------------------


@coordinator_only
def reflective_series_list(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    series = ReflectiveSeries.objects.annotate(
        next_at=Min("sessions__starts_at", filter=Q(sessions__starts_at__gt=now)),
        upcoming=Count("sessions", filter=Q(sessions__starts_at__gt=now)),
    ).order_by("-active", "title")
    rows = [(s, describe(s.rrule)) for s in series]
    return render(request, "clinics/coordinator/reflective_series_list.html", {"rows": rows})


@coordinator_only
@require_http_methods(["GET", "POST"])
def reflective_series_new(request: HttpRequest) -> HttpResponse:
    return series_form_page(request, ReflectiveSeriesForm(request.POST or None),
                            template="clinics/coordinator/reflective_series_form.html",
                            detail="clinics:reflective_series_detail",
                            done=lambda n: f"Reflective series created: {n} sessions generated")
