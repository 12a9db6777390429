"""A returned value in a real browser (issue 14, journey a): the member signs in, the inbox says
one value was returned, its line opens the entry page on that indicator, the member corrects
the figure and submits it again, and the secretariat finds it in its inbox and its queue."""

import re
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tracker.models import IndicatorValue, ReportingPeriod

from ..factories import IndicatorFactory, IndicatorValueFactory, PlanFactory, ResultFactory
from .conftest import needs_chromium
from .test_journey import PASSWORD

pytestmark = [
    needs_chromium,
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PLAN = "/plans/mali-2019-2023/"
REASON = "The source is missing: give the reference of the registers."


@pytest.fixture
def returned(institution, member):
    """2.1-a's Q3 2023 figure, submitted by the member and returned by the secretariat; the
    other periods closed, as the committee leaves only the current one open."""
    plan = PlanFactory(slug="mali-2019-2023", title="Mali NAP 1325 2019-2023")
    result = ResultFactory(axis__plan=plan, axis__number=2, axis__name="Protection", code="2.1")
    q3 = plan.reporting_periods.get(year=2023, quarter=3)
    # Six validated indicators come first on the entry page, so that the returned one is
    # below the fold unless the link's anchor scrolls to it.
    for letter in "abcdef":
        indicator = IndicatorFactory(result=result, code=f"2.1-{letter}", name=f"Count {letter}")
        indicator.responsible_institutions.add(institution)
        IndicatorValueFactory(indicator=indicator, period=q3)
    indicator = IndicatorFactory(result=result, code="2.1-g", name="GBV cases recorded")
    indicator.responsible_institutions.add(institution)
    value = IndicatorValueFactory(
        indicator=indicator,
        period=q3,
        value=Decimal("1789"),
        status=IndicatorValue.Status.RETURNED,
        return_reason=REASON,
        entered_by=member,
        submitted_by=member,
        version=3,
    )
    ReportingPeriod.objects.filter(plan=plan).exclude(pk=q3.pk).update(
        status=ReportingPeriod.Status.CLOSED, closed_at=timezone.now()
    )
    return value


def sign_in(page, live_server, user):
    page.goto(f"{live_server.url}/accounts/login/?next=/")
    page.locator("#id_username").fill(user.username)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(f"{live_server.url}/")


def test_a_returned_value_is_corrected_from_the_inbox(
    page, shoot, live_server, returned, member, secretariat
):
    indicator = returned.indicator
    console = []
    page.on("console", lambda message: console.append(message.text))

    # 1. The member lands on the inbox, which says one value came back, and why.
    sign_in(page, live_server, member)
    expect(page.get_by_role("heading", level=1)).to_have_text("What waits for you")
    expect(page.locator("[data-section=returned]")).to_have_text(re.compile(r"Returned:\s*1$"))
    expect(page.locator("[data-inbox-count]")).to_contain_text("1")
    section = page.locator("section#returned")
    expect(section).to_contain_text(REASON)
    expect(section.locator("[data-due-status=late]")).to_be_visible()
    shoot("inbox-member")

    # 2. Its line opens the entry page on that very indicator.
    section.get_by_role("link", name=re.compile(r"2\.1-g GBV cases recorded")).click()
    card = page.locator(f"#indicator-{indicator.pk}")
    expect(page).to_have_url(f"{live_server.url}{PLAN}periods/2023-Q3/#indicator-{indicator.pk}")
    expect(card).to_be_in_viewport()
    assert page.evaluate("window.scrollY") > 0
    expect(card).to_contain_text(REASON)
    shoot("entry-on-the-indicator")

    # 3. The member corrects the figure and submits it again.
    card.locator(f"[name='i{indicator.pk}-value']").fill("1879")
    card.locator(f"[name='i{indicator.pk}-source']").fill("Ministry registers no. 2023-311")
    page.locator("button[name=action][value=submit]").click()
    expect(page.locator(".alert-success")).to_be_visible()
    expect(page.locator(".alert-danger")).to_have_count(0)
    returned.refresh_from_db()
    assert returned.status == IndicatorValue.Status.SUBMITTED
    assert returned.value == Decimal("1879")
    assert returned.submitted_by == member

    # The inbox has nothing returned any more.
    page.get_by_role("link", name="Inbox").click()
    expect(page.locator("[data-section=returned]")).to_have_text(re.compile(r"Returned:\s*0$"))
    expect(page.locator("[data-inbox-count]")).to_have_count(0)
    shoot("inbox-member-after")

    # 4. The secretariat finds it in its inbox, and its line opens the queue on it.
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, live_server, secretariat)
    expect(page.locator("[data-section=validate]")).to_have_text(re.compile(r"To validate:\s*1$"))
    page.locator("section#validate").get_by_role("link", name="Q3 2023").click()
    expect(page).to_have_url(re.compile(rf"{PLAN}validation/\?period={returned.period_id}$"))
    expect(page.get_by_role("cell", name="1,879")).to_be_visible()
    expect(
        page.locator(f"input[name=values][value='{returned.pk}:{returned.version}']")
    ).to_be_visible()
    shoot("queue")

    assert [text for text in console if "Content Security Policy" in text] == []
