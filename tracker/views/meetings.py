"""The committee's quarterly meetings: who came, what was decided, the minutes."""

from pathlib import Path

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from tracker import services
from tracker.access import Right, plan_view
from tracker.forms import MeetingEntry
from tracker.models import CommitteeMeeting
from tracker.views.entry import get_period
from tracker.views.plans import render_plan_page


@plan_view(Right.READ)
def period_meetings(request, access, year, quarter):
    period = get_period(access.plan, year, quarter)
    period.plan = access.plan  # the form reads the plan's days to hold a meeting
    if request.method == "POST":
        access.require(Right.RECORD_MEETINGS)
    entry, status = None, 200
    if access.can_record_meetings:
        entry = MeetingEntry(request.POST or None, request.FILES or None, period=period)
        if request.method == "POST" and not entry.redrawn:
            if entry.is_valid():
                meeting = services.record_meeting(
                    user=request.user, period=period, **entry.meeting()
                )
                messages.success(
                    request,
                    _("The meeting of %(date)s in %(place)s is recorded.")
                    % {"date": date_format(meeting.date), "place": meeting.place},
                )
                return redirect(request.get_full_path())
            messages.error(request, _("Nothing was recorded: correct the fields marked in red."))
            status = 400
    return render_plan_page(
        request,
        access,
        "tracker/meetings.html",
        {
            "period": period,
            "meetings": CommitteeMeeting.objects.of_period(period),
            "form": entry and entry.form,
            "formset": entry and entry.formset,
            "minutes_dropped": entry and entry.minutes_dropped,
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
