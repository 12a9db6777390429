"""A plan's reporting periods are generated, never typed (DESIGN.md §2), by one service that
every path creating or extending a plan calls: the admin, the demo set-up (after the
fixtures) and the synthetic data generator."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from tracker import services
from tracker.models import Plan, ReportingPeriod

from .factories import PlanFactory

pytestmark = pytest.mark.django_db

ADD_PLAN = "/admin/tracker/plan/add/"


def periods_of(plan):
    return set(plan.reporting_periods.values_list("year", "quarter"))


def span(first, last):
    return {(year, quarter) for year in range(first, last + 1) for quarter in (1, 2, 3, 4, None)}


def plan_form(**changes):
    data = {
        "country": "Mali",
        "title_fr": "Plan d'action national",
        "title_en": "National action plan",
        "slug": "mali-2024-2026",
        "start_year": "2024",
        "end_year": "2026",
        "adopted_in": "2024",
        "days_to_report": "30",
        "days_to_hold_meeting": "45",
        "outlier_factor": "3",
        "axes-TOTAL_FORMS": "0",
        "axes-INITIAL_FORMS": "0",
        "axes-MIN_NUM_FORMS": "0",
        "axes-MAX_NUM_FORMS": "1000",
    }
    return data | changes


def test_the_service_creates_four_quarters_and_the_year_once(superuser):
    plan = Plan.objects.create(country="Mali", title="P", slug="p", start_year=2020, end_year=2021)
    assert plan.reporting_periods.count() == 0  # saving a plan writes nothing else
    created = services.generate_periods(plan=plan)
    assert len(created) == 10 and periods_of(plan) == span(2020, 2021)
    assert ReportingPeriod.history.filter(plan=plan).count() == 10
    assert services.generate_periods(plan=plan) == []  # again: nothing more


def test_the_service_adds_only_what_longer_years_need():
    plan = PlanFactory(start_year=2019, end_year=2020)
    first = plan.reporting_periods.get(year=2019, quarter=1)
    first.status = ReportingPeriod.Status.CLOSED
    first.closed_at = timezone.now()
    first.save()
    plan.end_year = 2021
    plan.save()
    assert len(services.generate_periods(plan=plan)) == 5
    first.refresh_from_db()
    assert first.status == ReportingPeriod.Status.CLOSED and periods_of(plan) == span(2019, 2021)


def test_a_plan_added_in_the_admin_gets_its_periods(client_for, framework_admin):
    response = client_for(framework_admin).post(ADD_PLAN, plan_form())
    assert response.status_code == 302, response.content.decode()[:2000]
    assert periods_of(Plan.objects.get(slug="mali-2024-2026")) == span(2024, 2026)


def test_a_plan_extended_in_the_admin_gets_the_new_years(client_for, framework_admin):
    client = client_for(framework_admin)
    client.post(ADD_PLAN, plan_form())
    plan = Plan.objects.get(slug="mali-2024-2026")
    response = client.post(f"/admin/tracker/plan/{plan.pk}/change/", plan_form(end_year="2027"))
    assert response.status_code == 302
    assert periods_of(plan) == span(2024, 2027)


def test_a_plan_the_admin_refuses_gets_no_periods(client_for, framework_admin):
    response = client_for(framework_admin).post(ADD_PLAN, plan_form(end_year="2020"))
    assert response.status_code == 200
    assert not Plan.objects.exists() and not ReportingPeriod.objects.exists()


def test_the_shipped_fixtures_hold_every_period_of_every_plan():
    call_command("loaddata", "mali_nap_2019_2023", verbosity=0)
    for plan in Plan.objects.all():
        assert services.generate_periods(plan=plan) == [], plan.slug
        assert periods_of(plan) == span(plan.start_year, plan.end_year)


def test_the_synthetic_generator_gives_its_plans_their_periods():
    call_command("generate_synthetic", "--plans", "1", "--indicators", "3", verbosity=0)
    plan = Plan.objects.get()
    assert periods_of(plan) == span(plan.start_year, plan.end_year)
