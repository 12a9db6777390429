"""A value's qualifier: exact, or the bound its source gave ("over 874")."""

import importlib

from django.db import migrations, models

from tracker.migration_helpers import (
    drop_closed_period_triggers,
    restore_sqlite_closed_period_triggers,
    restore_sqlite_rule_triggers,
)

RULES = importlib.import_module("tracker.migrations.0010_reporting_limits_and_four_eyes")


def drop_triggers_naming_the_table(apps, schema_editor):
    # SQLite rebuilds tracker_indicatorvalue below (a new table, renamed into place), which it
    # refuses while triggers of other tables (breakdown rows, evidence) name it.
    if schema_editor.connection.vendor == "sqlite":
        drop_closed_period_triggers(schema_editor, RULES.CLOSED_PERIOD_TABLES)


def restore_triggers(apps, schema_editor):
    # Adding the constraint rebuilt tracker_indicatorvalue on SQLite, without its triggers.
    restore_sqlite_rule_triggers(schema_editor, RULES.EARLIER_RULES)
    restore_sqlite_closed_period_triggers(schema_editor, RULES.CLOSED_PERIOD_TABLES)


class Migration(migrations.Migration):
    dependencies = [
        ("tracker", "0012_secretariat_unlocks_sign_ins"),
    ]

    operations = [
        migrations.RunPython(drop_triggers_naming_the_table, restore_triggers),
        migrations.AddField(
            model_name="historicalindicatorvalue",
            name="qualifier",
            field=models.CharField(
                choices=[
                    ("exact", "exact"),
                    ("at_least", "at least"),
                    ("at_most", "at most"),
                    ("about", "about"),
                ],
                default="exact",
                max_length=10,
                verbose_name="qualifier",
            ),
        ),
        migrations.AddField(
            model_name="indicatorvalue",
            name="qualifier",
            field=models.CharField(
                choices=[
                    ("exact", "exact"),
                    ("at_least", "at least"),
                    ("at_most", "at most"),
                    ("about", "about"),
                ],
                default="exact",
                max_length=10,
                verbose_name="qualifier",
            ),
        ),
        migrations.AddConstraint(
            model_name="indicatorvalue",
            constraint=models.CheckConstraint(
                condition=models.Q(("qualifier__in", ["exact", "at_least", "at_most", "about"])),
                name="indicator_value_qualifier_valid",
            ),
        ),
        migrations.RunPython(restore_triggers, drop_triggers_naming_the_table),
    ]
