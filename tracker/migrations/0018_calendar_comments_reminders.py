"""The committee's calendar and conversation (issue 14): a due date for each period (the
plan's days to report after its end, filled in for the periods that exist), how late a review
meeting may be held, the outlier band; the users' language and e-mail choices, an
institution's contact address; comments on a value; the outbox of reminders."""

import datetime
import importlib

import django.db.models.deletion
import django.db.models.functions.text
import django.db.models.lookups
import simple_history.models
from django.conf import settings
from django.db import migrations, models

from tracker.migration_helpers import sqlite_rebuild_guard

RULES = importlib.import_module("tracker.migrations.0010_reporting_limits_and_four_eyes")

# SQLite rebuilds tables below; its triggers are dropped first and created again after.
drop_triggers, restore_triggers = sqlite_rebuild_guard(
    RULES.EARLIER_RULES, RULES.CLOSED_PERIOD_TABLES
)


def set_due_dates(apps, schema_editor):
    """Each existing period is due 30 days (the plan's default) after it ends; its history
    rows say the same, so that a past version never reads as having no due date."""
    for model_name in ("ReportingPeriod", "HistoricalReportingPeriod"):
        model = apps.get_model("tracker", model_name)
        for period in model.objects.filter(due_on__isnull=True).only("pk", "end_date"):
            model.objects.filter(pk=period.pk).update(
                due_on=period.end_date + datetime.timedelta(days=30)
            )


class Migration(migrations.Migration):
    dependencies = [
        ("tracker", "0017_longer_alignment_tag_names"),
    ]

    operations = [
        migrations.RunPython(drop_triggers, restore_triggers),
        migrations.CreateModel(
            name="HistoricalValueComment",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                ("text", models.TextField(max_length=5000, verbose_name="comment")),
                (
                    "created_at",
                    models.DateTimeField(blank=True, editable=False, verbose_name="written at"),
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
                "verbose_name": "historical comment",
                "verbose_name_plural": "historical comments",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="Reminder",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("due_soon", "Due soon"),
                            ("overdue", "Overdue"),
                            ("escalation", "Overdue, to the institution"),
                            ("digest", "Weekly digest"),
                            ("by_hand", "Sent from the completeness grid"),
                            ("comment", "New comment"),
                        ],
                        max_length=20,
                        verbose_name="kind",
                    ),
                ),
                ("email", models.EmailField(max_length=254, verbose_name="e-mail")),
                (
                    "language",
                    models.CharField(
                        choices=[("fr", "French"), ("en", "English")],
                        max_length=8,
                        verbose_name="language",
                    ),
                ),
                ("key", models.CharField(max_length=40, verbose_name="key")),
                ("subject", models.CharField(max_length=255, verbose_name="subject")),
                ("body", models.TextField(verbose_name="message")),
                (
                    "status",
                    models.CharField(
                        choices=[("pending", "Waiting to be sent"), ("sent", "Sent")],
                        default="pending",
                        max_length=10,
                        verbose_name="status",
                    ),
                ),
                ("attempts", models.PositiveSmallIntegerField(default=0, verbose_name="attempts")),
                ("last_error", models.TextField(blank=True, verbose_name="last error")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="decided at")),
                ("sent_at", models.DateTimeField(blank=True, null=True, verbose_name="sent at")),
            ],
            options={
                "verbose_name": "e-mail reminder",
                "verbose_name_plural": "e-mail reminders",
                "ordering": ["-created_at", "pk"],
            },
        ),
        migrations.CreateModel(
            name="ValueComment",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("text", models.TextField(max_length=5000, verbose_name="comment")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="written at")),
            ],
            options={
                "verbose_name": "comment",
                "verbose_name_plural": "comments",
                "ordering": ["value", "created_at", "pk"],
            },
        ),
        migrations.AddField(
            model_name="historicalinstitution",
            name="contact_email",
            field=models.EmailField(blank=True, max_length=254, verbose_name="contact e-mail"),
        ),
        migrations.AddField(
            model_name="historicalplan",
            name="days_to_hold_meeting",
            field=models.PositiveSmallIntegerField(
                default=45,
                help_text="A meeting reviews a period; it may be held up to this many days after it.",
                verbose_name="days to hold a review meeting",
            ),
        ),
        migrations.AddField(
            model_name="historicalplan",
            name="days_to_report",
            field=models.PositiveSmallIntegerField(
                default=30,
                help_text="A period's reports are due this many days after it ends. The secretariat may move the due date of one period.",
                verbose_name="days to report",
            ),
        ),
        migrations.AddField(
            model_name="historicalplan",
            name="outlier_factor",
            field=models.DecimalField(
                decimal_places=1,
                default=3,
                help_text="A submitted value is flagged for review when it is more than this many times the median of the indicator's last four values, or less than that median divided by it.",
                max_digits=4,
                verbose_name="outlier band",
            ),
        ),
        migrations.AddField(
            model_name="historicalreportingperiod",
            name="due_on",
            field=models.DateField(null=True, verbose_name="due date"),
        ),
        migrations.AddField(
            model_name="historicaluser",
            name="language",
            field=models.CharField(
                choices=[("fr", "French"), ("en", "English")],
                default="fr",
                max_length=8,
                verbose_name="language",
            ),
        ),
        migrations.AddField(
            model_name="historicaluser",
            name="wants_comment_emails",
            field=models.BooleanField(
                default=True,
                help_text="An e-mail when someone comments on a value you entered or review.",
                verbose_name="comments by e-mail",
            ),
        ),
        migrations.AddField(
            model_name="historicaluser",
            name="wants_digest",
            field=models.BooleanField(
                default=True,
                help_text="The secretariat's weekly list of what awaits validation.",
                verbose_name="weekly digest by e-mail",
            ),
        ),
        migrations.AddField(
            model_name="institution",
            name="contact_email",
            field=models.EmailField(blank=True, max_length=254, verbose_name="contact e-mail"),
        ),
        migrations.AddField(
            model_name="plan",
            name="days_to_hold_meeting",
            field=models.PositiveSmallIntegerField(
                default=45,
                help_text="A meeting reviews a period; it may be held up to this many days after it.",
                verbose_name="days to hold a review meeting",
            ),
        ),
        migrations.AddField(
            model_name="plan",
            name="days_to_report",
            field=models.PositiveSmallIntegerField(
                default=30,
                help_text="A period's reports are due this many days after it ends. The secretariat may move the due date of one period.",
                verbose_name="days to report",
            ),
        ),
        migrations.AddField(
            model_name="plan",
            name="outlier_factor",
            field=models.DecimalField(
                decimal_places=1,
                default=3,
                help_text="A submitted value is flagged for review when it is more than this many times the median of the indicator's last four values, or less than that median divided by it.",
                max_digits=4,
                verbose_name="outlier band",
            ),
        ),
        migrations.AddField(
            model_name="reportingperiod",
            name="due_on",
            field=models.DateField(null=True, verbose_name="due date"),
        ),
        migrations.RunPython(set_due_dates, migrations.RunPython.noop),
        migrations.AddField(
            model_name="user",
            name="language",
            field=models.CharField(
                choices=[("fr", "French"), ("en", "English")],
                default="fr",
                max_length=8,
                verbose_name="language",
            ),
        ),
        migrations.AddField(
            model_name="user",
            name="wants_comment_emails",
            field=models.BooleanField(
                default=True,
                help_text="An e-mail when someone comments on a value you entered or review.",
                verbose_name="comments by e-mail",
            ),
        ),
        migrations.AddField(
            model_name="user",
            name="wants_digest",
            field=models.BooleanField(
                default=True,
                help_text="The secretariat's weekly list of what awaits validation.",
                verbose_name="weekly digest by e-mail",
            ),
        ),
        migrations.AddConstraint(
            model_name="plan",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("days_to_hold_meeting__lte", 366), ("days_to_report__lte", 366)
                ),
                name="plan_calendar_within_a_year",
            ),
        ),
        migrations.AddConstraint(
            model_name="plan",
            constraint=models.CheckConstraint(
                condition=models.Q(("outlier_factor__gt", 1)), name="plan_outlier_band"
            ),
        ),
        migrations.AddConstraint(
            model_name="reportingperiod",
            constraint=models.CheckConstraint(
                condition=models.Q(("due_on__gte", models.F("end_date"))),
                name="period_due_after_its_end",
            ),
        ),
        migrations.AddField(
            model_name="historicalvaluecomment",
            name="author",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="author",
            ),
        ),
        migrations.AddField(
            model_name="historicalvaluecomment",
            name="history_user",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="historicalvaluecomment",
            name="value",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="tracker.indicatorvalue",
                verbose_name="indicator value",
            ),
        ),
        migrations.AddField(
            model_name="reminder",
            name="institution",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="reminders",
                to="tracker.institution",
                verbose_name="institution",
            ),
        ),
        migrations.AddField(
            model_name="reminder",
            name="period",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="reminders",
                to="tracker.reportingperiod",
                verbose_name="period",
            ),
        ),
        migrations.AddField(
            model_name="reminder",
            name="recipient",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="reminders",
                to=settings.AUTH_USER_MODEL,
                verbose_name="recipient",
            ),
        ),
        migrations.AddField(
            model_name="valuecomment",
            name="author",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="author",
            ),
        ),
        migrations.AddField(
            model_name="valuecomment",
            name="value",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="comments",
                to="tracker.indicatorvalue",
                verbose_name="indicator value",
            ),
        ),
        migrations.AddIndex(
            model_name="reminder",
            index=models.Index(fields=["status", "created_at"], name="reminder_outbox_idx"),
        ),
        migrations.AddConstraint(
            model_name="reminder",
            constraint=models.UniqueConstraint(
                fields=("kind", "email", "key"), name="reminder_once"
            ),
        ),
        migrations.AddConstraint(
            model_name="reminder",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("status", "pending"), ("sent_at__isnull", False), _connector="OR"
                ),
                name="reminder_sent_has_date",
            ),
        ),
        migrations.AddConstraint(
            model_name="valuecomment",
            constraint=models.CheckConstraint(
                condition=django.db.models.lookups.LessThanOrEqual(
                    django.db.models.functions.text.Length("text"), 5000
                ),
                name="value_comment_text_length",
            ),
        ),
        migrations.AddConstraint(
            model_name="valuecomment",
            constraint=models.CheckConstraint(
                condition=models.Q(("text", ""), _negated=True), name="value_comment_says_something"
            ),
        ),
        migrations.AlterField(
            model_name="reportingperiod",
            name="due_on",
            field=models.DateField(verbose_name="due date"),
        ),
        migrations.AlterField(
            model_name="historicalreportingperiod",
            name="due_on",
            field=models.DateField(verbose_name="due date"),
        ),
        migrations.RunPython(restore_triggers, drop_triggers),
    ]
