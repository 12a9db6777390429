"""The entry page's live preview of a percentage (period_entry.js) rounds like the server: half
up, one decimal, in the page's language (DESIGN.md §3). 42/147 reads 28,6 % as it is typed, and
the same once saved and shown by the server."""

import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.utils import translation
from playwright.sync_api import expect

from tracker import progress
from tracker.formatting import format_percent
from tracker.models import IndicatorValue

from ..factories import IndicatorFactory, ResultFactory
from .conftest import TIMEOUT_MS, needs_chromium

pytestmark = [
    needs_chromium,
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ENTRY = "/plans/mali-2019-2023/periods/2023-Q3/"


@pytest.fixture
def share(plan, institution):
    result = ResultFactory(axis__plan=plan, axis__number=1, axis__name="Participation", code="1.1")
    indicator = IndicatorFactory(
        result=result,
        code="1.1-a",
        name="Women in the CSA",
        unit_kind="percentage",
        aggregation="ratio",
    )
    indicator.responsible_institutions.add(institution)
    return indicator


@pytest.fixture
def french_page(browser, live_server, client, member):
    """A French-speaking page signed in as the committee member (through the session cookie,
    so that the sign-in form's language does not matter)."""
    client.force_login(member)
    context = browser.new_context(locale="fr-FR", extra_http_headers={"Accept-Language": "fr"})
    context.set_default_timeout(TIMEOUT_MS)
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    try:
        yield context.new_page()
    finally:
        context.close()


def served_output(page, url):
    """The preview's text as the server renders it, before any script runs."""
    response = page.request.get(url)
    assert response.ok
    return re.search(r"<output[^>]*>([^<]*)</output>", response.text()).group(1)


def server_says(numerator, denominator):
    with translation.override("fr"):
        return format_percent(progress.percentage(numerator, denominator))


def test_the_live_preview_rounds_like_the_server(french_page, live_server, share):
    page = french_page
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    # A script error, or the script refused by the Content-Security-Policy (not the favicon).
    page.on(
        "console",
        lambda message: "Content Security Policy" in message.text and errors.append(message.text),
    )

    page.goto(live_server.url + ENTRY)
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    numerator = page.locator(f"[name='i{share.pk}-numerator']")
    denominator = page.locator(f"[name='i{share.pk}-denominator']")
    output = page.locator(f"#indicator-{share.pk} [data-percentage] output")
    expect(output).to_have_text("—")

    numerator.fill("42")
    denominator.fill("147")
    expect(output).to_have_text("28,6\u00a0%")
    assert output.text_content() == server_says(42, 147)

    # 0.15 %: the binary float (0.1499…) rounds down to 0,1 % with toFixed; the server says
    # 0,2 %.
    numerator.fill("3")
    denominator.fill("2000")
    expect(output).to_have_text(server_says(3, 2000))
    assert output.text_content() == "0,2\u00a0%"

    # 501/1001 = 50.04995…: the server keeps 50.0500 (4 places, half up) and shows 50,1 %;
    # rounding the quotient straight to one decimal would give 50,0 %.
    numerator.fill("501")
    denominator.fill("1001")
    expect(output).to_have_text(server_says(501, 1001))
    assert output.text_content() == "50,1\u00a0%"

    # French input: a comma for the decimals, spaces between thousands.
    numerator.fill("1 234,5")
    denominator.fill("5 000")
    expect(output).to_have_text(server_says(Decimal("1234.5"), 5000))

    numerator.fill("42")
    denominator.fill("147")
    expect(output).to_have_text("28,6\u00a0%")
    typed = output.text_content()
    page.locator("button[name=action][value=save]").click()
    expect(page.locator(".alert-success")).to_be_visible()

    value = IndicatorValue.objects.get(indicator=share)
    assert value.value == Decimal("28.5714")
    # The server's own rendering of the saved value, and the page once the script has run on
    # the figures it filled in: the same as what was typed.
    assert served_output(page, live_server.url + ENTRY) == typed == "28,6\u00a0%"
    expect(numerator).to_have_value("42")
    expect(output).to_have_text(typed)
    assert errors == []
