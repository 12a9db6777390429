"""The reporting workflow (DESIGN.md §2): draft → submitted → validated, or submitted →
returned with a reason → draft; who may do each step; the history each step leaves."""

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from tracker import services
from tracker.models import IndicatorValue, PeriodClosedError

from .factories import IndicatorFactory, IndicatorValueFactory, period_of

Status = IndicatorValue.Status
pytestmark = pytest.mark.django_db


@pytest.fixture
def indicator(plan, institution):
    indicator = IndicatorFactory(result__axis__plan=plan)
    indicator.responsible_institutions.add(institution)
    return indicator


@pytest.fixture
def period(indicator):
    return period_of(indicator.plan, 2023, 3)


def enter(user, indicator, period, amount=5, version=0, **kwargs):
    return services.save_value(
        user=user,
        indicator=indicator,
        period=period,
        data=services.ValueInput(value=Decimal(amount)),
        expected_version=version,
        **kwargs,
    )


def validate(user, *values):
    return services.validate(user=user, seen_versions={value.pk: value.version for value in values})


def return_value(user, value, reason):
    return services.return_for_correction(
        user=user, record=value, reason=reason, seen_version=value.version
    )


def test_full_cycle_leaves_a_history_entry_per_step(member, secretariat, indicator, period):
    value = enter(member, indicator, period)
    services.submit(user=member, values=[value])
    return_value(secretariat, value, "Add the Mopti cases")
    value.refresh_from_db()
    assert (value.status, value.return_reason) == (Status.RETURNED, "Add the Mopti cases")
    value = enter(member, indicator, period, amount=7, version=value.version)
    assert value.status == Status.DRAFT
    services.submit(user=member, values=[value])
    validate(secretariat, value)
    value.refresh_from_db()
    assert value.status == Status.VALIDATED
    assert value.validated_by == secretariat and value.validated_at
    steps = [
        (h.status, h.history_user.username, h.history_change_reason or "")
        for h in value.history.order_by("history_date")
    ]
    assert steps == [
        ("draft", "member", ""),
        ("submitted", "member", ""),
        ("returned", "secretariat", "Add the Mopti cases"),
        ("draft", "member", ""),
        ("submitted", "member", ""),
        ("validated", "secretariat", ""),
    ]
    assert [h.version for h in value.history.order_by("history_date")] == [1, 2, 3, 4, 5, 6]


@pytest.mark.parametrize(
    "user_fixture, allowed",
    [
        ("member", True),
        ("member2", False),
        ("secretariat", True),
        ("reporting_staff", False),
        ("framework_admin", False),
        ("outsider", False),
    ],
)
def test_who_may_enter_a_value(request, indicator, period, user_fixture, allowed):
    user = request.getfixturevalue(user_fixture)
    if allowed:
        assert enter(user, indicator, period).pk
    else:
        with pytest.raises(PermissionDenied):
            enter(user, indicator, period)
        assert not IndicatorValue.objects.exists()


@pytest.mark.parametrize(
    "user_fixture", ["member", "member2", "reporting_staff", "framework_admin", "outsider"]
)
def test_only_the_secretariat_validates_and_returns(request, indicator, period, user_fixture):
    user = request.getfixturevalue(user_fixture)
    value = IndicatorValueFactory(indicator=indicator, period=period, status=Status.SUBMITTED)
    with pytest.raises(PermissionDenied):
        validate(user, value)
    with pytest.raises(PermissionDenied):
        return_value(user, value, "Because")
    value.refresh_from_db()
    assert value.status == Status.SUBMITTED and value.history.count() == 1


def test_return_needs_a_reason(secretariat, indicator, period):
    value = IndicatorValueFactory(indicator=indicator, period=period, status=Status.SUBMITTED)
    for reason in ("", "   "):
        with pytest.raises(ValidationError):
            return_value(secretariat, value, reason)
    value.refresh_from_db()
    assert value.status == Status.SUBMITTED


def test_only_submitted_values_are_validated(secretariat, indicator, period):
    draft = IndicatorValueFactory(indicator=indicator, period=period, status=Status.DRAFT)
    with pytest.raises(ValidationError):
        validate(secretariat, draft)
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


@pytest.mark.parametrize(
    "user_fixture, allowed",
    [
        ("secretariat", True),
        ("member", False),
        ("reporting_staff", False),
        ("framework_admin", False),
    ],
)
def test_who_may_close_and_reopen_a_period(request, period, user_fixture, allowed):
    user = request.getfixturevalue(user_fixture)
    if not allowed:
        with pytest.raises(PermissionDenied):
            services.close_period(user=user, period=period)
        period.refresh_from_db()
        assert period.is_open
        return
    services.close_period(user=user, period=period)
    period.refresh_from_db()
    assert not period.is_open and period.closed_at
    with pytest.raises(ValidationError):
        services.reopen_period(user=user, period=period, reason="")
    services.reopen_period(user=user, period=period, reason="GBVIMS sent late figures")
    period.refresh_from_db()
    assert period.is_open and period.closed_at is None
    assert period.history.latest().history_change_reason == "GBVIMS sent late figures"


def test_closed_period_refuses_every_path(member, secretariat, indicator, period):
    submitted = IndicatorValueFactory(indicator=indicator, period=period, status=Status.SUBMITTED)
    services.close_period(user=secretariat, period=period)
    with pytest.raises(PeriodClosedError):
        enter(member, indicator, period, version=1)
    with pytest.raises(PeriodClosedError):
        validate(secretariat, submitted)
    with pytest.raises(PeriodClosedError):
        return_value(secretariat, submitted, "Late")
    # Even a direct save, as a script or import would do.
    submitted.value = Decimal(99)
    with pytest.raises(PeriodClosedError):
        submitted.save()
    assert IndicatorValue.objects.get().value == Decimal(5)


def test_stale_version_is_refused_with_who_and_when(member, secretariat, indicator, period):
    value = enter(member, indicator, period)
    enter(secretariat, indicator, period, amount=6, version=value.version)
    with pytest.raises(services.StaleVersionError) as refused:
        enter(member, indicator, period, amount=8, version=value.version)
    assert refused.value.saved_by == "secretariat"
    assert IndicatorValue.objects.get().value == Decimal(6)


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks need PostgreSQL; SQLite serialises"
)
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_saves_from_one_version_exactly_one_wins(
    member, secretariat, indicator, period
):
    start = enter(member, indicator, period)
    barrier = threading.Barrier(2)
    outcomes = {}

    def save(user, amount):
        try:
            barrier.wait()
            enter(user, indicator, period, amount=amount, version=start.version)
            outcomes[user.username] = "saved"
        except services.StaleVersionError as error:
            outcomes[user.username] = error
        finally:
            connection.close()

    threads = [
        threading.Thread(target=save, args=(member, 11)),
        threading.Thread(target=save, args=(secretariat, 22)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    winners = [name for name, outcome in outcomes.items() if outcome == "saved"]
    losers = [outcome for outcome in outcomes.values() if outcome != "saved"]
    assert len(winners) == 1 and len(losers) == 1
    stored = IndicatorValue.objects.get()
    assert stored.value == (Decimal(11) if winners == ["member"] else Decimal(22))
    assert stored.version == start.version + 1
    assert losers[0].saved_by == winners[0]
