"""The committee's quarterly meetings: who came, what was decided, the minutes."""

from pathlib import Path

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch, Sum
from django.db.models.functions import Coalesce
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from tracker import services
from tracker.forms import AttendanceFormSet, MeetingForm
from tracker.models import (
    CommitteeMeeting,
    IndicatorValue,
    Institution,
    MeetingAttendance,
)
from tracker.views.entry import get_plan_period

Status = IndicatorValue.Status


def _attendance_input(formset, institutions):
    return [
        services.AttendanceInput(
            institution=institutions[form.cleaned_data["institution"]],
            women_present=form.cleaned_data.get("women_present") or 0,
            men_present=form.cleaned_data.get("men_present") or 0,
        )
        for form in formset
        if form.cleaned_data.get("institution")
    ]


def period_meetings(request, slug, year, quarter):
    plan, period = get_plan_period(slug, year, quarter)
    services.require_role(request.user)
    can_record = request.user.is_secretariat
    if request.method == "POST" and not can_record:
        raise PermissionDenied(_("Only the secretariat records committee meetings."))
    form = formset = None
    status = 200
    if can_record:
        institutions = {institution.pk: institution for institution in Institution.objects.all()}
        choices = [(pk, str(institution)) for pk, institution in institutions.items()]
        data = request.POST if request.method == "POST" else None
        files = request.FILES if request.method == "POST" else None
        form = MeetingForm(data, files, prefix="meeting")
        formset = AttendanceFormSet(
            data, prefix="attendance", form_kwargs={"institution_choices": choices}
        )
        if request.method == "POST":
            if form.is_valid() and formset.is_valid():
                try:
                    meeting = services.record_meeting(
                        request.user,
                        period,
                        date=form.cleaned_data["date"],
                        place=form.cleaned_data["place"],
                        decisions=form.cleaned_data["decisions"],
                        minutes=form.cleaned_data.get("minutes") or None,
                        attendance=_attendance_input(formset, institutions),
                    )
                except ValidationError as error:
                    for message in error.messages:
                        messages.error(request, message)
                    messages.error(request, _("Nothing was recorded."))
                    status = 400
                else:
                    messages.success(
                        request,
                        _("The meeting of %(date)s in %(place)s is recorded.")
                        % {"date": date_format(meeting.date), "place": meeting.place},
                    )
                    return redirect(
                        "period-meetings", slug=plan.slug, year=period.year, quarter=period.quarter
                    )
            else:
                messages.error(
                    request, _("Nothing was recorded: correct the fields marked in red.")
                )
                status = 400
    meetings = period.meetings.annotate(
        women_total=Coalesce(Sum("attendance__women_present"), 0),
        men_total=Coalesce(Sum("attendance__men_present"), 0),
    ).prefetch_related(
        Prefetch("attendance", queryset=MeetingAttendance.objects.select_related("institution"))
    )
    return render(
        request,
        "tracker/meetings.html",
        {
            "plan": plan,
            "period": period,
            "meetings": meetings,
            "form": form,
            "formset": formset,
        },
        status=status,
    )


def meeting_minutes(request, slug, pk):
    meeting = get_object_or_404(CommitteeMeeting, pk=pk, period__plan__slug=slug)
    services.require_role(request.user)
    if not meeting.minutes:
        raise Http404
    return FileResponse(
        meeting.minutes.open("rb"), as_attachment=True, filename=Path(meeting.minutes.name).name
    )
