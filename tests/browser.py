"""Helpers for browser tests: Debian's Chromium through chromedriver, nothing downloaded."""

from __future__ import annotations

from django.conf import settings
from django.test import Client

CHROMIUM_ARGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--window-size=1280,1200",
)


def make_driver():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for arg in CHROMIUM_ARGS:
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    driver.implicitly_wait(2)
    return driver


def sign_in_as(driver, live_server_url: str, user) -> None:
    """Reuse a server-side session (force_login) instead of typing a password and a code:
    the sign-in screens have their own tests."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    driver.get(live_server_url + "/healthz")
    driver.delete_all_cookies()
    driver.add_cookie({"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "path": "/"})


def console_problems(driver) -> list[str]:
    """Browser console errors and CSP violations since the last call."""
    return [
        entry["message"]
        for entry in driver.get_log("browser")
        if entry["level"] == "SEVERE" or "Content Security Policy" in entry["message"]
    ]


def click_and_wait_for_next_page(driver, by: str, selector: str, timeout: float = 15) -> None:
    """Click, then wait until a new document has loaded.

    Selenium's ``staleness_of`` polls the old page's element, and while Chromium
    swaps documents it can answer "Node with given id does not belong to the
    document" (an unknown error, not a stale-element one), which ends the wait
    with an exception. A mark set on the old ``window`` is gone on the new page,
    and reading it mid-navigation only fails the one poll, so the wait is exact.
    """
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.support.ui import WebDriverWait

    driver.execute_script("window.__testOldPage = true;")
    driver.find_element(by, selector).click()
    WebDriverWait(driver, timeout, ignored_exceptions=(WebDriverException,)).until(
        lambda d: d.execute_script("return window.__testOldPage !== true && document.readyState === 'complete';")
    )
