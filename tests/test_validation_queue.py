"""The secretariat's validation queue: who may see it, validating in bulk, returning with a
reason, refusals that change nothing, and a query count that does not grow with the queue."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.forms.models import model_to_dict
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tracker.models import Indicator, IndicatorValue, ReportingPeriod
from tracker.views.validation import validation_queue

from .factories import (
    AxisFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    InstitutionFactory,
    PlanFactory,
    ResultFactory,
    ScaleLevelFactory,
    UserFactory,
    period_of,
)

pytestmark = pytest.mark.django_db

SUBMITTED = IndicatorValue.Status.SUBMITTED


@pytest.fixture
def url(plan):
    return reverse("validation-queue", args=[plan.slug])


@pytest.fixture
def indicator(plan, institution):
    indicator = IndicatorFactory(
        result__axis__plan=plan, code="2.1-a", name="Women trained in mediation"
    )
    indicator.responsible_institutions.add(institution)
    return indicator


def submitted(indicator, year=2021, quarter=1, **fields):
    entered_by = fields.pop("entered_by", None) or UserFactory(first_name="Awa", last_name="Diarra")
    return IndicatorValueFactory(
        indicator=indicator,
        period=period_of(indicator.plan, year, quarter),
        status=SUBMITTED,
        validated_at=None,
        entered_by=entered_by,
        submitted_at=timezone.now(),
        **fields,
    )


def seen(value):
    """The tick of a queue row: the value and the version the secretariat looked at."""
    return f"{value.pk}:{value.version}"


def snapshot(value):
    """The stored row, to prove a refused action changed nothing."""
    return model_to_dict(IndicatorValue.objects.get(pk=value.pk))


def close(period):
    ReportingPeriod.objects.filter(pk=period.pk).update(status="closed", closed_at=timezone.now())


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("secretariat", 200),
        ("superuser", 200),
        ("member", 403),
        ("reporting_staff", 403),
        ("framework_admin", 403),
        ("outsider", 403),
    ],
)
def test_only_the_secretariat_sees_the_queue(request, client_for, url, who, status):
    response = client_for(request.getfixturevalue(who)).get(url)
    assert response.status_code == status


def test_refusal_is_a_permission_denied_that_says_why(rf, member, plan):
    request = rf.get("/")
    request.user = member
    with pytest.raises(PermissionDenied, match="Only the secretariat validates"):
        validation_queue(request, plan.slug)


def test_anonymous_visitor_is_sent_to_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_queue_lists_submitted_values_with_what_to_check(client_for, secretariat, url, indicator):
    value = submitted(indicator, value=Decimal("1234"))
    IndicatorValueFactory(indicator=indicator, period=period_of(indicator.plan, 2021, 2))
    response = client_for(secretariat).get(url)
    page = response.content.decode()
    assert list(response.context["table"].page.object_list.data) == [value]
    assert "2.1-a" in page and "Women trained in mediation" in page
    assert "MPFEF" in page
    assert "Q1 2021" in page
    assert "1,234" in page or "1\xa0234" in page  # English or French grouping
    assert "Awa Diarra" in page
    assert reverse("value-detail", args=[indicator.plan.slug, value.pk]) in page


def test_filters_narrow_the_queue(client_for, secretariat, url, plan, indicator, other_institution):
    other = IndicatorFactory(result=ResultFactory(axis=AxisFactory(plan=plan)))
    other.responsible_institutions.add(other_institution)
    mine = submitted(indicator)
    theirs = submitted(other, 2021, 2)
    client = client_for(secretariat)

    def listed(query):
        return set(client.get(url, query).context["table"].page.object_list.data)

    assert listed({}) == {mine, theirs}
    assert listed({"institution": other_institution.pk}) == {theirs}
    assert listed({"axis": indicator.result.axis_id}) == {mine}
    assert listed({"period": period_of(plan, 2021, 2).pk}) == {theirs}


def test_queue_is_paginated_by_fifty(client_for, secretariat, url, plan, institution):
    for number in range(51):
        indicator = IndicatorFactory(result__axis__plan=plan, code=f"9.{number}")
        submitted(indicator, entered_by=secretariat)
    response = client_for(secretariat).get(url)
    assert len(response.context["table"].page.object_list) == 50
    assert response.context["table"].paginator.num_pages == 2


def test_secretariat_validates_several_values_at_once(client_for, secretariat, url, indicator):
    first, second = submitted(indicator, 2021, 1), submitted(indicator, 2021, 2)
    untouched = submitted(indicator, 2021, 3)
    response = client_for(secretariat).post(
        url, {"action": "validate", "values": [seen(first), seen(second)]}
    )
    assert response.status_code == 302
    for value in (first, second):
        value.refresh_from_db()
        assert value.status == IndicatorValue.Status.VALIDATED
        assert value.validated_by == secretariat
        assert timezone.now() - value.validated_at < datetime.timedelta(minutes=1)
        latest = value.history.latest()
        assert latest.status == IndicatorValue.Status.VALIDATED
        assert latest.history_user == secretariat
    untouched.refresh_from_db()
    assert untouched.status == SUBMITTED


def test_after_an_action_the_queue_keeps_its_filters(client_for, secretariat, url, indicator):
    value = submitted(indicator)
    query = f"?period={value.period_id}&page=1"
    response = client_for(secretariat).post(
        url + query, {"action": "validate", "values": [seen(value)]}
    )
    assert response.status_code == 302
    assert response["Location"] == url + query


def test_secretariat_returns_a_value_with_a_reason(client_for, secretariat, url, indicator):
    value = submitted(indicator)
    client = client_for(secretariat)
    response = client.post(
        url,
        {
            "action": "return",
            "value": value.pk,
            "version": value.version,
            "reason": "Attach the training list.",
        },
    )
    assert response.status_code == 302
    value.refresh_from_db()
    assert value.status == IndicatorValue.Status.RETURNED
    assert value.return_reason == "Attach the training list."
    latest = value.history.latest()
    assert latest.history_change_reason == "Attach the training list."
    assert latest.history_user == secretariat
    assert "returned" in client.get(url).content.decode()


def test_return_without_a_reason_is_refused(client_for, secretariat, url, indicator):
    value = submitted(indicator)
    before = snapshot(value)
    client = client_for(secretariat)
    response = client.post(
        url,
        {"action": "return", "value": value.pk, "version": value.version, "reason": "  "},
        follow=True,
    )
    assert snapshot(value) == before
    assert value.history.count() == 1
    page = response.content.decode()
    assert "alert-danger" in page
    assert "Say why the value is returned" in page


def test_member_cannot_validate(client_for, member, url, indicator):
    value = submitted(indicator)
    before = snapshot(value)
    response = client_for(member).post(url, {"action": "validate", "values": [seen(value)]})
    assert response.status_code == 403
    assert snapshot(value) == before


def test_member_cannot_return(client_for, member, url, indicator):
    value = submitted(indicator)
    before = snapshot(value)
    response = client_for(member).post(
        url, {"action": "return", "value": value.pk, "version": value.version, "reason": "x"}
    )
    assert response.status_code == 403
    assert snapshot(value) == before


def test_a_value_of_a_closed_period_is_neither_validated_nor_returned(
    client_for, secretariat, url, indicator
):
    open_value = submitted(indicator, 2021, 2)
    value = submitted(indicator, 2021, 1)
    close(value.period)
    before, open_before = snapshot(value), snapshot(open_value)
    client = client_for(secretariat)

    response = client.post(
        url, {"action": "validate", "values": [seen(open_value), seen(value)]}, follow=True
    )
    assert "Period Q1 2021 is closed" in response.content.decode()
    # All or nothing: the open period's value stays submitted too.
    assert snapshot(value) == before
    assert snapshot(open_value) == open_before

    response = client.post(
        url,
        {"action": "return", "value": value.pk, "version": value.version, "reason": "Wrong figure"},
        follow=True,
    )
    assert "Period Q1 2021 is closed" in response.content.decode()
    assert snapshot(value) == before


def test_validating_with_nothing_ticked_says_so(client_for, secretariat, url, indicator):
    value = submitted(indicator)
    response = client_for(secretariat).post(url, {"action": "validate"}, follow=True)
    assert "Tick the values to validate" in response.content.decode()
    assert IndicatorValue.objects.get(pk=value.pk).status == SUBMITTED


def test_a_value_of_another_plan_cannot_be_validated_here(client_for, secretariat, url, plan):
    elsewhere = IndicatorFactory(result__axis__plan=PlanFactory())
    value = submitted(elsewhere)
    client_for(secretariat).post(url, {"action": "validate", "values": [seen(value)]})
    assert IndicatorValue.objects.get(pk=value.pk).status == SUBMITTED


def fill_queue(plan, size):
    """`size` submitted values across axes, institutions and periods, some with scale levels."""
    for number in range(size):
        institution = InstitutionFactory()
        scale = number % 2 == 0
        indicator = IndicatorFactory(
            result__axis__plan=plan,
            code=f"{size}.{number}",
            **({"unit_kind": "scale", "aggregation": "latest"} if scale else {}),
        )
        indicator.responsible_institutions.add(institution, InstitutionFactory())
        if scale:
            ScaleLevelFactory(indicator=indicator, value=1, name=f"Level of {indicator.code}")
        submitted(indicator, 2019 + number % 5, 1 + number % 4, value=1)


def test_a_scale_reads_with_its_level_and_its_institutions_in_order(
    client_for, secretariat, url, plan
):
    fill_queue(plan, 2)
    page = client_for(secretariat).get(url).content.decode()
    assert "1 – Level of 2.0" in page
    indicator = Indicator.objects.get(code="2.0")
    names = sorted(
        institution.short_name for institution in indicator.responsible_institutions.all()
    )
    assert ", ".join(names) in page


def test_queue_query_count_does_not_grow_with_the_rows(client_for, secretariat, url, plan):
    client = client_for(secretariat)
    fill_queue(plan, 2)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    fill_queue(plan, 12)
    with CaptureQueriesContext(connection) as large:
        response = client.get(url)
    assert len(response.context["table"].page.object_list) == 14
    assert len(large.captured_queries) == len(small.captured_queries)


def test_queue_pins_its_query_count(client_for, secretariat, url, plan, django_assert_num_queries):
    client = client_for(secretariat)
    fill_queue(plan, 5)
    client.get(url)
    # session, user, the user's permissions (their own and their roles', one query), plan, the
    # three filter choices (institutions, axes, periods), row count, rows, their responsible
    # institutions, their scale levels, the validated figures their outlier warnings are
    # measured against, what waits in the user's inbox (navigation bar)
    with django_assert_num_queries(13):
        client.get(url)


def test_the_filters_read_as_bootstrap_fields_with_their_labels(client_for, secretariat, url):
    page = client_for(secretariat).get(url).content.decode()
    assert '<label for="id_institution" class="form-label">Institution</label>' in page
    assert 'class="form-select"' in page and 'id="id_institution"' in page
    # the checkbox: its box, then its label, Bootstrap's form-check
    assert (
        '<div id="div_id_warnings" class="form-check"><input type="checkbox" name="warnings"'
        in page
    )
    assert 'class="form-check-input"' in page
    assert '<label for="id_warnings" class="form-check-label">' in page


def test_a_filter_refused_says_why_under_it(client_for, secretariat, url):
    page = client_for(secretariat).get(url, {"axis": "999999"}).content.decode()
    assert 'class="form-select is-invalid"' in page
    assert 'aria-describedby="id_axis_error"' in page
    assert (
        '<div id="id_axis_error" class="invalid-feedback"><p id="error_1_id_axis">'
        "<strong>Select a valid choice." in page
    )
