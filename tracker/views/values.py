"""One value: its review page (issue 14) with the comment thread and the secretariat's
decisions, its timeline, and the evidence files behind it. Writes go through tracker.services;
a refused write shows the page again with what was typed and why."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from tracker import access as door
from tracker import review, services
from tracker.access import Right, plan_view
from tracker.forms.reviews import CommentForm, DecisionForm
from tracker.models import EvidenceFile, IndicatorValue, SpreadsheetImport
from tracker.timeline import value_timeline
from tracker.views.plans import render_plan_page


def reviewed_value(access, pk):
    """The value `pk` of the plan, with all its page shows, if the user may read its review
    (the secretariat, the institutions that report it); else the door's refusal."""
    value = get_object_or_404(IndicatorValue.objects.for_review(), pk=pk, period__plan=access.plan)
    indicator = value.indicator
    indicator.responsible_ids = {each.pk for each in indicator.responsible_institutions.all()}
    door.require_discuss(access.user, indicator)
    return value


def render_value_page(request, access, value, *, forms=None, status=200):
    forms = forms or {}
    context = review.page_context(access, value)
    context["comment_form"] = forms.get("comment") or CommentForm()
    context["decision"] = forms.get("decision")
    context["reason_limit"] = DecisionForm.base_fields["reason"].max_length
    return render_plan_page(request, access, "tracker/value_detail.html", context, status=status)


@plan_view(Right.READ)
def value_detail(request, access, pk):
    return render_value_page(request, access, reviewed_value(access, pk))


@require_POST
@plan_view(Right.READ)
def value_comment(request, access, pk):
    value = reviewed_value(access, pk)
    form = CommentForm(request.POST)
    if _done(form, lambda data: services.add_comment(user=request.user, value=value, **data)):
        messages.success(request, _("Your comment is posted."))
        return redirect(value_url(access, value, "comments"))
    return render_value_page(request, access, value, forms={"comment": form}, status=400)


def _validate(user, value, data):
    services.validate(user=user, seen_versions={value.pk: data["version"]})


def _return(user, value, data):
    services.return_with_comment(
        user=user, record=value, reason=data["reason"], seen_version=data["version"]
    )


def _reopen(user, value, data):
    services.reopen_with_comment(
        user=user, record=value, reason=data["reason"], seen_version=data["version"]
    )


DECISIONS = {
    DecisionForm.VALIDATE: (_validate, gettext_lazy("%(value)s is validated.")),
    DecisionForm.RETURN: (
        _return,
        gettext_lazy("%(value)s was returned to its institution for correction."),
    ),
    DecisionForm.REOPEN: (
        _reopen,
        gettext_lazy("%(value)s was reopened and returned to its institution for correction."),
    ),
}


@require_POST
@plan_view(Right.VALIDATE)
def value_decision(request, access, pk):
    """Validate or return a submitted value, or reopen a validated one for correction."""
    value = reviewed_value(access, pk)
    form = DecisionForm(request.POST)
    if _done(form, lambda data: DECISIONS[data["action"]][0](request.user, value, data)):
        done = DECISIONS[form.cleaned_data["action"]][1]
        messages.success(request, done % {"value": f"{value.indicator.code} {value.period.label}"})
        return redirect(value_url(access, value))
    return render_value_page(request, access, value, forms={"decision": form}, status=400)


def _done(form, write):
    """Runs `write(cleaned data)` if the form is valid; a refusal becomes the form's error."""
    if not form.is_valid():
        return False
    try:
        write(form.cleaned_data)
    except ValidationError as error:
        form.add_error(None, error.messages)
        return False
    return True


def value_url(access, value, anchor=""):
    url = reverse("value-detail", args=[access.plan.slug, value.pk])
    return f"{url}#{anchor}" if anchor else url


@plan_view(Right.READ)
def value_history(request, access, pk):
    value = get_object_or_404(
        IndicatorValue.objects.select_related("indicator", "period"),
        pk=pk,
        period__plan=access.plan,
    )
    return render_plan_page(
        request,
        access,
        "tracker/value_history.html",
        {
            "value": value,
            "timeline": value_timeline(value),
            # The spreadsheets that changed it, kept as evidence of the import.
            "imports": SpreadsheetImport.objects.committed_into(value),
        },
    )


@plan_view(Right.READ)
def evidence_file(request, access, pk):
    """A PDF or an image opens in the browser; an office document downloads. The type was
    checked at upload (extension and first bytes); the response names it and forbids the
    browser to guess another (nosniff)."""
    evidence = get_object_or_404(
        EvidenceFile.objects.select_related("indicator_value__period"),
        pk=pk,
        indicator_value__period__plan=access.plan,
    )
    if not evidence.file:
        raise Http404
    content_type = review.inline_type(evidence.original_name)
    response = FileResponse(
        evidence.file.open("rb"),
        as_attachment=content_type is None,
        filename=evidence.original_name,
        content_type=content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    if content_type:
        # The browser's own viewer draws the file: Chrome's PDF viewer is an <embed>
        # (object-src) styled inline; nothing else may load or run.
        response["Content-Security-Policy"] = INLINE_FILE_POLICY
    return response


INLINE_FILE_POLICY = (
    "default-src 'none'; object-src 'self'; img-src 'self'; style-src 'unsafe-inline'; "
    "frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
)
