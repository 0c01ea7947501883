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
    "coordinator": ["accounts:people", "accounts:invite", "notifications:bulletin_list", "notifications:bulletin_create",
                    "calendar:subscription"],
    "lead": ["calendar:subscription"],
    "manager": ["calendar:subscription"],
}
# Rows of the permission matrix that are not screens: the calendar feed is a text/calendar file.
NOT_SCREENS = {"calendar:feed"}
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
        if name in NOT_SCREENS:
            continue
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


# Held wording (clinics/wording.py): each screen that shows a held request, for every role that sees it.
HELD_SCREENS = [
    ("practitioner", "clinics:request_reword", "Change the wording"),
    ("practitioner", "clinics:request_detail", "Held: check wording"),
    ("lead", "clinics:triage", "Confirm wording"),
    ("coordinator", "clinics:triage", "Held: check wording"),
    ("coordinator", "clinics:coordinator_request", "Held: check wording"),
]


def test_held_wording_screens_open_for_every_role_that_sees_them(live_server, driver, scenario):
    from tests.clinics.test_permission_matrix import HELD_QUESTION

    failures = []
    for actor, name, expected in HELD_SCREENS:
        driver.delete_all_cookies()
        sign_in_as(driver, live_server.url, scenario.people[actor])
        console_problems(driver)
        kwargs = {} if name == "clinics:triage" else {"pk": scenario.held_request}
        driver.get(live_server.url + reverse(name, kwargs=kwargs))
        source = driver.page_source
        if expected not in source:
            failures.append(f"{actor} {name}: {expected!r} not shown ({driver.title})")
        if actor == "coordinator" and HELD_QUESTION in source:
            failures.append(f"{actor} {name}: held text shown to someone who runs no clinic")
        failures.extend(f"{actor} {name}: {p}" for p in console_problems(driver))
    assert not failures, "\n".join(failures)


# The practice leads' programme screens (issue 11), opened by every role that may open them.
PROGRAMME_SCREENS = (
    "clinics:reflective_series_detail", "clinics:reflective_series_edit", "clinics:reflective_session_move",
    "clinics:reflective_session_cancel", "clinics:reflective_wellbeing", "clinics:my_cpd", "clinics:cpd",
    "clinics:cohort_list", "clinics:cohort_new", "clinics:cohort_detail", "clinics:cohort_edit",
    "clinics:reflective_themes", "clinics:reflective_session", "clinics:reflective_list",
)


def test_programme_screens_open_cleanly_for_every_role_allowed(live_server, driver, scenario, tmp_path):
    import os

    shots = os.environ.get("SCREENSHOT_DIR")  # set it to look at the pages
    failures, visited = [], 0
    for actor in ACTORS[1:]:
        names = [n for n in PROGRAMME_SCREENS if MATRIX[n][1][actor] == 200]
        if not names:
            continue
        driver.delete_all_cookies()
        sign_in_as(driver, live_server.url, scenario.people[actor])
        console_problems(driver)
        for name in names:
            kwargs_spec = MATRIX[name][0]
            driver.get(live_server.url + reverse(name, kwargs={k: getattr(scenario, v) for k, v in kwargs_spec.items()}))
            visited += 1
            if any(bad in driver.title for bad in ("Page not found", "problem with the service", "do not have access",
                                                    "Sign in")):
                failures.append(f"{actor} {name}: {driver.title}")
            if not driver.find_elements("css selector", "main h1"):
                failures.append(f"{actor} {name}: no heading")
            failures.extend(f"{actor} {name}: {p}" for p in console_problems(driver))
            if shots:
                driver.save_screenshot(os.path.join(shots, f"{actor}-{name.split(':')[1]}.png"))
    assert visited >= len(PROGRAMME_SCREENS) + 5  # several screens are opened by more than one role
    assert not failures, "\n".join(failures)


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
