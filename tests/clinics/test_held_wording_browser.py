"""The held-wording path in a real browser (Chromium): a practitioner sends a flagged request
with a reason, a practice lead confirms it and only then does the agenda show it; a second one
is sent back, and the practitioner rewords it from the email's link.

Screenshots go to var/screenshots/held_*.png so a person can look at them.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from clinics.models import ConsultationRequest, WordingCheck
from notifications.models import Message
from tests.browser import click_and_wait_for_next_page as submit
from tests.browser import console_problems, make_driver, sign_in_as
from tests.factories import book

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"
FLAGGED = "Amelia Hartley"
QUESTION = f"Child A keeps asking about {FLAGGED}, a girl in a story book her class read. How do we use that in direct work?"
REWORDED = "Child A keeps asking about a girl in a story book her class read. How do we use that in direct work?"


@pytest.fixture
def driver():
    driver = make_driver()
    yield driver
    driver.quit()


def screenshot(driver, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(1280, max(height, 800))
    driver.save_screenshot(str(SCREENSHOTS / f"held_{name}.png"))
    driver.set_window_size(1280, 1200)


def tick(driver, element_id: str) -> None:
    # GOV.UK radios and checkboxes draw their own control over the real input; click it by script.
    driver.execute_script("arguments[0].click()", driver.find_element("id", element_id))


def as_user(driver, live_server, user, url: str) -> None:
    driver.delete_all_cookies()
    sign_in_as(driver, live_server.url, user)
    driver.get(live_server.url + url)


def test_send_anyway_confirm_then_agenda_and_send_back_then_reword(live_server, driver, practitioner, lead, clinic):
    agenda = reverse("clinics:clinic_agenda", args=[clinic.pk])

    # 1. The practitioner's question is flagged; they send it anyway with a reason.
    as_user(driver, live_server, practitioner, reverse("clinics:request_new"))
    for element_id in ("id_clinic_0", "id_forms_0", "id_pathway_stage_0", "id_age_band_1", "id_plan_status_0",
                       "id_support_needs_0", "id_confidence_before_2"):
        tick(driver, element_id)
    driver.find_element("id", "id_question").send_keys(QUESTION)
    submit(driver, "css selector", "main form button[type=submit]")
    assert driver.find_elements("css selector", ".govuk-error-summary .app-anonymity-mark") == []
    assert driver.find_elements("css selector", ".app-anonymity-mark")
    assert driver.find_element("id", "send-anyway")
    tick(driver, "id_send_anyway")
    driver.find_element("id", "id_send_anyway_reason").send_keys("A character in a story book, not a real child")
    screenshot(driver, "1_send_anyway")
    submit(driver, "css selector", "main form button[type=submit]")
    assert "Check your answers" in driver.title
    assert "Held: check wording" in driver.page_source
    screenshot(driver, "2_check_answers")
    submit(driver, "xpath", "//button[contains(., 'Confirm and book')]")
    assert "Booked:" in driver.find_element("css selector", ".govuk-panel--confirmation").text
    assert "A practice lead is checking the wording" in driver.page_source
    screenshot(driver, "3_request_held")
    first = ConsultationRequest.objects.get(requester=practitioner)
    assert first.wording_held_at is not None and first.status == ConsultationRequest.Status.BOOKED

    # 2. The lead's agenda leaves the held text out; the triage queue shows it first, marked.
    as_user(driver, live_server, lead, agenda)
    assert FLAGGED not in driver.page_source and "Held: check wording" in driver.page_source
    screenshot(driver, "4_agenda_while_held")
    driver.get(live_server.url + reverse("clinics:triage"))
    card = driver.find_element("css selector", "main section")
    assert first.reference in card.text and "Held: check wording" in card.text
    assert card.find_elements("css selector", ".app-anonymity-mark")
    screenshot(driver, "5_triage_held")
    submit(driver, "xpath", "//button[contains(., 'Confirm wording')]")
    assert "confirmed" in driver.find_element("css selector", ".govuk-notification-banner").text
    driver.get(live_server.url + agenda)
    assert FLAGGED in driver.page_source  # released only now
    screenshot(driver, "6_agenda_after_confirm")
    assert WordingCheck.objects.get(request=first).state == WordingCheck.State.CONFIRMED

    # 3. A second held request is sent back; the practitioner rewords it from the email's link.
    second = book(practitioner, clinic, question=QUESTION, hold_reason="A story book character").request
    driver.get(live_server.url + reverse("clinics:triage"))
    submit(driver, "xpath", f"//button[contains(., 'Ask to reword') and contains(., '{second.reference}')]")
    assert "sent back" in driver.page_source
    screenshot(driver, "7_triage_after_send_back")
    body = Message.objects.get(kind="reword_requested", request=second).body_text
    [link] = re.findall(re.escape(settings.SITE_URL) + r"(/\S*/requests/\d+/wording/)", body)  # the one link to edit
    as_user(driver, live_server, practitioner, link)
    assert "Change the wording" in driver.title
    assert driver.find_elements("css selector", ".app-anonymity-mark")
    screenshot(driver, "8_reword_page")
    question = driver.find_element("id", "id_question")
    question.clear()
    question.send_keys(REWORDED)
    submit(driver, "xpath", "//button[contains(., 'Save the new wording')]")
    assert "The wording is clear" in driver.page_source
    screenshot(driver, "9_reworded")
    second.refresh_from_db()
    assert second.wording_held_at is None and second.question == REWORDED
    as_user(driver, live_server, lead, agenda)
    assert REWORDED in driver.page_source
    assert not [p for p in console_problems(driver) if "status of 400" not in p]
