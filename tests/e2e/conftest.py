"""Browser tests: Playwright driving Debian's Chromium against pytest-django's live server."""

import os
import shutil

import pytest

# Playwright's sync API runs an event loop in this thread, so Django's async-safety
# check would refuse the ORM calls our fixtures make alongside it. Nothing here is
# truly concurrent with the ORM, so allowing it is safe, and only for browser tests.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PASSWORD = "correct horse battery staple"  # tests.factories.UserFactory's
BROWSER_REQUIRED = bool(os.environ.get("CI") or os.environ.get("REQUIRE_BROWSER"))


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        message = f"Chromium not found at {CHROMIUM}: run `apt-get install -y chromium`."
        if BROWSER_REQUIRED:
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def sign_in(page):
    """sign_in(user) signs the page in through the login form, as a person would."""

    def sign_in_as(user, password=PASSWORD):
        return signed_in(page, user, password)

    return sign_in_as


def signed_in(page, user, password):
    page.goto("/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/login/" not in url)
    return page


@pytest.fixture
def new_signed_in_page(browser, live_server):
    """new_signed_in_page(user, width, height): a separate browser context, signed in through the login form.

    For tests where several people work side by side (an admin and a manager), each in their own session.
    """

    def open_for(user, width=1280, height=900, password=PASSWORD):
        context = browser.new_context(base_url=live_server.url, viewport={"width": width, "height": height})
        page = context.new_page()
        page.set_default_timeout(30_000)
        return signed_in(page, user, password)

    return open_for
