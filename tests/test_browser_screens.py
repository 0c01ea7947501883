"""Every screen opens in a real browser for the person it is for: no error page, no console
error, no Content-Security-Policy violation; forms show a GOV.UK error summary on bad input."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.browser import click_and_wait_for_next_page, console_problems, make_driver, sign_in_as
from tests.clinics.test_permission_matrix import ACTORS, MATRIX, Scenario

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Screens outside the clinics app, by who opens them.
OTHER_SCREENS = {
    "anonymous": ["start", "accessibility", "privacy", "support", "account_login", "account_signup", "account_reset_password"],
    "practitioner": ["home", "accounts:profile", "notifications:settings", "notifications:archive", "mfa_index"],
    "coordinator": ["accounts:people", "accounts:invite", "notifications:bulletin_list", "notifications:bulletin_create"],
}
PREFERRED = ("practitioner", "lead", "coordinator", "manager")


@pytest.fixture
def driver():
    driver = make_driver()
    yield driver
    driver.quit()


@pytest.fixture
def scenario(practitioner, other_practitioner, lead, other_lead, coordinator, manager):
    return Scenario({"practitioner": practitioner, "other_practitioner": other_practitioner, "lead": lead,
                     "other_lead": other_lead, "coordinator": coordinator, "manager": manager})


def screens_by_actor(scenario) -> dict[str, list[str]]:
    plan: dict[str, list[str]] = {actor: [] for actor in ACTORS}
    for name, (kwargs_spec, expected) in sorted(MATRIX.items()):
        actor = next((a for a in PREFERRED if expected[a] == 200), None)
        if actor is None:
            continue  # POST-only actions, or pages that need state (covered by their own tests)
        plan[actor].append(reverse(name, kwargs={k: getattr(scenario, v) for k, v in kwargs_spec.items()}))
    for actor, names in OTHER_SCREENS.items():
        plan[actor].extend(reverse(n) for n in names)
    return plan


def test_every_screen_opens_cleanly_in_chromium(live_server, driver, scenario):
    failures = []
    visited = 0
    for actor, urls in screens_by_actor(scenario).items():
        if not urls:
            continue
        driver.delete_all_cookies()
        if actor != "anonymous":
            sign_in_as(driver, live_server.url, scenario.people[actor])
        console_problems(driver)
        for url in urls:
            driver.get(live_server.url + url)
            visited += 1
            title = driver.title
            bad_titles = ["Page not found", "problem with the service", "do not have access"]
            if actor != "anonymous":
                bad_titles.append("Sign in")  # bounced to the sign-in page
            if any(bad in title for bad in bad_titles):
                failures.append(f"{actor} {url}: {title}")
            if not driver.find_elements("css selector", "main h1"):
                failures.append(f"{actor} {url}: no heading")
            failures.extend(f"{actor} {url}: {p}" for p in console_problems(driver))
    assert visited > 50
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize(
    ("actor", "name", "kwargs_spec"),
    [
        ("practitioner", "clinics:request_new", {}),
        ("lead", "clinics:triage_decline", {"pk": "request"}),
        ("coordinator", "clinics:series_new", {}),
        ("coordinator", "accounts:invite", {}),
        ("coordinator", "notifications:bulletin_create", {}),
    ],
)
def test_empty_forms_show_a_govuk_error_summary(live_server, driver, scenario, actor, name, kwargs_spec):
    sign_in_as(driver, live_server.url, scenario.people[actor])
    driver.get(live_server.url + reverse(name, kwargs={k: getattr(scenario, v) for k, v in kwargs_spec.items()}))
    for field in driver.find_elements("css selector", "main form input[type=text], main form input[type=email], main form textarea"):
        field.clear()
    click_and_wait_for_next_page(driver, "css selector", "main form[method=post] button[type=submit]")
    summary = driver.find_element("css selector", ".govuk-error-summary")
    links = summary.find_elements("css selector", ".govuk-error-summary__list a")
    assert links, "the error summary links to the fields"
    # govuk-frontend moves focus to the summary so screen reader users hear it first.
    focused = driver.switch_to.active_element
    assert "govuk-error-summary" in (focused.get_attribute("class") or "") or summary.find_elements("css selector", ":focus")
    # The re-rendered form answers 400 (the browser logs that); anything else is a real problem.
    assert not [p for p in console_problems(driver) if "status of 400" not in p]


PHONE_WIDTH = 320  # a small phone, or a desktop window at 400% zoom (WCAG 1.4.10 reflow)


def screens_of_every_role(scenario) -> dict[str, list[str]]:
    """Each screen for everyone who may open it (a lead's view of a page can differ from a
    coordinator's), not only for the first of them."""
    plan: dict[str, list[str]] = {actor: [] for actor in ("anonymous", *PREFERRED)}
    for name, (kwargs_spec, expected) in sorted(MATRIX.items()):
        url = reverse(name, kwargs={k: getattr(scenario, v) for k, v in kwargs_spec.items()})
        plan["anonymous"] += [url] if expected["anonymous"] == 200 else []
        for actor in PREFERRED:
            plan[actor] += [url] if expected[actor] == 200 else []
    for actor, names in OTHER_SCREENS.items():
        plan[actor].extend(reverse(n) for n in names)
    return plan


def test_no_screen_scrolls_sideways_on_a_phone(live_server, driver, scenario):
    """Every screen of every role fits 320 CSS pixels: tables stack, nothing forces the page wider."""
    driver.set_window_size(PHONE_WIDTH, 900)
    assert driver.execute_script("return window.innerWidth") == PHONE_WIDTH
    too_wide = []
    visited = 0
    for actor, urls in screens_of_every_role(scenario).items():
        if not urls:
            continue
        driver.delete_all_cookies()
        if actor != "anonymous":
            sign_in_as(driver, live_server.url, scenario.people[actor])
        for url in urls:
            driver.get(live_server.url + url)
            visited += 1
            width = driver.execute_script("return document.documentElement.scrollWidth")
            if width > PHONE_WIDTH:
                too_wide.append(f"{actor} {url}: {width}px")
    assert visited > 60
    assert not too_wide, "Pages wider than the phone:\n" + "\n".join(too_wide)
