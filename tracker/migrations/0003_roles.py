"""Creates the four groups of DESIGN.md §1 with their permissions. The lists are frozen here
as they stood when this migration was written; later changes come in later migrations."""

from django.db import migrations

from tracker.migration_helpers import grant_permissions

FRAMEWORK_MODELS = [
    "plan",
    "axis",
    "result",
    "opportunity",
    "indicator",
    "scalelevel",
    "annualtarget",
    "alignmenttag",
    "institution",
    "region",
    "dimension",
    "dimensionvalue",
    "activity",
    "fundingsource",
    "budgetline",
]
REPORTING_MODELS = ["reportingperiod", "indicatorvalue", "breakdownrow"]

VIEW_ALL = [f"view_{model}" for model in FRAMEWORK_MODELS + REPORTING_MODELS]
ENTER_VALUES = [
    "add_indicatorvalue",
    "change_indicatorvalue",
    "add_breakdownrow",
    "change_breakdownrow",
    "delete_breakdownrow",
]

GROUP_PERMISSIONS = {
    "Committee member": VIEW_ALL + ENTER_VALUES,
    "Secretariat": VIEW_ALL
    + ENTER_VALUES
    + ["validate_indicatorvalue", "change_reportingperiod", "view_user"],
    "Framework administrator": VIEW_ALL
    + [
        f"{action}_{model}"
        for model in FRAMEWORK_MODELS + ["user"]
        for action in ("add", "change", "delete", "view")
    ]
    # To see the roles when assigning users to them.
    + ["auth.view_group"],
    "Reporting staff": VIEW_ALL,
}


def create_groups(apps, schema_editor):
    grant_permissions(apps, GROUP_PERMISSIONS)


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=GROUP_PERMISSIONS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("tracker", "0002_integrity_triggers"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
