"""Quarterly reporting: an activity's progress lies in its own plan's periods, and the roles get
the permissions of the new models (DESIGN.md §1)."""

from django.db import migrations

from tracker.migration_helpers import create_rule_triggers, drop_rule_triggers, grant_permissions

RULES = [
    (
        "activityprogress_period_in_plan",
        "tracker_activityprogress",
        "(SELECT plan_id FROM tracker_reportingperiod WHERE id = NEW.period_id)"
        " = (SELECT plan_id FROM tracker_activity WHERE id = NEW.activity_id)",
        "activity progress for a period of another plan",
    ),
]

NEW_MODELS = ["activityprogress", "evidencefile", "committeemeeting", "meetingattendance"]
VIEW_NEW = [f"view_{model}" for model in NEW_MODELS]
REPORT_PROGRESS = ["add_activityprogress", "change_activityprogress", "add_evidencefile"]
MEETINGS = [
    f"{action}_{model}"
    for model in ("committeemeeting", "meetingattendance")
    for action in ("add", "change", "delete")
]

ADDED_PERMISSIONS = {
    "Committee member": VIEW_NEW + REPORT_PROGRESS,
    "Secretariat": VIEW_NEW + REPORT_PROGRESS + MEETINGS,
    "Framework administrator": VIEW_NEW,
    "Reporting staff": VIEW_NEW,
}


def forwards(apps, schema_editor):
    create_rule_triggers(schema_editor, RULES)
    grant_permissions(apps, ADDED_PERMISSIONS, replace=False)


def backwards(apps, schema_editor):
    drop_rule_triggers(schema_editor, RULES)


class Migration(migrations.Migration):
    dependencies = [("tracker", "0004_reporting_workflow"), ("tracker", "0003_roles")]

    operations = [migrations.RunPython(forwards, backwards)]
