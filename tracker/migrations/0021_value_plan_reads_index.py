"""The (period, status) index of values widened to (period, status, validated_at, id): it
serves what the narrower one did, and the dashboard's latest validated values read their ids
from it alone. The wider one is built before the narrower is dropped."""

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
        migrations.RemoveIndex(
            model_name="indicatorvalue",
            name="value_period_status_idx",
        ),
    ]
