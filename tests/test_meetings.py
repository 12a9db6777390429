"""Committee meetings of a period: everyone with a role reads them; the secretariat records
them with their attendance, all or nothing."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tracker import services
from tracker.models import CommitteeMeeting, MeetingAttendance

from .factories import (
    CommitteeMeetingFactory,
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
        secretariat,
        period,
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
        "must fall within period Q1 2021",
    ),
    "date after the period": (
        lambda a: meeting_data([(a, 1, 1)], date="2021-04-01"),
        "must fall within period Q1 2021",
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
            member,
            period,
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
    # session, user, plan, period, has a role, group names, institutions for the form,
    # meetings with their totals, their attendance
    with django_assert_num_queries(9):
        client.get(url)
