"""Themes at a glance: the summary against the previous period, and the board report page."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from clinics.models import ConsultationRequest, FormOfAbuse
from clinics.recurrence import LONDON
from clinics.themes import SafeCount, ThemesFilter
from clinics.themes_report import Change, build_report, previous_period, total_of
from tests.factories import book, make_clinic

NOW = datetime(2025, 11, 20, 9, 0, tzinfo=LONDON)


def test_the_previous_period_is_as_long_and_ends_the_day_before():
    before = previous_period(ThemesFilter(date(2025, 3, 1), date(2025, 3, 31)))
    assert (before.start, before.end) == (date(2025, 1, 29), date(2025, 2, 28))


def test_a_change_is_worded_only_between_two_shown_counts():
    assert Change("x", SafeCount(12, 5), SafeCount(7, 5)).direction == "up"
    assert Change("x", SafeCount(5, 5), SafeCount(7, 5)).direction == "down"
    assert Change("x", SafeCount(7, 5), SafeCount(7, 5)).direction == "same"
    assert Change("x", SafeCount(12, 5), SafeCount(3, 5)).direction == ""
    assert Change("x", SafeCount(12, 5), SafeCount(9, 5, withheld=True)).direction == ""


def test_a_total_of_cells_is_withheld_when_one_of_them_was_hidden():
    assert str(total_of([SafeCount(7, 5), SafeCount(9, 5)])) == "16"
    assert str(total_of([SafeCount(12, 5), SafeCount(3, 5)])) == "not shown"  # 15 - 12 would give 3 back


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_summary_compares_with_the_period_before(client, manager, practitioner):
    clinic = make_clinic(starts_at=NOW + timedelta(days=14))
    sibling, online = FormOfAbuse.objects.get(slug="sibling"), FormOfAbuse.objects.get(slug="online")
    for i in range(13):
        placed = book(practitioner, clinic, forms=[sibling if i < 7 else online]).request
        if i >= 7:  # six online-abuse requests fall in the period before
            ConsultationRequest.objects.filter(pk=placed.pk).update(created_at=NOW - timedelta(days=400))
    filters = ThemesFilter(date(2025, 1, 1), date(2025, 11, 20))
    summary = build_report(filters).summary
    assert (summary.previous.start, summary.previous.end) == (date(2024, 2, 12), date(2024, 12, 31))
    assert (str(summary.consultations.now), str(summary.consultations.before)) == ("7", "6")
    assert [(c.label, str(c.now), str(c.before)) for c in summary.forms] == [("Sibling sexual abuse", "7", "0")]

    client.force_login(manager)
    html = client.get(reverse("clinics:themes"), {"start_day": "1", "start_month": "1", "start_year": "2025",
                                                  "end_day": "20", "end_month": "11", "end_year": "2025"}).content.decode()
    assert 'Consultations requested</dt>\n    <dd class="govuk-summary-list__value"><strong class="app-count app-summary__figure">7</strong> ' \
           '<span class="app-change app-change--up">(up from <span class="app-count">6</span>)' in html


@pytest.mark.django_db
def test_the_report_has_the_summary_and_every_section_open_with_its_chart(client, manager):
    client.force_login(manager)
    html = client.get(reverse("clinics:themes_report")).content.decode()
    assert html.count('class="app-report__section"') == 10
    assert html.count('<svg class="app-svg-chart"') == 9  # every breakdown but confidence
    assert "Most common forms of CSA" in html and "govuk-accordion" not in html
    assert "Save as PDF" in html and "<script>" not in html
