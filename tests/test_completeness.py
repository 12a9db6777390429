"""Completeness: institutions × periods, who has not reported, the numbers to the unit, and a
query count that grows with nothing."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tracker import services
from tracker.models import Indicator, IndicatorValue, ReportingPeriod
from tracker.views.completeness import completeness

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
def url(plan):
    return reverse("completeness", args=[plan.slug])


def close_all_but(plan, *open_periods):
    plan.reporting_periods.exclude(pk__in=[p.pk for p in open_periods]).update(
        status=ReportingPeriod.Status.CLOSED, closed_at=timezone.now()
    )


def value(indicator, period, status):
    return IndicatorValueFactory(
        indicator=indicator,
        period=period,
        status=status,
        return_reason="Check the source" if status == Status.RETURNED else "",
    )


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("secretariat", 200),
        ("reporting_staff", 200),
        ("superuser", 200),
        ("member", 403),
        ("framework_admin", 403),
        ("outsider", 403),
    ],
)
def test_who_sees_completeness(request, client_for, url, who, status):
    assert client_for(request.getfixturevalue(who)).get(url).status_code == status


def test_anonymous_visitor_is_sent_to_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_refusal_is_a_permission_denied_that_says_why(rf, member, plan):
    request = rf.get("/")
    request.user = member
    with pytest.raises(PermissionDenied, match="Only the secretariat and the reporting staff"):
        completeness(request, plan.slug)


@pytest.fixture
def small_case(plan, institution, other_institution):
    """MPFEF answers for i1 and i2, MSPC for i2 and i3; nobody for i4. Only 2021-Q1 and
    2021-Q2 are open."""
    InstitutionFactory(acronym="IDLE")  # responsible for nothing: not listed
    i1, i2, i3, i4 = (IndicatorFactory(result__axis__plan=plan) for _ in range(4))
    i1.responsible_institutions.add(institution)
    i2.responsible_institutions.add(institution, other_institution)
    i3.responsible_institutions.add(other_institution)
    q1, q2 = period_of(plan, 2021, 1), period_of(plan, 2021, 2)
    value(i1, q1, Status.VALIDATED)
    value(i2, q1, Status.SUBMITTED)
    value(i3, q1, Status.RETURNED)
    value(i4, q1, Status.VALIDATED)
    value(i1, q2, Status.DRAFT)
    # Another plan's value does not count, though MPFEF answers for it.
    elsewhere = IndicatorFactory(result__axis__plan=PlanFactory())
    elsewhere.responsible_institutions.add(institution)
    value(elsewhere, period_of(elsewhere.plan, 2021, 1), Status.VALIDATED)
    close_all_but(plan, q1, q2)
    return q1, q2


def cells(context):
    """{(acronym, period label): (due, submitted, validated, returned, draft, complete)}"""
    return {
        (row["institution"].acronym, cell["period"].label): (
            cell["due"],
            cell["submitted"],
            cell["validated"],
            cell["returned"],
            cell["draft"],
            cell["complete"],
        )
        for row in context["rows"]
        for cell in row["cells"]
    }


def test_numbers_of_a_small_case_are_exact(client_for, secretariat, url, small_case):
    context = client_for(secretariat).get(url).context
    assert context["year"] == 2021  # the latest open period's year
    assert [row["institution"].acronym for row in context["rows"]] == ["MPFEF", "MSPC"]
    grid = cells(context)
    assert len(grid) == 2 * 5
    # No indicator of theirs is annual: nothing is due in the whole year.
    assert grid["MPFEF", "Year 2021"] == (0, 0, 0, 0, 0, True)
    assert grid["MPFEF", "Q1 2021"] == (2, 1, 1, 0, 0, True)
    assert grid["MSPC", "Q1 2021"] == (2, 1, 0, 1, 0, False)
    assert grid["MPFEF", "Q2 2021"] == (2, 0, 0, 0, 1, False)
    assert grid["MSPC", "Q2 2021"] == (2, 0, 0, 0, 0, False)
    assert grid["MPFEF", "Q4 2021"] == (2, 0, 0, 0, 0, False)
    # The plan as a whole: i1, i2 and i4 reported out of four indicators.
    totals = {t["period"].label: (t["reported"], t["due"], t["percent"]) for t in context["totals"]}
    assert totals["Q1 2021"] == (3, 4, "75.0")  # one decimal, as every percentage
    assert totals["Q2 2021"] == (0, 4, "0.0")


def test_who_has_not_reported_in_the_open_periods(client_for, secretariat, url, small_case):
    context = client_for(secretariat).get(url).context
    missing = {
        entry["period"].label: [
            (line["institution"].acronym, line["reported"], line["missing"])
            for line in entry["institutions"]
        ]
        for entry in context["not_reported"]
    }
    assert missing == {"Q1 2021": [("MSPC", 1, 1)], "Q2 2021": [("MPFEF", 0, 2), ("MSPC", 0, 2)]}
    page = client_for(secretariat).get(url).content.decode()
    assert "table-warning" in page


def test_year_can_be_chosen(client_for, secretariat, url, small_case):
    context = client_for(secretariat).get(url, {"year": 2019}).context
    assert context["year"] == 2019
    assert {label for _, label in cells(context)} == {
        "Q1 2019",
        "Q2 2019",
        "Q3 2019",
        "Q4 2019",
        "Year 2019",
    }
    assert all(cell[1:5] == (0, 0, 0, 0) for cell in cells(context).values())


def test_a_year_outside_the_plan_falls_back_to_the_default(client_for, secretariat, url, plan):
    close_all_but(plan, period_of(plan, 2020, 3))
    assert client_for(secretariat).get(url, {"year": "1990"}).context["year"] == 2020
    assert client_for(secretariat).get(url, {"year": "x"}).context["year"] == 2020


def test_with_every_period_closed_the_plans_last_year_is_shown(client_for, secretariat, url, plan):
    close_all_but(plan)
    context = client_for(secretariat).get(url).context
    assert context["year"] == 2023
    assert context["not_reported"] == []


def build(plan, institutions, indicators_each):
    """Institutions each responsible for a few indicators, with values in various states."""
    statuses = list(Status)
    for _ in range(institutions):
        institution = InstitutionFactory()
        for number in range(indicators_each):
            indicator = IndicatorFactory(result__axis__plan=plan)
            indicator.responsible_institutions.add(institution)
            status = statuses[number % 4]
            value(indicator, period_of(plan, 2019 + number % 5, 1 + number % 4), status)


def test_query_count_does_not_grow(client_for, secretariat, url, plan):
    client = client_for(secretariat)
    build(plan, 1, 2)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    build(plan, 6, 5)
    plan.end_year = 2026  # twelve more periods
    plan.save()
    services.generate_periods(plan=plan)
    with CaptureQueriesContext(connection) as large:
        response = client.get(url)
    assert len(response.context["rows"]) == 7
    assert len(large.captured_queries) == len(small.captured_queries)


def test_completeness_pins_its_query_count(
    client_for, secretariat, url, plan, django_assert_num_queries
):
    client = client_for(secretariat)
    build(plan, 3, 4)
    client.get(url)
    # session, user, the user's permissions (their own and their roles', one query), plan,
    # periods, institutions with what they are due, counts by institution, period and status,
    # indicators of the plan, reported per period, what waits in the user's inbox (navigation
    # bar)
    with django_assert_num_queries(10):
        client.get(url)


def test_an_annual_indicator_is_due_once_a_year(client_for, secretariat, url, plan, institution):
    annual = IndicatorFactory(
        result__axis__plan=plan, reporting_frequency=Indicator.Frequency.ANNUAL
    )
    annual.responsible_institutions.add(institution)
    year = period_of(plan, 2021, None)
    value(annual, year, Status.SUBMITTED)
    # An in-year observation is not the annual report.
    value(annual, period_of(plan, 2021, 1), Status.VALIDATED)
    context = client_for(secretariat).get(url, {"year": 2021}).context
    grid = cells(context)
    assert grid[institution.acronym, "Year 2021"] == (1, 1, 0, 0, 0, True)
    assert grid[institution.acronym, "Q1 2021"] == (0, 0, 0, 0, 0, True)
    totals = {t["period"].label: (t["reported"], t["due"]) for t in context["totals"]}
    assert totals["Year 2021"] == (1, 1)
    assert totals["Q1 2021"] == (0, 0)
