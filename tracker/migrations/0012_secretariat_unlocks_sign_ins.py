"""The secretariat unlocks an account that django-axes locked after repeated failed sign-ins
(Access attempts in the admin), without waiting for the cool-off."""

from django.db import migrations

from tracker.migration_helpers import grant_permissions


def grant(apps, schema_editor):
    grant_permissions(
        apps,
        {"Secretariat": ["axes.view_accessattempt", "axes.delete_accessattempt"]},
        replace=False,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("tracker", "0011_history_reasons_as_text"),
        ("axes", "0010_accessattemptexpiration"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
