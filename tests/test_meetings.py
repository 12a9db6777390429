"""Committee meetings of a period: everyone with a role reads them; the secretariat records
them with their attendance, all or nothing."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tracker import services
from tracker.models import CommitteeMeeting, MeetingAttendance

from .factories import (
    CommitteeMeetingFactory,
    InstitutionFactory,
    MeetingAttendanceFactory,
    period_of,
)

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture
def period(plan):
    return period_of(plan, 2021, 1)


@pytest.fixture
def url(plan):
    return reverse("period-meetings", args=[plan.slug, 2021, 1])


def meeting_data(lines, date="2021-02-11", place="Bamako, MPFEF", minutes=None):
    """The POST of the meeting form: `lines` are (institution or None, women, men)."""
    data = {
        "meeting-date": date,
        "meeting-place": place,
        "meeting-decisions": "Send the Q1 figures by 15 April.",
        "attendance-TOTAL_FORMS": str(max(len(lines), 1)),
        "attendance-INITIAL_FORMS": "0",
        "attendance-MIN_NUM_FORMS": "0",
        "attendance-MAX_NUM_FORMS": "1000",
    }
    for number, (institution, women, men) in enumerate(lines):
        data[f"attendance-{number}-institution"] = institution.pk if institution else ""
        data[f"attendance-{number}-women_present"] = women
        data[f"attendance-{number}-men_present"] = men
    if minutes is not None:
        data["meeting-minutes"] = minutes
    return data


def nothing_stored():
    return not CommitteeMeeting.objects.exists() and not MeetingAttendance.objects.exists()


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("member", 200),
        ("secretariat", 200),
        ("reporting_staff", 200),
        ("framework_admin", 200),
        ("outsider", 403),
    ],
)
def test_who_reads_the_meetings(request, client_for, url, who, status):
    assert client_for(request.getfixturevalue(who)).get(url).status_code == status


def test_anonymous_visitor_is_sent_to_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_only_the_secretariat_gets_the_form(client_for, member, secretariat, url):
    assert client_for(member).get(url).context["form"] is None
    assert "meeting-place" in client_for(secretariat).get(url).content.decode()


def test_meeting_is_listed_with_its_attendance_totals(client_for, member, url, period):
    meeting = CommitteeMeetingFactory(period=period, place="Bamako", decisions="Hold a workshop")
    MeetingAttendanceFactory(meeting=meeting, women_present=3, men_present=1)
    MeetingAttendanceFactory(meeting=meeting, women_present=2, men_present=4)
    CommitteeMeetingFactory(period=period_of(period.plan, 2021, 2))
    response = client_for(member).get(url)
    [listed] = response.context["meetings"]
    assert (listed.women_total, listed.men_total) == (5, 5)
    page = response.content.decode()
    assert "Hold a workshop" in page
    assert 'data-total="women">5<' in page


def test_secretariat_records_a_meeting_with_attendance_and_minutes(
    client_for, secretariat, url, period, institution, other_institution
):
    minutes = SimpleUploadedFile("pv-2021-02.pdf", PDF, content_type="application/pdf")
    data = meeting_data([(institution, 4, 1), (other_institution, 0, 2)], minutes=minutes)
    response = client_for(secretariat).post(url, data)
    assert response.status_code == 302
    assert response["Location"] == url
    meeting = CommitteeMeeting.objects.get()
    assert meeting.period == period
    assert meeting.date == datetime.date(2021, 2, 11)
    assert meeting.place == "Bamako, MPFEF"
    assert meeting.minutes.read().startswith(b"%PDF")
    assert sorted(
        meeting.attendance.values_list("institution__acronym", "women_present", "men_present")
    ) == [("MPFEF", 4, 1), ("MSPC", 0, 2)]
    assert meeting.history.latest().history_user == secretariat


def test_minutes_are_served_to_roles_only(
    client_for, secretariat, member, outsider, plan, period, institution
):
    meeting = services.record_meeting(
        user=secretariat,
        period=period,
        date=datetime.date(2021, 3, 1),
        place="Mopti",
        attendance=[services.AttendanceInput(institution, 1, 1)],
        minutes=SimpleUploadedFile("pv.pdf", PDF),
    )
    minutes_url = reverse("meeting-minutes", args=[plan.slug, meeting.pk])
    assert client_for(outsider).get(minutes_url).status_code == 403
    response = client_for(member).get(minutes_url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")


BAD_INPUTS = {
    "nobody present": (lambda a: meeting_data([(a, 0, 0)]), "nobody is recorded as present"),
    "same institution twice": (
        lambda a: meeting_data([(a, 1, 0), (a, 0, 2)]),
        "is listed twice",
    ),
    "negative number": (lambda a: meeting_data([(a, -1, 3)]), "cannot be negative"),
    "date before the period": (
        lambda a: meeting_data([(a, 1, 1)], date="2020-12-31"),
        "The meeting reviews period Q1 2021: give a date from its start",
    ),
    # Q1 2021 ends on 31 March; the plan gives 45 days (Plan.days_to_hold_meeting): 15 May.
    "date more than 45 days after the period": (
        lambda a: meeting_data([(a, 1, 1)], date="2021-05-16"),
        "to 45 days after its end (05/15/2021)",
    ),
    "no attendance at all": (lambda a: meeting_data([]), "Record who attended"),
    "numbers without an institution": (
        lambda a: meeting_data([(a, 1, 1), (None, 2, 0)]),
        "Choose the institution",
    ),
    "minutes as an image": (
        lambda a: meeting_data([(a, 1, 1)], minutes=SimpleUploadedFile("pv.png", PNG)),
        "send the minutes as a PDF or an office document",
    ),
    "minutes that are not a PDF": (
        lambda a: meeting_data([(a, 1, 1)], minutes=SimpleUploadedFile("pv.pdf", b"MZ...")),
        "does not look like a PDF file",
    ),
}


@pytest.mark.parametrize("case", BAD_INPUTS)
def test_bad_meeting_input_is_refused_and_nothing_is_stored(
    client_for, secretariat, url, institution, case
):
    build, message = BAD_INPUTS[case]
    response = client_for(secretariat).post(url, build(institution))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert nothing_stored()


def test_member_cannot_record_a_meeting(client_for, member, url, institution):
    response = client_for(member).post(url, meeting_data([(institution, 1, 1)]))
    assert response.status_code == 403
    assert nothing_stored()


def test_the_service_refuses_anyone_but_the_secretariat(member, period, institution):
    with pytest.raises(PermissionDenied):
        services.record_meeting(
            user=member,
            period=period,
            date=datetime.date(2021, 2, 1),
            place="Bamako",
            attendance=[services.AttendanceInput(institution, 1, 0)],
        )
    assert nothing_stored()


def add_meetings(period, count):
    for number in range(count):
        meeting = CommitteeMeetingFactory(period=period, date=datetime.date(2021, 1, 1 + number))
        MeetingAttendanceFactory.create_batch(3, meeting=meeting)


def test_query_count_does_not_grow_with_meetings(client_for, secretariat, url, period):
    client = client_for(secretariat)
    add_meetings(period, 1)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    add_meetings(period, 3)
    with CaptureQueriesContext(connection) as large:
        response = client.get(url)
    assert len(response.context["meetings"]) == 4
    assert len(large.captured_queries) == len(small.captured_queries)


def test_meetings_page_pins_its_query_count(
    client_for, secretariat, url, period, django_assert_num_queries
):
    client = client_for(secretariat)
    add_meetings(period, 3)
    client.get(url)
    # session, user, plan, period, the user's permissions (their own and their roles', one
    # query), institutions for the form, meetings with their totals, their attendance, what
    # waits in the user's inbox (navigation bar)
    with django_assert_num_queries(9):
        client.get(url)


# When a meeting may be held (issue 14): it reviews its period, so it may follow it by the plan's
# days_to_hold_meeting (45 by default).


def test_a_q3_review_held_on_12_october_is_recorded(client_for, secretariat, plan, institution):
    url = reverse("period-meetings", args=[plan.slug, 2021, 3])
    response = client_for(secretariat).post(
        url, meeting_data([(institution, 3, 2)], date="2021-10-12")
    )
    assert response.status_code == 302
    meeting = CommitteeMeeting.objects.get()
    assert (meeting.period, meeting.date) == (period_of(plan, 2021, 3), datetime.date(2021, 10, 12))


@pytest.mark.parametrize(
    "days, date, accepted",
    [
        (45, datetime.date(2021, 1, 1), True),  # the period's first day
        (45, datetime.date(2021, 5, 15), True),  # 45 days after 31 March
        (45, datetime.date(2021, 5, 16), False),
        (10, datetime.date(2021, 4, 10), True),
        (10, datetime.date(2021, 4, 11), False),
        (0, datetime.date(2021, 3, 31), True),
        (0, datetime.date(2021, 4, 1), False),
    ],
)
def test_the_plan_sets_how_long_after_its_period_a_meeting_may_be_held(
    secretariat, plan, period, institution, days, date, accepted
):
    plan.days_to_hold_meeting = days
    plan.save()
    period.refresh_from_db()
    record = {
        "user": secretariat,
        "period": period,
        "date": date,
        "place": "Bamako",
        "attendance": [services.AttendanceInput(institution, 1, 1)],
    }
    if accepted:
        assert services.record_meeting(**record).date == date
        return
    with pytest.raises(ValidationError) as refused:
        services.record_meeting(**record)
    assert f"to {days} days after its end" in " ".join(refused.value.messages)
    assert nothing_stored()


def test_the_form_says_when_the_meeting_may_be_held(client_for, secretariat, url):
    assert "From 01/01/2021 to 05/15/2021." in client_for(secretariat).get(url).content.decode()


# Attendance lines: added and removed, with or without JavaScript


def lines_of(response):
    formset = response.context["formset"]
    return [
        (form.initial.get("institution", ""), form.initial.get("women_present", ""))
        for form in formset
    ]


def test_a_new_form_has_three_lines_and_a_line_to_copy(client_for, secretariat, url):
    response = client_for(secretariat).get(url)
    assert len(response.context["formset"].forms) == 3
    html = response.content.decode()
    assert '<template id="attendance-line-template">' in html
    assert 'name="attendance-__prefix__-institution"' in html
    assert 'name="attendance-add"' in html and 'name="attendance-remove" value="2"' in html
    assert 'src="/static/tracker/meeting_form.js"' in html


def test_add_a_line_without_javascript_redraws_the_form_as_typed(
    client_for, secretariat, url, institution, other_institution
):
    data = meeting_data([(institution, 4, 1), (other_institution, 2, 0)], place="Ségou")
    data["attendance-add"] = "1"
    response = client_for(secretariat).post(url, data)
    assert response.status_code == 200
    assert nothing_stored()
    assert lines_of(response) == [
        (str(institution.pk), "4"),
        (str(other_institution.pk), "2"),
        ("", ""),
    ]
    html = response.content.decode()
    assert 'value="Ségou"' in html and 'value="2021-02-11"' in html
    assert "invalid-feedback" not in html and "Nothing was recorded" not in html
    assert 'name="attendance-TOTAL_FORMS" value="3"' in html


def test_remove_a_line_without_javascript_keeps_the_others(
    client_for, secretariat, url, institution, other_institution
):
    third = InstitutionFactory(acronym="CNT")
    data = meeting_data([(institution, 4, 1), (other_institution, 2, 0), (third, 1, 1)])
    data["attendance-remove"] = "1"
    response = client_for(secretariat).post(url, data)
    assert response.status_code == 200
    assert nothing_stored()
    assert lines_of(response) == [(str(institution.pk), "4"), (str(third.pk), "1")]


def test_a_redrawn_form_records_the_meeting(
    client_for, secretariat, url, institution, other_institution
):
    # As the browser posts the redrawn form: its lines come back as initial forms.
    data = meeting_data([(institution, 4, 1), (other_institution, 2, 0), (None, "", "")])
    data["attendance-INITIAL_FORMS"] = "3"
    assert client_for(secretariat).post(url, data).status_code == 302
    assert sorted(
        MeetingAttendance.objects.values_list("institution__acronym", "women_present")
    ) == [("MPFEF", 4), ("MSPC", 2)]


def test_a_chosen_minutes_file_is_asked_for_again_after_a_redraw(
    client_for, secretariat, url, institution
):
    minutes = SimpleUploadedFile("pv.pdf", PDF, content_type="application/pdf")
    data = meeting_data([(institution, 1, 1)], minutes=minutes)
    data["attendance-add"] = "1"
    response = client_for(secretariat).post(url, data)
    assert "The minutes file was not kept" in response.content.decode()
    assert nothing_stored()


@pytest.mark.parametrize("total", ["100000", "-4", "many"])
def test_a_crafted_line_count_is_bounded(client_for, secretariat, url, institution, total):
    data = meeting_data([(institution, 1, 1)])
    data["attendance-TOTAL_FORMS"] = total
    data["attendance-add"] = "1"
    response = client_for(secretariat).post(url, data)
    assert response.status_code == 200
    assert 1 <= len(response.context["formset"].forms) <= 200
    assert nothing_stored()


def test_a_member_cannot_redraw_the_form(client_for, member, url, institution):
    data = meeting_data([(institution, 1, 1)])
    data["attendance-add"] = "1"
    assert client_for(member).post(url, data).status_code == 403
