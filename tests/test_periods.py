"""The periods page: everyone with a role sees the periods and their values' statuses; only the
secretariat closes and reopens them, and reopening needs a reason."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tracker.models import IndicatorValue, ReportingPeriod
from tracker.views.periods import period_close

from .factories import (
    CommitteeMeetingFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    period_of,
)

pytestmark = pytest.mark.django_db

Status = IndicatorValue.Status


@pytest.fixture
def url(plan):
    return reverse("period-list", args=[plan.slug])


def action_url(plan, action, year=2021, quarter=1):
    return reverse(f"period-{action}", args=[plan.slug, year, quarter])


def closed(period):
    ReportingPeriod.objects.filter(pk=period.pk).update(status="closed", closed_at=timezone.now())
    period.refresh_from_db()
    return period


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("member", 200),
        ("secretariat", 200),
        ("reporting_staff", 200),
        ("framework_admin", 200),
        ("superuser", 200),
        ("outsider", 403),
    ],
)
def test_who_sees_the_periods(request, client_for, url, who, status):
    assert client_for(request.getfixturevalue(who)).get(url).status_code == status


def test_anonymous_visitor_is_sent_to_sign_in(client, url, plan):
    for target in (url, action_url(plan, "close"), action_url(plan, "reopen")):
        response = client.post(target)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_lists_every_period_with_counts_by_status_and_a_link_to_entry(
    client_for, member, url, plan
):
    period = period_of(plan, 2021, 1)
    for status in [Status.DRAFT, Status.SUBMITTED, Status.SUBMITTED, Status.VALIDATED]:
        IndicatorValueFactory(indicator=IndicatorFactory(result__axis__plan=plan), status=status)
    CommitteeMeetingFactory(period=period)
    response = client_for(member).get(url)
    periods = list(response.context["periods"])
    assert [p.label for p in periods][:6] == [
        "Q1 2019",
        "Q2 2019",
        "Q3 2019",
        "Q4 2019",
        "Year 2019",
        "Q1 2020",
    ]
    assert len(periods) == 25
    row = next(p for p in periods if p.pk == period.pk)
    assert (row.draft_count, row.submitted_count, row.validated_count, row.returned_count) == (
        1,
        2,
        1,
        0,
    )
    assert row.meeting_count == 1
    page = response.content.decode()
    assert reverse("period-entry", args=[plan.slug, 2021, 1]) in page
    assert reverse("period-meetings", args=[plan.slug, 2021, 1]) in page
    assert reverse("year-entry", args=[plan.slug, 2021]) in page


def test_only_the_secretariat_sees_the_buttons(client_for, member, secretariat, url, plan):
    close_url = action_url(plan, "close")
    assert close_url not in client_for(member).get(url).content.decode()
    assert close_url in client_for(secretariat).get(url).content.decode()


def test_secretariat_closes_then_reopens_with_a_reason(client_for, secretariat, plan):
    period = period_of(plan, 2021, 1)
    client = client_for(secretariat)

    response = client.post(action_url(plan, "close"))
    assert response.status_code == 302
    assert response["Location"] == reverse("period-list", args=[plan.slug])
    period.refresh_from_db()
    assert period.status == ReportingPeriod.Status.CLOSED
    assert period.closed_at is not None
    assert period.history.latest().history_user == secretariat

    response = client.post(action_url(plan, "reopen"), {"reason": "MSPC figures arrived late."})
    assert response.status_code == 302
    period.refresh_from_db()
    assert period.status == ReportingPeriod.Status.OPEN
    assert period.closed_at is None
    latest = period.history.latest()
    assert latest.history_change_reason == "MSPC figures arrived late."
    assert latest.history_user == secretariat


def test_reopening_without_a_reason_is_refused(client_for, secretariat, plan):
    period = closed(period_of(plan, 2021, 1))
    history = period.history.count()
    response = client_for(secretariat).post(
        action_url(plan, "reopen"), {"reason": " "}, follow=True
    )
    period.refresh_from_db()
    assert period.status == ReportingPeriod.Status.CLOSED
    assert period.history.count() == history
    page = response.content.decode()
    assert "alert-danger" in page and "Say why the period is reopened." in page


@pytest.mark.parametrize("who", ["member", "reporting_staff", "framework_admin", "outsider"])
def test_other_roles_cannot_close_or_reopen(request, client_for, plan, who):
    client = client_for(request.getfixturevalue(who))
    open_period, closed_period = period_of(plan, 2021, 1), closed(period_of(plan, 2021, 2))
    assert client.post(action_url(plan, "close", 2021, 1)).status_code == 403
    reopen = action_url(plan, "reopen", 2021, 2)
    assert client.post(reopen, {"reason": "Please"}).status_code == 403
    open_period.refresh_from_db()
    closed_period.refresh_from_db()
    assert open_period.is_open and not closed_period.is_open


def test_refusal_is_a_permission_denied_that_says_why(rf, member, plan):
    request = rf.post("/")
    request.user = member
    with pytest.raises(PermissionDenied, match="Only the secretariat opens and closes"):
        period_close(request, slug=plan.slug, year=2021, quarter=1)


def test_close_asks_first_and_reopen_accepts_only_post(client_for, secretariat, plan):
    client = client_for(secretariat)
    # GET of the close URL is the confirmation page (tests/test_period_close.py); it closes
    # nothing.
    assert client.get(action_url(plan, "close")).status_code == 200
    assert client.get(action_url(plan, "reopen")).status_code == 405
    assert period_of(plan, 2021, 1).is_open


def test_unknown_period_is_not_found(client_for, secretariat, plan):
    assert client_for(secretariat).post(action_url(plan, "close", 2030, 1)).status_code == 404


def add_values(plan, count):
    for number in range(count):
        IndicatorValueFactory(
            indicator=IndicatorFactory(result__axis__plan=plan),
            period=period_of(plan, 2019 + number % 5, 1 + number % 4),
            status=list(Status)[number % 4],
            return_reason="Check" if list(Status)[number % 4] == Status.RETURNED else "",
        )
        CommitteeMeetingFactory(period=period_of(plan, 2019 + number % 5, 1))


def test_query_count_does_not_grow_with_values(client_for, secretariat, url, plan):
    client = client_for(secretariat)
    add_values(plan, 2)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    add_values(plan, 20)
    with CaptureQueriesContext(connection) as large:
        client.get(url)
    assert len(large.captured_queries) == len(small.captured_queries)


def test_periods_page_pins_its_query_count(
    client_for, secretariat, url, plan, django_assert_num_queries
):
    client = client_for(secretariat)
    add_values(plan, 8)
    client.get(url)
    # session, user, plan, the user's permissions (their own and their roles', one query),
    # periods with their counts (one query), what waits in the user's inbox (navigation bar)
    with django_assert_num_queries(6):
        client.get(url)
