"""Annual reports: a report's year lies within its plan, and the roles get their permissions
(reporting staff write and publish; everyone with a role reads)."""

from django.db import migrations

from tracker.migration_helpers import create_rule_triggers, drop_rule_triggers, grant_permissions

RULES = [
    (
        "annualreport_year_in_plan",
        "tracker_annualreport",
        "NEW.year BETWEEN (SELECT start_year FROM tracker_plan WHERE id = NEW.plan_id)"
        " AND (SELECT end_year FROM tracker_plan WHERE id = NEW.plan_id)",
        "annual report outside the years of its plan",
    ),
]

READ = ["view_annualreport", "view_publishedreport"]

ADDED_PERMISSIONS = {
    "Committee member": READ,
    "Secretariat": READ,
    "Framework administrator": READ,
    "Reporting staff": READ
    + ["add_annualreport", "change_annualreport", "publish_annualreport", "add_publishedreport"],
}


def forwards(apps, schema_editor):
    create_rule_triggers(schema_editor, RULES)
    grant_permissions(apps, ADDED_PERMISSIONS, replace=False)


def backwards(apps, schema_editor):
    drop_rule_triggers(schema_editor, RULES)


class Migration(migrations.Migration):
    dependencies = [("tracker", "0007_annual_reports")]

    operations = [migrations.RunPython(forwards, backwards)]
