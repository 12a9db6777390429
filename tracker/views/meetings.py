"""The committee's quarterly meetings: who came, what was decided, the minutes."""

from pathlib import Path

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Sum
from django.db.models.functions import Coalesce
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from tracker import services
from tracker.access import Right, plan_view
from tracker.forms import AttendanceFormSet, MeetingForm
from tracker.models import (
    CommitteeMeeting,
    IndicatorValue,
    Institution,
    MeetingAttendance,
)
from tracker.views.entry import get_period
from tracker.views.plans import render_plan_page

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


@plan_view(Right.READ)
def period_meetings(request, access, year, quarter):
    plan = access.plan
    period = get_period(plan, year, quarter)
    can_record = access.can_record_meetings
    if request.method == "POST":
        access.require(Right.RECORD_MEETINGS)
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
    return render_plan_page(
        request,
        access,
        "tracker/meetings.html",
        {
            "period": period,
            "meetings": meetings,
            "form": form,
            "formset": formset,
        },
        status=status,
    )


@plan_view(Right.READ)
def meeting_minutes(request, access, pk):
    meeting = get_object_or_404(CommitteeMeeting, pk=pk, period__plan=access.plan)
    if not meeting.minutes:
        raise Http404
    return FileResponse(
        meeting.minutes.open("rb"), as_attachment=True, filename=Path(meeting.minutes.name).name
    )
