"""The quarterly cycle in a real browser (DESIGN.md §3, §4): a committee member submits a value,
the secretariat validates it, and the figure shows on the dashboard and on the indicator page,
whose Chart.js chart is drawn from the project's own static files with no request to another
host."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tracker.models import IndicatorValue

from ..factories import AnnualTargetFactory, IndicatorFactory, ResultFactory
from .conftest import needs_chromium

pytestmark = [
    needs_chromium,
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "test-password-1325"
PLAN = "/plans/mali-2019-2023/"


@pytest.fixture
def gbv(plan, institution):
    result = ResultFactory(axis__plan=plan, axis__number=2, axis__name="Protection", code="2.1")
    indicator = IndicatorFactory(
        result=result, code="2.1-a", name="GBV cases recorded", unit_kind="count", aggregation="sum"
    )
    indicator.responsible_institutions.add(institution)
    AnnualTargetFactory(indicator=indicator, year=2023, value=Decimal("4000"))
    return indicator


def sign_in(page, live_server, user, next_path):
    page.goto(f"{live_server.url}/accounts/login/?next={next_path}")
    page.locator("#id_username").fill(user.username)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(live_server.url + next_path)


def test_member_submits_secretariat_validates_dashboard_shows(
    page, requested, shoot, live_server, gbv, member, secretariat
):
    entry = f"{PLAN}periods/2023-Q3/"
    console = []
    page.on("console", lambda message: console.append(message.text))

    # 1. The member enters and submits the quarter's figure.
    sign_in(page, live_server, member, entry)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Q3 2023")
    page.locator(f"[name='i{gbv.pk}-value']").fill("1879")
    page.locator(f"[name='i{gbv.pk}-source']").fill("Ministry registers, Q3 2023")
    shoot("entry-filled")
    page.locator("button[name=action][value=submit]").click()
    expect(page.locator(".alert-success")).to_be_visible()
    expect(page.locator(".alert-danger")).to_have_count(0)
    shoot("entry-submitted")
    value = IndicatorValue.objects.get(indicator=gbv, period__year=2023, period__quarter=3)
    assert value.status == IndicatorValue.Status.SUBMITTED
    assert value.value == Decimal("1879")
    assert value.entered_by == member

    # 2. The member signs out; the secretariat validates the value from the queue.
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    sign_in(page, live_server, secretariat, f"{PLAN}validation/")
    expect(page.get_by_role("cell", name="1,879")).to_be_visible()
    page.locator(f"input[name=values][value='{value.pk}:{value.version}']").check()
    shoot("queue-ticked")
    page.get_by_role("button", name="Validate the ticked values").click()
    expect(page.locator(".alert-success")).to_contain_text("1 value validated.")
    shoot("queue-validated")
    value.refresh_from_db()
    assert value.status == IndicatorValue.Status.VALIDATED
    assert value.validated_by == secretariat

    # 3. The dashboard and the indicator page show the figure, the chart is drawn, and every
    # request stayed on the live server (no CDN).
    page.goto(f"{live_server.url}{PLAN}?year=2023")
    latest = page.locator("section[aria-labelledby=latest-title]")
    expect(latest.get_by_role("row").filter(has_text="2.1-a")).to_contain_text("1,879")
    expect(page.get_by_text("1 of 1 indicator with validated data")).to_be_visible()
    shoot("dashboard")

    page.goto(f"{live_server.url}{PLAN}indicators/2.1-a/?year=2023")
    expect(page.get_by_role("heading", level=1)).to_contain_text("GBV cases recorded")
    year_line = page.locator("section[aria-labelledby=definition-title] p").last
    expect(year_line).to_contain_text("Value: 1,879")
    expect(year_line).to_contain_text("Target: 4,000")
    values = page.locator("section[aria-labelledby=values-title]")
    expect(values.get_by_role("row").filter(has_text="Q3 2023")).to_contain_text("1,879")
    expect(values.get_by_role("row").filter(has_text="Q3 2023")).to_contain_text("Validated")
    page.wait_for_function(
        "() => window.Chart && Chart.getChart(document.getElementById('values-chart'))"
    )
    drawn = page.evaluate(
        """() => {
            const canvas = document.getElementById("values-chart");
            return {
                chart: typeof window.Chart === "function",
                width: canvas.width,
                height: canvas.height,
                points: Chart.getChart(canvas).data.datasets[0].data,
            };
        }"""
    )
    assert drawn["chart"]
    assert drawn["width"] > 0 and drawn["height"] > 0
    assert 1879 in drawn["points"]
    shoot("indicator")

    foreign = [url for url in requested if not url.startswith(live_server.url + "/")]
    assert foreign == []
    assert any(url.endswith("/chart.umd.min.js") for url in requested)
    assert any(url.endswith("/bootstrap.min.css") for url in requested)

    # Nothing was refused by the Content-Security-Policy (config/settings/base.py).
    assert [text for text in console if "Content Security Policy" in text] == []


def test_anonymous_visitor_is_sent_to_sign_in(page, shoot, live_server, gbv):
    page.goto(f"{live_server.url}{PLAN}")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/plans/mali-2019-2023/$"))
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    expect(page.locator("#id_username")).to_be_visible()
    shoot("sign-in")
