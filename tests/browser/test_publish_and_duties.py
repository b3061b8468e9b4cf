"""A planner plans two days and publishes; a field officer then sees their duties on a phone."""

from datetime import timedelta

import pytest
from django.core.management import call_command

from .conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture
def demo_server(transactional_db, live_server, settings):
    from cordon.demo import demo_load

    settings.CORDON_PLAN_TIME_LIMIT = 20
    demo_load()
    return live_server.url


def test_a_planner_publishes_and_an_officer_sees_their_duties(browser, demo_server):
    from cordon.accounts.models import User
    from cordon.deployment.models import Duty

    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(30000)
    sign_in(page, demo_server, "planner")
    page.goto(f"{demo_server}/deployment/")
    officer = User.objects.get(username="officer")
    today = officer.person.operation.reporting_day()
    page.check("input[name=period][value=custom]")
    page.fill("#id_first_day", today.isoformat())
    page.fill("#id_last_day", (today + timedelta(days=1)).isoformat())
    page.click("text=Start planning")
    page.wait_for_selector("#plan-status[data-status=queued]")
    call_command("db_worker", batch=True, interval=0, verbosity=0)  # the background worker
    # The page polls, then shows the result; a busy CI machine may take a while.
    page.wait_for_selector("[data-testid=coverage]", timeout=120000)
    assert page.get_by_test_id("coverage").inner_text() == "100.00%"
    page.get_by_test_id("publish").click()
    page.wait_for_selector("text=Published: this is now the roster everyone sees.")
    context.close()

    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-GB")
    page = context.new_page()
    sign_in(page, demo_server, "officer")
    page.goto(f"{demo_server}/deployment/mine/")
    expected = Duty.objects.filter(person=officer.person, date__gte=today).count()
    assert expected > 0
    cards = page.get_by_test_id("duty")
    assert cards.count() == expected
    first = Duty.objects.filter(person=officer.person).order_by("date", "shift_type__start")[0]
    assert first.post.name in cards.first.inner_text()
    context.close()
