"""Whole-year periods and each indicator's reporting frequency (DESIGN.md §2): an annual figure
is the whole year's value, never hidden in the fourth quarter or split into computed quarters.

The data step moves the figures the shipped data stored in Q4 as annual figures (their data
note says so) to the year's period, and turns each computed remainder (an annual total minus
the quarter the source gave, stored as Q4) back into the total the source states."""

import importlib
import re

from django.db import migrations, models
from django.db.migrations.exceptions import IrreversibleError
from django.utils import timezone

from tracker.migration_helpers import (
    create_closed_period_triggers,
    drop_closed_period_triggers,
    drop_rule_triggers,
    restore_sqlite_rule_triggers,
)

RULES = importlib.import_module("tracker.migrations.0010_reporting_limits_and_four_eyes")
STORED_IN_Q4 = re.compile(r",? ?\(?(?:annual figure, )?stored in (?:\d{4}-)?Q4\)?")
REMAINDER = re.compile(r"Q4 value is the remainder of the year \([^)]*\), ")
REASON = "Moved to the whole-year period: an annual figure is not a fourth quarter."


def drop_triggers(apps, schema_editor):
    # The data step moves values out of closed quarters. On SQLite the tables altered below
    # are rebuilt, which SQLite refuses while other tables' triggers name them.
    drop_closed_period_triggers(schema_editor, RULES.CLOSED_PERIOD_TABLES)
    if schema_editor.connection.vendor == "sqlite":
        drop_rule_triggers(schema_editor, RULES.EARLIER_RULES)


def restore_triggers(apps, schema_editor):
    restore_sqlite_rule_triggers(schema_editor, RULES.EARLIER_RULES)
    create_closed_period_triggers(schema_editor, RULES.CLOSED_PERIOD_TABLES)


def write_history(apps, model_name, record, reason):
    history = apps.get_model("tracker", f"Historical{model_name}")
    fields = {
        field.attname: getattr(record, field.attname) for field in record._meta.concrete_fields
    }
    history.objects.create(
        **fields,
        history_date=timezone.now(),
        history_type="~",
        history_change_reason=reason,
    )


def move_annual_figures(apps, schema_editor):
    Plan = apps.get_model("tracker", "Plan")
    ReportingPeriod = apps.get_model("tracker", "ReportingPeriod")
    IndicatorValue = apps.get_model("tracker", "IndicatorValue")
    whole_years = {}
    for plan in Plan.objects.all():
        for year in range(plan.start_year, plan.end_year + 1):
            period, _created = ReportingPeriod.objects.get_or_create(
                plan=plan,
                year=year,
                quarter=None,
                defaults={
                    "start_date": f"{year}-01-01",
                    "end_date": f"{year}-12-31",
                    "status": "open",
                },
            )
            whole_years[(plan.pk, year)] = period
    annual = IndicatorValue.objects.filter(period__quarter=4).filter(
        models.Q(note__contains="stored in Q4")
        | models.Q(note__regex=r"stored in \d{4}-Q4")
        | models.Q(note__contains="remainder of the year")
    )
    for value in annual.select_related("period", "indicator"):
        year = value.period.year
        if "remainder of the year" in value.note:
            # Q4 held total − Q1: the source's total is that plus the quarters it gave.
            quarters = IndicatorValue.objects.filter(
                indicator=value.indicator,
                period__year=year,
                period__quarter__in=[1, 2, 3],
                status="validated",
            )
            value.value += sum(quarter.value or 0 for quarter in quarters)
            value.note = REMAINDER.sub("", value.note)
        value.note = STORED_IN_Q4.sub("", value.note).replace(" .", ".").replace(": .", ".")
        value.period = whole_years[(value.period.plan_id, year)]
        value.version += 1
        value.save()
        write_history(apps, "IndicatorValue", value, REASON)
        indicator = value.indicator
        if indicator.reporting_frequency != "annual":
            indicator.reporting_frequency = "annual"
            indicator.save(update_fields=["reporting_frequency"])
            write_history(apps, "Indicator", indicator, REASON)
    # A whole year is closed once its fourth quarter is.
    for (plan_id, year), period in whole_years.items():
        fourth = ReportingPeriod.objects.filter(plan_id=plan_id, year=year, quarter=4).first()
        if fourth and fourth.status == "closed" and period.status == "open":
            period.status, period.closed_at = "closed", fourth.closed_at
            period.save(update_fields=["status", "closed_at"])


def refuse_to_undo(apps, schema_editor):
    ReportingPeriod = apps.get_model("tracker", "ReportingPeriod")
    whole_years = ReportingPeriod.objects.filter(quarter__isnull=True)
    if whole_years.filter(values__isnull=False).exists():
        raise IrreversibleError(
            "Whole-year periods hold values: move them before unapplying this migration."
        )
    whole_years.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("tracker", "0013_value_qualifier"),
    ]

    operations = [
        migrations.RunPython(drop_triggers, restore_triggers),
        migrations.AlterModelOptions(
            name="reportingperiod",
            options={
                "ordering": ["plan", "year", models.OrderBy(models.F("quarter"), nulls_last=True)],
                "permissions": [("follow_completeness", "Can follow who has reported")],
                "verbose_name": "reporting period",
                "verbose_name_plural": "reporting periods",
            },
        ),
        migrations.RemoveConstraint(
            model_name="reportingperiod",
            name="period_quarter_1_to_4",
        ),
        migrations.AddField(
            model_name="historicalindicator",
            name="reporting_frequency",
            field=models.CharField(
                choices=[("quarterly", "Quarterly"), ("annual", "Annual")],
                default="quarterly",
                help_text="Annual indicators are reported once a year, in the whole-year period; their quarterly figures, if any, are in-year observations.",
                max_length=10,
                verbose_name="reporting frequency",
            ),
        ),
        migrations.AddField(
            model_name="indicator",
            name="reporting_frequency",
            field=models.CharField(
                choices=[("quarterly", "Quarterly"), ("annual", "Annual")],
                default="quarterly",
                help_text="Annual indicators are reported once a year, in the whole-year period; their quarterly figures, if any, are in-year observations.",
                max_length=10,
                verbose_name="reporting frequency",
            ),
        ),
        migrations.AlterField(
            model_name="historicalreportingperiod",
            name="quarter",
            field=models.PositiveSmallIntegerField(blank=True, null=True, verbose_name="quarter"),
        ),
        migrations.AlterField(
            model_name="reportingperiod",
            name="quarter",
            field=models.PositiveSmallIntegerField(blank=True, null=True, verbose_name="quarter"),
        ),
        migrations.AddConstraint(
            model_name="indicator",
            constraint=models.CheckConstraint(
                condition=models.Q(("reporting_frequency__in", ["quarterly", "annual"])),
                name="indicator_frequency_valid",
            ),
        ),
        migrations.AddConstraint(
            model_name="reportingperiod",
            constraint=models.UniqueConstraint(
                condition=models.Q(("quarter__isnull", True)),
                fields=("plan", "year"),
                name="period_one_whole_year",
            ),
        ),
        migrations.AddConstraint(
            model_name="reportingperiod",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("quarter__isnull", True),
                    models.Q(("quarter__gte", 1), ("quarter__lte", 4)),
                    _connector="OR",
                ),
                name="period_quarter_1_to_4",
            ),
        ),
        migrations.RunPython(move_annual_figures, refuse_to_undo),
        migrations.RunPython(restore_triggers, drop_triggers),
    ]
