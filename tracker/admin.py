"""The Django admin, where framework administrators maintain the whole results framework
(DESIGN.md §1). Every changelist shows the code and the parent, selects its related rows in the
same query, and keeps a full history (django-simple-history)."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.db import IntegrityError
from django.http import HttpResponseRedirect
from django.utils.translation import gettext_lazy as _
from modeltranslation import settings as translation_settings
from modeltranslation.admin import (
    TranslationAdmin,
    TranslationStackedInline,
    TranslationTabularInline,
)
from modeltranslation.translator import NotRegistered, translator
from modeltranslation.utils import build_localized_fieldname
from simple_history.admin import SimpleHistoryAdmin

from tracker import roles, services
from tracker.formatting import format_number
from tracker.models import (
    Activity,
    ActivityProgress,
    AlignmentTag,
    AnnualTarget,
    Axis,
    BreakdownRow,
    BudgetLine,
    CommitteeMeeting,
    Dimension,
    DimensionValue,
    EvidenceFile,
    FundingSource,
    Indicator,
    IndicatorValue,
    Institution,
    MeetingAttendance,
    Opportunity,
    Plan,
    Region,
    ReportingPeriod,
    Result,
    ScaleLevel,
    Source,
    User,
)

admin.site.site_header = _("NAP 1325 Tracker administration")
admin.site.site_title = _("NAP 1325 Tracker")
admin.site.index_title = _("Results framework")


def bilingual_lookups(model, lookup):
    """A search lookup on a translated field ("name", "indicator__name") as one lookup per
    language ("name_fr", "name_en"), so that the admin finds a row whatever language it is
    written in; other lookups are returned unchanged."""
    prefix = lookup[0] if lookup[0] in "^=@" else ""
    path = lookup[len(prefix) :].split("__")
    for position, part in enumerate(path):
        try:
            field = model._meta.get_field(part)
        except FieldDoesNotExist:
            break
        if field.is_relation and field.related_model is not None:
            model = field.related_model
            continue
        try:
            translated = translator.get_options_for_model(model).all_fields
        except NotRegistered:
            break
        if part not in translated:
            break
        return [
            prefix
            + "__".join(
                [*path[:position], build_localized_fieldname(part, language), *path[position + 1 :]]
            )
            for language in translation_settings.AVAILABLE_LANGUAGES
        ]
    return [lookup]


class TrackerAdmin(SimpleHistoryAdmin):
    list_per_page = 50
    # The exact count of an unfiltered table is one more query on every page; not needed.
    show_full_result_count = False
    # Reverting a reported record would write around the services (versions, closed periods,
    # four eyes); the reporting admins turn it off.
    allow_revert = True

    def revert_disabled(self, request, obj=None):
        return not self.allow_revert or super().revert_disabled(request, obj)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # simple-history saves a POST to this page without asking for the change permission.
        if request.method == "POST":
            obj = self.get_object(request, unquote(object_id))
            if self.revert_disabled(request, obj) or not self.has_change_permission(request, obj):
                raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    def get_search_fields(self, request):
        return [
            expanded
            for lookup in super().get_search_fields(request)
            for expanded in bilingual_lookups(self.model, lookup)
        ]

    def changeform_view(self, request, *args, **kwargs):
        """A write the services or the database refuse (closed period, stale version, a rule
        the form could not see) comes back as a message on the same page, never as a 500;
        the admin's transaction has rolled back, so nothing of it is stored."""
        try:
            return super().changeform_view(request, *args, **kwargs)
        except (ValidationError, IntegrityError) as error:
            if isinstance(error, ValidationError):
                reason = " ".join(error.messages)
            else:
                reason = _("the database refused it (%(reason)s).") % {"reason": error}
            self.message_user(
                request, _("Nothing was saved: %(reason)s") % {"reason": reason}, messages.ERROR
            )
            return HttpResponseRedirect(request.get_full_path())


class TranslatedAdmin(TranslationAdmin, TrackerAdmin):
    """Framework content in both languages (tracker/translation.py): the French and the English
    field are edited one under the other (DESIGN.md §6)."""


# Inlines


class AxisInline(TranslationStackedInline):
    model = Axis
    extra = 0
    fields = ["number", "name", "objective", "source_note"]
    show_change_link = True


class ResultInline(TranslationTabularInline):
    model = Result
    extra = 0
    fields = ["code", "statement", "source_note"]
    show_change_link = True


class OpportunityInline(TranslationTabularInline):
    model = Opportunity
    extra = 0
    fields = ["code", "statement", "source_note"]
    show_change_link = True


class IndicatorInline(TranslationTabularInline):
    model = Indicator
    fk_name = "result"
    extra = 0
    fields = ["code", "name", "opportunity", "unit_kind", "aggregation", "direction"]
    autocomplete_fields = ["opportunity"]
    show_change_link = True


class OpportunityIndicatorInline(IndicatorInline):
    fk_name = "opportunity"
    fields = ["code", "name", "unit_kind", "aggregation", "direction"]
    autocomplete_fields = []


class AnnualTargetInline(admin.TabularInline):
    model = AnnualTarget
    extra = 0
    fields = ["year", "value"]


class ScaleLevelInline(TranslationTabularInline):
    model = ScaleLevel
    extra = 0
    fields = ["value", "name"]


class DimensionValueInline(TranslationTabularInline):
    model = DimensionValue
    extra = 0
    fields = ["code", "name", "order", "region"]
    autocomplete_fields = ["region"]


class ActivityInline(TranslationTabularInline):
    model = Activity
    extra = 0
    fields = ["code", "title", "lead_institution", "start_year", "end_year"]
    autocomplete_fields = ["lead_institution"]
    show_change_link = True


class BudgetLineInline(admin.TabularInline):
    model = BudgetLine
    extra = 0
    fields = ["year", "funding_source", "planned_amount"]
    autocomplete_fields = ["funding_source"]


class BreakdownRowInlineFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        value = self.instance
        if value.value is None or value.indicator.aggregation != Indicator.Aggregation.SUM:
            return
        rows = [
            form.cleaned_data
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        single = [row["value"] for row in rows if not row.get("cross_category")]
        crossed = [row["value"] for row in rows if row.get("cross_category")]
        for cells in (single, crossed):
            if cells and sum(cells) != value.value:
                raise forms.ValidationError(
                    _("The breakdown adds up to %(sum)s but the total is %(total)s.")
                    % {"sum": format_number(sum(cells)), "total": format_number(value.value)}
                )


class BreakdownRowInline(admin.TabularInline):
    model = BreakdownRow
    formset = BreakdownRowInlineFormSet
    extra = 0
    fields = ["category", "cross_category", "value", "numerator", "denominator"]
    autocomplete_fields = ["category", "cross_category"]


# Framework


@admin.register(Plan)
class PlanAdmin(TranslatedAdmin):
    list_display = ["slug", "country", "start_year", "end_year", "lead_institution", "is_public"]
    list_filter = ["country", "is_public"]
    list_select_related = ["lead_institution"]
    search_fields = ["slug", "title", "country"]
    autocomplete_fields = ["lead_institution"]
    prepopulated_fields = {"slug": ["country", "start_year", "end_year"]}
    inlines = [AxisInline]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # A new plan, or one whose years grew, gets its missing periods.
        services.generate_periods(plan=obj)


@admin.register(Axis)
class AxisAdmin(TranslatedAdmin):
    list_display = ["number", "name", "plan"]
    list_display_links = ["number", "name"]
    list_filter = ["plan"]
    list_select_related = ["plan"]
    search_fields = ["name", "objective", "plan__slug"]
    autocomplete_fields = ["plan"]
    inlines = [ResultInline]


@admin.register(Result)
class ResultAdmin(TranslatedAdmin):
    list_display = ["code", "statement_short", "axis", "plan"]
    list_display_links = ["code", "statement_short"]
    list_filter = ["plan", "axis"]
    list_select_related = ["axis", "plan"]
    search_fields = ["code", "statement"]
    autocomplete_fields = ["axis"]
    readonly_fields = ["plan"]
    inlines = [OpportunityInline, IndicatorInline]

    @admin.display(description=_("statement"), ordering="statement")
    def statement_short(self, obj):
        return obj.statement[:120]


@admin.register(Opportunity)
class OpportunityAdmin(TranslatedAdmin):
    list_display = ["code", "statement_short", "result", "plan"]
    list_display_links = ["code", "statement_short"]
    list_filter = ["plan", "result__axis"]
    list_select_related = ["result", "plan"]
    search_fields = ["code", "statement"]
    autocomplete_fields = ["result"]
    readonly_fields = ["plan"]
    inlines = [OpportunityIndicatorInline, ActivityInline]
    statement_short = ResultAdmin.statement_short


@admin.register(Indicator)
class IndicatorAdmin(TranslatedAdmin):
    list_display = [
        "code",
        "name_short",
        "unit_kind",
        "aggregation",
        "reporting_frequency",
        "direction",
        "result",
        "plan",
    ]
    list_display_links = ["code", "name_short"]
    list_filter = [
        "plan",
        "result__axis",
        "unit_kind",
        "aggregation",
        "reporting_frequency",
        "direction",
    ]
    list_select_related = ["result", "plan"]
    search_fields = ["code", "name", "definition"]
    autocomplete_fields = [
        "result",
        "opportunity",
        "parent",
        "responsible_institutions",
        "dimensions",
        "alignment_tags",
    ]
    readonly_fields = ["plan"]
    inlines = [AnnualTargetInline, ScaleLevelInline]
    fieldsets = [
        (None, {"fields": ["plan", "result", "opportunity", "parent", "code", "name"]}),
        (
            _("Definition"),
            {
                "fields": [
                    "definition",
                    "unit_kind",
                    "aggregation",
                    "reporting_frequency",
                    "direction",
                ]
            },
        ),
        (
            _("Baseline and target"),
            {
                "fields": [
                    "baseline_value",
                    "baseline_year",
                    "baseline_citation",
                    "baseline_source",
                    "target_value",
                ]
            },
        ),
        (
            _("Data"),
            {
                "fields": [
                    "means_of_verification",
                    "data_source",
                    "responsible_institutions",
                    "dimensions",
                    "alignment_tags",
                    "citation",
                    "source_note",
                ]
            },
        ),
    ]

    @admin.display(description=_("name"), ordering="name")
    def name_short(self, obj):
        return obj.name[:120]


@admin.register(AnnualTarget)
class AnnualTargetAdmin(TrackerAdmin):
    list_display = ["indicator", "year", "value"]
    list_filter = ["indicator__plan", "year"]
    list_select_related = ["indicator"]
    search_fields = ["indicator__code", "indicator__name"]
    autocomplete_fields = ["indicator"]


@admin.register(ScaleLevel)
class ScaleLevelAdmin(TranslatedAdmin):
    list_display = ["indicator", "value", "name"]
    list_filter = ["indicator__plan"]
    list_select_related = ["indicator"]
    search_fields = ["indicator__code", "name"]
    autocomplete_fields = ["indicator"]


@admin.register(Institution)
class InstitutionAdmin(TranslatedAdmin):
    list_display = ["name", "acronym", "kind"]
    list_filter = ["kind"]
    search_fields = ["name", "acronym"]


@admin.register(Region)
class RegionAdmin(TrackerAdmin):
    list_display = ["code", "name", "valid_from", "valid_to"]
    search_fields = ["code", "name"]


@admin.register(Dimension)
class DimensionAdmin(TranslatedAdmin):
    list_display = ["code", "name", "order"]
    search_fields = ["code", "name"]
    inlines = [DimensionValueInline]


@admin.register(DimensionValue)
class DimensionValueAdmin(TranslatedAdmin):
    list_display = ["code", "name", "dimension", "region", "order"]
    list_filter = ["dimension"]
    list_select_related = ["dimension", "region"]
    search_fields = ["code", "name", "dimension__name"]
    autocomplete_fields = ["dimension", "region"]


@admin.register(Source)
class SourceAdmin(TranslatedAdmin):
    list_display = ["publisher", "title", "published_on", "kind"]
    list_filter = ["kind"]
    search_fields = ["publisher", "title"]
    date_hierarchy = "published_on"


@admin.register(AlignmentTag)
class AlignmentTagAdmin(TranslatedAdmin):
    list_display = ["code", "name", "framework"]
    list_filter = ["framework"]
    search_fields = ["code", "name"]


# Operational plan and budget


@admin.register(Activity)
class ActivityAdmin(TranslatedAdmin):
    list_display = ["code", "title_short", "opportunity", "lead_institution", "plan"]
    list_display_links = ["code", "title_short"]
    list_filter = ["plan", "start_year"]
    list_select_related = ["opportunity", "lead_institution", "plan"]
    search_fields = ["code", "title"]
    autocomplete_fields = ["opportunity", "lead_institution", "partners"]
    readonly_fields = ["plan"]
    inlines = [BudgetLineInline]

    @admin.display(description=_("title"), ordering="title")
    def title_short(self, obj):
        return obj.title[:120]


@admin.register(FundingSource)
class FundingSourceAdmin(TranslatedAdmin):
    list_display = ["name", "kind", "institution"]
    list_filter = ["kind"]
    list_select_related = ["institution"]
    search_fields = ["name"]
    autocomplete_fields = ["institution"]


@admin.register(BudgetLine)
class BudgetLineAdmin(TrackerAdmin):
    list_display = ["activity", "year", "funding_source", "planned_amount"]
    list_filter = ["activity__plan", "year", "funding_source"]
    list_select_related = ["activity", "funding_source"]
    search_fields = ["activity__code", "activity__title"]
    autocomplete_fields = ["activity", "funding_source"]


# Reporting


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(TrackerAdmin):
    allow_revert = False
    list_display = ["label", "plan", "start_date", "end_date", "status", "closed_at"]
    list_filter = ["plan", "status", "year"]
    list_select_related = ["plan"]
    search_fields = ["plan__slug", "year"]
    # Periods are generated from the plan's years, never typed (DESIGN.md §2).
    readonly_fields = ["plan", "year", "quarter", "start_date", "end_date"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class IndicatorValueAdminForm(forms.ModelForm):
    """The secretariat's data entry in the admin: figures are checked by the model (unit kind,
    closed period), the version guards against overwriting a newer save, and changing a
    validated value asks for a reason."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    change_reason = forms.CharField(
        label=_("Reason for the change"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when the value is already validated."),
    )

    class Meta:
        model = IndicatorValue
        fields = [
            "indicator",
            "period",
            "value",
            "numerator",
            "denominator",
            "qualifier",
            "narrative",
            "citation",
            "source",
            "note",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expected_version"].initial = self.instance.version if self.instance.pk else 0

    def clean(self):
        data = super().clean()
        if self.instance.pk:
            stored = IndicatorValue.objects.get(pk=self.instance.pk)
            if stored.version != (data.get("expected_version") or 0):
                raise forms.ValidationError(services.stale_version(record=stored).messages[0])
            if (
                stored.status == IndicatorValue.Status.VALIDATED
                and not data.get("change_reason", "").strip()
            ):
                self.add_error("change_reason", _("Changing a validated value needs a reason."))
        return data


@admin.register(IndicatorValue)
class IndicatorValueAdmin(TrackerAdmin):
    allow_revert = False
    form = IndicatorValueAdminForm
    list_display = ["indicator", "period", "value", "numerator", "denominator", "status"]
    list_filter = ["status", "period__plan", "period__year", "indicator__result__axis"]
    list_select_related = ["indicator", "period"]
    search_fields = ["indicator__code", "indicator__name", "source"]
    autocomplete_fields = ["indicator", "period", "citation"]
    readonly_fields = [
        "status",
        "return_reason",
        "version",
        "entered_by",
        "submitted_at",
        "validated_by",
        "validated_at",
    ]
    inlines = [BreakdownRowInline]
    # Values are validated in the queue, where the secretariat sees the figure and its version
    # and the four-eyes rule is shown; the admin only corrects them.

    def save_model(self, request, obj, form, change):
        # The same service as the entry page: permissions, open period, version, history.
        record = services.save_value(
            user=request.user,
            indicator=obj.indicator,
            period=obj.period,
            data=services.ValueInput(
                value=obj.value,
                numerator=obj.numerator,
                denominator=obj.denominator,
                qualifier=obj.qualifier,
                narrative=obj.narrative,
                source=obj.source,
                note=obj.note,
                citation=obj.citation,
            ),
            expected_version=form.cleaned_data.get("expected_version") or 0,
            reason=form.cleaned_data.get("change_reason", ""),
        )
        obj.pk = record.pk
        obj.version = record.version
        obj.status = record.status

    def has_delete_permission(self, request, obj=None):
        # Nothing is hard-deleted on the reporting side (DESIGN.md §2).
        return False


@admin.register(BreakdownRow)
class BreakdownRowAdmin(TrackerAdmin):
    allow_revert = False
    list_display = ["indicator_value", "category", "cross_category", "value"]
    list_filter = ["category__dimension"]
    list_select_related = [
        "indicator_value__indicator",
        "indicator_value__period",
        "category__dimension",
        "cross_category__dimension",
    ]
    search_fields = ["indicator_value__indicator__code"]

    # Rows are edited with their value (the inline checks that they add up to the total).
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ActivityProgress)
class ActivityProgressAdmin(TrackerAdmin):
    allow_revert = False
    list_display = ["activity", "period", "status", "percent_complete", "amount_spent"]
    list_filter = ["status", "period__plan", "period__year"]
    list_select_related = ["activity", "period"]
    search_fields = ["activity__code", "activity__title"]
    autocomplete_fields = ["activity", "period"]
    readonly_fields = ["version", "entered_by"]

    def save_model(self, request, obj, form, change):
        fields = {
            name: getattr(obj, name) for name in form.Meta.fields if name in form.cleaned_data
        }
        for name in ("activity", "period"):
            fields.pop(name, None)
        record = services.save_activity_progress(
            user=request.user,
            activity=obj.activity,
            period=obj.period,
            fields=fields,
            expected_version=obj.version if change else 0,
        )
        obj.pk, obj.version = record.pk, record.version

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(EvidenceFile)
class EvidenceFileAdmin(TrackerAdmin):
    allow_revert = False
    list_display = ["original_name", "indicator_value", "size", "uploaded_by", "uploaded_at"]
    list_select_related = [
        "indicator_value__indicator",
        "indicator_value__period",
        "uploaded_by",
    ]
    search_fields = ["original_name", "indicator_value__indicator__code"]

    # Evidence is attached on the entry page, where its type and size are checked.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class MeetingAttendanceInline(admin.TabularInline):
    model = MeetingAttendance
    extra = 0
    fields = ["institution", "women_present", "men_present"]
    autocomplete_fields = ["institution"]


@admin.register(CommitteeMeeting)
class CommitteeMeetingAdmin(TrackerAdmin):
    allow_revert = False
    list_display = ["date", "place", "period"]
    list_filter = ["period__plan", "period__year"]
    list_select_related = ["period"]
    search_fields = ["place", "decisions"]
    autocomplete_fields = ["period"]
    inlines = [MeetingAttendanceInline]


@admin.register(MeetingAttendance)
class MeetingAttendanceAdmin(TrackerAdmin):
    allow_revert = False
    list_display = ["meeting", "institution", "women_present", "men_present"]
    list_select_related = ["meeting", "institution"]
    search_fields = ["institution__name", "institution__acronym"]
    autocomplete_fields = ["meeting", "institution"]


# Only a superuser sets these; the form of anyone else has no such field and refuses them if sent.
SUPERUSER_ONLY_FIELDS = ("is_superuser", "is_staff", "user_permissions")


class GrantableRolesField(forms.ModelMultipleChoiceField):
    """The roles of a user as a non-superuser edits them: only the ones they may grant are
    offered (the queryset), and a forged choice of another role is refused by its name."""

    def _check_values(self, value):
        try:
            return super()._check_values(value)
        except ValidationError as error:
            if error.code != "invalid_choice":
                raise
            refused = (
                self.queryset.model.objects.filter(pk__in=[v for v in value if str(v).isdigit()])
                .exclude(pk__in=self.queryset.values("pk"))
                .values_list("name", flat=True)
            )
            if not refused:
                raise
            raise ValidationError(
                _("Only a superuser may grant or remove these roles: %(roles)s."),
                code="not_grantable",
                params={"roles": ", ".join(str(roles.LABELS.get(n, n)) for n in refused)},
            ) from error


class UserRightsFormMixin:
    """The save path of the user admin (DESIGN.md §1: a framework administrator manages users
    but never grants superuser, staff or a role above their own). UserAdmin.get_form sets the
    editor; for anyone but a superuser the form refuses superuser or staff status or individual
    permissions in the submitted data, refuses an account the editor may not manage, and keeps
    the roles the editor may not grant as they are (the groups field offers only the others)."""

    editor = None

    def clean(self):
        cleaned_data = super().clean()
        editor = self.editor or AnonymousUser()  # no editor set: nothing may be granted
        if editor.is_superuser and editor.is_active:
            return cleaned_data
        if self.instance.pk is not None and not roles.can_manage_user(editor, self.instance):
            raise ValidationError(
                _("Only a superuser may change this account."), code="not_manageable"
            )
        forged = [name for name in SUPERUSER_ONLY_FIELDS if name in self.data]
        if forged:
            self.add_error(
                None,
                ValidationError(
                    _("Only a superuser may set: %(fields)s."),
                    code="superuser_only",
                    params={
                        "fields": ", ".join(
                            str(User._meta.get_field(name).verbose_name) for name in forged
                        )
                    },
                ),
            )
        if "groups" in cleaned_data and self.instance.pk is not None:
            kept = self.instance.groups.exclude(name__in=roles.grantable_roles(editor))
            cleaned_data["groups"] = [*cleaned_data["groups"], *kept]
        return cleaned_data


class UserChangeForm(UserRightsFormMixin, DjangoUserAdmin.form):
    pass


class UserCreationForm(UserRightsFormMixin, DjangoUserAdmin.add_form):
    pass


def without_fields(fieldsets, hidden):
    return tuple(
        (title, {**options, "fields": tuple(f for f in options["fields"] if f not in hidden)})
        for title, options in fieldsets
    )


@admin.register(User)
class UserAdmin(DjangoUserAdmin, SimpleHistoryAdmin):
    """Users and their roles. A superuser sees Django's full forms; anyone else (a framework
    administrator) the same without superuser, staff and individual permissions, with only the
    roles roles.GRANTABLE_BY lets them grant, and may change, delete or set the password of only
    the accounts roles.can_manage_user allows: never their own (their password they change at
    /admin/password_change/), a superuser's or one with a role above theirs."""

    list_display = ["username", "first_name", "last_name", "institution", "is_active"]
    list_filter = ["groups", "is_active", "is_staff", "institution__kind"]
    list_select_related = ["institution"]
    autocomplete_fields = ["institution"]
    form = UserChangeForm
    add_form = UserCreationForm
    fieldsets = DjangoUserAdmin.fieldsets + ((_("Committee"), {"fields": ["institution"]}),)
    add_fieldsets = DjangoUserAdmin.add_fieldsets + ((_("Committee"), {"fields": ["institution"]}),)
    limited_fieldsets = without_fields(fieldsets, SUPERUSER_ONLY_FIELDS)
    # Username and password, then the sections of the limited change form but the first one
    # (username, password hash) and the dates.
    limited_add_fieldsets = DjangoUserAdmin.add_fieldsets + tuple(
        (title, options)
        for title, options in limited_fieldsets
        if not {"username", "last_login"} & set(options["fields"])
    )
    show_full_result_count = False

    def get_fieldsets(self, request, obj=None):
        if request.user.is_superuser:
            return super().get_fieldsets(request, obj)
        return self.limited_fieldsets if obj else self.limited_add_fieldsets

    def get_readonly_fields(self, request, obj=None):
        if request.user.is_superuser:
            return super().get_readonly_fields(request, obj)
        return [*super().get_readonly_fields(request, obj), "last_login", "date_joined"]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)  # a new class on every call
        form.editor = request.user
        return form

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "groups" and not request.user.is_superuser:
            kwargs["queryset"] = db_field.related_model.objects.filter(
                name__in=roles.grantable_roles(request.user)
            )
            kwargs["form_class"] = GrantableRolesField
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def has_change_permission(self, request, obj=None):
        # Also guards the password form (/admin/tracker/user/<id>/password/).
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or roles.can_manage_user(request.user, obj))

    def has_delete_permission(self, request, obj=None):
        # Checked for every row of the "delete selected" action as well.
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or roles.can_manage_user(request.user, obj))

    def save_model(self, request, obj, form, change):
        if not request.user.is_superuser:
            if change and not roles.can_manage_user(request.user, obj):
                raise PermissionDenied
            if "groups" in form.cleaned_data:
                # Staff status is not the editor's to tick: it follows the Framework
                # administrator role, whose work is done in this admin and needs it. Given with
                # the role, taken away with it, left alone otherwise.
                granted = any(
                    group.name == roles.FRAMEWORK_ADMINISTRATOR
                    for group in form.cleaned_data["groups"]
                )
                held = change and obj.groups.filter(name=roles.FRAMEWORK_ADMINISTRATOR).exists()
                if granted:
                    obj.is_staff = True
                elif held:
                    obj.is_staff = False
        super().save_model(request, obj, form, change)

    def revert_disabled(self, request, obj=None):
        # A revert writes back every stored column of an old version (superuser and staff
        # status, password) around the checks of the change form: a superuser's business only.
        return not request.user.is_superuser or super().revert_disabled(request, obj)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # simple-history saves a POST to this page without asking whether revert is disabled.
        if request.method == "POST" and self.revert_disabled(request):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)
