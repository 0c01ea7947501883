"""The manager's themes page and board report in a real browser: summary first, sections that
open (govuk-frontend's accordion), SVG charts, a print layout, and no sideways scroll on a phone.
Screenshots go to var/screenshots/ for a person to look at."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from clinics.models import ConsultationRequest, FormOfAbuse
from tests.browser import console_problems, make_driver, sign_in_as
from tests.factories import book, make_clinic, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"


@pytest.fixture
def driver():
    driver = make_driver()
    yield driver
    driver.quit()


@pytest.fixture
def themes_data(db):
    clinic = make_clinic(capacity=30)
    counts = {"sibling": 12, "online": 7, "institutional": 3}
    n = 0
    for slug, count in counts.items():
        for _ in range(count):
            n += 1
            book(make_user(f"t{n}@council.gov.uk", f"Practitioner {n}"), clinic, forms=[FormOfAbuse.objects.get(slug=slug)])
    # Spread them over the last months, and a few in the period before.
    for i, pk in enumerate(ConsultationRequest.objects.order_by("pk").values_list("pk", flat=True)):
        ConsultationRequest.objects.filter(pk=pk).update(created_at=timezone.now() - timedelta(days=30 * (i % 5)))
    ConsultationRequest.objects.filter(pk__in=ConsultationRequest.objects.order_by("pk").values("pk")[:6]).update(
        created_at=timezone.now() - timedelta(days=400))


def _shot(driver, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    width = driver.execute_script("return window.innerWidth")
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(width, max(height, 800))
    driver.save_screenshot(str(SCREENSHOTS / f"{name}_{width}px.png"))
    driver.set_window_size(width, 900)


def test_themes_summary_first_then_sections_that_open(live_server, driver, manager, themes_data):
    sign_in_as(driver, live_server.url, manager)
    driver.get(live_server.url + reverse("clinics:themes"))
    headings = [h.text for h in driver.find_elements("css selector", "main h2")]
    assert headings[0] == "Summary" and "Breakdowns" in headings
    summary = driver.find_element("css selector", ".app-summary").text
    assert "Consultations requested" in summary and "Clinic use" in summary and "Confidence" in summary
    top_forms = driver.find_element("css selector", "main ol").text.splitlines()
    assert top_forms[0] == "Online child sexual abuse: 7 (up from 0)"  # the most common, shown exactly
    assert top_forms[2] == "Institutional child sexual abuse: fewer than 5 (previous period: 0)"
    # govuk-frontend has made the accordion: sections start closed and open on a click.
    assert driver.find_element("css selector", ".govuk-accordion__show-all")
    first_chart = driver.find_element("css selector", "#forms svg.app-svg-chart")
    assert not first_chart.is_displayed()
    driver.find_element("css selector", "#themes-breakdowns-heading-1").click()
    assert first_chart.is_displayed()
    assert first_chart.get_attribute("role") == "img" and first_chart.find_element("css selector", "title")
    assert not console_problems(driver)
    _shot(driver, "manager_themes")

    driver.set_window_size(320, 900)
    driver.get(live_server.url + reverse("clinics:themes"))
    assert driver.execute_script("return document.documentElement.scrollWidth") <= 320
    driver.find_element("css selector", ".govuk-accordion__show-all").click()
    assert driver.execute_script("return document.documentElement.scrollWidth") <= 320
    _shot(driver, "manager_themes")


def test_board_report_prints_everything_open_without_controls(live_server, driver, manager, themes_data):
    sign_in_as(driver, live_server.url, manager)
    driver.get(live_server.url + reverse("clinics:themes_report"))
    button = driver.find_element("css selector", "[data-app-print]")
    assert button.is_displayed()  # the script made it work, so it shows
    sections = driver.find_elements("css selector", ".app-report__section")
    assert len(sections) == 10 and all(s.is_displayed() for s in sections)
    assert len(driver.find_elements("css selector", ".app-report svg.app-svg-chart")) == 9
    assert not console_problems(driver)
    _shot(driver, "manager_report")

    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    assert not button.is_displayed()
    assert not driver.find_element("css selector", "header.govuk-header").is_displayed()
    assert all(s.is_displayed() for s in sections)
    _shot(driver, "manager_report_print")
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})

    driver.set_window_size(320, 900)
    driver.get(live_server.url + reverse("clinics:themes_report"))
    assert driver.execute_script("return document.documentElement.scrollWidth") <= 320
    _shot(driver, "manager_report")
