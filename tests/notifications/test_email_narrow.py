"""Every email reads in a narrow mail client: rendered at 320 CSS pixels (a phone with text
zoomed) in Chromium, nothing sticks out sideways. Screenshots are left in the test's tmp dir."""

from __future__ import annotations

import pytest

from tests.browser import make_driver
from tests.notifications.email_samples import sample_emails

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

WIDTH = 320


@pytest.fixture
def driver():
    driver = make_driver()
    yield driver
    driver.quit()


def test_every_email_fits_320_pixels_without_sideways_scrolling(driver, tmp_path, practitioner, lead, coordinator):
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": WIDTH, "height": 900, "deviceScaleFactor": 1, "mobile": True})
    too_wide = []
    for kind, sample in sorted(sample_emails(practitioner, lead, coordinator).items()):
        page = tmp_path / f"{kind}.html"
        page.write_text(sample.draft.body_html, encoding="utf-8")
        driver.get(page.as_uri())
        width, viewport, height = driver.execute_script(
            "const d = document.documentElement;"
            "return [Math.max(d.scrollWidth, document.body.scrollWidth), d.clientWidth, d.scrollHeight];"
        )
        assert viewport == WIDTH, f"the viewport is {viewport} px, not {WIDTH}"
        if width > WIDTH:
            too_wide.append(f"{kind}: {width} px")
        driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                               {"width": WIDTH, "height": height, "deviceScaleFactor": 1, "mobile": True})
        driver.save_screenshot(str(tmp_path / f"{kind}.png"))
        driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                               {"width": WIDTH, "height": 900, "deviceScaleFactor": 1, "mobile": True})
    assert not too_wide, "emails wider than 320 px:\n" + "\n".join(too_wide)
