"""Citations as data (DESIGN.md §2): a Source that values, baselines and indicators point to,
shown to readers in their language; the notes beside them become internal notes. Alignment
tag names and institution acronyms get a column per language (PNUD / UNDP)."""

import importlib

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models

from tracker.migration_helpers import grant_permissions, sqlite_rebuild_guard

RULES = importlib.import_module("tracker.migrations.0010_reporting_limits_and_four_eyes")


# SQLite rebuilds tables below; its triggers are dropped first and created again after.
drop_triggers, restore_triggers = sqlite_rebuild_guard(
    RULES.EARLIER_RULES, RULES.CLOSED_PERIOD_TABLES
)


def grant(apps, schema_editor):
    """Framework administrators keep the catalogue of publications; the secretariat cites
    them when it corrects a value; everyone who reads the plan reads them."""
    manage = ["add_source", "change_source", "delete_source", "view_source"]
    grant_permissions(
        apps,
        {
            "Framework administrator": manage,
            "Secretariat": ["add_source", "change_source", "view_source"],
            "Committee member": ["view_source"],
            "Reporting staff": ["view_source"],
        },
        replace=False,
    )


def fill_language_columns(apps, schema_editor):
    """Until someone translates them, both languages read what was stored."""
    for model_name, field in (("AlignmentTag", "name"), ("Institution", "acronym")):
        model = apps.get_model("tracker", model_name)
        model.objects.update(**{f"{field}_fr": models.F(field), f"{field}_en": models.F(field)})


class Migration(migrations.Migration):
    dependencies = [
        ("tracker", "0014_whole_year_periods"),
    ]

    operations = [
        migrations.RunPython(drop_triggers, restore_triggers),
        migrations.CreateModel(
            name="HistoricalSource",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                ("publisher", models.CharField(max_length=300, verbose_name="publisher")),
                (
                    "publisher_fr",
                    models.CharField(max_length=300, null=True, verbose_name="publisher"),
                ),
                (
                    "publisher_en",
                    models.CharField(max_length=300, null=True, verbose_name="publisher"),
                ),
                ("title", models.CharField(max_length=500, verbose_name="title")),
                ("title_fr", models.CharField(max_length=500, null=True, verbose_name="title")),
                ("title_en", models.CharField(max_length=500, null=True, verbose_name="title")),
                (
                    "published_on",
                    models.DateField(
                        help_text="For a month or a year only, give its first day and the precision.",
                        verbose_name="published on",
                    ),
                ),
                (
                    "date_precision",
                    models.CharField(
                        choices=[("day", "Day"), ("month", "Month"), ("year", "Year")],
                        default="day",
                        max_length=5,
                        verbose_name="date precision",
                    ),
                ),
                ("address", models.URLField(blank=True, max_length=500, verbose_name="address")),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("report", "Report"),
                            ("web_page", "Web page"),
                            ("press", "Press article"),
                            ("database", "Database"),
                            ("official", "Official document"),
                        ],
                        max_length=10,
                        verbose_name="kind",
                    ),
                ),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.TextField(null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
            ],
            options={
                "verbose_name": "historical source",
                "verbose_name_plural": "historical sources",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="Source",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("publisher", models.CharField(max_length=300, verbose_name="publisher")),
                (
                    "publisher_fr",
                    models.CharField(max_length=300, null=True, verbose_name="publisher"),
                ),
                (
                    "publisher_en",
                    models.CharField(max_length=300, null=True, verbose_name="publisher"),
                ),
                ("title", models.CharField(max_length=500, verbose_name="title")),
                ("title_fr", models.CharField(max_length=500, null=True, verbose_name="title")),
                ("title_en", models.CharField(max_length=500, null=True, verbose_name="title")),
                (
                    "published_on",
                    models.DateField(
                        help_text="For a month or a year only, give its first day and the precision.",
                        verbose_name="published on",
                    ),
                ),
                (
                    "date_precision",
                    models.CharField(
                        choices=[("day", "Day"), ("month", "Month"), ("year", "Year")],
                        default="day",
                        max_length=5,
                        verbose_name="date precision",
                    ),
                ),
                ("address", models.URLField(blank=True, max_length=500, verbose_name="address")),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("report", "Report"),
                            ("web_page", "Web page"),
                            ("press", "Press article"),
                            ("database", "Database"),
                            ("official", "Official document"),
                        ],
                        max_length=10,
                        verbose_name="kind",
                    ),
                ),
            ],
            options={
                "verbose_name": "source",
                "verbose_name_plural": "sources",
                "ordering": ["-published_on", "publisher"],
            },
        ),
        migrations.AddField(
            model_name="alignmenttag",
            name="name_en",
            field=models.CharField(max_length=255, null=True, verbose_name="name"),
        ),
        migrations.AddField(
            model_name="alignmenttag",
            name="name_fr",
            field=models.CharField(max_length=255, null=True, verbose_name="name"),
        ),
        migrations.AddField(
            model_name="historicalalignmenttag",
            name="name_en",
            field=models.CharField(max_length=255, null=True, verbose_name="name"),
        ),
        migrations.AddField(
            model_name="historicalalignmenttag",
            name="name_fr",
            field=models.CharField(max_length=255, null=True, verbose_name="name"),
        ),
        migrations.AddField(
            model_name="historicalinstitution",
            name="acronym_en",
            field=models.CharField(blank=True, max_length=40, null=True, verbose_name="acronym"),
        ),
        migrations.AddField(
            model_name="historicalinstitution",
            name="acronym_fr",
            field=models.CharField(blank=True, max_length=40, null=True, verbose_name="acronym"),
        ),
        migrations.AddField(
            model_name="institution",
            name="acronym_en",
            field=models.CharField(blank=True, max_length=40, null=True, verbose_name="acronym"),
        ),
        migrations.AddField(
            model_name="institution",
            name="acronym_fr",
            field=models.CharField(blank=True, max_length=40, null=True, verbose_name="acronym"),
        ),
        migrations.AlterField(
            model_name="historicalindicator",
            name="baseline_source",
            field=models.TextField(
                blank=True,
                help_text="For the secretariat only: never shown to readers or in reports.",
                verbose_name="internal note on the baseline",
            ),
        ),
        migrations.AlterField(
            model_name="historicalindicator",
            name="source_note",
            field=models.TextField(
                blank=True,
                help_text="For the secretariat only (where the wording comes from, what is left to confirm): never shown to readers or in reports.",
                verbose_name="internal note",
            ),
        ),
        migrations.AlterField(
            model_name="historicalindicatorvalue",
            name="note",
            field=models.TextField(
                blank=True,
                help_text="For the secretariat and the members who report: never shown to readers, in exports or in reports.",
                max_length=2000,
                verbose_name="internal note",
            ),
        ),
        migrations.AlterField(
            model_name="historicalindicatorvalue",
            name="source",
            field=models.TextField(
                blank=True,
                help_text="Where the figure comes from, when it is not a catalogued publication.",
                max_length=1000,
                verbose_name="source",
            ),
        ),
        migrations.AlterField(
            model_name="indicator",
            name="baseline_source",
            field=models.TextField(
                blank=True,
                help_text="For the secretariat only: never shown to readers or in reports.",
                verbose_name="internal note on the baseline",
            ),
        ),
        migrations.AlterField(
            model_name="indicator",
            name="source_note",
            field=models.TextField(
                blank=True,
                help_text="For the secretariat only (where the wording comes from, what is left to confirm): never shown to readers or in reports.",
                verbose_name="internal note",
            ),
        ),
        migrations.AlterField(
            model_name="indicatorvalue",
            name="note",
            field=models.TextField(
                blank=True,
                help_text="For the secretariat and the members who report: never shown to readers, in exports or in reports.",
                max_length=2000,
                verbose_name="internal note",
            ),
        ),
        migrations.AlterField(
            model_name="indicatorvalue",
            name="source",
            field=models.TextField(
                blank=True,
                help_text="Where the figure comes from, when it is not a catalogued publication.",
                max_length=1000,
                verbose_name="source",
            ),
        ),
        migrations.AddConstraint(
            model_name="institution",
            constraint=models.UniqueConstraint(
                condition=models.Q(("acronym", ""), _negated=True),
                fields=("acronym_fr",),
                name="institution_acronym_unique-fr",
            ),
        ),
        migrations.AddConstraint(
            model_name="institution",
            constraint=models.UniqueConstraint(
                condition=models.Q(("acronym", ""), _negated=True),
                fields=("acronym_en",),
                name="institution_acronym_unique-en",
            ),
        ),
        migrations.AddField(
            model_name="historicalsource",
            name="history_user",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddConstraint(
            model_name="source",
            constraint=models.CheckConstraint(
                condition=models.Q(("date_precision__in", ["day", "month", "year"])),
                name="source_date_precision_valid",
            ),
        ),
        migrations.AddConstraint(
            model_name="source",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("kind__in", ["report", "web_page", "press", "database", "official"])
                ),
                name="source_kind_valid",
            ),
        ),
        migrations.AddConstraint(
            model_name="source",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("publisher", ""), _negated=True),
                    models.Q(("title", ""), _negated=True),
                ),
                name="source_publisher_and_title",
            ),
        ),
        migrations.AddField(
            model_name="historicalindicator",
            name="baseline_citation",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                help_text="The publication the baseline comes from, as readers see it.",
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="tracker.source",
                verbose_name="baseline source",
            ),
        ),
        migrations.AddField(
            model_name="historicalindicator",
            name="citation",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                help_text="The publication the indicator's wording comes from, as readers see it.",
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="tracker.source",
                verbose_name="source of the wording",
            ),
        ),
        migrations.AddField(
            model_name="historicalindicatorvalue",
            name="citation",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="tracker.source",
                verbose_name="publication",
            ),
        ),
        migrations.AddField(
            model_name="indicator",
            name="baseline_citation",
            field=models.ForeignKey(
                blank=True,
                help_text="The publication the baseline comes from, as readers see it.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="tracker.source",
                verbose_name="baseline source",
            ),
        ),
        migrations.AddField(
            model_name="indicator",
            name="citation",
            field=models.ForeignKey(
                blank=True,
                help_text="The publication the indicator's wording comes from, as readers see it.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="tracker.source",
                verbose_name="source of the wording",
            ),
        ),
        migrations.AddField(
            model_name="indicatorvalue",
            name="citation",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="values",
                to="tracker.source",
                verbose_name="publication",
            ),
        ),
        migrations.RunPython(fill_language_columns, migrations.RunPython.noop),
        migrations.RunPython(grant, migrations.RunPython.noop),
        migrations.RunPython(restore_triggers, drop_triggers),
    ]
