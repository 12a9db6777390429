"""The quarterly entry page: an institution's indicators and activities for one period, saved as
a draft or submitted to the secretariat (DESIGN.md §4).

Saving stores every valid indicator on its own (each through its service, in its own
transaction) and keeps the others on the page with their errors, listed at the top: one bad
field never throws away the rest of the page. A closed period's page shows its values as text."""

from dataclasses import dataclass, field

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tracker import services
from tracker.access import NO_INSTITUTION, Right, plan_view
from tracker.formatting import colon
from tracker.forms import ActivityProgressForm, IndicatorValueForm
from tracker.models import (
    Activity,
    Indicator,
    IndicatorValue,
    Institution,
    PeriodClosedError,
    ReportingPeriod,
)
from tracker.views.plans import render_plan_page

# The page's filters (?show=), each a subset of what the institution reports in the period.
FILTERS = {
    "": gettext_lazy("All"),
    "mine": gettext_lazy("Only mine"),
    "empty": gettext_lazy("Empty"),
    "returned": gettext_lazy("Returned"),
}


def get_period(plan, year, quarter):
    return get_object_or_404(ReportingPeriod, plan=plan, year=year, quarter=quarter)


def _institution_for(request, access):
    """Members report for their own institution; the secretariat picks one (?institution=)."""
    if access.can_enter_for_any_institution:
        chosen = request.GET.get("institution")
        if chosen and chosen.isdigit():
            return get_object_or_404(Institution, pk=chosen)
        return None
    if not request.user.institution_id:
        raise PermissionDenied(NO_INSTITUTION)
    return request.user.institution


def _locked_for(access, record):
    """Submitted values wait for the secretariat; validated ones only it may correct."""
    if record is None or access.can_validate:
        return False
    return record.status in (IndicatorValue.Status.SUBMITTED, IndicatorValue.Status.VALIDATED)


def _value_form(access, indicator, record, data=None, files=None):
    return IndicatorValueForm(
        data,
        files,
        indicator=indicator,
        record=record,
        prefix=f"i{indicator.pk}",
        locked=_locked_for(access, record),
    )


def _activity_form(activity, record, data=None):
    return ActivityProgressForm(data, instance=record, activity=activity, prefix=f"a{activity.pk}")


def _shown(show, indicators, activities):
    """What the filter `show` keeps: "mine", the indicators no other institution reports;
    "empty", those without a value yet in the period; "returned", the returned values."""
    if show == "mine":
        return [i for i in indicators if not i.shared], activities
    if show == "empty":
        return [i for i in indicators if i.record is None], [
            a for a in activities if a.record is None
        ]
    if show == "returned":
        returned = IndicatorValue.Status.RETURNED
        return [i for i in indicators if i.record and i.record.status == returned], []
    return indicators, activities


def build_forms(request, access, period, institution, show=""):
    """One form per indicator and per activity the institution reports in the period, bound
    to the posted data on a POST. A POST binds the forms the page sent, whatever the filter
    shows now: an indicator that stopped being "empty" meanwhile keeps its input."""
    indicators = Indicator.objects.for_entry(period, institution)
    # Activities report their progress by quarter.
    activities = [] if period.is_whole_year else Activity.objects.for_entry(period, institution)
    if request.method != "POST":
        indicators, activities = _shown(show, indicators, activities)
        return (
            [_value_form(access, i, i.record) for i in indicators],
            [_activity_form(a, a.record) for a in activities],
        )
    data, files = request.POST, request.FILES
    return (
        [
            _value_form(access, i, i.record, data, files)
            for i in indicators
            if f"i{i.pk}-version" in data
        ],
        [_activity_form(a, a.record, data) for a in activities if f"a{a.pk}-version" in data],
    )


@dataclass
class Outcome:
    """What a POST of the page stored and what it refused."""

    saved: list = field(default_factory=list)  # the forms stored
    refused: list = field(default_factory=list)  # the forms kept on the page with errors
    submitted: int = 0
    stale: bool = False  # one was refused because someone saved it since

    @property
    def saved_values(self):
        return sum(isinstance(form, IndicatorValueForm) for form in self.saved)

    @property
    def saved_prefixes(self):
        return " ".join(form.prefix for form in self.saved)

    def headline(self):
        counts = {
            "saved": self.saved_values,
            "submitted": self.submitted,
            "failed": len(self.refused),
            "codes": ", ".join(failure["code"] for failure in self.failures()),
        }
        if self.submitted:
            return (
                _(
                    "%(saved)s saved, %(submitted)s submitted to the secretariat; %(failed)s "
                    "not saved: %(codes)s (see below)."
                )
                % counts
            )
        return _("%(saved)s saved as drafts; %(failed)s not saved: %(codes)s (see below).") % counts

    def failures(self):
        """For the list at the top of the page: each refused form's anchor, code, name and
        messages."""
        failures = []
        for form in self.refused:
            indicator = getattr(form, "indicator", None)
            failures.append(
                {
                    "anchor": form.prefix,
                    "code": indicator.code if indicator else form.activity.code,
                    "name": indicator.name if indicator else form.activity.title,
                    "messages": _messages_of(form),
                }
            )
        return failures


def _messages_of(form):
    found = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        found += [f"{label}{colon()} {error}" if label else error for error in errors]
    if form.files and any(form.files.getlist(f"{form.prefix}-evidence")):
        found.append(_("The files chosen were not kept: choose them again."))
    return found


def _save(request, period, form):
    """Store one valid form through its service, in the service's own transaction."""
    common = {
        "user": request.user,
        "period": period,
        "expected_version": form.cleaned_data["version"],
    }
    if isinstance(form, IndicatorValueForm):
        return services.save_value(
            indicator=form.indicator,
            data=form.value_input(),
            reason=request.POST.get("reason", ""),
            **common,
        )
    return services.save_activity_progress(
        activity=form.activity, fields=form.progress_fields(), **common
    )


def _store_one(request, period, outcome, form):
    """A refusal shows on the form, keeps its input on the page and undoes nothing else."""
    if not form.is_valid():
        outcome.refused.append(form)
        return
    if not form.has_changed():
        return
    try:
        saved = _save(request, period, form)
    except services.StaleVersionError as error:
        outcome.stale = True
        form.add_error(None, error)
        _carry_current_version(form)
        outcome.refused.append(form)
    except (PermissionDenied, ValidationError) as error:
        form.add_error(None, getattr(error, "messages", None) or str(error))
        outcome.refused.append(form)
    else:
        form.record = saved
        outcome.saved.append(form)


def _carry_current_version(form):
    """After a stale refusal the form carries the version now stored, so that saving again,
    once the member has compared, is accepted."""
    record = getattr(form, "record", None) or getattr(form, "instance", None)
    if record is not None and record.pk:
        form.data = form.data.copy()
        form.data[f"{form.prefix}-version"] = record.version


def _store(request, period, value_forms, activity_forms):
    user, outcome = request.user, Outcome()
    for form in value_forms + activity_forms:
        _store_one(request, period, outcome, form)
    if request.POST.get("action") == "submit":
        # Only what is stored and valid goes to the secretariat.
        records = [
            form.record
            for form in value_forms
            if form.record is not None and form not in outcome.refused
        ]
        try:
            outcome.submitted = len(services.submit(user=user, values=records))
        except (PermissionDenied, ValidationError) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    return outcome


def _as_stored(access, value_forms, activity_forms, outcome):
    """The page after a save: the forms refused as posted, every other one as now stored (its
    new version, its status)."""
    for form in value_forms:
        if form.record is not None:
            form.record.indicator = form.indicator
    values = [
        form if form in outcome.refused else _value_form(access, form.indicator, form.record)
        for form in value_forms
    ]
    activities = [
        form
        if form in outcome.refused
        else _activity_form(form.activity, getattr(form, "record", form.activity.record))
        for form in activity_forms
    ]
    return values, activities


def _saved_key(period, institution):
    return f"entry-saved:{period.pk}:{institution.pk}"


def _save_page(request, access, period, forms):
    """Store the posted page and say so: (HTTP status, Outcome, the forms to show)."""
    if not period.is_open:
        messages.error(request, PeriodClosedError(period).messages[0])
        return 409, None, forms
    outcome = _store(request, period, *forms)
    if not outcome.refused:
        messages.success(request, _success(outcome))
        return 302, outcome, forms
    return (409 if outcome.stale else 400), outcome, _as_stored(access, *forms, outcome)


def _success(outcome):
    if outcome.submitted:
        return _("%(saved)s value(s) saved; %(submitted)s submitted to the secretariat.") % {
            "saved": outcome.saved_values,
            "submitted": outcome.submitted,
        }
    return _("%(saved)s value(s) saved as draft.") % {"saved": outcome.saved_values}


def _filter_links(request, show):
    links = []
    for key, label in FILTERS.items():
        query = request.GET.copy()
        query.pop("show", None)
        if key:
            query["show"] = key
        links.append({"label": label, "url": f"?{query.urlencode()}", "current": key == show})
    return links


def _choose_institution(request, access, period):
    institutions = Institution.objects.filter(indicators__plan=access.plan).distinct()
    return render_plan_page(
        request,
        access,
        "tracker/entry_choose_institution.html",
        {"period": period, "institutions": institutions},
    )


@plan_view(Right.ENTER)
def period_entry(request, access, year, quarter=None):
    period = get_period(access.plan, year, quarter)
    institution = _institution_for(request, access)
    if institution is None:
        return _choose_institution(request, access, period)
    show = request.GET.get("show", "") if request.GET.get("show") in FILTERS else ""
    forms = build_forms(request, access, period, institution, show)
    status, outcome = 200, None
    if request.method == "POST":
        status, outcome, forms = _save_page(request, access, period, forms)
        if status == 302:
            request.session[_saved_key(period, institution)] = outcome.saved_prefixes
            return redirect(request.get_full_path())
    saved = (
        outcome.saved_prefixes
        if outcome
        else request.session.pop(_saved_key(period, institution), "")
    )
    return render_plan_page(
        request,
        access,
        "tracker/period_entry.html",
        {
            "period": period,
            "institution": institution,
            "value_forms": forms[0],
            "activity_forms": forms[1],
            "submitting": request.POST.get("action") == "submit",
            "outcome": outcome,
            "filters": _filter_links(request, show),
            "show": show,
            "saved_prefixes": saved,
        },
        status=status,
    )
