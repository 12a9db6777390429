"""The inbox at "/" (DESIGN.md §4): what waits for each signed-in user, by role, each line
linking to where the work is done, late first; the count on the navigation bar; the reads
behind them, with their query counts pinned at two sizes of data."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from tracker import inbox, roles, services
from tracker.access import NO_INSTITUTION, NO_ROLE
from tracker.inbox import inbox_for, waiting_count
from tracker.models import (
    Indicator,
    IndicatorValue,
    Plan,
    ReportingPeriod,
    ValueComment,
)

from .factories import (
    IndicatorFactory,
    IndicatorValueFactory,
    InstitutionFactory,
    PlanFactory,
    ResultFactory,
    UserFactory,
    period_of,
)

pytestmark = pytest.mark.django_db

Status = IndicatorValue.Status
DueStatus = ReportingPeriod.DueStatus
SIZES = [1, 6]
# Q3 2023 is late (due 30 October), Q4 2023 and the year 2023 are not over.
TODAY = datetime.date(2023, 12, 20)
DAY = datetime.timedelta(days=1)


@pytest.fixture
def plan():
    return PlanFactory(slug="nap", title="Plan d'action national 1325")


def close_all_but(plan, *keep):
    """Close the plan's periods except `keep`, as the committee leaves only the current ones
    open."""
    ReportingPeriod.objects.filter(plan=plan).exclude(pk__in=[p.pk for p in keep]).update(
        status=ReportingPeriod.Status.CLOSED, closed_at=timezone.now()
    )


def indicator_of(plan, institution, **fields):
    indicator = IndicatorFactory(result=ResultFactory(axis__plan=plan), **fields)
    indicator.responsible_institutions.add(institution)
    return indicator


def comment(value, author, text="Where does this figure come from?"):
    return ValueComment.objects.create(value=value, author=author, text=text)


def fill(plan, institution, size, *, member, secretariat):
    """For `size` indicators of `institution` (whose values `member` enters) and `size` of
    another institution: a returned value in Q3 2023 with a comment of the secretariat, a
    draft in Q4 2023, a value submitted in Q3 2023 of another indicator, validated values in
    2022, and one indicator without any value; then every period but Q3, Q4 and the year 2023
    closed."""
    ReportingPeriod.objects.filter(plan=plan).update(status="open", closed_at=None)
    q3, q4 = period_of(plan, 2023, 3), period_of(plan, 2023, 4)
    year = plan.reporting_periods.get(year=2023, quarter=None)
    for _ in range(size):
        for owner in (institution, InstitutionFactory()):
            entered_by = member if owner == institution else None
            returned = IndicatorValueFactory(
                indicator=indicator_of(plan, owner),
                period=q3,
                status=Status.RETURNED,
                return_reason="The source is missing",
                entered_by=entered_by,
            )
            comment(returned, secretariat)
            IndicatorValueFactory(indicator=returned.indicator, period=q4, status=Status.DRAFT)
            IndicatorValueFactory(
                indicator=indicator_of(plan, owner),
                period=q3,
                status=Status.SUBMITTED,
                entered_by=entered_by,
                submitted_by=entered_by,
            )
            IndicatorValueFactory(indicator=returned.indicator, period=period_of(plan, 2022, 1))
    indicator_of(plan, institution)
    close_all_but(plan, q3, q4, year)
    return q3, q4


@pytest.fixture
def world(plan, institution, member, secretariat):
    q3, q4 = fill(plan, institution, 1, member=member, secretariat=secretariat)
    return {"plan": plan, "q3": q3, "q4": q4}


def section(box, key):
    return next((s for s in box.sections if s.key == key), None)


def keys(box):
    return [s.key for s in box.sections]


# What each role finds


def test_a_member_finds_what_their_institution_has_to_enter_correct_and_submit(member, world):
    box = inbox_for(member, TODAY)
    assert keys(box) == ["enter", "returned", "drafts", "comments"]
    q3 = world["q3"]
    # Q3 2023: three indicators are due, two have a value; Q4 is not over yet.
    enter = section(box, "enter")
    assert enter.count == 1 and [line.period for line in enter.lines] == [q3]
    assert enter.lines[0].url == "/plans/nap/periods/2023-Q3/"
    assert enter.lines[0].due_status == DueStatus.LATE
    returned = section(box, "returned")
    value = IndicatorValue.objects.get(
        period=q3, status=Status.RETURNED, indicator__responsible_institutions=member.institution
    )
    assert returned.count == 1
    line = returned.lines[0]
    assert line.url == f"/plans/nap/periods/2023-Q3/#indicator-{value.indicator_id}"
    assert line.detail == "The source is missing" and value.indicator.code in line.title
    drafts = section(box, "drafts")
    assert drafts.count == 1
    assert drafts.lines[0].url.startswith("/plans/nap/periods/2023-Q4/#indicator-")
    assert drafts.lines[0].due_status == DueStatus.ON_TIME  # due 30 January 2024
    assert section(box, "comments").count == 1
    assert box.notices == [] and box.badge == 2  # returned + the comment


def test_another_institution_finds_only_its_own(member2, world):
    box = inbox_for(member2, TODAY)
    assert [s.count for s in box.sections] == [0, 0, 0, 0]


def test_the_secretariat_finds_what_to_validate_and_who_is_late(secretariat, world):
    box = inbox_for(secretariat, TODAY)
    assert keys(box) == ["validate", "late", "comments"]
    validate = section(box, "validate")
    # Both submitted values, by period, each opening the queue on its period.
    assert validate.count == 2
    assert [line.url for line in validate.lines] == [
        f"/plans/nap/validation/?period={world['q3'].pk}"
    ]
    assert validate.lines[0].summary == "2 values to validate"
    late = section(box, "late")
    # Q3 2023 is late; both institutions have reported nothing validated or submitted for
    # their returned indicators.
    assert late.count == 2
    assert [line.url for line in late.lines] == ["/plans/nap/completeness/?year=2023"]
    assert "MPFEF" in late.lines[0].detail
    assert section(box, "comments").count == 0  # the secretariat spoke last


def test_four_eyes_the_secretariat_is_not_asked_to_validate_its_own(secretariat, institution, plan):
    q3 = period_of(plan, 2023, 3)
    for field in ("entered_by", "submitted_by"):
        IndicatorValueFactory(
            indicator=indicator_of(plan, institution),
            period=q3,
            status=Status.SUBMITTED,
            **{field: secretariat},
        )
    assert section(inbox_for(secretariat, TODAY), "validate").count == 0
    other = UserFactory(role=roles.SECRETARIAT)
    assert section(inbox_for(other, TODAY), "validate").count == 2


def test_the_reporting_staff_find_the_reports_to_publish(reporting_staff, world):
    box = inbox_for(reporting_staff, TODAY)
    assert keys(box) == ["late", "publish", "comments"]
    publish = section(box, "publish")
    # 2022 has validated figures; 2023 is not over; the other years have none.
    assert [line.url for line in publish.lines] == ["/plans/nap/reports/2022/"]
    services.publish_report(user=reporting_staff, plan=world["plan"], year=2022)
    assert section(inbox_for(reporting_staff, TODAY), "publish").count == 0


def test_a_framework_administrator_finds_only_comments(framework_admin, world):
    box = inbox_for(framework_admin, TODAY)
    assert keys(box) == ["comments"] and box.waiting == []


def test_an_account_without_a_role_is_told_what_to_do(outsider, world):
    box = inbox_for(outsider, TODAY)
    assert box.notices == [NO_ROLE] and box.sections == [] and box.plans == []


def test_a_member_without_an_institution_is_told_what_to_do(world):
    member = UserFactory(role=roles.COMMITTEE_MEMBER)
    box = inbox_for(member, TODAY)
    assert box.notices == [NO_INSTITUTION]
    assert keys(box) == ["comments"]


def test_lines_are_ordered_late_first_then_by_due_date(member, institution):
    today = timezone.localdate()
    plan = PlanFactory(slug="now", start_year=today.year - 2, end_year=today.year)
    # Quarters of two years ago, due in an order that is not theirs.
    on_time, soon, late = (period_of(plan, today.year - 2, q) for q in (1, 2, 3))
    for period, due_on in (
        (on_time, today + 20 * DAY),
        (soon, today + 3 * DAY),
        (late, today - 5 * DAY),
    ):
        ReportingPeriod.objects.filter(pk=period.pk).update(due_on=due_on)
    indicator = indicator_of(plan, institution)
    for period in (on_time, soon, late):
        IndicatorValueFactory(
            indicator=indicator, period=period, status=Status.RETURNED, return_reason="Check"
        )
    close_all_but(plan, on_time, soon, late)
    box = inbox_for(member, today)
    lines = section(box, "returned").lines
    assert [line.period.quarter for line in lines] == [3, 2, 1]
    assert [line.due_status for line in lines] == [
        DueStatus.LATE,
        DueStatus.DUE_SOON,
        DueStatus.ON_TIME,
    ]


def test_closed_periods_ask_nothing(member, secretariat, world):
    close_all_but(world["plan"])
    assert [s.count for s in inbox_for(member, TODAY).sections] == [0, 0, 0, 1]
    assert [s.count for s in inbox_for(secretariat, TODAY).sections] == [0, 0, 0]


# Comments awaiting a reply


def test_a_reply_takes_the_thread_out_of_the_inbox(member, secretariat, world):
    value = IndicatorValue.objects.get(
        period=world["q3"],
        status=Status.RETURNED,
        indicator__responsible_institutions=member.institution,
    )
    [line] = section(inbox_for(member, TODAY), "comments").lines
    assert line.url == f"/plans/nap/values/{value.pk}/"
    assert line.detail == "Where does this figure come from?"
    # When it was written, in Bamako's time.
    written = timezone.localtime(ValueComment.objects.get(value=value).created_at)
    assert line.summary == f"secretariat wrote on {date_format(written, 'SHORT_DATETIME_FORMAT')}"
    comment(value, member, "From the ministry's registers.")
    assert section(inbox_for(member, TODAY), "comments").count == 0
    # The secretariat wrote in the thread: the member's reply waits for it.
    [line] = section(inbox_for(secretariat, TODAY), "comments").lines
    assert line.detail == "From the ministry's registers."


def test_a_reviewer_hears_about_comments_on_values_awaiting_validation(member, secretariat, world):
    submitted = IndicatorValue.objects.filter(status=Status.SUBMITTED).first()
    comment(submitted, member, "The figure doubled: a new region reports.")
    assert section(inbox_for(secretariat, TODAY), "comments").count == 1
    assert section(inbox_for(UserFactory(role=roles.REPORTING_STAFF), TODAY), "comments").count == 0


def test_who_has_a_part_in_a_thread(member, member2, secretariat, plan, institution):
    value = IndicatorValueFactory(
        indicator=indicator_of(plan, InstitutionFactory()), period=period_of(plan, 2023, 3)
    )
    stranger = UserFactory(role=roles.COMMITTEE_MEMBER, institution=InstitutionFactory())
    comment(value, stranger, "A question")
    assert list(ValueComment.objects.awaiting_reply_from(member)) == []
    # The validator of a value hears about it, and so does whoever wrote in the thread.
    IndicatorValue.objects.filter(pk=value.pk).update(validated_by=secretariat)
    assert ValueComment.objects.awaiting_reply_from(secretariat).count() == 1
    comment(value, member2, "Me too")
    comment(value, stranger, "Anyone?")
    assert ValueComment.objects.awaiting_reply_from(member2).count() == 1
    assert ValueComment.objects.awaiting_reply_from(stranger).count() == 0


# The page


def test_the_page_links_each_line_to_its_place(client_for, member, world):
    response = client_for(member).get("/")
    page = response.content.decode()
    assert response.status_code == 200
    assert 'href="/plans/nap/periods/2023-Q3/"' in page
    value = IndicatorValue.objects.get(
        period=world["q3"],
        status=Status.RETURNED,
        indicator__responsible_institutions=member.institution,
    )
    assert f'href="/plans/nap/periods/2023-Q3/#indicator-{value.indicator_id}"' in page
    assert "Returned:" in page and "The source is missing" in page
    assert 'data-due-status="late"' in page


def test_the_page_in_french(client_for, member, world):
    client = client_for(member)
    client.cookies["django_language"] = "fr"
    page = client.get("/").content.decode()
    assert '<html lang="fr">' in page
    assert "T3 2023" in page and "Q3 2023" not in page
    assert "The source is missing" in page  # the secretariat's words, as written


def test_an_account_without_a_role_gets_a_page_not_a_refusal(client_for, outsider, world):
    PlanFactory(slug="open", title="Public plan of Mali", is_public=True)
    response = client_for(outsider).get("/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "no role yet" in page and "secretariat" in page
    assert "Public plan of Mali" in page and 'href="/plans/open/"' in page
    # The private plan is not named to an account that may not read it.
    assert "/plans/nap/" not in page and "action national 1325" not in page


def test_nothing_waits(client_for, framework_admin, plan):
    page = client_for(framework_admin).get("/").content.decode()
    assert "Nothing waits for you." in page and 'href="/plans/nap/"' in page


def test_the_navigation_bar_counts_what_waits(client_for, member, world):
    page = client_for(member).get(reverse("period-list", args=["nap"])).content.decode()
    assert "data-inbox-count>2<" in page


def test_the_navigation_bar_shows_no_count_when_nothing_waits(client_for, member2, world):
    page = client_for(member2).get(reverse("period-list", args=["nap"])).content.decode()
    assert "data-inbox-count" not in page and ">Inbox<" in page


# Query counts


@pytest.mark.parametrize("who", ["member", "secretariat", "reporting_staff"])
def test_the_page_pins_its_query_count(request, client_for, plan, institution, who):
    member, secretariat = request.getfixturevalue("member"), request.getfixturevalue("secretariat")
    client = client_for(request.getfixturevalue(who))
    counts = []
    for size in SIZES:
        fill(plan, institution, size, member=member, secretariat=secretariat)
        client.get("/")
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/")
        assert response.status_code == 200
        counts.append(len(queries.captured_queries))
    # session, user, the user's permissions (own and roles', one query), plans, open periods; by
    # role: (member) indicators due by institution, values by period and status, drafts and
    # returned values; (secretariat) values to validate by period; (secretariat, staff)
    # indicators due, values by institution and period, the late institutions' names;
    # (staff) the years to publish; and for all, the comments awaiting a reply. The member's
    # institution for the navigation bar; its count comes from the inbox.
    expected = {"member": 10, "secretariat": 10, "reporting_staff": 10}[who]
    assert counts == [expected, expected]


@pytest.mark.parametrize("size", SIZES)
def test_the_count_is_one_query_and_agrees_with_the_inbox(
    django_assert_num_queries, plan, institution, member, secretariat, size
):
    fill(plan, institution, size, member=member, secretariat=secretariat)
    other = UserFactory(role=roles.SECRETARIAT)
    for user in (member, secretariat, other):
        user.has_perm("tracker.view_plan")  # the permissions, which every page reads first
        with django_assert_num_queries(1):
            count = waiting_count(user)
        assert count == inbox_for(user, timezone.localdate()).badge
    assert waiting_count(member) == 2 * size  # returned values, comments
    assert waiting_count(other) == 2 * size  # values to validate


def built_count(user):
    """The badge's count from its query built for `user` (no SQL kept from another call)."""
    access = inbox.has_right
    shape = (
        access(user, inbox.Right.VALIDATE),
        bool(user.institution_id),
        access(user, inbox.Right.ENTER),
    )
    return min(sum(inbox._counts(user, *shape).get()), inbox.BADGE_LIMIT + 1)


def test_the_count_runs_the_sql_built_once_with_each_accounts_ids(
    monkeypatch, django_assert_num_queries, plan, institution, member, secretariat
):
    """Accounts of every shape (a member with an institution, a secretariat with and without
    one, reporting staff, a member without an institution), each counted twice: the second
    time from the SQL kept for its shape, with its own ids, the same count as its query built
    afresh; and never someone else's count."""
    fill(plan, institution, 2, member=member, secretariat=secretariat)
    others = [
        UserFactory(role=roles.SECRETARIAT),
        UserFactory(role=roles.SECRETARIAT, institution=institution),
        UserFactory(role=roles.REPORTING_STAFF),
        UserFactory(role=roles.COMMITTEE_MEMBER),
        UserFactory(role=roles.COMMITTEE_MEMBER, institution=institution),
    ]
    accounts = [member, secretariat, *others]
    expected = [built_count(user) for user in accounts]
    assert len(set(expected)) > 1 and expected[0] == 4
    for user in accounts:
        waiting_count(user)  # the SQL of its shape kept, if not already
    monkeypatch.setattr(inbox, "_counts", lambda *args: pytest.fail("the query was built again"))
    counted = []
    for user in accounts:
        user.has_perm("tracker.view_plan")
        with django_assert_num_queries(1):
            counted.append(waiting_count(user))
    assert counted == expected
    assert all(entry is not None for entry in inbox._COMPILED.values())


def test_without_kept_sql_the_count_builds_its_query(
    monkeypatch, plan, institution, member, secretariat
):
    fill(plan, institution, 2, member=member, secretariat=secretariat)
    monkeypatch.setattr(inbox, "_compiled_counts", lambda shape: None)
    assert waiting_count(member) == built_count(member) == 4


def test_sql_that_names_an_account_in_its_text_is_not_kept(monkeypatch, member):
    """If Django wrote an id into the SQL rather than as a parameter, running it with another
    account's ids would count the stand-in's: such SQL is not kept."""
    monkeypatch.setattr(inbox, "_COMPILED", {})
    monkeypatch.setattr(
        inbox.Counted,
        "template",
        "(SELECT COUNT(*) - 1325001 + 1325001 FROM (%(subquery)s) counted)",
    )
    member.has_perm("tracker.view_plan")
    assert waiting_count(member) == built_count(member)
    assert list(inbox._COMPILED.values()) == [None]


def test_no_count_without_a_role(django_assert_num_queries, outsider):
    outsider.has_perm("tracker.view_plan")
    with django_assert_num_queries(0):
        assert waiting_count(outsider) == 0


# The named reads behind it


@pytest.mark.parametrize("size", SIZES)
def test_the_named_reads_run_one_query_each(
    django_assert_num_queries, plan, institution, member, secretariat, size
):
    q3, _q4 = fill(plan, institution, size, member=member, secretariat=secretariat)
    periods = [q3]
    values = IndicatorValue.objects
    with django_assert_num_queries(1):
        open_periods = list(ReportingPeriod.objects.open_by_due_date())
        [period.plan.slug for period in open_periods]
    assert [p.due_on for p in open_periods] == sorted(p.due_on for p in open_periods)
    with django_assert_num_queries(1):
        unfinished = [
            (v.indicator.code, v.period.plan.slug) for v in values.unfinished_by(institution)
        ]
    assert len(unfinished) == 2 * size
    with django_assert_num_queries(1):
        assert values.awaiting_validation_by(secretariat).count_by_period() == {q3.pk: 2 * size}
    with django_assert_num_queries(1):
        counts = values.status_counts_in(periods, institution)
    assert counts[(institution.pk, q3.pk)][Status.RETURNED] == size
    with django_assert_num_queries(1):
        counts = values.status_counts_in(periods)
    assert len(counts) == 1 + size
    with django_assert_num_queries(1):
        due = Indicator.objects.due_by_institution(institution)
    assert due == {(institution.pk, plan.pk, "quarterly"): 2 * size + 1}
    with django_assert_num_queries(1):
        assert len(Indicator.objects.due_by_institution()) == 1 + size
    with django_assert_num_queries(1):
        assert values.years_to_publish(2024) == [(plan.pk, 2022)]
    with django_assert_num_queries(1):
        comments = [
            (c.author.username, c.value.indicator.code, c.value.period.plan.slug)
            for c in ValueComment.objects.awaiting_reply_from(member)
        ]
    assert len(comments) == size
    Plan.objects.filter(pk=plan.pk).update(is_public=True)
    with django_assert_num_queries(2):
        plans = [
            (p.slug, [r.year for r in p.published_reports])
            for p in Plan.objects.public_with_published_reports()
        ]
    assert plans == [("nap", [])]


def test_a_value_link_falls_back_to_the_plain_path(world):
    value = IndicatorValue.objects.first()
    assert inbox.value_url(value) == f"/plans/nap/values/{value.pk}/"


def test_the_badge_stops_counting_past_its_limit(
    monkeypatch, client_for, plan, institution, member, secretariat
):
    """Four things wait for the member (two returned values, each with a comment): past the
    limit the count stops, and every page reads "limit+", whether it counted itself or, the
    inbox page, counted everything."""
    fill(plan, institution, 2, member=member, secretariat=secretariat)
    assert waiting_count(member) == 4
    monkeypatch.setattr("tracker.inbox.BADGE_LIMIT", 2)
    assert waiting_count(member) == 3
    for path in ("/", f"/plans/{plan.slug}/periods/"):
        page = client_for(member).get(path).content.decode()
        assert "data-inbox-count>2+" in page, path
        assert "more than 2 things wait for you" in page


def test_the_badge_counts_exactly_up_to_its_limit(
    client_for, plan, institution, member, secretariat
):
    fill(plan, institution, 2, member=member, secretariat=secretariat)
    page = client_for(member).get(f"/plans/{plan.slug}/periods/").content.decode()
    assert "data-inbox-count>4<" in page and "more than" not in page
