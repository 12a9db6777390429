"""The official French names of SDG indicators run past 255 characters."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("tracker", "0016_plan_dates_and_ranks"),
    ]

    operations = [
        migrations.AlterField(
            model_name="alignmenttag",
            name="name",
            field=models.CharField(max_length=500, verbose_name="name"),
        ),
        migrations.AlterField(
            model_name="alignmenttag",
            name="name_en",
            field=models.CharField(max_length=500, null=True, verbose_name="name"),
        ),
        migrations.AlterField(
            model_name="alignmenttag",
            name="name_fr",
            field=models.CharField(max_length=500, null=True, verbose_name="name"),
        ),
        migrations.AlterField(
            model_name="historicalalignmenttag",
            name="name",
            field=models.CharField(max_length=500, verbose_name="name"),
        ),
        migrations.AlterField(
            model_name="historicalalignmenttag",
            name="name_en",
            field=models.CharField(max_length=500, null=True, verbose_name="name"),
        ),
        migrations.AlterField(
            model_name="historicalalignmenttag",
            name="name_fr",
            field=models.CharField(max_length=500, null=True, verbose_name="name"),
        ),
    ]
