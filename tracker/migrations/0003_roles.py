"""Creates the four groups of DESIGN.md §1 with their permissions. The lists are frozen here
as they stood when this migration was written; later changes come in later migrations."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

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
    # Permissions are normally created after all migrations; the groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name, codenames in GROUP_PERMISSIONS.items():
        wanted = {name if "." in name else f"tracker.{name}" for name in codenames}
        permissions = [
            permission
            for permission in Permission.objects.filter(
                codename__in=[name.split(".")[1] for name in wanted]
            ).select_related("content_type")
            if f"{permission.content_type.app_label}.{permission.codename}" in wanted
        ]
        missing = wanted - {
            f"{permission.content_type.app_label}.{permission.codename}"
            for permission in permissions
        }
        if missing:
            raise RuntimeError(f"Unknown permissions for {group_name}: {sorted(missing)}")
        group, _created = Group.objects.get_or_create(name=group_name)
        group.permissions.set(permissions)


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=GROUP_PERMISSIONS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("tracker", "0002_integrity_triggers"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
