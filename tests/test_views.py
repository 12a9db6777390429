"""The first pages: sign-in, landing on the inbox, and the framework tree with figures."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tracker.models import IndicatorValue

from .factories import (
    IndicatorFactory,
    IndicatorValueFactory,
    OpportunityFactory,
    ResultFactory,
    period_of,
)

pytestmark = pytest.mark.django_db


def test_anonymous_user_is_sent_to_the_login_page(client, plan):
    # "/" shows a visitor the public plans (tests/test_landing.py).
    response = client.get(reverse("plan-detail", args=[plan.slug]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_login_page_is_open_to_anonymous_users(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert b'name="password"' in response.content


def test_signing_in_lands_on_the_inbox(client, member, plan):
    response = client.post(
        reverse("login"), {"username": "member", "password": "test-password-1325"}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("home")
    assert response.status_code == 200
    assert response.templates[0].name == "tracker/inbox.html"


def test_unknown_plan_is_not_found(client_for, member):
    assert client_for(member).get("/plans/nowhere/").status_code == 404


def test_tree_shows_each_indicator_with_its_latest_validated_value(client_for, member, plan):
    result = ResultFactory(axis__plan=plan, axis__name="Participation", code="1.2")
    opportunity = OpportunityFactory(result=result, code="1.2.1", statement="Women mediate")
    women_csa = IndicatorFactory(
        result=result, code="1.2-a", name="Women in the CSA", percentage=True
    )
    IndicatorFactory(opportunity=opportunity, result=result, code="1.2.1-a", name="Mediators")
    sub = IndicatorFactory(result=result, parent=women_csa, code="1.2-a1", name="Sub-committees")
    IndicatorValueFactory(
        indicator=women_csa,
        period=period_of(plan, 2020, 4),
        numerator=Decimal("5"),
        denominator=Decimal("29"),
        source="Older source",
    )
    IndicatorValueFactory(
        indicator=women_csa,
        period=period_of(plan, 2021, 1),
        numerator=Decimal("9"),
        denominator=Decimal("29"),
        source="Security Council IEG update, April 2021",
    )
    # A newer draft is not a validated figure and must not show.
    IndicatorValueFactory(
        indicator=women_csa,
        period=period_of(plan, 2021, 2),
        numerator=Decimal("12"),
        denominator=Decimal("29"),
        status=IndicatorValue.Status.DRAFT,
    )
    IndicatorValueFactory(indicator=sub, period=period_of(plan, 2022, 4), value=Decimal("12"))

    page = client_for(member).get(f"/plans/{plan.slug}/framework/").content.decode()

    assert "Participation" in page and "Women mediate" in page and "Mediators" in page
    assert "31.0 %" in page and "(9/29)" in page and "Q1 2021" in page
    assert "Security Council IEG update, April 2021" in page
    assert "(12/29)" not in page and "Older source" not in page
    assert "Sub-committees" in page and "Q4 2022" in page


def build_plan_of_size(plan, indicators):
    result = ResultFactory(axis__plan=plan)
    opportunity = OpportunityFactory(result=result)
    for index in range(indicators):
        indicator = IndicatorFactory(result=result, opportunity=opportunity if index % 2 else None)
        for quarter in (1, 2, 3):
            IndicatorValueFactory(indicator=indicator, period=period_of(plan, 2021, quarter))


def test_framework_page_queries_do_not_grow_with_indicators(client_for, member, plan):
    client = client_for(member)
    url = f"/plans/{plan.slug}/framework/"
    build_plan_of_size(plan, 2)
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    build_plan_of_size(plan, 12)
    with CaptureQueriesContext(connection) as large:
        response = client.get(url)
    assert response.status_code == 200
    assert len(large.captured_queries) == len(small.captured_queries)
    assert len(small.captured_queries) <= 15


def test_framework_page_pins_its_query_count(client_for, member, plan, django_assert_num_queries):
    client = client_for(member)
    build_plan_of_size(plan, 5)
    client.get(f"/plans/{plan.slug}/framework/")
    # session, user, plan, axes, results, opportunities, indicators, scale levels, the
    # latest values (indicator ids, candidates, the chosen values); the user's permissions,
    # their own and their roles' in one query (tracker/auth_backends.py); the user's
    # institution and what waits in their inbox (navigation bar)
    with django_assert_num_queries(14):
        client.get(f"/plans/{plan.slug}/framework/")


def test_no_asset_comes_from_another_host(client_for, member, plan):
    page = client_for(member).get(f"/plans/{plan.slug}/").content.decode()
    assert "/static/vendor/bootstrap-5.3.9/bootstrap.min.css" in page
    assert "http://" not in page and "https://" not in page
