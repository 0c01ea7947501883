"""Practice leads' programme screens: CPD records and cohorts with their attendance.

Each view takes its object from an access helper that returns it or raises.
"""

from __future__ import annotations

import csv

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_http_methods

from accounts.access import role_required
from accounts.models import Role
from accounts.submissions import ALREADY_SENT, once
from clinics.cohorts import cohort_attendance, save_cohort
from clinics.cpd import cpd_record, get_cpd_lead_for
from clinics.forms_programme import CohortForm
from clinics.models import Cohort
from clinics.refusal import Refused

LEAD_ROLES = (Role.PRACTICE_LEAD, Role.COORDINATOR)


@role_required(Role.PRACTICE_LEAD)
def my_cpd(request: HttpRequest) -> HttpResponse:
    return _cpd_page(request, request.user.pk)


@role_required(*LEAD_ROLES)
def cpd(request: HttpRequest, pk: int) -> HttpResponse:
    return _cpd_page(request, pk)


def _cpd_page(request: HttpRequest, pk: int) -> HttpResponse:
    lead = get_cpd_lead_for(request.user, pk)
    context = {"record": cpd_record(lead), "own": lead.pk == request.user.pk, "today": timezone.localdate()}
    return render(request, "clinics/lead/cpd.html", context)


@role_required(*LEAD_ROLES)
def cpd_csv(request: HttpRequest, pk: int) -> HttpResponse:
    lead = get_cpd_lead_for(request.user, pk)
    record = cpd_record(lead)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = f"cpd-{slugify(lead.full_name or 'practice-lead')}-{timezone.localdate():%Y%m%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    csv.writer(response).writerows(record.csv_rows())
    return response


# --- cohorts (coordinators) ------------------------------------------------------------------

coordinator_only = role_required(Role.COORDINATOR)


def get_cohort(pk: int) -> Cohort:
    return get_object_or_404(Cohort.objects.select_related("programme"), pk=pk)


@coordinator_only
def cohort_list(request: HttpRequest) -> HttpResponse:
    rows = [cohort_attendance(c) for c in Cohort.objects.select_related("programme")]
    return render(request, "clinics/coordinator/cohort_list.html", {"rows": rows})


@coordinator_only
@require_http_methods(["GET", "POST"])
def cohort_new(request: HttpRequest) -> HttpResponse:
    return _cohort_form(request, Cohort())


@coordinator_only
@require_http_methods(["GET", "POST"])
def cohort_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _cohort_form(request, get_cohort(pk))


def _cohort_form(request: HttpRequest, cohort: Cohort) -> HttpResponse:
    form = CohortForm(request.POST or None, instance=cohort)
    if request.method == "POST" and form.is_valid():
        def save() -> Cohort:
            return save_cohort(form.save(commit=False), by=request.user, members=form.cleaned_data["members"])

        try:
            if cohort.pk is None:
                cohort, made = once(form.cleaned_data["submission_key"], request.user, save)
            else:
                cohort, made = save(), True
        except Refused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Cohort saved: {cohort.name}" if made else ALREADY_SENT)
            return redirect("clinics:cohort_detail", pk=cohort.pk)
    context = {"form": form, "cohort": cohort if cohort.pk else None}
    return render(request, "clinics/coordinator/cohort_form.html", context, status=400 if form.errors else 200)


@coordinator_only
def cohort_detail(request: HttpRequest, pk: int) -> HttpResponse:
    attendance = cohort_attendance(get_cohort(pk))
    return render(request, "clinics/coordinator/cohort_detail.html", {"attendance": attendance})
