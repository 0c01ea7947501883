"""Practice leads' programme screens: CPD records (and, below, cohorts).

Each view takes its object from an access helper that returns it or raises.
"""

from __future__ import annotations

import csv

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.text import slugify

from accounts.access import role_required
from accounts.models import Role
from clinics.cpd import cpd_record, get_cpd_lead_for

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
