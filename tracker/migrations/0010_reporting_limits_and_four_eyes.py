"""Every path, same rules (DESIGN.md §7): text limits and figure sizes as CHECK constraints,
the closed-period rule as triggers, who submitted a value (four eyes), and the permissions of
the one door (tracker/access.py)."""

import importlib
from decimal import Decimal

import django.db.models.deletion
import django.db.models.functions.text
import django.db.models.lookups
from django.conf import settings
from django.db import migrations, models

from tracker.migration_helpers import (
    create_closed_period_triggers,
    drop_closed_period_triggers,
    grant_permissions,
    restore_sqlite_rule_triggers,
)

PERIOD_OF_VALUE = "(SELECT status FROM tracker_reportingperiod WHERE id = {row}.period_id)"
PERIOD_OF_CELL = (
    "(SELECT p.status FROM tracker_reportingperiod p JOIN tracker_indicatorvalue v"
    " ON v.period_id = p.id WHERE v.id = {row}.indicator_value_id)"
)
CLOSED_PERIOD_TABLES = [
    ("indicatorvalue_period_open", "tracker_indicatorvalue", PERIOD_OF_VALUE),
    ("activityprogress_period_open", "tracker_activityprogress", PERIOD_OF_VALUE),
    ("breakdownrow_period_open", "tracker_breakdownrow", PERIOD_OF_CELL),
    ("evidencefile_period_open", "tracker_evidencefile", PERIOD_OF_CELL),
]
EARLIER_RULES = [
    rule
    for module in (
        "0002_integrity_triggers",
        "0005_reporting_rules_and_roles",
        "0008_annual_report_rules_and_roles",
    )
    for rule in importlib.import_module(f"tracker.migrations.{module}").RULES
]


def create_triggers(apps, schema_editor):
    restore_sqlite_rule_triggers(schema_editor, EARLIER_RULES)
    create_closed_period_triggers(schema_editor, CLOSED_PERIOD_TABLES)


def drop_triggers(apps, schema_editor):
    drop_closed_period_triggers(schema_editor, CLOSED_PERIOD_TABLES)


def grant(apps, schema_editor):
    grant_permissions(
        apps,
        {
            "Secretariat": ["enter_for_any_institution", "follow_completeness"],
            "Reporting staff": ["follow_completeness"],
        },
        replace=False,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("tracker", "0009_hot_query_indexes"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="indicatorvalue",
            options={
                "ordering": ["indicator", "period"],
                "permissions": [
                    ("validate_indicatorvalue", "Can validate or return submitted values"),
                    ("enter_for_any_institution", "Can enter values for every institution"),
                ],
                "verbose_name": "indicator value",
                "verbose_name_plural": "indicator values",
            },
        ),
        migrations.AlterModelOptions(
            name="reportingperiod",
            options={
                "ordering": ["plan", "year", "quarter"],
                "permissions": [("follow_completeness", "Can follow who has reported")],
                "verbose_name": "reporting period",
                "verbose_name_plural": "reporting periods",
            },
        ),
        migrations.AddField(
            model_name="historicalindicatorvalue",
            name="submitted_by",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="submitted by",
            ),
        ),
        migrations.AddField(
            model_name="indicatorvalue",
            name="submitted_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="submitted by",
            ),
        ),
        migrations.AlterField(
            model_name="activityprogress",
            name="narrative",
            field=models.TextField(blank=True, max_length=5000, verbose_name="narrative"),
        ),
        migrations.AlterField(
            model_name="annualreport",
            name="achievements",
            field=models.TextField(blank=True, max_length=20000, verbose_name="achievements"),
        ),
        migrations.AlterField(
            model_name="annualreport",
            name="challenges",
            field=models.TextField(blank=True, max_length=20000, verbose_name="challenges"),
        ),
        migrations.AlterField(
            model_name="annualreport",
            name="recommendations",
            field=models.TextField(blank=True, max_length=20000, verbose_name="recommendations"),
        ),
        migrations.AlterField(
            model_name="annualreport",
            name="summary",
            field=models.TextField(blank=True, max_length=20000, verbose_name="summary"),
        ),
        migrations.AlterField(
            model_name="committeemeeting",
            name="decisions",
            field=models.TextField(blank=True, max_length=10000, verbose_name="decisions"),
        ),
        migrations.AlterField(
            model_name="historicalactivityprogress",
            name="narrative",
            field=models.TextField(blank=True, max_length=5000, verbose_name="narrative"),
        ),
        migrations.AlterField(
            model_name="historicalannualreport",
            name="achievements",
            field=models.TextField(blank=True, max_length=20000, verbose_name="achievements"),
        ),
        migrations.AlterField(
            model_name="historicalannualreport",
            name="challenges",
            field=models.TextField(blank=True, max_length=20000, verbose_name="challenges"),
        ),
        migrations.AlterField(
            model_name="historicalannualreport",
            name="recommendations",
            field=models.TextField(blank=True, max_length=20000, verbose_name="recommendations"),
        ),
        migrations.AlterField(
            model_name="historicalannualreport",
            name="summary",
            field=models.TextField(blank=True, max_length=20000, verbose_name="summary"),
        ),
        migrations.AlterField(
            model_name="historicalcommitteemeeting",
            name="decisions",
            field=models.TextField(blank=True, max_length=10000, verbose_name="decisions"),
        ),
        migrations.AlterField(
            model_name="historicalindicatorvalue",
            name="narrative",
            field=models.TextField(blank=True, max_length=5000, verbose_name="narrative"),
        ),
        migrations.AlterField(
            model_name="historicalindicatorvalue",
            name="note",
            field=models.TextField(
                blank=True,
                help_text="What a reader must know about the figure: annual figure, sources that differ.",
                max_length=2000,
                verbose_name="data note",
            ),
        ),
        migrations.AlterField(
            model_name="historicalindicatorvalue",
            name="return_reason",
            field=models.TextField(blank=True, max_length=2000, verbose_name="reason for return"),
        ),
        migrations.AlterField(
            model_name="historicalindicatorvalue",
            name="source",
            field=models.TextField(blank=True, max_length=1000, verbose_name="source"),
        ),
        migrations.AlterField(
            model_name="indicatorvalue",
            name="narrative",
            field=models.TextField(blank=True, max_length=5000, verbose_name="narrative"),
        ),
        migrations.AlterField(
            model_name="indicatorvalue",
            name="note",
            field=models.TextField(
                blank=True,
                help_text="What a reader must know about the figure: annual figure, sources that differ.",
                max_length=2000,
                verbose_name="data note",
            ),
        ),
        migrations.AlterField(
            model_name="indicatorvalue",
            name="return_reason",
            field=models.TextField(blank=True, max_length=2000, verbose_name="reason for return"),
        ),
        migrations.AlterField(
            model_name="indicatorvalue",
            name="source",
            field=models.TextField(blank=True, max_length=1000, verbose_name="source"),
        ),
        migrations.AddConstraint(
            model_name="activityprogress",
            constraint=models.CheckConstraint(
                condition=django.db.models.lookups.LessThanOrEqual(
                    django.db.models.functions.text.Length("narrative"), 5000
                ),
                name="activity_progress_narrative_length",
            ),
        ),
        migrations.AddConstraint(
            model_name="annualreport",
            constraint=models.CheckConstraint(
                condition=django.db.models.lookups.LessThanOrEqual(
                    django.db.models.functions.text.Length("summary"), 20000
                ),
                name="annual_report_summary_length",
            ),
        ),
        migrations.AddConstraint(
            model_name="annualreport",
            constraint=models.CheckConstraint(
                condition=django.db.models.lookups.LessThanOrEqual(
                    django.db.models.functions.text.Length("achievements"), 20000
                ),
                name="annual_report_achievements_length",
            ),
        ),
        migrations.AddConstraint(
            model_name="annualreport",
            constraint=models.CheckConstraint(
                condition=django.db.models.lookups.LessThanOrEqual(
                    django.db.models.functions.text.Length("challenges"), 20000
                ),
                name="annual_report_challenges_length",
            ),
        ),
        migrations.AddConstraint(
            model_name="annualreport",
            constraint=models.CheckConstraint(
                condition=django.db.models.lookups.LessThanOrEqual(
                    django.db.models.functions.text.Length("recommendations"), 20000
                ),
                name="annual_report_recommendations_length",
            ),
        ),
        migrations.AddConstraint(
            model_name="breakdownrow",
            constraint=models.CheckConstraint(
                condition=models.Q(("value__lt", Decimal("10000000000000000"))),
                name="breakdown_fits",
            ),
        ),
        migrations.AddConstraint(
            model_name="committeemeeting",
            constraint=models.CheckConstraint(
                condition=django.db.models.lookups.LessThanOrEqual(
                    django.db.models.functions.text.Length("decisions"), 10000
                ),
                name="committee_meeting_decisions_length",
            ),
        ),
        migrations.AddConstraint(
            model_name="indicatorvalue",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("value__isnull", True),
                    ("value__lt", Decimal("10000000000000000")),
                    _connector="OR",
                ),
                name="indicator_value_fits",
            ),
        ),
        migrations.AddConstraint(
            model_name="indicatorvalue",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("denominator__isnull", True),
                    ("denominator__lt", Decimal("10000000000000000")),
                    _connector="OR",
                ),
                name="indicator_value_ratio_fits",
            ),
        ),
        migrations.AddConstraint(
            model_name="indicatorvalue",
            constraint=models.CheckConstraint(
                condition=django.db.models.lookups.LessThanOrEqual(
                    django.db.models.functions.text.Length("return_reason"), 2000
                ),
                name="indicator_value_return_reason_length",
            ),
        ),
        migrations.AddConstraint(
            model_name="indicatorvalue",
            constraint=models.CheckConstraint(
                condition=django.db.models.lookups.LessThanOrEqual(
                    django.db.models.functions.text.Length("narrative"), 5000
                ),
                name="indicator_value_narrative_length",
            ),
        ),
        migrations.AddConstraint(
            model_name="indicatorvalue",
            constraint=models.CheckConstraint(
                condition=django.db.models.lookups.LessThanOrEqual(
                    django.db.models.functions.text.Length("source"), 1000
                ),
                name="indicator_value_source_length",
            ),
        ),
        migrations.AddConstraint(
            model_name="indicatorvalue",
            constraint=models.CheckConstraint(
                condition=django.db.models.lookups.LessThanOrEqual(
                    django.db.models.functions.text.Length("note"), 2000
                ),
                name="indicator_value_note_length",
            ),
        ),
        migrations.RunPython(create_triggers, drop_triggers),
        migrations.RunPython(grant, migrations.RunPython.noop),
    ]
