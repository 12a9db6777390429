"""Corrections (issue 14): the secretariat reopens a validated value with a reason; it goes back
to its institution as returned, as a new version, and through the same workflow again (the
four-eyes rule included). The history says "Correction: …", the thread carries the reason, and
a published report counts the value as changed since publication, before and after it is
validated again."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms.models import model_to_dict
from django.urls import reverse
from django.utils import timezone

from tracker import roles, services
from tracker.models import IndicatorValue, ReportingPeriod, ValueComment, limits
from tracker.reports import annual

from .factories import (
    IndicatorFactory,
    IndicatorValueFactory,
    PlanFactory,
    UserFactory,
    period_of,
)

pytestmark = pytest.mark.django_db

Status = IndicatorValue.Status
YEAR = 2021


@pytest.fixture
def plan():
    return PlanFactory(slug="mali-2019-2023")


@pytest.fixture
def validator(db):
    """The secretariat member who validated the value."""
    return UserFactory(username="validator", role=roles.SECRETARIAT)


@pytest.fixture
def value(plan, institution, member, validator):
    indicator = IndicatorFactory(result__axis__plan=plan, code="3.0-a")
    indicator.responsible_institutions.add(institution)
    return IndicatorValueFactory(
        indicator=indicator,
        period=period_of(plan, YEAR, 1),
        value=Decimal(1879),
        status=Status.VALIDATED,
        entered_by=member,
        submitted_by=member,
        validated_by=validator,
        version=3,
    )


def stored(value):
    return (
        model_to_dict(IndicatorValue.objects.get(pk=value.pk)),
        IndicatorValue.history.filter(id=value.pk).count(),
        ValueComment.objects.count(),
    )


def close(period):
    ReportingPeriod.objects.filter(pk=period.pk).update(
        status=ReportingPeriod.Status.CLOSED, closed_at=timezone.now()
    )


def test_the_secretariat_reopens_a_validated_value_with_a_reason(secretariat, value):
    record = services.reopen_value(
        user=secretariat, record=value, reason="GBVIMS revised Q1.", seen_version=3
    )
    record.refresh_from_db()
    assert record.status == Status.RETURNED
    assert record.version == 4
    assert record.return_reason == "GBVIMS revised Q1."
    assert record.validated_by is None and record.validated_at is None
    assert record.value == Decimal(1879)  # the figure waits for its institution's correction
    latest = record.history.latest()
    assert latest.history_user == secretariat
    assert latest.history_change_reason == "Correction: GBVIMS revised Q1."
    assert latest.status == Status.RETURNED


def test_the_validator_may_reopen_their_own_validation(validator, value):
    # Four eyes bars validating what one entered or submitted, not correcting what one saw.
    services.reopen_value(user=validator, record=value, reason="Typo", seen_version=3)
    assert IndicatorValue.objects.get(pk=value.pk).status == Status.RETURNED


@pytest.mark.parametrize("who", ["member", "member2", "reporting_staff", "framework_admin"])
def test_only_the_secretariat_reopens(request, who, value):
    before = stored(value)
    with pytest.raises(PermissionDenied):
        services.reopen_value(
            user=request.getfixturevalue(who), record=value, reason="Typo", seen_version=3
        )
    assert stored(value) == before


@pytest.mark.parametrize("reason", ["", "   ", None])
def test_a_reopening_needs_a_reason(secretariat, value, reason):
    before = stored(value)
    with pytest.raises(ValidationError, match="Say what must be corrected"):
        services.reopen_value(user=secretariat, record=value, reason=reason, seen_version=3)
    assert stored(value) == before


def test_a_reason_longer_than_the_limit_is_refused(secretariat, value):
    before = stored(value)
    with pytest.raises(ValidationError, match="At most"):
        services.reopen_value(
            user=secretariat, record=value, reason="x" * (limits.REASON + 1), seen_version=3
        )
    assert stored(value) == before


def test_a_value_changed_since_it_was_seen_is_not_reopened(secretariat, value):
    before = stored(value)
    with pytest.raises(ValidationError, match="changed this value"):
        services.reopen_value(user=secretariat, record=value, reason="Typo", seen_version=2)
    assert stored(value) == before


def test_a_value_of_a_closed_period_is_not_reopened(secretariat, value):
    close(value.period)
    before = stored(value)
    with pytest.raises(ValidationError, match="Period Q1 2021 is closed"):
        services.reopen_value(user=secretariat, record=value, reason="Typo", seen_version=3)
    assert stored(value) == before


@pytest.mark.parametrize("status", [Status.DRAFT, Status.SUBMITTED, Status.RETURNED])
def test_only_a_validated_value_is_reopened(secretariat, value, status):
    IndicatorValue.objects.filter(pk=value.pk).update(status=status, return_reason="Earlier")
    before = stored(value)
    with pytest.raises(ValidationError, match="not validated"):
        services.reopen_value(user=secretariat, record=value, reason="Typo", seen_version=3)
    assert stored(value) == before


def test_the_corrected_value_goes_through_the_same_workflow(secretariat, validator, member, value):
    services.reopen_with_comment(
        user=secretariat, record=value, reason="GBVIMS revised Q1.", seen_version=3
    )
    assert value.comments.get().text == "Reopened for correction: GBVIMS revised Q1."

    # The member corrects and submits it again, from the returned value.
    record = services.save_value(
        user=member,
        indicator=value.indicator,
        period=value.period,
        data=services.ValueInput(value=Decimal(1900), source="GBVIMS, revised"),
        expected_version=4,
    )
    assert record.status == Status.DRAFT and record.version == 5
    services.submit(user=member, values=[record])
    record.refresh_from_db()
    assert record.status == Status.SUBMITTED and record.version == 6

    # Four eyes still applies; the secretariat member who reopened it may validate it.
    with pytest.raises(PermissionDenied):
        services.validate(user=member, seen_versions={record.pk: 6})
    services.validate(user=secretariat, seen_versions={record.pk: 6})
    record.refresh_from_db()
    assert record.status == Status.VALIDATED and record.value == Decimal(1900)
    assert record.validated_by == secretariat

    reasons = list(record.history.order_by("history_date").values_list("history_change_reason"))
    assert ("Correction: GBVIMS revised Q1.",) in reasons


def test_a_published_report_counts_the_corrected_value_as_changed(
    client_for, plan, secretariat, member, reporting_staff, value
):
    services.publish_report(user=reporting_staff, plan=plan, year=YEAR)
    published = annual.value_versions(plan, YEAR)
    assert annual.changes_since(published, plan, YEAR) == 0

    services.reopen_value(user=secretariat, record=value, reason="Revised", seen_version=3)
    assert annual.changes_since(published, plan, YEAR) == 1  # no longer validated

    record = services.save_value(
        user=member,
        indicator=value.indicator,
        period=value.period,
        data=services.ValueInput(value=Decimal(1900)),
        expected_version=4,
    )
    services.submit(user=member, values=[record])
    services.validate(user=secretariat, seen_versions={record.pk: 6})
    assert annual.changes_since(published, plan, YEAR) == 1  # validated again, a new version

    report = client_for(reporting_staff).get(reverse("annual-report", args=[plan.slug, YEAR]))
    assert "1 validated value has changed since publication" in report.content.decode()


# The page


def page_url(value):
    return reverse("value-detail", args=[value.period.plan.slug, value.pk])


def decide(client, value, **data):
    url = reverse("value-decision", args=[value.period.plan.slug, value.pk])
    return client.post(url, data)


def test_reopening_from_the_page(client_for, secretariat, value, member):
    client = client_for(secretariat)
    page = client.get(page_url(value)).content.decode()
    assert "Reopen for correction" in page
    response = decide(client, value, action="reopen", version=3, reason="GBVIMS revised Q1.")
    assert response.status_code == 302
    assert response["Location"] == page_url(value)
    value.refresh_from_db()
    assert value.status == Status.RETURNED
    page = client.get(page_url(value)).content.decode()
    assert "3.0-a Q1 2021 was reopened" in page
    assert "Reopened for correction: GBVIMS revised Q1." in page
    assert "Correction: GBVIMS revised Q1." in page  # the history


def test_a_refused_reopening_shows_the_page_again_with_the_reason_typed(
    client_for, secretariat, value
):
    before = stored(value)
    response = decide(client_for(secretariat), value, action="reopen", version=2, reason="Typo 42")
    assert response.status_code == 400
    page = response.content.decode()
    assert "changed this value" in page
    assert "Typo 42" in page
    assert stored(value) == before


def test_a_closed_periods_value_offers_no_reopening(client_for, secretariat, value):
    close(value.period)
    page = client_for(secretariat).get(page_url(value)).content.decode()
    assert "Reopen for correction" not in page
    assert "Period Q1 2021 is closed" in page


def test_a_member_is_not_offered_the_reopening_and_cannot_post_it(client_for, member, value):
    client = client_for(member)
    assert "Reopen for correction" not in client.get(page_url(value)).content.decode()
    before = stored(value)
    response = decide(client, value, action="reopen", version=3, reason="Mine")
    assert response.status_code == 403
    assert stored(value) == before


def test_the_member_is_led_to_the_entry_page_to_correct_it(client_for, secretariat, member, value):
    services.reopen_with_comment(user=secretariat, record=value, reason="Revised", seen_version=3)
    page = client_for(member).get(page_url(value)).content.decode()
    assert "Returned by the secretariat" in page and "Revised" in page
    entry = reverse("period-entry", args=[value.period.plan.slug, YEAR, 1])
    assert f'href="{entry}"' in page
