"""Framework content in French and English (django-modeltranslation, tracker/translation.py).

The new `_fr` and `_en` columns start empty; rows created before this migration, and their
history, keep their text by copying it into the default language's column (French), as
`manage.py update_translation_fields` would. Reading a field falls back to the other language,
so nothing disappears in English; loading the shipped fixture again gives each row its French
and English wording.
"""

from django.db import migrations, models
from django.db.models import F

TRANSLATED = {
    "plan": ["title", "aim"],
    "axis": ["name", "objective"],
    "result": ["statement"],
    "opportunity": ["statement"],
    "indicator": ["name", "definition"],
    "scalelevel": ["name"],
    "activity": ["title"],
    "institution": ["name"],
    "fundingsource": ["name"],
    "dimension": ["name"],
    "dimensionvalue": ["name"],
}
DEFAULT_LANGUAGE = "fr"


def copy_into_default_language(apps, schema_editor):
    for model_name, fields in TRANSLATED.items():
        for name in (model_name, f"historical{model_name}"):
            model = apps.get_model("tracker", name)
            for field in fields:
                column = f"{field}_{DEFAULT_LANGUAGE}"
                model.objects.filter(**{f"{column}__isnull": True}).update(**{column: F(field)})


class Migration(migrations.Migration):
    dependencies = [
        ("tracker", "0005_reporting_rules_and_roles"),
    ]

    operations = [
        migrations.AddField(
            model_name="activity",
            name="title_en",
            field=models.TextField(null=True, verbose_name="title"),
        ),
        migrations.AddField(
            model_name="activity",
            name="title_fr",
            field=models.TextField(null=True, verbose_name="title"),
        ),
        migrations.AddField(
            model_name="axis",
            name="name_en",
            field=models.CharField(max_length=200, null=True, verbose_name="name"),
        ),
        migrations.AddField(
            model_name="axis",
            name="name_fr",
            field=models.CharField(max_length=200, null=True, verbose_name="name"),
        ),
        migrations.AddField(
            model_name="axis",
            name="objective_en",
            field=models.TextField(blank=True, null=True, verbose_name="objective"),
        ),
        migrations.AddField(
            model_name="axis",
            name="objective_fr",
            field=models.TextField(blank=True, null=True, verbose_name="objective"),
        ),
        migrations.AddField(
            model_name="dimension",
            name="name_en",
            field=models.CharField(max_length=120, null=True, verbose_name="name"),
        ),
        migrations.AddField(
            model_name="dimension",
            name="name_fr",
            field=models.CharField(max_length=120, null=True, verbose_name="name"),
        ),
        migrations.AddField(
            model_name="dimensionvalue",
            name="name_en",
            field=models.CharField(max_length=120, null=True, verbose_name="name"),
        ),
        migrations.AddField(
            model_name="dimensionvalue",
            name="name_fr",
            field=models.CharField(max_length=120, null=True, verbose_name="name"),
        ),
        migrations.AddField(
            model_name="fundingsource",
            name="name_en",
            field=models.CharField(max_length=200, null=True, unique=True, verbose_name="name"),
        ),
        migrations.AddField(
            model_name="fundingsource",
            name="name_fr",
            field=models.CharField(max_length=200, null=True, unique=True, verbose_name="name"),
        ),
        migrations.AddField(
            model_name="historicalactivity",
            name="title_en",
            field=models.TextField(null=True, verbose_name="title"),
        ),
        migrations.AddField(
            model_name="historicalactivity",
            name="title_fr",
            field=models.TextField(null=True, verbose_name="title"),
        ),
        migrations.AddField(
            model_name="historicalaxis",
            name="name_en",
            field=models.CharField(max_length=200, null=True, verbose_name="name"),
        ),
        migrations.AddField(
            model_name="historicalaxis",
            name="name_fr",
            field=models.CharField(max_length=200, null=True, verbose_name="name"),
        ),
        migrations.AddField(
            model_name="historicalaxis",
            name="objective_en",
            field=models.TextField(blank=True, null=True, verbose_name="objective"),
        ),
        migrations.AddField(
            model_name="historicalaxis",
            name="objective_fr",
            field=models.TextField(blank=True, null=True, verbose_name="objective"),
        ),
        migrations.AddField(
            model_name="historicaldimension",
            name="name_en",
            field=models.CharField(max_length=120, null=True, verbose_name="name"),
        ),
        migrations.AddField(
            model_name="historicaldimension",
            name="name_fr",
            field=models.CharField(max_length=120, null=True, verbose_name="name"),
        ),
        migrations.AddField(
            model_name="historicaldimensionvalue",
            name="name_en",
            field=models.CharField(max_length=120, null=True, verbose_name="name"),
        ),
        migrations.AddField(
            model_name="historicaldimensionvalue",
            name="name_fr",
            field=models.CharField(max_length=120, null=True, verbose_name="name"),
        ),
        migrations.AddField(
            model_name="historicalfundingsource",
            name="name_en",
            field=models.CharField(db_index=True, max_length=200, null=True, verbose_name="name"),
        ),
        migrations.AddField(
            model_name="historicalfundingsource",
            name="name_fr",
            field=models.CharField(db_index=True, max_length=200, null=True, verbose_name="name"),
        ),
        migrations.AddField(
            model_name="historicalindicator",
            name="definition_en",
            field=models.TextField(blank=True, null=True, verbose_name="definition"),
        ),
        migrations.AddField(
            model_name="historicalindicator",
            name="definition_fr",
            field=models.TextField(blank=True, null=True, verbose_name="definition"),
        ),
        migrations.AddField(
            model_name="historicalindicator",
            name="name_en",
            field=models.TextField(null=True, verbose_name="name"),
        ),
        migrations.AddField(
            model_name="historicalindicator",
            name="name_fr",
            field=models.TextField(null=True, verbose_name="name"),
        ),
        migrations.AddField(
            model_name="historicalinstitution",
            name="name_en",
            field=models.CharField(db_index=True, max_length=255, null=True, verbose_name="name"),
        ),
        migrations.AddField(
            model_name="historicalinstitution",
            name="name_fr",
            field=models.CharField(db_index=True, max_length=255, null=True, verbose_name="name"),
        ),
        migrations.AddField(
            model_name="historicalopportunity",
            name="statement_en",
            field=models.TextField(null=True, verbose_name="statement"),
        ),
        migrations.AddField(
            model_name="historicalopportunity",
            name="statement_fr",
            field=models.TextField(null=True, verbose_name="statement"),
        ),
        migrations.AddField(
            model_name="historicalplan",
            name="aim_en",
            field=models.TextField(blank=True, null=True, verbose_name="overall aim"),
        ),
        migrations.AddField(
            model_name="historicalplan",
            name="aim_fr",
            field=models.TextField(blank=True, null=True, verbose_name="overall aim"),
        ),
        migrations.AddField(
            model_name="historicalplan",
            name="title_en",
            field=models.CharField(max_length=500, null=True, verbose_name="title"),
        ),
        migrations.AddField(
            model_name="historicalplan",
            name="title_fr",
            field=models.CharField(max_length=500, null=True, verbose_name="title"),
        ),
        migrations.AddField(
            model_name="historicalresult",
            name="statement_en",
            field=models.TextField(null=True, verbose_name="statement"),
        ),
        migrations.AddField(
            model_name="historicalresult",
            name="statement_fr",
            field=models.TextField(null=True, verbose_name="statement"),
        ),
        migrations.AddField(
            model_name="historicalscalelevel",
            name="name_en",
            field=models.CharField(max_length=200, null=True, verbose_name="name"),
        ),
        migrations.AddField(
            model_name="historicalscalelevel",
            name="name_fr",
            field=models.CharField(max_length=200, null=True, verbose_name="name"),
        ),
        migrations.AddField(
            model_name="indicator",
            name="definition_en",
            field=models.TextField(blank=True, null=True, verbose_name="definition"),
        ),
        migrations.AddField(
            model_name="indicator",
            name="definition_fr",
            field=models.TextField(blank=True, null=True, verbose_name="definition"),
        ),
        migrations.AddField(
            model_name="indicator",
            name="name_en",
            field=models.TextField(null=True, verbose_name="name"),
        ),
        migrations.AddField(
            model_name="indicator",
            name="name_fr",
            field=models.TextField(null=True, verbose_name="name"),
        ),
        migrations.AddField(
            model_name="institution",
            name="name_en",
            field=models.CharField(max_length=255, null=True, unique=True, verbose_name="name"),
        ),
        migrations.AddField(
            model_name="institution",
            name="name_fr",
            field=models.CharField(max_length=255, null=True, unique=True, verbose_name="name"),
        ),
        migrations.AddField(
            model_name="opportunity",
            name="statement_en",
            field=models.TextField(null=True, verbose_name="statement"),
        ),
        migrations.AddField(
            model_name="opportunity",
            name="statement_fr",
            field=models.TextField(null=True, verbose_name="statement"),
        ),
        migrations.AddField(
            model_name="plan",
            name="aim_en",
            field=models.TextField(blank=True, null=True, verbose_name="overall aim"),
        ),
        migrations.AddField(
            model_name="plan",
            name="aim_fr",
            field=models.TextField(blank=True, null=True, verbose_name="overall aim"),
        ),
        migrations.AddField(
            model_name="plan",
            name="title_en",
            field=models.CharField(max_length=500, null=True, verbose_name="title"),
        ),
        migrations.AddField(
            model_name="plan",
            name="title_fr",
            field=models.CharField(max_length=500, null=True, verbose_name="title"),
        ),
        migrations.AddField(
            model_name="result",
            name="statement_en",
            field=models.TextField(null=True, verbose_name="statement"),
        ),
        migrations.AddField(
            model_name="result",
            name="statement_fr",
            field=models.TextField(null=True, verbose_name="statement"),
        ),
        migrations.AddField(
            model_name="scalelevel",
            name="name_en",
            field=models.CharField(max_length=200, null=True, verbose_name="name"),
        ),
        migrations.AddField(
            model_name="scalelevel",
            name="name_fr",
            field=models.CharField(max_length=200, null=True, verbose_name="name"),
        ),
        migrations.RunPython(copy_into_default_language, migrations.RunPython.noop),
    ]
