"""How many screens a practitioner sees between "Request a consultation" and the confirmation,
counted in a real browser (JOURNEYS.md: request form, check answers, confirmation).

The walker answers whatever each screen asks (a details page, the request form, check answers)
and counts the pages it lands on, so a detour added anywhere in the journey shows up as a
fourth screen. Screenshots go to var/screenshots/ for a person to look at.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings

from accounts.models import User
from clinics.models import ConsultationRequest
from tests.browser import click_and_wait_for_next_page, make_driver, sign_in_as
from tests.factories import book

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"
QUESTION = "Child A (aged 12) has been sent images by an older young person online. How do we talk with Mum about it?"
REQUEST_TICKS = ("id_clinic_0", "id_forms_4", "id_pathway_stage_0", "id_age_band_2", "id_plan_status_0",
                 "id_support_needs_0", "id_confidence_before_1")
MOST_SCREENS = 6  # stop a runaway walk


@pytest.fixture
def driver():
    driver = make_driver()
    yield driver
    driver.quit()


def _find(driver, element_id: str):
    found = driver.find_elements("id", element_id)
    return found[0] if found else None


def _tick(driver, element_id: str) -> None:
    # GOV.UK radios draw their own control over the real input; click the input by script.
    driver.execute_script("arguments[0].click()", driver.find_element("id", element_id))


def answer_what_is_asked(driver, details: dict[str, str]) -> list[str]:
    """Fill the screen's empty questions; return the names of the profile questions typed in."""
    typed = []
    if _find(driver, "id_question") is not None:
        for element_id in REQUEST_TICKS:
            _tick(driver, element_id)
        driver.find_element("id", "id_question").send_keys(QUESTION)
    for name, value in details.items():
        field = _find(driver, f"id_{name}")
        if field is not None and not field.get_attribute("value"):
            field.send_keys(value)
            typed.append(name)
    agency = _find(driver, "id_agency_type_0")
    if agency is not None and not driver.find_elements("css selector", "input[name=agency_type]:checked"):
        _tick(driver, "id_agency_type_0")
        typed.append("agency_type")
    return typed


def walk_to_confirmation(driver, live_server_url: str, name: str, details: dict[str, str]) -> tuple[list[str], list[str]]:
    """From the signed-in start page, click "Request a consultation" and go on until the
    confirmation panel. Returns the titles of the screens seen after the start page, and the
    profile questions that had to be typed in."""
    driver.get(live_server_url + "/home/")
    click_and_wait_for_next_page(driver, "link text", "Request a consultation")
    titles, typed = [], []
    while len(titles) < MOST_SCREENS:
        titles.append(driver.title)
        _screenshot(driver, f"{name}_{len(titles)}")
        if driver.find_elements("css selector", ".govuk-panel--confirmation"):
            break
        typed += answer_what_is_asked(driver, details)
        confirm = driver.find_elements("xpath", "//main//button[contains(., 'Confirm and book')]")
        if confirm:
            click_and_wait_for_next_page(driver, "xpath", "//main//button[contains(., 'Confirm and book')]")
        else:
            click_and_wait_for_next_page(driver, "css selector", "main form[method=post] button[type=submit]")
        errors = driver.find_elements("css selector", ".govuk-error-summary__list li")
        assert not errors, [e.text for e in errors]
    return titles, typed


def _screenshot(driver, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    width = driver.execute_script("return window.innerWidth")
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(width, max(height, 800))
    driver.save_screenshot(str(SCREENSHOTS / f"{name}_{width}px.png"))
    driver.set_window_size(width, 900)


def test_a_first_time_practitioner_books_in_three_screens_on_a_phone(live_server, driver, clinic):
    newcomer = User.objects.create_user("newcomer@council.gov.uk", "correct-horse-battery-staple")
    EmailAddress.objects.create(user=newcomer, email=newcomer.email, verified=True, primary=True)
    assert not newcomer.profile_complete
    driver.set_window_size(320, 900)
    sign_in_as(driver, live_server.url, newcomer)
    details = {"full_name": "Practitioner 7", "organisation": "Northshire Council"}

    titles, typed = walk_to_confirmation(driver, live_server.url, "journey_first_time", details)

    assert len(titles) == 3, titles
    assert "Request a consultation" in titles[0] and "Check your answers" in titles[1]
    assert set(typed) == {"full_name", "organisation", "agency_type"}  # asked once, on the request form
    newcomer.refresh_from_db()
    assert newcomer.profile_complete and newcomer.full_name == "Practitioner 7"
    assert ConsultationRequest.objects.get(requester=newcomer).status == ConsultationRequest.Status.BOOKED


def test_a_returning_practitioner_finds_their_details_filled_in_and_books_in_three_screens(
    live_server, driver, practitioner, clinic
):
    book(practitioner, clinic)
    sign_in_as(driver, live_server.url, practitioner)

    titles, typed = walk_to_confirmation(driver, live_server.url, "journey_returning",
                                         {"full_name": "Someone else", "organisation": "Elsewhere"})

    assert len(titles) == 3, titles
    assert typed == []  # everything about them was already there
    practitioner.refresh_from_db()
    assert practitioner.full_name == "Practitioner 1"
    assert ConsultationRequest.objects.filter(requester=practitioner).count() == 2
