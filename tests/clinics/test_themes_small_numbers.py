"""The small-number rule on the themes summary, charts, tables, print page and report.

Property tests: for any counts, no count below the threshold appears exactly anywhere a manager
can look (text of the summary, of the tables, of the SVG charts, of the CSV files), hidden
counts are drawn as placeholders of one fixed size, and what is drawn or summarised does not
change when only hidden counts change (so the geometry cannot give them back).
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date, timedelta

import pytest
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clinics.charts import PLACEHOLDER, PLACEHOLDER_COLUMN, bar_chart, column_chart
from clinics.models import ConsultationRequest, FormOfAbuse
from clinics.themes import Row, SafeCount, Table, ThemesFilter
from clinics.themes_report import Change, ClinicUse, Confidence, Summary, most_common, total_of
from tests.factories import book, make_clinic

THRESHOLD = 5
SMALL = st.integers(1, THRESHOLD - 1)
# A cell as the dashboard makes it: any count, sometimes withheld (complementary suppression).
CELL = st.builds(lambda v, w: SafeCount(v, THRESHOLD, withheld=w and v >= THRESHOLD), st.integers(0, 40), st.booleans())
CELLS = st.lists(CELL, min_size=1, max_size=14)
SMALL_TEXT = re.compile(r">\s*([1-9]\d*)\s*<")


def small_integers_in(markup: str) -> list[int]:
    """Text nodes that are only a number below the threshold (not "fewer than 5", not "1 out of 5")."""
    return [int(n) for n in SMALL_TEXT.findall(markup) if int(n) < THRESHOLD]


def table(key: str, cells: list[SafeCount]) -> Table:
    return Table(key, "Forms of child sexual abuse", ["Answer", "Requests"], [Row(f"Answer {i}", [c]) for i, c in enumerate(cells)])


def rehide(cells: list[SafeCount], data) -> list[SafeCount]:
    """The same table with every hidden count replaced by another hidden count."""
    out = []
    for c in cells:
        if c.small:
            out.append(SafeCount(data.draw(SMALL), THRESHOLD))
        elif c.withheld:
            out.append(SafeCount(data.draw(st.integers(THRESHOLD, 60)), THRESHOLD, withheld=True))
        else:
            out.append(c)
    return out


def rows_of(svg: str) -> list[tuple[dict, list[str]]]:
    rows = []
    for group in re.findall(r'<g class="app-svg-row">(.*?)</g>', svg):
        rect = dict(re.findall(r'(\w+)="([^"]*)"', re.search(r"<rect [^>]*>", group).group(0)))
        rows.append((rect, re.findall(r"<text [^>]*>([^<]*)</text>", group)))
    return rows


# --- charts -----------------------------------------------------------------------------------

@given(cells=CELLS)
def test_bar_charts_draw_hidden_counts_as_one_fixed_placeholder_and_never_write_them(cells):
    svg = str(bar_chart(table("forms", cells)))
    assert not small_integers_in(svg)
    for cell, (rect, texts) in zip(cells, rows_of(svg), strict=True):
        if cell.suppressed:
            assert rect["width"] == str(PLACEHOLDER) and "hatch" in rect["fill"]
            assert texts[-1] in (f"fewer than {THRESHOLD}", "not shown")
        else:
            assert texts[-1] == str(cell.value) and "hatch" not in rect["fill"]


@given(cells=CELLS)
def test_column_charts_draw_hidden_counts_as_one_fixed_placeholder_and_never_write_them(cells):
    svg = str(column_chart(table("trend", cells)))
    assert not small_integers_in(svg)
    for cell, (rect, texts) in zip(cells, rows_of(svg), strict=True):
        if cell.suppressed:
            assert rect["height"] == str(PLACEHOLDER_COLUMN) and "hatch" in rect["fill"]
            assert not any(t.isdigit() for t in texts)


@given(cells=CELLS, data=st.data())
def test_charts_are_identical_whatever_the_hidden_counts(cells, data):
    other = rehide(cells, data)
    assert str(bar_chart(table("forms", cells))) == str(bar_chart(table("forms", other)))
    assert str(column_chart(table("trend", cells))) == str(column_chart(table("trend", other)))


# --- summary ----------------------------------------------------------------------------------

def summary_html(now: list[SafeCount], before: list[SafeCount], months: list[SafeCount]) -> str:
    forms_now, forms_before = table("forms", now), table("forms", before)
    filters = ThemesFilter(date(2025, 1, 1), date(2025, 12, 31))
    summary = Summary(
        filters=filters, previous=ThemesFilter(date(2024, 1, 1), date(2024, 12, 31)),
        consultations=Change("Consultations requested", total_of(now), total_of(before)),
        forms=most_common(forms_now, forms_before), stages=most_common(forms_before, forms_now),
        clinic_use=ClinicUse(dates=len(months), slots=3 * len(months), booked=total_of(months)),
        confidence=Confidence(total_of(now), None, None),
    )
    return render_to_string("clinics/manager/_themes_summary.html", {"summary": summary, "report": {"threshold": THRESHOLD}})


def counts_in(markup: str) -> list[str]:
    return re.findall(r'class="app-count[^"]*">([^<]*)<', markup)


@given(now=CELLS, before=CELLS, months=CELLS)
def test_the_summary_never_shows_a_small_count(now, before, months):
    html = summary_html(now, before, months)
    for text in counts_in(html):
        assert text in ("0", f"fewer than {THRESHOLD}", "not shown") or int(text) >= THRESHOLD, text
    assert not re.search(r"(up|down) from <span class=\"app-count\">(fewer|not)", html)  # no direction against a hidden count


@given(now=CELLS, before=CELLS, months=CELLS, data=st.data())
def test_the_summary_is_identical_whatever_the_hidden_counts(now, before, months, data):
    assert summary_html(now, before, months) == summary_html(rehide(now, data), rehide(before, data), rehide(months, data))


# --- pages, print report and CSV, from real requests --------------------------------------------

FORMS = ("sibling", "online", "institutional", "exploitation")
PAGES = ("clinics:themes", "clinics:themes_report")


def numbers_shown(html: str) -> list[str]:
    """Every count cell of every table, every .app-count and every chart value on a page."""
    cells = re.findall(r'<td class="govuk-table__cell[^"]*" data-label="([^"]*)">([^<]*)</td>', html)
    # Clinic dates and slots offered are not about people: shown exactly by design.
    found = [text for label, text in cells if label not in ("Clinic dates", "Slots offered")]
    found += counts_in(html)
    found += re.findall(r'<text class="app-svg-value[^"]*"[^>]*>([^<]*)</text>', html)
    return found


@pytest.mark.django_db
@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(now=st.lists(st.integers(0, 7), min_size=len(FORMS), max_size=len(FORMS)),
       before=st.lists(st.integers(0, 7), min_size=len(FORMS), max_size=len(FORMS)))
def test_no_small_count_on_the_themes_page_report_or_csv(client, manager, practitioner, now, before):
    client.force_login(manager)
    with transaction.atomic():
        clinic = make_clinic(capacity=1)
        today = timezone.now()
        for slug, n_now, n_before in zip(FORMS, now, before, strict=True):
            form = FormOfAbuse.objects.get(slug=slug)
            for i in range(n_now + n_before):
                placed = book(practitioner, clinic, forms=[form]).request
                ago = timedelta(days=3 + 20 * (i % 10)) if i < n_now else timedelta(days=400 + 5 * i)
                ConsultationRequest.objects.filter(pk=placed.pk).update(created_at=today - ago)
        for name in PAGES:
            html = client.get(reverse(name)).content.decode()
            shown = numbers_shown(html)
            assert shown  # the page did show counts
            for text in shown:  # a count, "fewer than 5", "not shown", or a mean such as "2.0"
                assert not (text.isdigit() and 0 < int(text) < THRESHOLD), (name, text)
            for rect in re.findall(r'<rect class="app-svg-bar app-svg-bar--hidden"[^>]*>', html):
                assert f'width="{PLACEHOLDER}"' in rect or f'height="{PLACEHOLDER_COLUMN}"' in rect
        for key in ("forms", "stages", "trend", "agencies", "confidence", "clinic_use"):
            response = client.get(reverse("clinics:themes_csv"), {"table": key})
            rows = list(csv.reader(io.StringIO(response.content.decode())))
            for row in rows[1:]:
                cells = row[1:] if key != "clinic_use" else [row[1], *row[4:]]
                assert not [c for c in cells if c.isdigit() and 0 < int(c) < THRESHOLD], (key, row)
        transaction.set_rollback(True)
