"""Playwright driving Debian's chromium (/usr/bin/chromium) against a live test server."""

import os
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("CORDON_CHROMIUM", "/usr/bin/chromium"))
ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        if os.environ.get("CORDON_REQUIRE_BROWSER"):
            pytest.fail(f"{CHROMIUM} is missing (apt-get install chromium)")
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)")
    if os.environ.get("CORDON_SKIP_BROWSER") and not os.environ.get("CORDON_REQUIRE_BROWSER"):
        pytest.skip("CORDON_SKIP_BROWSER is set")
    # Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
    # around it are synchronous and safe here.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


def sign_in(page, base_url: str, username: str, password: str = "cordon-demo") -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base_url}/operation/")
