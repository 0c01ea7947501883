"""Managers' themes: small numbers hidden in HTML and CSV, filters, a fixed query budget, and
no free text anywhere a manager can go."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, time, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import AgencyType
from clinics.models import FormOfAbuse, PathwayStage
from clinics.recurrence import LONDON
from clinics.themes import SafeCount, ThemesFilter, protect_partition, safe, themes_summary
from tests.factories import book, make_clinic, make_series, make_user

pytestmark = pytest.mark.django_db
NOW = datetime(2025, 11, 20, 9, 0, tzinfo=LONDON)
SECRET_QUESTION = "Older brother (Sibling B) showed Child A videos on a tablet; how do we plan safety at home?"


def people(n: int, agency: str = "childrens-social-care", prefix: str = "p") -> list:
    return [make_user(f"{prefix}{i}@council.gov.uk", f"Practitioner {prefix}{i}", agency=agency) for i in range(n)]


def clinic_with(capacity: int = 12):
    return make_clinic(starts_at=datetime.combine(NOW.date() + timedelta(days=14), time(10), tzinfo=LONDON), capacity=capacity)


def csv_table(client, table: str, **params) -> list[list[str]]:
    response = client.get(reverse("clinics:themes_csv"), {"table": table, **params})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode())))


@pytest.fixture
def data(db):
    """7 sibling-abuse requests and 3 online-abuse requests, all at the same stage."""
    with time_machine.travel(NOW, tick=False):
        clinic = clinic_with()
        sibling = FormOfAbuse.objects.get(slug="sibling")
        online = FormOfAbuse.objects.get(slug="online")
        for person in people(7, prefix="s"):
            book(person, clinic, forms=[sibling], question=SECRET_QUESTION)
        for person in people(3, agency="education", prefix="e"):
            book(person, clinic, forms=[online], question=SECRET_QUESTION)
    return clinic


@time_machine.travel(NOW, tick=False)
def test_three_shown_as_fewer_than_five_and_seven_exactly(client, manager, data):
    client.force_login(manager)
    html = client.get(reverse("clinics:themes")).content.decode()
    assert ('Sibling sexual abuse</th>\n      <td class="govuk-table__cell govuk-table__cell--numeric" '
            'data-label="Requests">7</td>') in html
    assert ('Online child sexual abuse</th>\n      <td class="govuk-table__cell govuk-table__cell--numeric" '
            'data-label="Requests">fewer than 5</td>') in html
    rows = dict(csv_table(client, "forms"))
    assert rows["Sibling sexual abuse"] == "7"
    assert rows["Online child sexual abuse"] == "fewer than 5"
    assert rows["Intra-familial child sexual abuse"] == "0"
    assert "3" not in rows.values()


@time_machine.travel(NOW, tick=False)
def test_a_complement_that_would_reveal_a_small_number_is_withheld(client, manager, data):
    # Agency types: 7 social care, 3 education, total 10 is shown: "10 - 7" would give the 3 away.
    client.force_login(manager)
    rows = dict(csv_table(client, "agencies"))
    assert rows["Education"] == "fewer than 5"
    assert rows["Children's social care"] == "not shown"
    html = client.get(reverse("clinics:themes")).content.decode()
    assert '<strong class="app-count app-summary__figure">10</strong>' in html


def test_partition_suppression_rules():
    assert [str(c) for c in protect_partition([7, 3, 0], 5)] == ["not shown", "fewer than 5", "0"]
    assert [str(c) for c in protect_partition([7, 9, 6], 5)] == ["7", "9", "6"]
    # Two ones would be exact from the total: the smallest other cell is withheld as well.
    assert [str(c) for c in protect_partition([1, 1, 9, 20], 5)] == ["fewer than 5", "fewer than 5", "not shown", "20"]
    # Two hidden cells summing to 7 cannot be pinned down: nothing more is withheld.
    assert [str(c) for c in protect_partition([3, 4, 9, 20], 5)] == ["fewer than 5", "fewer than 5", "9", "20"]
    assert str(safe(0)) == "0" and str(safe(4)) == "fewer than 5" and str(safe(5)) == "5"
    assert SafeCount(3, 5).suppressed and not SafeCount(5, 5).suppressed


@time_machine.travel(NOW, tick=False)
def test_filters_by_agency_series_and_dates(client, manager, data):
    client.force_login(manager)
    education = AgencyType.objects.get(slug="education")
    by_agency = dict(csv_table(client, "forms", agency_type=education.pk))
    assert by_agency["Sibling sexual abuse"] == "0"
    assert by_agency["Online child sexual abuse"] == "fewer than 5"
    other_series = make_series(title="Education clinic")
    assert dict(csv_table(client, "forms", series=other_series.pk))["Sibling sexual abuse"] == "0"
    before = {"start_day": "1", "start_month": "1", "start_year": "2025", "end_day": "31", "end_month": "10", "end_year": "2025"}
    assert dict(csv_table(client, "forms", **before))["Sibling sexual abuse"] == "0"
    during = {**before, "end_month": "11", "end_day": "30"}
    assert dict(csv_table(client, "forms", **during))["Sibling sexual abuse"] == "7"
    months = csv_table(client, "trend", **during)
    assert months[0] == ["Month", "Requests"] and months[-1] == ["November 2025", "10"] and len(months) == 12


@time_machine.travel(NOW, tick=False)
def test_bad_filters_are_reported(client, manager, data):
    client.force_login(manager)
    params = {"start_day": "31", "start_month": "2", "start_year": "2025"}
    html = client.get(reverse("clinics:themes"), params).content.decode()
    assert "govuk-error-summary" in html and "must be a real date" in html
    response = client.get(reverse("clinics:themes_csv"), {"table": "forms", **params})
    assert response.status_code == 400 and b"must be a real date" in response.content


def test_unknown_csv_table_is_a_400_with_a_reason(client, manager):
    client.force_login(manager)
    response = client.get(reverse("clinics:themes_csv"), {"table": "questions"})
    assert response.status_code == 400
    assert b"Unknown table 'questions'" in response.content and b"forms" in response.content


@time_machine.travel(NOW, tick=False)
def test_every_table_downloads_as_csv(client, manager, data):
    client.force_login(manager)
    from clinics.themes import Dashboard

    for key in Dashboard.TABLES:
        rows = csv_table(client, key)
        assert len(rows) >= 2, key
        assert SECRET_QUESTION not in str(rows)


@time_machine.travel(NOW, tick=False)
def test_clinic_use_and_confidence(client, manager, lead):
    clinic = clinic_with(capacity=12)
    clinic.facilitators.set([lead])
    for person in people(9):
        book(person, clinic)
    client.force_login(manager)
    use = {row[0]: row for row in csv_table(client, "clinic_use")}
    # Clinic use counts by the month of the clinic, which is in December: not in the default range.
    assert use["November 2025"][1:4] == ["0", "0", "0"] and "December 2025" not in use
    december_start = {"start_day": "1", "start_month": "12", "start_year": "2025", "end_day": "31", "end_month": "12",
                      "end_year": "2025"}
    december = csv_table(client, "clinic_use", **december_start)[1]
    assert december == ["December 2025", "9", "1", "12", "0", "0", "9", "0"]
    confidence = {r[0]: r[1:] for r in csv_table(client, "confidence")}
    assert confidence["2 out of 5"] == ["9", "0"]
    assert confidence["Mean"] == ["2.0", "not shown"]


@time_machine.travel(NOW, tick=False)
def test_query_budget_is_fixed_whatever_the_data_size(client, manager, django_assert_max_num_queries):
    client.force_login(manager)
    clinic = clinic_with(capacity=12)
    book(make_user("first@council.gov.uk", "Practitioner 0"), clinic)
    with CaptureQueriesContext(connection) as small:
        assert client.get(reverse("clinics:themes")).status_code == 200
    stage = PathwayStage.objects.get(slug="non-recent")
    for person in people(30, prefix="q"):
        book(person, clinic, pathway_stage=stage)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(reverse("clinics:themes")).status_code == 200
    with django_assert_max_num_queries(25):
        client.get(reverse("clinics:themes"))
    with django_assert_max_num_queries(12):
        client.get(reverse("clinics:themes_csv"), {"table": "clinic_use"})


@time_machine.travel(NOW, tick=False)
def test_manager_sees_no_question_text_anywhere(client, manager, data):
    client.force_login(manager)
    urls = [reverse("clinics:themes"), reverse("home")]
    urls += [reverse("clinics:themes_csv") + f"?table={key}" for key in ("forms", "stages", "ages", "plans", "context",
                                                                          "wanted", "agencies", "trend", "clinic_use",
                                                                          "confidence")]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert SECRET_QUESTION.encode() not in response.content, url
        assert b"Sibling B" not in response.content, url
    # And the pages that do show questions are closed to a manager.
    from clinics.models import ConsultationRequest

    pk = ConsultationRequest.objects.first().pk
    for name, args in [("clinics:requests_all", []), ("clinics:coordinator_request", [pk]), ("clinics:access_log", [])]:
        assert client.get(reverse(name, args=args)).status_code == 403


def test_themes_is_for_managers_only(client, practitioner, coordinator):
    url = reverse("clinics:themes")
    assert client.get(url).status_code == 302
    client.force_login(practitioner)
    assert client.get(url).status_code == 403
    client.force_login(coordinator)
    assert client.get(reverse("clinics:themes_csv"), {"table": "forms"}).status_code == 403


def test_bulletin_summary_keeps_its_signature(data):
    start = datetime(2025, 11, 1, tzinfo=LONDON)
    summary = dict(themes_summary(start, start + timedelta(days=30)))
    assert str(summary["Sibling sexual abuse"]) == "7"
    assert str(summary["Online child sexual abuse"]) == "fewer than 5"


def test_default_filter_is_the_last_twelve_months():
    f = ThemesFilter.default(date(2025, 11, 20))
    assert (f.start, f.end) == (date(2024, 12, 1), date(2025, 11, 20))
