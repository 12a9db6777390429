"""Fixtures for the browser tests: a headless Debian Chromium driven by Playwright's sync API
against pytest-django's live server.

Playwright's downloader cannot reach its servers here, so the tests use the system Chromium
(`apt-get install chromium`) and skip themselves when it is absent."""

import os
from pathlib import Path

import pytest
from django.db import connections
from playwright.sync_api import expect, sync_playwright

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
TIMEOUT_MS = 10_000

# Test modules mark themselves with this: without Chromium they are skipped, not failed.
needs_chromium = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason=f"{CHROMIUM} not found: install Debian's Chromium (apt-get install chromium) "
    "to run the browser tests",
)

expect.set_options(timeout=TIMEOUT_MS)


@pytest.fixture(scope="module", autouse=True)
def _put_back_migration_data(django_db_setup, django_db_blocker):
    """The live server needs transactional tests, which empty every table when they end, rows
    made by data migrations included (the role groups). The tests are marked
    `serialized_rollback=True`, so Django restores those rows before each of them; this puts
    them back once more after the last one, for the transactional tests that run later and
    expect them (as other transactional tests leave them)."""
    yield
    with django_db_blocker.unblock():
        for connection in connections.all():
            contents = getattr(connection, "_test_serialized_contents", None)
            if contents:
                connection.creation.deserialize_db_from_string(contents)


@pytest.fixture
def browser(monkeypatch):
    """One Chromium per test.

    Playwright's sync API keeps an asyncio loop running in the test thread while the browser is
    open, so Django's async-safety check is lifted for the ORM calls the test makes meanwhile
    (for this test only: monkeypatch restores the environment). In that state Django also keeps
    its database connections apart from the thread's usual ones; they are closed before the
    loop stops, or PostgreSQL would refuse to drop the test database at the end of the run."""
    monkeypatch.setitem(os.environ, "DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield browser
        finally:
            browser.close()
            connections.close_all()


@pytest.fixture
def page(browser, live_server):
    """A fresh English-speaking page in its own browser context (its own cookies)."""
    context = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    try:
        yield context.new_page()
    finally:
        context.close()


@pytest.fixture
def requested(page):
    """The URLs of every request the page makes from now on, in order."""
    urls = []
    page.on("request", lambda request: urls.append(request.url))
    return urls


@pytest.fixture
def shoot(page, tmp_path):
    """shoot("name") saves a full-page screenshot into the test's tmp_path (kept by pytest for
    the last runs), to see what the browser showed when a step fails."""

    def screenshot(name):
        path = tmp_path / f"{len(list(tmp_path.glob('*.png'))):02d}-{name}.png"
        page.screenshot(path=path, full_page=True)
        return path

    return screenshot
