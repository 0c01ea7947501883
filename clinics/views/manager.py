"""The managers' themes dashboard and its CSV downloads: aggregates only, never free text.

Every number comes from clinics.themes, which applies the small-number rule; these views only
parse the filters, ask for the tables and render them.
"""

from __future__ import annotations

import csv

from django import forms
from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils import timezone
from django.utils.text import slugify

from accounts.access import role_required
from accounts.models import AgencyType, Role
from clinics.forms_coordinator import GovukDateField
from clinics.models import ClinicSeries
from clinics.reflective_themes import ReflectiveThemes
from clinics.themes import Dashboard, ThemesFilter
from clinics.themes_report import build_report

manager_only = role_required(Role.MANAGER)


class ThemesFilterForm(forms.Form):
    start = GovukDateField(label="From", required=False)
    end = GovukDateField(label="To", required=False)
    agency_type = forms.ModelChoiceField(label="Requester's agency type", required=False, empty_label="All agencies",
                                         queryset=AgencyType.objects.all())
    series = forms.ModelChoiceField(label="Clinic series", required=False, empty_label="All clinics",
                                    queryset=ClinicSeries.objects.all())

    def clean(self) -> dict:
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", "The ‘to’ date must be the same as or after the ‘from’ date")
        elif start and end and (end - start).days > 366 * 5:
            self.add_error("start", "Choose a period of 5 years or less")
        return data

    def filters(self) -> ThemesFilter:
        """The chosen filters, or the default (the last 12 months) for anything left blank or invalid."""
        default = ThemesFilter.default()
        data = self.cleaned_data if self.is_valid() else {}
        return ThemesFilter(
            start=data.get("start") or default.start,
            end=data.get("end") or default.end,
            agency_type=data.get("agency_type"),
            series=data.get("series"),
        )


def _themes_context(request: HttpRequest) -> dict:
    default = ThemesFilter.default()
    form = ThemesFilterForm(request.GET or None, initial={"start": default.start, "end": default.end})
    filters = form.filters()
    report = build_report(filters)
    return {
        "form": form,
        "filters": filters,
        "report": report,
        "summary": report.summary,
        "total": report.summary.consultations.now,
        "query": request.GET.urlencode(),
        "threshold": settings.DISCLOSURE_THRESHOLD,
    }


@manager_only
def themes(request: HttpRequest) -> HttpResponse:
    return render(request, "clinics/manager/themes.html", _themes_context(request))


@manager_only
def themes_report(request: HttpRequest) -> HttpResponse:
    """The same summary and sections laid out for a board paper: everything open, printable,
    saved as PDF from the browser's print dialogue."""
    return render(request, "clinics/manager/themes_report.html", {**_themes_context(request), "generated": timezone.now()})


@manager_only
def themes_csv(request: HttpRequest) -> HttpResponse:
    key = request.GET.get("table", "")
    if key not in Dashboard.TABLES:
        known = ", ".join(Dashboard.TABLES)
        return HttpResponseBadRequest(f"Unknown table {key[:40]!r}. Choose one of: {known}.", content_type="text/plain")
    form = ThemesFilterForm(request.GET)
    if not form.is_valid():
        errors = "; ".join(e for errs in form.errors.values() for e in errs)
        return HttpResponseBadRequest(f"The filters are not valid: {errors}", content_type="text/plain")
    filters = form.filters()
    table = Dashboard(filters).table(key)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = f"csa-clinic-themes-{slugify(table.key)}-{filters.start:%Y%m%d}-{filters.end:%Y%m%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    writer = csv.writer(response)
    writer.writerows(table.csv_rows())
    return response


# --- reflective sessions (a section of its own; the same filter dates and small-number rule) ---


@manager_only
def reflective_themes(request: HttpRequest) -> HttpResponse:
    default = ThemesFilter.default()
    form = ThemesFilterForm(request.GET or None, initial={"start": default.start, "end": default.end})
    filters = form.filters()
    context = {
        "form": form,
        "filters": filters,
        "tables": ReflectiveThemes(filters).tables(),
        "query": request.GET.urlencode(),
        "threshold": settings.DISCLOSURE_THRESHOLD,
    }
    return render(request, "clinics/manager/reflective_themes.html", context)


@manager_only
def reflective_themes_csv(request: HttpRequest) -> HttpResponse:
    key = request.GET.get("table", "")
    if key not in ReflectiveThemes.TABLES:
        known = ", ".join(ReflectiveThemes.TABLES)
        return HttpResponseBadRequest(f"Unknown table {key[:40]!r}. Choose one of: {known}.", content_type="text/plain")
    filters = ThemesFilterForm(request.GET).filters()
    table = ReflectiveThemes(filters).table(key)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = f"csa-reflective-{slugify(table.key)}-{filters.start:%Y%m%d}-{filters.end:%Y%m%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    csv.writer(response).writerows(table.csv_rows())
    return response
