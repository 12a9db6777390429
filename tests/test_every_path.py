"""Every path, same rules (DESIGN.md §7): the service, the entry form, the admin and the
database itself refuse the same bad figures, the same oversized text and the same write to a
closed period, and each refusal leaves the tables as they were. Four eyes and "validate what
you saw" in the review of submitted values."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.forms.models import model_to_dict
from django.urls import reverse
from django.utils import timezone

from tracker import roles, services
from tracker.models import (
    ActivityProgress,
    BreakdownRow,
    EvidenceFile,
    IndicatorValue,
    ReportingPeriod,
    limits,
)

from .factories import (
    ActivityFactory,
    DimensionValueFactory,
    IndicatorFactory,
    UserFactory,
    period_of,
)
from .test_admin_values import post_data as admin_post_data

pytestmark = pytest.mark.django_db
Status = IndicatorValue.Status


@pytest.fixture
def period(plan):
    return period_of(plan, 2021, 2)


@pytest.fixture
def women_men():
    return [DimensionValueFactory(name="Women"), DimensionValueFactory(name="Men")]


@pytest.fixture
def cases(plan, institution, women_men):
    """A count broken down by sex, reported by the member's institution."""
    indicator = IndicatorFactory(result__axis__plan=plan, code="2.1-a")
    indicator.responsible_institutions.add(institution)
    indicator.dimensions.add(women_men[0].dimension)
    return indicator


@pytest.fixture
def share(plan, institution):
    indicator = IndicatorFactory(result__axis__plan=plan, code="1.1-a", percentage=True)
    indicator.responsible_institutions.add(institution)
    return indicator


def tables():
    """Every reporting row, to prove a refusal stored nothing."""
    return [
        [model_to_dict(row) for row in model.objects.order_by("pk")]
        for model in (IndicatorValue, BreakdownRow, ActivityProgress, EvidenceFile)
    ]


HUGE = "x" * 1_000_000
THIRTY_DIGITS = Decimal("1" * 30)

# (what, indicator fixture, input, the refusal's words)
BAD_INPUT = [
    ("percentage of 150", "share", {"value": Decimal(150)}, "cannot exceed 100"),
    ("numerator above its denominator", "share", {"numerator": 30, "denominator": 29}, "exceed"),
    ("negative count", "cases", {"value": Decimal(-3)}, "cannot be negative"),
    ("30-digit number", "cases", {"value": THIRTY_DIGITS}, "digits"),
    ("narrative of 1 MB", "cases", {"value": Decimal(3), "narrative": HUGE}, "At most 5"),
    ("source of 1 MB", "cases", {"value": Decimal(3), "source": HUGE}, "At most 1"),
    ("breakdown that does not add up", "cases", {"value": Decimal(100), "cells": [40, 50]}, "-10"),
    ("negative breakdown cell", "cases", {"value": Decimal(0), "cells": [-5, 5]}, "zero or more"),
]


def value_input(indicator, fields, women_men):
    fields = dict(fields)
    cells = fields.pop("cells", None)
    for name in ("numerator", "denominator"):
        if name in fields:
            fields[name] = Decimal(fields[name])
    breakdown = None
    if cells is not None:
        breakdown = {
            (category.pk, None): Decimal(amount)
            for category, amount in zip(women_men, cells, strict=True)
        }
    return services.ValueInput(breakdown=breakdown, **fields)


@pytest.mark.parametrize("what, fixture, fields, words", BAD_INPUT, ids=[b[0] for b in BAD_INPUT])
def test_the_service_refuses_what_the_form_refuses(
    request, member, period, women_men, what, fixture, fields, words
):
    indicator = request.getfixturevalue(fixture)
    before = tables()
    with pytest.raises(ValidationError) as refused:
        services.save_value(
            user=member,
            indicator=indicator,
            period=period,
            data=value_input(indicator, fields, women_men),
            expected_version=0,
        )
    assert words in " ".join(refused.value.messages)
    assert tables() == before


def test_a_breakdown_with_a_category_of_another_dimension_is_refused(member, cases, period):
    stranger = DimensionValueFactory(dimension__code="region", name="Mopti")
    data = services.ValueInput(value=Decimal(5), breakdown={(stranger.pk, None): Decimal(5)})
    with pytest.raises(ValidationError, match="not broken down by"):
        services.save_value(
            user=member, indicator=cases, period=period, data=data, expected_version=0
        )
    assert not IndicatorValue.objects.exists()


def test_the_service_stores_a_sound_value(member, cases, period, women_men):
    data = value_input(cases, {"value": Decimal(90), "cells": [40, 50]}, women_men)
    record = services.save_value(
        user=member, indicator=cases, period=period, data=data, expected_version=0
    )
    assert record.value == 90 and record.breakdown_rows.count() == 2


def entry_url(plan, period):
    return reverse("period-entry", args=[plan.slug, period.year, period.quarter])


@pytest.mark.parametrize(
    "field, text, words",
    [
        ("value", "1" * 30, "digits"),
        ("narrative", HUGE, "at most 5"),
        ("source", "y" * 1_001, "at most 1"),
    ],
)
def test_the_entry_form_refuses_too_much(
    client_for, member, cases, plan, period, field, text, words
):
    data = {"action": "save", f"i{cases.pk}-version": "0", f"i{cases.pk}-value": "3"}
    data[f"i{cases.pk}-{field}"] = text
    response = client_for(member).post(entry_url(plan, period), data)
    assert response.status_code == 400
    assert words in response.content.decode().replace("\u202f", "").replace(",", "")
    assert not IndicatorValue.objects.exists()


def test_a_thirty_digit_number_stored_another_way_cannot_break_the_entry_page(
    client_for, member, cases, plan, period
):
    # A CHECK constraint on SQLite; PostgreSQL's numeric(20, 4) overflows first.
    with pytest.raises(DatabaseError), transaction.atomic():
        IndicatorValue.objects.create(indicator=cases, period=period, value=THIRTY_DIGITS)
    assert client_for(member).get(entry_url(plan, period)).status_code == 200


# The admin


@pytest.mark.parametrize(
    "fields, words",
    [
        ({"value": "1" * 30}, "digits"),
        ({"value": "3", "narrative": HUGE}, "at most 5"),
        ({"value": "150"}, "Ensure"),
    ],
)
def test_the_admin_refuses_the_same_input(
    client_for, secretariat, share, cases, period, fields, words
):
    indicator = share if fields.get("value") == "150" else cases
    response = client_for(secretariat).post(
        reverse("admin:tracker_indicatorvalue_add"), admin_post_data(indicator, period, **fields)
    )
    assert response.status_code == 200
    page = response.content.decode().replace("\u202f", "").replace(",", "")
    assert words in page or "cannot exceed 100" in page
    assert not IndicatorValue.objects.exists()


def close(period):
    ReportingPeriod.objects.filter(pk=period.pk).update(
        status=ReportingPeriod.Status.CLOSED, closed_at=timezone.now()
    )


def test_an_admin_change_in_a_closed_period_answers_with_a_message(
    client_for, secretariat, plan, period
):
    activity = ActivityFactory(opportunity__result__axis__plan=plan)
    progress = ActivityProgress.objects.create(
        activity=activity, period=period, status="ongoing", percent_complete=40
    )
    close(period)
    before = tables()
    response = client_for(secretariat).post(
        reverse("admin:tracker_activityprogress_change", args=[progress.pk]),
        {
            "activity": activity.pk,
            "period": period.pk,
            "status": "ongoing",
            "percent_complete": "60",
            "amount_spent": "",
            "narrative": "",
        },
        follow=True,
    )
    assert response.status_code == 200
    assert "is closed" in response.content.decode()
    assert tables() == before


# The database itself


@pytest.fixture
def closed_world(member, cases, period, women_men):
    record = services.save_value(
        user=member,
        indicator=cases,
        period=period,
        data=value_input(cases, {"value": Decimal(9), "cells": [4, 5]}, women_men),
        expected_version=0,
    )
    EvidenceFile.objects.create(
        indicator_value=record,
        file=SimpleUploadedFile("list.pdf", b"%PDF-1.4"),
        original_name="list.pdf",
        size=8,
    )
    progress = ActivityProgress.objects.create(
        activity=ActivityFactory(opportunity__result__axis__plan=period.plan),
        period=period,
        status="ongoing",
        percent_complete=10,
    )
    close(period)
    return {"value": record, "progress": progress}


@pytest.mark.parametrize(
    "model, change",
    [
        (IndicatorValue, {"value": Decimal(99)}),
        (IndicatorValue, {"status": "validated"}),
        (BreakdownRow, {"value": Decimal(0)}),
        (ActivityProgress, {"percent_complete": 90}),
        (EvidenceFile, {"original_name": "other.pdf"}),
    ],
)
def test_a_queryset_update_cannot_change_a_closed_period(closed_world, model, change):
    before = tables()
    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.update(**change)
    assert tables() == before


def test_no_row_can_be_added_to_a_closed_period(closed_world, cases, period, women_men):
    before = tables()
    value = closed_world["value"]
    with pytest.raises(IntegrityError), transaction.atomic():
        BreakdownRow.objects.bulk_create(
            [
                BreakdownRow(
                    indicator_value=value,
                    category=women_men[0],
                    cross_category=women_men[1],
                    value=1,
                )
            ]
        )
    other = IndicatorFactory(result__axis__plan=period.plan)
    with pytest.raises(IntegrityError), transaction.atomic():
        IndicatorValue.objects.bulk_create(
            [IndicatorValue(indicator=other, period=period, value=1)]
        )
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE tracker_indicatorvalue SET narrative = 'changed' WHERE id = %s", [value.pk]
        )
    assert tables() == before


def test_a_reopened_period_takes_changes_again(closed_world, period):
    ReportingPeriod.objects.filter(pk=period.pk).update(status="open", closed_at=None)
    assert IndicatorValue.objects.update(narrative="Corrected after reopening") == 1


@pytest.mark.parametrize(
    "change",
    [
        {"narrative": "x" * (limits.NARRATIVE + 1)},
        {"source": "x" * (limits.SOURCE + 1)},
        {"return_reason": "x" * (limits.REASON + 1)},
        {"value": Decimal(10) ** 17},
    ],
)
def test_the_database_refuses_oversized_text_and_numbers(member, cases, period, change):
    record = services.save_value(
        user=member,
        indicator=cases,
        period=period,
        data=services.ValueInput(value=Decimal(1)),
        expected_version=0,
    )
    before = tables()
    with pytest.raises(DatabaseError), transaction.atomic():
        IndicatorValue.objects.filter(pk=record.pk).update(**change)
    assert tables() == before


def test_every_integrity_trigger_survives_the_migrations():
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
            names = {row[0].removesuffix("_insert").removesuffix("_update") for row in cursor}
        else:
            cursor.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
            names = {row[0] for row in cursor}
    assert {
        "indicatorvalue_period_in_plan",
        "activityprogress_period_in_plan",
        "annualreport_year_in_plan",
        "reportingperiod_year_in_plan",
        "indicatorvalue_period_open",
        "activityprogress_period_open",
        "breakdownrow_period_open",
        "evidencefile_period_open",
    } <= names


# Review: four eyes, and validate what you saw


@pytest.fixture
def colleague(db):
    """A second member of the secretariat."""
    return UserFactory(username="colleague", role=roles.SECRETARIAT)


def submitted_by(user, indicator, period, amount=5):
    record = services.save_value(
        user=user,
        indicator=indicator,
        period=period,
        data=services.ValueInput(value=Decimal(amount)),
        expected_version=0,
    )
    services.submit(user=user, values=[record])
    record.refresh_from_db()
    return record


def test_nobody_validates_or_returns_what_they_entered(secretariat, colleague, cases, period):
    record = submitted_by(secretariat, cases, period)
    before = tables()
    with pytest.raises(PermissionDenied, match="You entered this value"):
        services.validate(user=secretariat, seen_versions={record.pk: record.version})
    with pytest.raises(PermissionDenied, match="You entered this value"):
        services.return_for_correction(
            user=secretariat, record=record, reason="Check it", seen_version=record.version
        )
    assert tables() == before
    services.validate(user=colleague, seen_versions={record.pk: record.version})
    record.refresh_from_db()
    assert (record.status, record.validated_by) == (Status.VALIDATED, colleague)


def test_nobody_validates_what_they_submitted(member, secretariat, colleague, cases, period):
    record = services.save_value(
        user=member,
        indicator=cases,
        period=period,
        data=services.ValueInput(value=Decimal(5)),
        expected_version=0,
    )
    services.submit(user=secretariat, values=[record])
    record.refresh_from_db()
    with pytest.raises(PermissionDenied, match="You submitted this value"):
        services.validate(user=secretariat, seen_versions={record.pk: record.version})
    services.validate(user=colleague, seen_versions={record.pk: record.version})


def test_the_queue_says_why_there_is_no_button(client_for, secretariat, colleague, cases, period):
    record = submitted_by(secretariat, cases, period)
    url = reverse("validation-queue", args=[period.plan.slug])
    own = client_for(secretariat).get(url).content.decode()
    assert "You entered this value" in own
    assert f'value="{record.pk}:{record.version}"' not in own
    theirs = client_for(colleague).get(url).content.decode()
    assert f'value="{record.pk}:{record.version}"' in theirs
    assert "You entered this value" not in theirs


def test_a_value_changed_after_the_queue_was_opened_is_not_validated(
    client_for, member, secretariat, colleague, cases, period
):
    """The secretariat opens the queue at version v; meanwhile a colleague returns the value,
    the member corrects and resubmits it. Validating "v" must not approve a figure nobody on
    the queue looked at."""
    record = submitted_by(member, cases, period, amount=100)
    seen = record.version
    url = reverse("validation-queue", args=[period.plan.slug])
    assert f'value="{record.pk}:{seen}"' in client_for(secretariat).get(url).content.decode()
    services.return_for_correction(
        user=colleague, record=record, reason="Count Mopti", seen_version=seen
    )
    record.refresh_from_db()
    corrected = services.save_value(
        user=member,
        indicator=cases,
        period=period,
        data=services.ValueInput(value=Decimal(15_993)),
        expected_version=record.version,
    )
    services.submit(user=member, values=[corrected])
    before = tables()
    response = client_for(secretariat).post(
        url, {"action": "validate", "values": [f"{record.pk}:{seen}"]}, follow=True
    )
    page = response.content.decode()
    assert "Nothing was changed" in page and "after you opened the page" in page
    assert "member" in page
    assert tables() == before
    assert IndicatorValue.objects.get().status == Status.SUBMITTED


def test_a_stale_return_is_refused_too(member, secretariat, colleague, cases, period):
    record = submitted_by(member, cases, period)
    services.validate(user=colleague, seen_versions={record.pk: record.version})
    with pytest.raises(services.StaleVersionError):
        services.return_for_correction(
            user=secretariat, record=record, reason="Too late", seen_version=record.version
        )
    assert IndicatorValue.objects.get().status == Status.VALIDATED
