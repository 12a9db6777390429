"""Issue 14, journey (b), in a real browser: the secretariat opens a submitted value from the
validation queue, sees its breakdown, its evidence and an outlier warning on the review page,
and returns it with a comment that opens the thread and leaves an e-mail for the member."""

import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from playwright.sync_api import expect

from tracker.models import EvidenceFile, IndicatorValue, Reminder

from ..factories import (
    BreakdownRowFactory,
    DimensionFactory,
    DimensionValueFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    PlanFactory,
    ResultFactory,
    period_of,
)
from .conftest import needs_chromium
from .test_journey import PLAN, sign_in

pytestmark = [
    needs_chromium,
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PDF = b"%PDF-1.4\n% register of the one-stop centres\n"


@pytest.fixture
def submitted(institution, member):
    """GBV cases recorded: 20, 24 and 30 validated in the first quarters of 2023, then 100
    submitted by the member for Q4, broken down by sex, with the centres' register as evidence."""
    plan = PlanFactory(slug="mali-2019-2023", title="Mali NAP 1325 2019-2023")
    result = ResultFactory(axis__plan=plan, axis__number=3, axis__name="Protection", code="3.0")
    indicator = IndicatorFactory(result=result, code="3.0-a", name="GBV cases recorded")
    indicator.responsible_institutions.add(institution)
    sex = DimensionFactory(code="sex", name="Sex")
    indicator.dimensions.add(sex)
    women = DimensionValueFactory(dimension=sex, name="Women", order=1)
    men = DimensionValueFactory(dimension=sex, name="Men", order=2)
    for quarter, figure in ((1, 20), (2, 24), (3, 30)):
        IndicatorValueFactory(
            indicator=indicator, period=period_of(plan, 2023, quarter), value=Decimal(figure)
        )
    member.email = "awa@example.org"
    member.save()
    value = IndicatorValueFactory(
        indicator=indicator,
        period=period_of(plan, 2023, 4),
        value=Decimal(100),
        status=IndicatorValue.Status.SUBMITTED,
        entered_by=member,
        submitted_by=member,
        submitted_at=timezone.now(),
        validated_at=None,
        narrative="Cases recorded by the one-stop centres of Mopti and Gao.",
    )
    BreakdownRowFactory(indicator_value=value, category=women, value=Decimal(70))
    BreakdownRowFactory(indicator_value=value, category=men, value=Decimal(30))
    EvidenceFile.objects.create(
        indicator_value=value,
        file=SimpleUploadedFile("register.pdf", PDF),
        original_name="register.pdf",
        size=len(PDF),
    )
    return value


def test_secretariat_reviews_an_outlier_and_returns_it_with_a_comment(
    page, requested, shoot, live_server, submitted, secretariat, member
):
    console = []
    page.on("console", lambda message: console.append(message.text))

    # 1. The queue flags the row and links it to its review page.
    sign_in(page, live_server, secretariat, f"{PLAN}validation/")
    row = page.get_by_role("row").filter(has_text="3.0-a")
    expect(row).to_contain_text("Unusual figure")
    expect(row).to_contain_text("4.2 times the median of the last 3 validated values (24)")
    shoot("queue")
    row.get_by_role("link", name="3.0-a").click()

    # 2. The review page: the figure, the outlier warning, the breakdown, the evidence.
    expect(page).to_have_url(f"{live_server.url}{PLAN}values/{submitted.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("3.0-a — Q4 2023")
    expect(page.locator("[data-figure]")).to_have_text("100")
    expect(page.locator("[data-outlier]")).to_contain_text(
        "4.2 times the median of the last 3 validated values (24)"
    )
    breakdown = page.locator("section[aria-labelledby=breakdown-title]")
    expect(breakdown.get_by_role("row", name="Women 70", exact=True)).to_be_visible()
    expect(breakdown.get_by_role("row", name="Men 30", exact=True)).to_be_visible()
    expect(breakdown).to_contain_text("The breakdown covers the whole figure.")
    sources = page.locator("section[aria-labelledby=sources-title]")
    expect(sources).to_contain_text("Cases recorded by the one-stop centres of Mopti and Gao.")
    comparisons = page.locator("table[aria-labelledby=compare-title]")
    expect(comparisons.get_by_role("row", name=re.compile("Previous quarter"))).to_contain_text(
        "+70 on Q3 2023 (better)"
    )
    link = page.get_by_role("link", name="register.pdf")
    expect(link).to_have_attribute("target", "_blank")
    shoot("review")

    # The register opens in the browser (inline), as a PDF the browser may not re-type.
    response = page.context.request.get(live_server.url + link.get_attribute("href"))
    assert response.ok
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"].startswith("inline")
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.body() == PDF

    # 3. The secretariat returns the value; the reason opens the comment thread.
    page.get_by_label("Why is it returned?").fill("Attach the Gao list: 100 looks too high.")
    page.get_by_role("button", name="Return for correction").click()
    expect(page.locator(".alert-success")).to_contain_text(
        "3.0-a Q4 2023 was returned to its institution for correction."
    )
    expect(page.locator("[data-value-status]")).to_have_text("Returned")
    thread = page.locator("#comments")
    expect(thread).to_contain_text(
        "Returned for correction: Attach the Gao list: 100 looks too high."
    )
    shoot("returned")

    # 4. A follow-up comment on the same page.
    page.get_by_label("Your comment").fill("The Mopti figures are fine.")
    page.get_by_role("button", name="Post the comment").click()
    expect(page.locator(".alert-success")).to_contain_text("Your comment is posted.")
    expect(thread.locator("li")).to_have_count(2)
    shoot("commented")

    submitted.refresh_from_db()
    assert submitted.status == IndicatorValue.Status.RETURNED
    assert submitted.return_reason == "Attach the Gao list: 100 looks too high."
    assert [c.text for c in submitted.comments.all()] == [
        "Returned for correction: Attach the Gao list: 100 looks too high.",
        "The Mopti figures are fine.",
    ]
    # Each comment leaves the member an e-mail in the outbox.
    assert sorted(Reminder.objects.values_list("recipient", "kind", "key")) == sorted(
        (member.pk, Reminder.Kind.COMMENT, f"comment-{comment.pk}")
        for comment in submitted.comments.all()
    )
    assert not [message for message in console if "Content Security Policy" in message]
    assert [url for url in requested if not url.startswith(live_server.url + "/")] == []
