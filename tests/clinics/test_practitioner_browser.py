"""The practitioner journey in a real browser: sign in, request, check answers, confirmation.

Screenshots of each screen go to var/screenshots/ so a person can look at them.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from clinics.models import ConsultationRequest
from tests.browser import click_and_wait_for_next_page as submit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"
QUESTION = (
    "Child A (aged 13) has shared images with an older young person she met online. Mum is worried and "
    "angry. How do we talk with Child A about what happened without making her feel blamed?"
)


@pytest.fixture
def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for arg in (
        "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--window-size=1280,1200",
    ):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    driver.implicitly_wait(5)
    yield driver
    driver.quit()


def screenshot(driver, name: str) -> Path:
    """Whole-page screenshot: the window is stretched to the page height first."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(1280, max(height, 800))
    path = SCREENSHOTS / f"{name}.png"
    driver.save_screenshot(str(path))
    driver.set_window_size(1280, 1200)
    return path


def tick(driver, element_id: str) -> None:
    # GOV.UK radios and checkboxes draw their own control over the real input; click it by script.
    driver.execute_script("arguments[0].click()", driver.find_element("id", element_id))


def test_request_check_and_book_in_a_browser(live_server, browser, practitioner, clinic):
    browser.get(live_server.url + reverse("account_login"))
    browser.find_element("name", "login").send_keys(practitioner.email)
    browser.find_element("name", "password").send_keys("correct-horse-battery-staple")
    submit(browser, "css selector", "main button[type=submit]")
    assert "Sign in" not in browser.title

    browser.get(live_server.url + reverse("clinics:request_new"))
    assert "Request a consultation" in browser.title
    # govuk-frontend's character count has started: it shows the live word count message.
    counter = browser.find_element("css selector", ".govuk-character-count__status")
    assert "400 words" in counter.text
    for element_id in ("id_clinic_0", "id_forms_4", "id_pathway_stage_0", "id_age_band_2", "id_plan_status_0",
                       "id_context_factors_3", "id_support_needs_0", "id_confidence_before_1"):
        tick(browser, element_id)
    browser.find_element("id", "id_question").send_keys(QUESTION)
    assert f"You have {400 - len(QUESTION.split())} words remaining" in counter.text
    screenshot(browser, "practitioner_1_request_form")
    submit(browser, "css selector", "main form button[type=submit]")

    errors = browser.find_elements("css selector", ".govuk-error-summary__list li")
    assert not errors, [e.text for e in errors]
    assert "Check your answers" in browser.title
    assert "Online child sexual abuse" in browser.page_source
    screenshot(browser, "practitioner_2_check_answers")
    submit(browser, "xpath", "//button[contains(., 'Confirm and book')]")

    panel = browser.find_element("css selector", ".govuk-panel--confirmation")
    assert panel.text.startswith("Booked: ")
    assert "10:00 to 10:45, online" in panel.text
    assert "We have emailed you a calendar invite" in browser.page_source
    assert browser.find_element("css selector", ".app-support-panel")
    screenshot(browser, "practitioner_3_confirmation")
    assert ConsultationRequest.objects.get(requester=practitioner).status == ConsultationRequest.Status.BOOKED


def sign_in(driver, live_server, user) -> None:
    driver.get(live_server.url + reverse("account_login"))
    driver.find_element("name", "login").send_keys(user.email)
    driver.find_element("name", "password").send_keys("correct-horse-battery-staple")
    submit(driver, "css selector", "main button[type=submit]")


def test_other_practitioner_screens_in_a_browser(live_server, browser, practitioner, lead, clinic):
    from datetime import timedelta

    from clinics.booking import cancel_request
    from clinics.intake import record_attendance
    from clinics.models import Outcome, Resource, WaitlistOffer
    from tests.factories import book, make_clinic, make_user

    booked = book(practitioner, clinic).request
    later = make_clinic(capacity=1, facilitators=[lead], starts_at=clinic.starts_at + timedelta(days=28))
    holder = book(make_user("p9@council.gov.uk", "Practitioner 9"), later).request
    waiting = book(practitioner, later).request
    cancel_request(holder, by=holder.requester)
    offer = WaitlistOffer.objects.get(request=waiting)
    past = make_clinic(facilitators=[lead], starts_at=clinic.starts_at - timedelta(days=7))
    done = book(practitioner, past).request
    record_attendance(done, attended=True, by=lead, now=past.starts_at + timedelta(hours=1))
    outcome = Outcome.objects.create(request=done, advice="Use the traffic light tool with the school.",
                                     actions="Strategy discussion this week.", recorded_by=lead)
    outcome.resources.set(Resource.objects.filter(title__startswith="Brook"))
    sign_in(browser, live_server, practitioner)

    # Identifiers in the question: the summary names each one and the text is marked.
    browser.get(live_server.url + reverse("clinics:request_new"))
    for element_id in ("id_clinic_0", "id_forms_0", "id_pathway_stage_1", "id_age_band_1", "id_plan_status_1",
                       "id_support_needs_0", "id_confidence_before_2"):
        tick(browser, element_id)
    browser.find_element("id", "id_question").send_keys(
        "Amelia Hartley (DOB 14/03/2015) told her teacher at Oakfield Primary School that her uncle hurt her.")
    submit(browser, "css selector", "main form button[type=submit]")
    summary = browser.find_element("css selector", ".govuk-error-summary")
    assert "'Amelia Hartley' looks like a person's name" in summary.text
    assert browser.find_elements("css selector", ".app-anonymity-mark")
    screenshot(browser, "practitioner_4_request_identifiers")

    browser.get(live_server.url + reverse("clinics:my_requests"))
    assert booked.reference in browser.page_source and done.reference in browser.page_source
    screenshot(browser, "practitioner_5_my_requests")

    browser.get(live_server.url + reverse("clinics:request_detail", args=[done.pk]))
    assert "Strategy discussion this week." in browser.page_source
    screenshot(browser, "practitioner_6_request_with_outcome")

    browser.get(live_server.url + reverse("clinics:request_cancel", args=[booked.pk]))
    screenshot(browser, "practitioner_7_cancel")
    browser.get(live_server.url + reverse("clinics:request_move", args=[booked.pk]))
    assert "full" in browser.page_source  # the later clinic is held by the offer
    screenshot(browser, "practitioner_8_move")
    browser.get(live_server.url + reverse("clinics:offer_accept", args=[offer.pk]))
    assert "Reply by" in browser.page_source
    screenshot(browser, "practitioner_9_offer")

    browser.get(live_server.url + reverse("clinics:feedback", args=[done.pk]))
    submit(browser, "css selector", "main form button[type=submit]")
    assert "Select how confident you feel now" in browser.find_element("css selector", ".govuk-error-summary").text
    screenshot(browser, "practitioner_10_feedback_error")

    browser.get(live_server.url + reverse("clinics:resources") + "?kind=guide")
    assert "Brook Sexual Behaviours Traffic Light Tool" not in browser.page_source
    screenshot(browser, "practitioner_11_resources")
