"""A commander on a phone signs in, sees the overview's figures and the map's zones."""

import pytest

from .conftest import sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def demo_server(transactional_db, live_server):
    from cordon.demo import demo_load

    demo_load()
    return live_server.url


def test_a_commander_sees_the_overview_and_the_zones_on_the_map(page, demo_server):
    sign_in(page, demo_server, "commander")
    assert page.get_by_test_id("people-total").inner_text().startswith("610")
    lockdown = page.get_by_test_id("zones-lockdown").inner_text().split()
    controlled = page.get_by_test_id("zones-controlled").inner_text().split()
    assert lockdown[-3] == "15" and controlled[-3] == "15"
    hotels = page.get_by_test_id("sites-isolation_hotel").inner_text().split()
    assert hotels[-2] == "9"

    page.click("label.nav-toggle-label")  # the menu folds away on a phone-width screen
    page.get_by_role("link", name="Map").click()
    page.wait_for_selector("#map[data-zones]")
    assert page.locator("#map").get_attribute("data-zones") == "30"
    assert page.locator("path[data-zone]").count() == 30
    page.locator("path[data-zone='L01']").click(force=True)
    assert "L01" in page.locator(".leaflet-popup-content").inner_text()
