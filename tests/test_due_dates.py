"""Due dates (DESIGN.md §2, §4): each period's reports are due the plan's days to report after it
ends; a period is late, due soon (within a week) or on time; the secretariat moves one period's
due date with a reason; a change of the plan's rule in the admin moves the open periods that
followed the old one."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms.models import model_to_dict
from django.urls import reverse
from django.utils import timezone

from tracker import services
from tracker.models import Plan, ReportingPeriod, limits

from .factories import PlanFactory, period_of
from .test_plan_periods import ADD_PLAN, plan_form

pytestmark = pytest.mark.django_db

DueStatus = ReportingPeriod.DueStatus
DAY = datetime.timedelta(days=1)


@pytest.fixture
def plan():
    return PlanFactory(slug="nap")


@pytest.fixture
def period(plan):
    return period_of(plan, 2021, 2)


def stored_periods():
    return [model_to_dict(period) for period in ReportingPeriod.objects.order_by("pk")]


def history_count():
    return ReportingPeriod.history.count()


def close(period):
    ReportingPeriod.objects.filter(pk=period.pk).update(
        status=ReportingPeriod.Status.CLOSED, closed_at=timezone.now()
    )
    period.refresh_from_db()
    return period


# The status of one period


def test_a_generated_period_is_due_the_plans_days_after_its_end(period):
    assert period.end_date == datetime.date(2021, 6, 30)
    assert period.due_on == datetime.date(2021, 7, 30)
    assert period.due_by_rule(30) and not period.due_by_rule(45)


@pytest.mark.parametrize(
    ("days_before", "status"),
    [
        (30, DueStatus.ON_TIME),
        (8, DueStatus.ON_TIME),
        (7, DueStatus.DUE_SOON),  # a week before: due soon
        (1, DueStatus.DUE_SOON),
        (0, DueStatus.DUE_SOON),  # the due day itself is not late yet
        (-1, DueStatus.LATE),  # the day after is
        (-400, DueStatus.LATE),
    ],
)
def test_due_status_around_the_due_date(period, days_before, status):
    today = period.due_on - datetime.timedelta(days=days_before)
    assert period.due_status(today) == status


def test_a_closed_period_is_closed_whatever_the_date(period):
    close(period)
    for today in (period.due_on - 30 * DAY, period.due_on, period.due_on + DAY):
        assert period.due_status(today) == DueStatus.CLOSED


def test_without_a_date_the_status_is_todays():
    today = timezone.localdate()
    current = PlanFactory(start_year=today.year, end_year=today.year + 1)
    period = current.reporting_periods.get(year=today.year + 1, quarter=4)
    assert period.due_status() == DueStatus.ON_TIME
    period.due_on = today
    assert period.due_status() == DueStatus.DUE_SOON
    period.due_on = today - DAY
    period.end_date = today - 2 * DAY
    assert period.due_status() == DueStatus.LATE


# The secretariat moves one period's due date


def test_the_secretariat_moves_a_due_date_with_a_reason(secretariat, period):
    before = history_count()
    moved = services.set_due_date(
        user=secretariat,
        period=period,
        due_on=datetime.date(2021, 8, 15),
        reason="  The committee granted two more weeks  ",
    )
    period.refresh_from_db()
    assert moved.due_on == period.due_on == datetime.date(2021, 8, 15)
    assert history_count() == before + 1
    latest = period.history.first()
    assert latest.history_user == secretariat
    assert latest.history_change_reason == "The committee granted two more weeks"
    # The due day may be the period's last day.
    services.set_due_date(user=secretariat, period=period, due_on=period.end_date, reason="Early")
    period.refresh_from_db()
    assert period.due_on == datetime.date(2021, 6, 30)


def test_the_same_date_again_writes_nothing(secretariat, period):
    before = history_count()
    services.set_due_date(user=secretariat, period=period, due_on=period.due_on, reason="Same")
    assert history_count() == before


@pytest.mark.parametrize("who", ["member", "reporting_staff", "framework_admin", "outsider"])
def test_only_the_secretariat_moves_a_due_date(request, period, who):
    before = stored_periods()
    with pytest.raises(PermissionDenied):
        services.set_due_date(
            user=request.getfixturevalue(who),
            period=period,
            due_on=datetime.date(2021, 8, 15),
            reason="Please",
        )
    assert stored_periods() == before


@pytest.mark.parametrize(
    ("due_on", "reason", "message"),
    [
        (datetime.date(2021, 8, 15), "", "Say why"),
        (datetime.date(2021, 8, 15), "   ", "Say why"),
        (datetime.date(2021, 8, 15), None, "Say why"),
        (datetime.date(2021, 8, 15), "x" * (limits.REASON + 1), "characters"),
        (datetime.date(2021, 6, 29), "Earlier", "before the period ends"),
        (datetime.date(2020, 1, 1), "Earlier", "before the period ends"),
        (datetime.date(2022, 7, 2), "Much later", "more than a year"),
        ("2021-08-15", "As text", "as a date"),
        (None, "Nothing", "as a date"),
    ],
)
def test_a_due_date_is_refused_and_nothing_changes(secretariat, period, due_on, reason, message):
    before, history = stored_periods(), history_count()
    with pytest.raises(ValidationError) as refused:
        services.set_due_date(user=secretariat, period=period, due_on=due_on, reason=reason)
    assert message in " ".join(refused.value.messages)
    assert stored_periods() == before and history_count() == history


def test_a_year_after_the_end_is_the_latest_due_date(secretariat, period):
    latest = period.end_date + datetime.timedelta(days=366)
    services.set_due_date(user=secretariat, period=period, due_on=latest, reason="Long delay")
    period.refresh_from_db()
    assert period.due_on == latest


def test_a_closed_periods_due_date_stays(secretariat, period):
    close(period)
    before = stored_periods()
    with pytest.raises(ValidationError) as refused:
        services.set_due_date(
            user=secretariat, period=period, due_on=datetime.date(2021, 8, 15), reason="Late"
        )
    assert "closed" in refused.value.messages[0]
    assert stored_periods() == before


# The periods page and its form


def due_date_url(period):
    return period.due_date_url


def test_the_url_names_a_quarter_or_a_whole_year(plan, period):
    assert due_date_url(period) == "/plans/nap/periods/2021-Q2/due-date/"
    year = plan.reporting_periods.get(year=2021, quarter__isnull=True)
    assert due_date_url(year) == "/plans/nap/periods/2021/due-date/"


def test_the_form_moves_the_date(client_for, secretariat, plan, period):
    response = client_for(secretariat).post(
        due_date_url(period), {"due_on": "2021-08-15", "reason": "Two more weeks"}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("period-list", args=[plan.slug])
    period.refresh_from_db()
    assert period.due_on == datetime.date(2021, 8, 15)
    assert "now due on" in response.content.decode()


def test_the_form_takes_a_date_typed_the_french_way(client_for, secretariat, period):
    client = client_for(secretariat)
    client.cookies["django_language"] = "fr"
    client.post(due_date_url(period), {"due_on": "15/08/2021", "reason": "Deux semaines"})
    period.refresh_from_db()
    assert period.due_on == datetime.date(2021, 8, 15)


def test_the_whole_years_form_moves_the_years_date(client_for, secretariat, plan):
    year = plan.reporting_periods.get(year=2021, quarter__isnull=True)
    client_for(secretariat).post(
        due_date_url(year), {"due_on": "2022-02-28", "reason": "The GBVIMS report comes late"}
    )
    year.refresh_from_db()
    assert year.due_on == datetime.date(2022, 2, 28)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"due_on": "2021-02-30", "reason": "No such day"}, "valid date"),
        ({"due_on": "next week", "reason": "Vague"}, "valid date"),
        ({"due_on": "", "reason": "Empty"}, "required"),
        ({"reason": "Missing"}, "required"),
        ({"due_on": "2021-08-15", "reason": ""}, "Say why"),
        ({"due_on": "2021-06-01", "reason": "Too early"}, "before the period ends"),
    ],
)
def test_the_form_refuses_with_a_message_and_changes_nothing(
    client_for, secretariat, period, data, message
):
    before, history = stored_periods(), history_count()
    response = client_for(secretariat).post(due_date_url(period), data, follow=True)
    page = response.content.decode()
    assert "The due date of Q2 2021 is unchanged" in page and message in page
    assert stored_periods() == before and history_count() == history


def test_the_periods_page_shows_due_dates_and_their_status(client_for, secretariat, plan):
    today = timezone.localdate()
    current = PlanFactory(slug="current", start_year=today.year - 1, end_year=today.year + 1)
    soon = current.reporting_periods.get(year=today.year - 1, quarter=4)
    ReportingPeriod.objects.filter(pk=soon.pk).update(due_on=today + 3 * DAY)
    close(current.reporting_periods.get(year=today.year - 1, quarter=1))
    page = client_for(secretariat).get(reverse("period-list", args=["current"])).content.decode()
    assert page.count('data-due-status="due_soon"') == 1
    assert page.count('data-due-status="on_time"') >= 1
    # Closed periods say "closed" in their status column, not again beside the date.
    assert 'data-due-status="closed"' not in page
    assert f'name="due_on" value="{(today + 3 * DAY).isoformat()}"' in page
    assert f'action="{soon.due_date_url}"' in page


def test_only_the_secretariat_gets_the_form(client_for, member, plan):
    page = client_for(member).get(reverse("period-list", args=[plan.slug])).content.decode()
    assert 'data-due-status="late"' in page
    assert 'name="due_on"' not in page and "due-date/" not in page


def test_the_completeness_page_shows_each_open_periods_due_date(client_for, secretariat, plan):
    close(period_of(plan, 2021, 1))
    page = client_for(secretariat).get(reverse("completeness", args=[plan.slug]))
    text = page.content.decode()
    assert "Reports due on July 30, 2021" in text  # Q2 2021
    assert text.count('data-due-status="late"') == len(page.context["not_reported"])
    assert 'data-due-status="closed"' not in text


# The plan's rule changes in the admin


@pytest.fixture
def admin_plan(client_for, framework_admin):
    client_for(framework_admin).post(ADD_PLAN, plan_form())
    return Plan.objects.get(slug="mali-2024-2026")


def change_plan(client, plan, **changes):
    return client.post(f"/admin/tracker/plan/{plan.pk}/change/", plan_form(**changes))


def test_a_new_rule_moves_the_open_periods_that_followed_the_old_one(
    client_for, framework_admin, secretariat, admin_plan
):
    q1, q2, q3 = (period_of(admin_plan, 2024, quarter) for quarter in (1, 2, 3))
    services.set_due_date(
        user=secretariat, period=q2, due_on=datetime.date(2024, 8, 20), reason="Moved by hand"
    )
    services.close_period(user=secretariat, period=q3)
    client = client_for(framework_admin)
    response = change_plan(client, admin_plan, days_to_report="45")
    assert response.status_code == 302
    for period in (q1, q2, q3):
        period.refresh_from_db()
    assert q1.due_on == datetime.date(2024, 5, 15)  # 31 March + 45 days
    assert q2.due_on == datetime.date(2024, 8, 20)  # the secretariat's date stays
    assert q3.due_on == datetime.date(2024, 10, 30)  # closed: as it was
    moved = [period for period in admin_plan.reporting_periods.all() if period.due_by_rule(45)]
    assert len(moved) == 13  # 15 periods, less the closed one and the one moved by hand
    latest = q1.history.first()
    assert latest.history_user == framework_admin
    assert "from 30 to 45" in latest.history_change_reason


def test_saving_the_plan_without_a_new_rule_moves_nothing(client_for, framework_admin, admin_plan):
    before, history = stored_periods(), history_count()
    change_plan(client_for(framework_admin), admin_plan, title_en="National action plan 1325")
    assert stored_periods() == before and history_count() == history


def test_the_service_does_nothing_when_the_rule_is_the_same(admin_plan):
    assert services.reschedule_due_dates(plan=admin_plan, previous_days=30) == []
