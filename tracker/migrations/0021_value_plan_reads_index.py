"""An index of values by (period, status, validated_at, id): the dashboard's latest validated
values read their ids from it alone. The (period, status) index stays: PostgreSQL counts the
submitted values of every plan through it, and would scan the table through the wider one."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("tracker", "0020_api"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="indicatorvalue",
            index=models.Index(
                fields=["period", "status", "validated_at", "id"],
                name="value_period_status_time_idx",
            ),
        ),
    ]
