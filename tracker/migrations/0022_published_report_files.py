"""The files of a published report (issue 17): each version's PDF, XLSX and CSV in both
languages, stored once with their SHA-256 and served as they were published. A new table only,
so SQLite rebuilds nothing and the triggers stay as they are. Everyone who reads published
reports may see the files in the admin; only publishing writes them."""

import django.db.models.deletion
import django.db.models.functions.text
import django.db.models.lookups
from django.db import migrations, models

import tracker.models.reports
from tracker.migration_helpers import grant_permissions


def grant(apps, schema_editor):
    grant_permissions(
        apps,
        dict.fromkeys(
            ["Committee member", "Secretariat", "Framework administrator", "Reporting staff"],
            ["view_publishedreportfile"],
        ),
        replace=False,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("tracker", "0021_value_plan_reads_index"),
    ]

    operations = [
        migrations.CreateModel(
            name="PublishedReportFile",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "language",
                    models.CharField(
                        choices=[("fr", "French"), ("en", "English")],
                        max_length=2,
                        verbose_name="language",
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[("pdf", "PDF"), ("xlsx", "XLSX"), ("csv", "CSV")],
                        max_length=4,
                        verbose_name="kind",
                    ),
                ),
                (
                    "file",
                    models.FileField(
                        max_length=200,
                        upload_to=tracker.models.reports._stored_name,
                        verbose_name="file",
                    ),
                ),
                ("sha256", models.CharField(max_length=64, verbose_name="SHA-256")),
                ("size", models.PositiveBigIntegerField(verbose_name="size in bytes")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created at")),
                (
                    "version",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="files",
                        to="tracker.publishedreport",
                        verbose_name="version",
                    ),
                ),
            ],
            options={
                "verbose_name": "published report file",
                "verbose_name_plural": "published report files",
                "ordering": ["version", "language", "kind"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("version", "language", "kind"), name="published_report_file_unique"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("language__in", ["fr", "en"])),
                        name="published_report_file_language",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("kind__in", ["pdf", "xlsx", "csv"])),
                        name="published_report_file_kind",
                    ),
                    models.CheckConstraint(
                        condition=django.db.models.lookups.Exact(
                            django.db.models.functions.text.Length("sha256"), 64
                        ),
                        name="published_report_file_sha256",
                    ),
                ],
            },
        ),
        migrations.RunPython(grant, migrations.RunPython.noop),
    ]
