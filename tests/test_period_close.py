"""Closing a period asks first (issue 14): the close URL shows what is still pending (drafts,
submitted, returned) by institution, and only its POST closes; after closing, the entry page
has no editable field."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tracker.models import IndicatorValue, ReportingPeriod

from .factories import (
    IndicatorFactory,
    IndicatorValueFactory,
    InstitutionFactory,
    PlanFactory,
    period_of,
)

pytestmark = pytest.mark.django_db
Status = IndicatorValue.Status


@pytest.fixture
def plan():
    return PlanFactory(slug="mali-2019-2023")


@pytest.fixture
def period(plan):
    return period_of(plan, 2023, 3)


@pytest.fixture
def close_url(plan):
    return reverse("period-close", args=[plan.slug, 2023, 3])


def value(plan, period, code, status, *institutions):
    indicator = IndicatorFactory(result__axis__plan=plan, code=code)
    indicator.responsible_institutions.add(*institutions)
    return IndicatorValueFactory(
        indicator=indicator,
        period=period,
        status=status,
        return_reason="Check July" if status == Status.RETURNED else "",
    )


def rows_of(html):
    """{institution: [cell texts]} of the pending table."""
    table = html[html.index("<tbody>") : html.index("</tbody>")]
    rows = {}
    for row in re.findall(r"<tr>(.*?)</tr>", table, re.S):
        cells = [
            re.sub(r"<[^>]+>|\s+", " ", cell).split()
            for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        ]
        rows[" ".join(cells[0])] = [" ".join(cell) for cell in cells[1:]]
    return rows


def test_the_confirmation_lists_what_is_pending_by_institution(
    client_for, secretariat, plan, period, close_url, institution, other_institution
):
    value(plan, period, "1.1-a", Status.DRAFT, institution)
    value(plan, period, "1.1-b", Status.SUBMITTED, institution, other_institution)
    value(plan, period, "1.1-c", Status.RETURNED, other_institution)
    value(plan, period, "1.1-d", Status.VALIDATED, institution)
    value(plan, period_of(plan, 2023, 2), "1.1-e", Status.DRAFT, institution)
    response = client_for(secretariat).get(close_url)
    assert response.status_code == 200
    html = response.content.decode()
    # Draft, Submitted, Returned; the shared indicator under both institutions; validated
    # values and other periods are not pending here.
    assert rows_of(html) == {
        "MPFEF": ["1 1.1-a", "1 1.1-b", "—"],
        "MSPC": ["—", "1 1.1-b", "1 1.1-c"],
    }
    entry = reverse("period-entry", args=[plan.slug, 2023, 3])
    draft = IndicatorValue.objects.get(indicator__code="1.1-a")
    assert f'href="{entry}?institution={institution.pk}#i{draft.indicator_id}"' in html
    assert "submitted values can no longer be validated or returned" in html
    assert ReportingPeriod.objects.get(pk=period.pk).is_open  # asking closes nothing


def test_nothing_pending_says_so(client_for, secretariat, plan, period, close_url, institution):
    value(plan, period, "1.1-a", Status.VALIDATED, institution)
    html = client_for(secretariat).get(close_url).content.decode()
    assert "Nothing is pending: every value of the period is validated." in html
    assert "<tbody>" not in html


def test_the_post_closes_and_the_entry_page_becomes_read_only(
    client_for, secretariat, member, plan, period, close_url, institution
):
    value(plan, period, "1.1-a", Status.DRAFT, institution)
    response = client_for(secretariat).post(close_url)
    assert response.status_code == 302
    assert response["Location"] == reverse("period-list", args=[plan.slug])
    period.refresh_from_db()
    assert not period.is_open and period.closed_at is not None
    assert period.history.latest().history_user == secretariat

    page = client_for(member).get(reverse("period-entry", args=[plan.slug, 2023, 3]))
    main = page.content.decode()
    main = main[main.index("<main") : main.index("</main>")]
    assert "1.1-a" in main
    assert not re.search(r"<(input|textarea|select|button|form)\b", main)
    assert "ask the secretariat to reopen it" in main


def test_an_already_closed_period_offers_no_button(
    client_for, secretariat, plan, period, close_url
):
    ReportingPeriod.objects.filter(pk=period.pk).update(
        status=ReportingPeriod.Status.CLOSED, closed_at=timezone.now()
    )
    html = client_for(secretariat).get(close_url).content.decode()
    assert "is already closed" in html
    assert '<form method="post">' not in html


def test_the_whole_year_is_closed_the_same_way(client_for, secretariat, plan):
    url = reverse("year-close", args=[plan.slug, 2023])
    client = client_for(secretariat)
    assert "Close Year 2023" in client.get(url).content.decode()
    client.post(url)
    assert not plan.reporting_periods.get(year=2023, quarter=None).is_open


def test_the_periods_page_leads_to_the_confirmation(client_for, secretariat, plan, close_url):
    html = client_for(secretariat).get(reverse("period-list", args=[plan.slug])).content.decode()
    assert f'<a class="btn btn-sm btn-outline-secondary" href="{close_url}">' in html


@pytest.mark.parametrize("who", ["member", "reporting_staff", "framework_admin", "outsider"])
def test_only_the_secretariat_sees_the_pending_list(request, client_for, close_url, who):
    response = client_for(request.getfixturevalue(who)).get(close_url)
    assert response.status_code == 403


def add_pending(plan, period, count):
    start = IndicatorValue.objects.count()
    for number in range(start, start + count):
        institutions = InstitutionFactory.create_batch(2)
        value(
            plan,
            period,
            f"9.{number}-a",
            [Status.DRAFT, Status.SUBMITTED][number % 2],
            *institutions,
        )
        value(plan, period, f"9.{number}-b", Status.RETURNED, institutions[0])


def test_the_pending_values_are_read_in_two_queries(plan, period, django_assert_num_queries):
    for count in (1, 6):
        add_pending(plan, period, count)
        with django_assert_num_queries(2):
            pending = list(IndicatorValue.objects.pending_in(period))
            assert all(value.indicator.responsible_institutions.all() for value in pending)


def test_the_confirmation_pins_its_query_count(
    client_for, secretariat, plan, period, close_url, django_assert_num_queries
):
    client = client_for(secretariat)
    add_pending(plan, period, 2)
    client.get(close_url)
    # session, user, plan, the user's permissions (their own and their roles', one query),
    # period, pending values with their indicators, the indicators' institutions, the inbox
    # count in the navigation bar
    with django_assert_num_queries(8):
        client.get(close_url)
    add_pending(plan, period, 8)
    with CaptureQueriesContext(connection) as large:
        response = client.get(close_url)
    assert len(large.captured_queries) == 8
    assert len(rows_of(response.content.decode())) == 20
