"""The framework from a spreadsheet (issue 15): framework administrators import indicators,
annual targets, activities and budget lines in the admin with django-import-export, which
previews every row (new, changed, unchanged, refused) before anything is stored.

Codes repeat from one plan to the next, so each row names its plan (by slug) and its parent by
code within that plan. Rows meet the models' own checks (full_clean: constraints, years within
the plan, units and aggregations that fit), and an XLSX passes the raw checks of the quarterly
template first (tracker/spreadsheets/safety.py: size, macros, zip bombs, rows)."""

from django.contrib.auth import get_permission_codename
from import_export import fields, resources
from import_export.admin import ImportMixin
from import_export.formats import base_formats
from import_export.widgets import ForeignKeyWidget, ManyToManyWidget

from tracker.models import (
    Activity,
    AnnualTarget,
    BudgetLine,
    Dimension,
    FundingSource,
    Indicator,
    Institution,
    Opportunity,
    Plan,
    Result,
)
from tracker.spreadsheets.errors import SpreadsheetRefused
from tracker.spreadsheets.safety import check_workbook


class CheckedXLSX(base_formats.XLSX):
    """An XLSX read only once it passed the quarterly template's raw checks."""

    def create_dataset(self, in_stream):
        check_workbook(in_stream)
        return super().create_dataset(in_stream)


class InPlanWidget(ForeignKeyWidget):
    """A row's parent by its code within the plan the row names in its "plan" column."""

    def __init__(self, model, plan_lookup="plan__slug"):
        super().__init__(model, field="code")
        self.plan_lookup = plan_lookup

    def get_queryset(self, value, row, *args, **kwargs):
        return self.model.objects.filter(**{self.plan_lookup: (row or {}).get("plan")})


def plan_field(attribute=None):
    """The plan column: the plan itself, or (readonly) the plan of the row's parent."""
    if attribute:
        return fields.Field(attribute=attribute, column_name="plan", readonly=True)
    return fields.Field(attribute="plan", column_name="plan", widget=ForeignKeyWidget(Plan, "slug"))


def in_plan_field(name, model):
    return fields.Field(attribute=name, column_name=name, widget=InPlanWidget(model))


def institutions_field(name):
    """Institutions by acronym, separated by commas: "MPFEF,MSPC"."""
    return fields.Field(
        attribute=name,
        column_name=name,
        widget=ManyToManyWidget(Institution, field="acronym", separator=","),
    )


class FrameworkResource(resources.ModelResource):
    class Meta:
        clean_model_instances = True  # full_clean(): the admin form's checks, for each row
        skip_unchanged = True
        report_skipped = True
        use_transactions = True


class IndicatorResource(FrameworkResource):
    plan = plan_field()
    result = in_plan_field("result", Result)
    opportunity = in_plan_field("opportunity", Opportunity)
    responsible_institutions = institutions_field("responsible_institutions")
    dimensions = fields.Field(
        attribute="dimensions",
        column_name="dimensions",
        widget=ManyToManyWidget(Dimension, field="code", separator=","),
    )

    class Meta(FrameworkResource.Meta):
        model = Indicator
        import_id_fields = ("plan", "code")
        fields = (
            "plan",
            "result",
            "opportunity",
            "code",
            "name_fr",
            "name_en",
            "definition_fr",
            "definition_en",
            "unit_kind",
            "aggregation",
            "reporting_frequency",
            "direction",
            "baseline_value",
            "baseline_year",
            "target_value",
            "means_of_verification",
            "data_source",
            "responsible_institutions",
            "dimensions",
        )


class AnnualTargetResource(FrameworkResource):
    plan = plan_field("indicator__plan__slug")
    indicator = in_plan_field("indicator", Indicator)

    class Meta(FrameworkResource.Meta):
        model = AnnualTarget
        import_id_fields = ("indicator", "year")
        fields = ("plan", "indicator", "year", "value")


class ActivityResource(FrameworkResource):
    plan = plan_field()
    opportunity = in_plan_field("opportunity", Opportunity)
    lead_institution = fields.Field(
        attribute="lead_institution",
        column_name="lead_institution",
        widget=ForeignKeyWidget(Institution, "acronym"),
    )
    partners = institutions_field("partners")

    class Meta(FrameworkResource.Meta):
        model = Activity
        import_id_fields = ("plan", "code")
        fields = (
            "plan",
            "opportunity",
            "code",
            "title_fr",
            "title_en",
            "lead_institution",
            "partners",
            "start_year",
            "end_year",
        )


class BudgetLineResource(FrameworkResource):
    plan = plan_field("activity__plan__slug")
    activity = in_plan_field("activity", Activity)
    funding_source = fields.Field(
        attribute="funding_source",
        column_name="funding_source",
        widget=ForeignKeyWidget(FundingSource, "name"),
    )

    class Meta(FrameworkResource.Meta):
        model = BudgetLine
        import_id_fields = ("activity", "year", "funding_source")
        fields = ("plan", "activity", "year", "funding_source", "planned_amount")


class FrameworkImportMixin(ImportMixin):
    """The admin's "Import" button, with its preview, for whoever may add and change the
    model (the framework administrators); a refused workbook says why."""

    def get_import_formats(self):
        return [CheckedXLSX, base_formats.CSV]

    def has_import_permission(self, request):
        opts = self.opts
        return all(
            request.user.has_perm(f"{opts.app_label}.{get_permission_codename(action, opts)}")
            for action in ("add", "change")
        )

    def add_data_read_fail_error_to_form(self, form, e):
        if isinstance(e, SpreadsheetRefused):
            form.add_error("import_file", e.message_text)
        else:
            super().add_data_read_fail_error_to_form(form, e)
