"""The landing page (DESIGN.md §1): "/" shows a visitor the public plans, their dashboards and
published reports, and the way to sign in; a private plan is never hinted at."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tracker import services

from .factories import PlanFactory

pytestmark = pytest.mark.django_db

PRIVATE_TITLE = "Confidential draft plan Kidal"


@pytest.fixture
def public_plan(reporting_staff):
    plan = PlanFactory(slug="mali-public", title="Mali open plan 1325", is_public=True)
    for year in (2020, 2021):
        services.publish_report(user=reporting_staff, plan=plan, year=year)
    services.annual_report_for(user=reporting_staff, plan=plan, year=2022)  # a draft only
    return plan


@pytest.fixture
def private_plan(reporting_staff):
    plan = PlanFactory(slug="kidal-private", title=PRIVATE_TITLE, country="Mali")
    services.publish_report(user=reporting_staff, plan=plan, year=2019)
    return plan


def test_a_visitor_sees_the_public_plans_and_how_to_sign_in(client, public_plan, private_plan):
    response = client.get("/")
    assert response.status_code == 200
    assert response.templates[0].name == "tracker/landing.html"
    page = response.content.decode()
    assert "Mali open plan 1325" in page
    assert 'href="/plans/mali-public/"' in page
    assert 'href="/plans/mali-public/reports/2021/"' in page
    assert 'href="/plans/mali-public/reports/2020/"' in page
    # The 2022 report is a draft: visitors cannot open it.
    assert "/reports/2022/" not in page
    assert 'href="/accounts/login/"' in page


def test_a_private_plan_is_never_hinted_at(client, public_plan, private_plan):
    page = client.get("/").content.decode()
    for trace in (PRIVATE_TITLE, "Kidal", "kidal-private", "/reports/2019/"):
        assert trace not in page


def test_with_no_public_plan_the_page_says_so(client, private_plan):
    page = client.get("/").content.decode()
    assert "No plan is public yet." in page
    assert "kidal" not in page.lower()


def test_what_the_landing_page_links_to_opens_for_a_visitor(client, public_plan):
    assert client.get("/plans/mali-public/").status_code == 200
    assert client.get("/plans/mali-public/reports/2021/").status_code == 200


def test_the_landing_page_in_french(client, public_plan):
    client.cookies["django_language"] = "fr"
    page = client.get("/").content.decode()
    assert '<html lang="fr">' in page and "Mali open plan 1325" in page


def test_the_landing_page_pins_its_query_count(client, reporting_staff):
    counts = []
    for size in (1, 6):
        for _ in range(size):
            plan = PlanFactory(is_public=True)
            services.publish_report(user=reporting_staff, plan=plan, year=2021)
        PlanFactory()  # private
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/").status_code == 200
        counts.append(len(queries.captured_queries))
    # the public plans, their published reports
    assert counts == [2, 2]
