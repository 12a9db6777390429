"""The REST API and the exchange exports (issue 16): personal API tokens (a digest, never the
secret), each plan's names in DHIS2 and IATI, the DHIS2 category option combinations of the
breakdown cells. New tables only, so SQLite rebuilds nothing and the triggers stay as they are.
Framework administrators maintain the exchange settings and the mapping, and may revoke a
user's token (they manage users); nobody but its owner creates one."""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models

from tracker.migration_helpers import grant_permissions


def grant(apps, schema_editor):
    grant_permissions(
        apps,
        {
            "Framework administrator": [
                f"{action}_{model}"
                for model in ("exchangesettings", "combomapping")
                for action in ("add", "change", "delete", "view")
            ]
            + ["view_apitoken", "change_apitoken"]
        },
        replace=False,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("tracker", "0019_spreadsheet_imports"),
    ]

    operations = [
        migrations.CreateModel(
            name="ExchangeSettings",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "org_unit",
                    models.CharField(
                        blank=True,
                        help_text="The code (or identifier) of the organisation unit the figures are reported for, usually the country. Empty: the country's name.",
                        max_length=50,
                        verbose_name="DHIS2 organisation unit",
                    ),
                ),
                (
                    "data_set",
                    models.CharField(
                        blank=True,
                        help_text="The code of the DHIS2 data set. Empty: the plan's slug.",
                        max_length=50,
                        verbose_name="DHIS2 data set",
                    ),
                ),
                (
                    "default_combo",
                    models.CharField(
                        default="default",
                        help_text="Sent with each total (a figure without a breakdown); DHIS2 names its default combination “default”.",
                        max_length=50,
                        verbose_name="category option combination of totals",
                    ),
                ),
                (
                    "attribute_option_combo",
                    models.CharField(
                        default="default",
                        help_text="Sent with every value; “default” unless the data set uses attributes.",
                        max_length=50,
                        verbose_name="attribute option combination",
                    ),
                ),
                (
                    "iati_reporting_org_ref",
                    models.CharField(
                        blank=True,
                        help_text="The registered identifier of the organisation that publishes the plan (see org-id.guide). Empty: the lead institution's acronym.",
                        max_length=100,
                        verbose_name="IATI reporting organisation identifier",
                    ),
                ),
                (
                    "iati_reporting_org_type",
                    models.CharField(
                        default="10",
                        help_text="From the IATI OrganisationType code list: 10 is a government.",
                        max_length=3,
                        verbose_name="IATI organisation type",
                    ),
                ),
                (
                    "iati_identifier",
                    models.CharField(
                        blank=True,
                        help_text="Empty: the reporting organisation's identifier, a dash and the plan's slug.",
                        max_length=150,
                        verbose_name="IATI activity identifier",
                    ),
                ),
                (
                    "recipient_country",
                    models.CharField(
                        blank=True,
                        help_text="Two capital letters, such as ML for Mali. Empty: no recipient country.",
                        max_length=2,
                        verbose_name="recipient country (ISO 3166 code)",
                    ),
                ),
                (
                    "plan",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="exchange_settings",
                        to="tracker.plan",
                        verbose_name="plan",
                    ),
                ),
            ],
            options={
                "verbose_name": "exchange settings",
                "verbose_name_plural": "exchange settings",
                "ordering": ["plan"],
            },
        ),
        migrations.CreateModel(
            name="HistoricalApiToken",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                (
                    "name",
                    models.CharField(
                        help_text="What the token is for, such as “DHIS2 sync”.",
                        max_length=100,
                        verbose_name="name",
                    ),
                ),
                ("prefix", models.CharField(max_length=12, verbose_name="prefix")),
                (
                    "digest",
                    models.CharField(
                        db_index=True, editable=False, max_length=64, verbose_name="digest"
                    ),
                ),
                (
                    "created_at",
                    models.DateTimeField(blank=True, editable=False, verbose_name="created at"),
                ),
                ("expires_at", models.DateTimeField(verbose_name="expires at")),
                (
                    "revoked_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="revoked at"),
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
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="user",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical API token",
                "verbose_name_plural": "historical API tokens",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalComboMapping",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                (
                    "combo",
                    models.CharField(
                        help_text="Its identifier (UID) or code, as the receiving DHIS2 is told to read it.",
                        max_length=50,
                        verbose_name="DHIS2 category option combination",
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
                (
                    "category",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="tracker.dimensionvalue",
                        verbose_name="category",
                    ),
                ),
                (
                    "cross_category",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="tracker.dimensionvalue",
                        verbose_name="crossed with",
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "historical DHIS2 category option combination",
                "verbose_name_plural": "historical DHIS2 category option combinations",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalExchangeSettings",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                (
                    "org_unit",
                    models.CharField(
                        blank=True,
                        help_text="The code (or identifier) of the organisation unit the figures are reported for, usually the country. Empty: the country's name.",
                        max_length=50,
                        verbose_name="DHIS2 organisation unit",
                    ),
                ),
                (
                    "data_set",
                    models.CharField(
                        blank=True,
                        help_text="The code of the DHIS2 data set. Empty: the plan's slug.",
                        max_length=50,
                        verbose_name="DHIS2 data set",
                    ),
                ),
                (
                    "default_combo",
                    models.CharField(
                        default="default",
                        help_text="Sent with each total (a figure without a breakdown); DHIS2 names its default combination “default”.",
                        max_length=50,
                        verbose_name="category option combination of totals",
                    ),
                ),
                (
                    "attribute_option_combo",
                    models.CharField(
                        default="default",
                        help_text="Sent with every value; “default” unless the data set uses attributes.",
                        max_length=50,
                        verbose_name="attribute option combination",
                    ),
                ),
                (
                    "iati_reporting_org_ref",
                    models.CharField(
                        blank=True,
                        help_text="The registered identifier of the organisation that publishes the plan (see org-id.guide). Empty: the lead institution's acronym.",
                        max_length=100,
                        verbose_name="IATI reporting organisation identifier",
                    ),
                ),
                (
                    "iati_reporting_org_type",
                    models.CharField(
                        default="10",
                        help_text="From the IATI OrganisationType code list: 10 is a government.",
                        max_length=3,
                        verbose_name="IATI organisation type",
                    ),
                ),
                (
                    "iati_identifier",
                    models.CharField(
                        blank=True,
                        help_text="Empty: the reporting organisation's identifier, a dash and the plan's slug.",
                        max_length=150,
                        verbose_name="IATI activity identifier",
                    ),
                ),
                (
                    "recipient_country",
                    models.CharField(
                        blank=True,
                        help_text="Two capital letters, such as ML for Mali. Empty: no recipient country.",
                        max_length=2,
                        verbose_name="recipient country (ISO 3166 code)",
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
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "plan",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="tracker.plan",
                        verbose_name="plan",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical exchange settings",
                "verbose_name_plural": "historical exchange settings",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="ApiToken",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "name",
                    models.CharField(
                        help_text="What the token is for, such as “DHIS2 sync”.",
                        max_length=100,
                        verbose_name="name",
                    ),
                ),
                ("prefix", models.CharField(max_length=12, verbose_name="prefix")),
                (
                    "digest",
                    models.CharField(
                        editable=False, max_length=64, unique=True, verbose_name="digest"
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created at")),
                ("expires_at", models.DateTimeField(verbose_name="expires at")),
                (
                    "last_used_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="last used at"),
                ),
                (
                    "revoked_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="revoked at"),
                ),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="api_tokens",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="user",
                    ),
                ),
            ],
            options={
                "verbose_name": "API token",
                "verbose_name_plural": "API tokens",
                "ordering": ["user", "-created_at"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("expires_at__gt", models.F("created_at"))),
                        name="api_token_expires_after",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("name", ""), _negated=True), name="api_token_has_name"
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="ComboMapping",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "combo",
                    models.CharField(
                        help_text="Its identifier (UID) or code, as the receiving DHIS2 is told to read it.",
                        max_length=50,
                        verbose_name="DHIS2 category option combination",
                    ),
                ),
                (
                    "category",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="tracker.dimensionvalue",
                        verbose_name="category",
                    ),
                ),
                (
                    "cross_category",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="tracker.dimensionvalue",
                        verbose_name="crossed with",
                    ),
                ),
            ],
            options={
                "verbose_name": "DHIS2 category option combination",
                "verbose_name_plural": "DHIS2 category option combinations",
                "ordering": ["category", "cross_category"],
                "constraints": [
                    models.UniqueConstraint(
                        condition=models.Q(("cross_category__isnull", True)),
                        fields=("category",),
                        name="combo_mapping_unique_single",
                    ),
                    models.UniqueConstraint(
                        fields=("category", "cross_category"), name="combo_mapping_unique_crossed"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("cross_category__isnull", True),
                            models.Q(("cross_category", models.F("category")), _negated=True),
                            _connector="OR",
                        ),
                        name="combo_mapping_distinct_categories",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("combo", ""), _negated=True),
                        name="combo_mapping_has_combo",
                    ),
                ],
            },
        ),
        migrations.RunPython(grant, migrations.RunPython.noop),
    ]
