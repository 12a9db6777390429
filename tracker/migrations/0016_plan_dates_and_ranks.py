"""A plan's two dates as the sources give them: the year it was adopted (no day is known for
Mali's third plan) and the day it was signed; and the rank unit kind (139th of 153).

What `adopted_on` held was the signing date (12 November 2020 for Mali): it moves to
`signed_on`; the adoption year is left for the administrator (the fixtures give 2019)."""

import importlib

from django.db import migrations, models

from tracker.migration_helpers import sqlite_rebuild_guard

RULES = importlib.import_module("tracker.migrations.0010_reporting_limits_and_four_eyes")


# SQLite rebuilds tables below; its triggers are dropped first and created again after.
drop_triggers, restore_triggers = sqlite_rebuild_guard(
    RULES.EARLIER_RULES, RULES.CLOSED_PERIOD_TABLES
)


def move_signing_date(apps, schema_editor):
    for model_name in ("Plan", "HistoricalPlan"):
        apps.get_model("tracker", model_name).objects.update(signed_on=models.F("adopted_on"))


def move_it_back(apps, schema_editor):
    for model_name in ("Plan", "HistoricalPlan"):
        apps.get_model("tracker", model_name).objects.update(adopted_on=models.F("signed_on"))


class Migration(migrations.Migration):
    dependencies = [
        ("tracker", "0015_citations"),
    ]

    operations = [
        migrations.RunPython(drop_triggers, restore_triggers),
        migrations.AddField(
            model_name="historicalplan",
            name="adopted_in",
            field=models.PositiveSmallIntegerField(
                blank=True, null=True, verbose_name="adopted in (year)"
            ),
        ),
        migrations.AddField(
            model_name="historicalplan",
            name="signed_on",
            field=models.DateField(blank=True, null=True, verbose_name="signed on"),
        ),
        migrations.AddField(
            model_name="plan",
            name="adopted_in",
            field=models.PositiveSmallIntegerField(
                blank=True, null=True, verbose_name="adopted in (year)"
            ),
        ),
        migrations.AddField(
            model_name="plan",
            name="signed_on",
            field=models.DateField(blank=True, null=True, verbose_name="signed on"),
        ),
        migrations.AlterField(
            model_name="historicalindicator",
            name="unit_kind",
            field=models.CharField(
                choices=[
                    ("count", "Count"),
                    ("percentage", "Percentage"),
                    ("amount", "Amount (FCFA)"),
                    ("milestone", "Yes/no milestone"),
                    ("scale", "Ordinal scale"),
                    ("rank", "Rank in an index"),
                ],
                max_length=20,
                verbose_name="unit kind",
            ),
        ),
        migrations.AlterField(
            model_name="historicalplan",
            name="source_note",
            field=models.TextField(blank=True, verbose_name="internal note"),
        ),
        migrations.AlterField(
            model_name="indicator",
            name="unit_kind",
            field=models.CharField(
                choices=[
                    ("count", "Count"),
                    ("percentage", "Percentage"),
                    ("amount", "Amount (FCFA)"),
                    ("milestone", "Yes/no milestone"),
                    ("scale", "Ordinal scale"),
                    ("rank", "Rank in an index"),
                ],
                max_length=20,
                verbose_name="unit kind",
            ),
        ),
        migrations.AlterField(
            model_name="plan",
            name="source_note",
            field=models.TextField(blank=True, verbose_name="internal note"),
        ),
        migrations.RunPython(move_signing_date, move_it_back),
        migrations.RemoveField(
            model_name="historicalplan",
            name="adopted_on",
        ),
        migrations.RemoveField(
            model_name="plan",
            name="adopted_on",
        ),
        migrations.RunPython(restore_triggers, drop_triggers),
    ]
