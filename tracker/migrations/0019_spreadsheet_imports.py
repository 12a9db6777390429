# Spreadsheet imports (issue 15): each uploaded quarterly template, kept as evidence of what it
# changed. Only a new table: no trigger guard needed (see 0018).

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("tracker", "0018_calendar_comments_reminders"),
    ]

    operations = [
        migrations.CreateModel(
            name="SpreadsheetImport",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "uploaded_at",
                    models.DateTimeField(auto_now_add=True, verbose_name="uploaded at"),
                ),
                ("file", models.FileField(upload_to="imports/%Y/%m/", verbose_name="file")),
                ("original_name", models.CharField(max_length=255, verbose_name="file name")),
                ("size", models.PositiveBigIntegerField(verbose_name="size in bytes")),
                ("sha256", models.CharField(max_length=64, verbose_name="SHA-256")),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("previewed", "Previewed"),
                            ("committed", "Imported"),
                            ("refused", "Refused"),
                        ],
                        default="previewed",
                        max_length=10,
                        verbose_name="status",
                    ),
                ),
                (
                    "submit",
                    models.BooleanField(default=False, verbose_name="submit to the secretariat"),
                ),
                ("summary", models.JSONField(blank=True, default=dict, verbose_name="summary")),
                ("refusal", models.TextField(blank=True, verbose_name="reason for refusal")),
                (
                    "committed_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="imported at"),
                ),
                (
                    "changed_values",
                    models.ManyToManyField(
                        blank=True,
                        related_name="spreadsheet_imports",
                        to="tracker.indicatorvalue",
                        verbose_name="values created or changed",
                    ),
                ),
                (
                    "institution",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="tracker.institution",
                        verbose_name="institution",
                    ),
                ),
                (
                    "period",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="tracker.reportingperiod",
                        verbose_name="period",
                    ),
                ),
                (
                    "plan",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="tracker.plan",
                        verbose_name="plan",
                    ),
                ),
                (
                    "uploaded_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="uploaded by",
                    ),
                ),
            ],
            options={
                "verbose_name": "spreadsheet import",
                "verbose_name_plural": "spreadsheet imports",
                "ordering": ["-uploaded_at", "-pk"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("status__in", ["previewed", "committed", "refused"])),
                        name="spreadsheet_import_status_valid",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("status", "committed"), _negated=True),
                            ("committed_at__isnull", False),
                            _connector="OR",
                        ),
                        name="spreadsheet_import_committed_has_date",
                    ),
                ],
            },
        ),
    ]
