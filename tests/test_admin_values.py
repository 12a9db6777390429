"""The secretariat may enter and correct values in the admin, under the same rules as the
entry page: unit checks, closed periods, versions, reasons, history (issue: data entry)."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from tracker.models import IndicatorValue

from .factories import IndicatorFactory, IndicatorValueFactory, period_of

pytestmark = pytest.mark.django_db
Status = IndicatorValue.Status


@pytest.fixture
def percentage():
    return IndicatorFactory(percentage=True)


def add_url():
    return reverse("admin:tracker_indicatorvalue_add")


def change_url(value):
    return reverse("admin:tracker_indicatorvalue_change", args=[value.pk])


def post_data(indicator, period, **fields):
    return {
        "indicator": indicator.pk,
        "period": period.pk,
        "value": "",
        "numerator": "",
        "denominator": "",
        "narrative": "",
        "source": "CSA list of members",
        "note": "",
        "qualifier": "exact",
        "expected_version": "0",
        "change_reason": "",
        "breakdown_rows-TOTAL_FORMS": "0",
        "breakdown_rows-INITIAL_FORMS": "0",
        **fields,
    }


def test_secretariat_adds_a_value_in_the_admin(client_for, secretariat, percentage):
    period = period_of(percentage.plan, 2021, 1)
    response = client_for(secretariat).post(
        add_url(), post_data(percentage, period, numerator="9", denominator="29")
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    value = IndicatorValue.objects.get()
    assert (value.value, value.status, value.version) == (Decimal("31.0345"), Status.DRAFT, 1)
    assert value.history.get().history_user == secretariat


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"value": "150"}, "cannot exceed 100"),
        ({"numerator": "30", "denominator": "29"}, "cannot exceed the denominator"),
        ({"numerator": "3"}, "both the numerator and the denominator"),
        ({"value": "-3"}, "cannot be negative"),
        ({"value": "abc"}, "Enter a number"),
    ],
)
def test_admin_refuses_bad_figures(client_for, secretariat, percentage, fields, message):
    period = period_of(percentage.plan, 2021, 1)
    response = client_for(secretariat).post(add_url(), post_data(percentage, period, **fields))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not IndicatorValue.objects.exists()


def test_admin_refuses_a_closed_period(client_for, secretariat, percentage):
    period = period_of(percentage.plan, 2021, 1)
    period.status, period.closed_at = "closed", timezone.now()
    period.save()
    response = client_for(secretariat).post(
        add_url(), post_data(percentage, period, numerator="9", denominator="29")
    )
    assert "is closed; ask the secretariat to reopen it" in response.content.decode()
    assert not IndicatorValue.objects.exists()


def test_admin_correction_of_a_validated_value_needs_a_reason(client_for, secretariat, percentage):
    value = IndicatorValueFactory(
        indicator=percentage, numerator=Decimal(9), denominator=Decimal(29)
    )
    client = client_for(secretariat)
    data = post_data(
        percentage, value.period, numerator="10", denominator="29", expected_version="1"
    )
    response = client.post(change_url(value), data)
    assert "needs a reason" in response.content.decode()
    value.refresh_from_db()
    assert value.numerator == 9
    response = client.post(change_url(value), {**data, "change_reason": "Official list of 2021"})
    assert response.status_code == 302
    value.refresh_from_db()
    assert (value.numerator, value.status, value.version) == (10, Status.VALIDATED, 2)
    assert value.history.latest().history_change_reason == "Official list of 2021"


def test_admin_refuses_a_stale_form(client_for, secretariat, percentage):
    value = IndicatorValueFactory(
        indicator=percentage,
        numerator=Decimal(9),
        denominator=Decimal(29),
        status=Status.DRAFT,
        version=4,
    )
    response = client_for(secretariat).post(
        change_url(value),
        post_data(percentage, value.period, numerator="1", denominator="29", expected_version="3"),
    )
    assert "after you opened the page" in response.content.decode()
    value.refresh_from_db()
    assert value.numerator == 9


def test_admin_breakdown_must_add_up(client_for, secretariat):
    from .factories import DimensionValueFactory

    count = IndicatorFactory()
    women, men = DimensionValueFactory(code="women"), DimensionValueFactory(code="men")
    period = period_of(count.plan, 2021, 1)
    data = post_data(
        count,
        period,
        value="10",
        **{
            "breakdown_rows-TOTAL_FORMS": "2",
            "breakdown_rows-0-category": women.pk,
            "breakdown_rows-0-value": "4",
            "breakdown_rows-1-category": men.pk,
            "breakdown_rows-1-value": "5",
        },
    )
    response = client_for(secretariat).post(add_url(), data)
    assert "adds up to 9 but the total is 10" in response.content.decode()
    assert not IndicatorValue.objects.exists()


def test_the_admin_validates_nothing(client_for, secretariat, percentage):
    """Values are validated in the queue, where the secretariat sees the figure and its version
    and the four-eyes rule holds; the admin has no way around it."""
    value = IndicatorValueFactory(indicator=percentage, value=Decimal(3), status=Status.SUBMITTED)
    client = client_for(secretariat)
    client.post(
        reverse("admin:tracker_indicatorvalue_changelist"),
        {"action": "validate_selected", "_selected_action": [value.pk]},
    )
    value.refresh_from_db()
    assert value.status == Status.SUBMITTED
    history = value.history.get()
    url = reverse(
        "admin:tracker_indicatorvalue_simple_history", args=[value.pk, history.history_id]
    )
    assert client.post(url, {"status": "validated"}).status_code == 403
    value.refresh_from_db()
    assert value.status == Status.SUBMITTED
