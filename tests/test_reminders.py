"""Deciding the reminders due on a day (tracker/reminders/): who, which kind, on which days,
once; what they say, in whose language, with which link; the reads in pinned query counts."""

import pytest
from django.urls import reverse
from django.utils import timezone

from tracker.completeness import completeness_grid
from tracker.models import Indicator, IndicatorValue, Institution, Reminder, ReportingPeriod
from tracker.reminders import decide, reads
from tracker.reminders.calendar import period_kinds, week_key

from .factories import (
    IndicatorFactory,
    IndicatorValueFactory,
    InstitutionFactory,
    PlanFactory,
    period_of,
)
from .reminders_world import DUE, Status, build_world, day, person

pytestmark = pytest.mark.django_db

Kind = Reminder.Kind
SITE = "https://suivi.example.ml"


@pytest.fixture(autouse=True)
def site(settings):
    settings.TRACKER_SITE_URL = SITE


@pytest.fixture
def world():
    return build_world()


def decided(today):
    """{(kind, e-mail)} of the reminders decided on `today`, the digest left out."""
    return {(r.kind, r.email) for r in decide(today) if r.kind != Kind.DIGEST}


MEMBERS = {"awa@example.ml", "john@example.ml"}


# The calendar


@pytest.mark.parametrize(
    ("offset", "kinds"),
    [
        (-8, []),
        (-7, [Kind.DUE_SOON]),
        (-1, [Kind.DUE_SOON]),
        (0, [Kind.DUE_SOON]),
        (1, [Kind.OVERDUE]),
        (6, [Kind.OVERDUE]),
        (7, [Kind.OVERDUE, Kind.ESCALATION]),
        (60, [Kind.OVERDUE, Kind.ESCALATION]),
    ],
)
def test_the_kinds_a_day_calls_for(offset, kinds):
    assert period_kinds(DUE, day(offset)) == kinds


def test_the_digest_key_is_the_iso_week():
    assert week_key(day(0)) == "2021-W43"
    # 3 January 2021 is a Sunday: the last day of 2020's 53rd week.
    assert week_key(DUE.replace(month=1, day=3)) == "2020-W53"


# Who is reminded, on which day


@pytest.mark.parametrize(
    ("offset", "expected"),
    [
        (-8, set()),
        (-7, {(Kind.DUE_SOON, email) for email in MEMBERS}),
        (0, {(Kind.DUE_SOON, email) for email in MEMBERS}),
        (1, {(Kind.OVERDUE, email) for email in MEMBERS}),
        (6, {(Kind.OVERDUE, email) for email in MEMBERS}),
        (
            7,
            {(Kind.OVERDUE, email) for email in MEMBERS}
            | {(Kind.ESCALATION, "cabinet@mpfef.example.ml")},
        ),
    ],
)
def test_each_kind_is_decided_on_its_days(world, offset, expected):
    # Only MPFEF's active members with an address and a role that enters values; MSPC has
    # submitted everything, and its contact is never written to.
    assert decided(day(offset)) == expected


def test_the_days_in_a_row_remind_each_person_once_per_kind(world):
    for offset in range(-10, 10):
        decide(day(offset))
    rows = Reminder.objects.exclude(kind=Kind.DIGEST)
    assert sorted(rows.values_list("kind", "email")) == sorted(
        [(Kind.DUE_SOON, e) for e in MEMBERS]
        + [(Kind.OVERDUE, e) for e in MEMBERS]
        + [(Kind.ESCALATION, "cabinet@mpfef.example.ml")]
    )
    assert set(rows.values_list("period", flat=True)) == {world.period.pk}


def test_deciding_twice_the_same_day_creates_nothing_new(world):
    first = decide(day(7))
    count = Reminder.objects.count()
    assert decide(day(7)) == []
    assert Reminder.objects.count() == count == len(first)


def test_an_institution_that_has_reported_everything_is_not_reminded(world):
    drafted = IndicatorValue.objects.get(status=Status.DRAFT)
    IndicatorValue.objects.filter(pk=drafted.pk).update(status=Status.VALIDATED)
    assert decided(day(-7)) == set()
    assert decided(day(7)) == set()


def test_a_closed_period_reminds_nobody(world):
    ReportingPeriod.objects.filter(pk=world.period.pk).update(
        status=ReportingPeriod.Status.CLOSED, closed_at=timezone.now()
    )
    assert decided(day(-7)) == decided(day(7)) == set()


def test_an_institution_without_a_contact_address_is_not_escalated(world):
    Institution.objects.filter(pk=world.mpfef.pk).update(contact_email="")
    assert {kind for kind, _email in decided(day(7))} == {Kind.OVERDUE}


def test_an_institution_contact_is_escalated_for_each_institution(world):
    # Two institutions behind with one contact address: one e-mail about each.
    Institution.objects.filter(pk=world.mspc.pk).update(contact_email="cabinet@mpfef.example.ml")
    IndicatorValue.objects.filter(indicator__responsible_institutions=world.mspc).update(
        status=Status.RETURNED, return_reason="Source missing"
    )
    escalations = [r for r in decide(day(7)) if r.kind == Kind.ESCALATION]
    assert sorted(r.institution.acronym for r in escalations) == ["MPFEF", "MSPC"]
    assert len({r.key for r in escalations}) == 2


def test_the_missing_count_is_the_completeness_pages(world):
    [reminder, *_] = [r for r in decide(day(-3)) if r.email == "john@example.ml"]
    grid = completeness_grid(world.plan, [world.period], 2021)
    [line] = [
        line
        for line in grid["not_reported"][0]["institutions"]
        if line["institution"] == world.mpfef
    ]
    assert line["missing"] == 1 and line["due"] == 2
    assert "still has 1 indicator out of 2 to submit" in reminder.body


# The digest


def test_the_digest_goes_weekly_to_the_secretariat_who_want_it(world):
    # Monday 25 October 2021, then Friday, then the next Monday.
    digests = [r for r in decide(day(-5)) if r.kind == Kind.DIGEST]
    assert sorted(r.email for r in digests) == ["fatou@example.ml", "peter@example.ml"]
    assert {r.key for r in digests} == {"2021-W43"}
    assert [r for r in decide(day(-1)) if r.kind == Kind.DIGEST] == []
    assert {r.key for r in decide(day(2)) if r.kind == Kind.DIGEST} == {"2021-W44"}


def test_no_digest_when_nothing_awaits_validation(world):
    IndicatorValue.objects.filter(status=Status.SUBMITTED).update(status=Status.VALIDATED)
    assert [r for r in decide(day(-8)) if r.kind == Kind.DIGEST] == []


def test_the_digest_lists_what_awaits_by_plan_and_period_with_links_to_the_queue(world):
    older = period_of(world.plan, 2021, 2)
    ReportingPeriod.objects.filter(pk=older.pk).update(
        status=ReportingPeriod.Status.OPEN, closed_at=None
    )
    IndicatorValueFactory(
        indicator=Indicator.objects.filter(plan=world.plan).first(),
        period=older,
        status=Status.SUBMITTED,
    )
    [digest] = [r for r in decide(day(-8)) if r.email == "peter@example.ml"]
    queue = f"{SITE}{reverse('validation-queue', args=['nap'])}"
    assert digest.language == "en"
    assert digest.subject == "3 values await validation (week 2021-W42)"
    assert str(world.plan) in digest.body
    lines = digest.body.splitlines()
    q2 = lines.index("- Q2 2021: 1 value")
    assert lines[q2 + 1].strip() == f"{queue}?period={older.pk}"
    assert lines[q2 + 2] == "- Q3 2021: 2 values"
    assert lines[q2 + 3].strip() == f"{queue}?period={world.period.pk}"


# What a reminder says


def test_a_reminder_in_english_with_the_link_to_the_entry_page(world):
    [john] = [r for r in decide(day(-3)) if r.email == "john@example.ml"]
    assert john.kind == Kind.DUE_SOON and john.language == "en"
    assert john.recipient == world.people["john"]
    assert john.subject == "Q3 2021: 1 indicator to submit by Oct. 30, 2021"
    assert john.body.startswith("Hello John,\n")
    assert "Reports are due on Oct. 30, 2021, in 3 days." in john.body
    assert f"\n{SITE}/plans/nap/periods/2021-Q3/\n" in john.body
    assert f"{SITE}/account/e-mail/" in john.body
    # Plain text: an apostrophe in a name is not an HTML entity.
    assert "l'Enfant" in john.body and "&#x27;" not in john.body


def test_a_reminder_in_french_for_a_member_who_chose_french(world):
    [awa] = [r for r in decide(day(0)) if r.email == "awa@example.ml"]
    assert awa.language == "fr"
    assert "T3 2021" in awa.subject and "30 octobre 2021" in awa.subject
    assert "Awa Traoré" in awa.body and "30 octobre 2021" in awa.body
    assert "Q3 2021" not in awa.body


def test_an_overdue_reminder_says_how_late(world):
    [john] = [r for r in decide(day(3)) if r.email == "john@example.ml"]
    assert john.subject == "Q3 2021: 1 indicator not submitted, due on Oct. 30, 2021"
    assert "Reports were due on Oct. 30, 2021, 3 days ago." in john.body


def test_the_escalation_is_in_french_with_the_link_to_the_completeness_page(world):
    [escalation] = [r for r in decide(day(7)) if r.kind == Kind.ESCALATION]
    assert escalation.language == "fr" and escalation.recipient is None
    assert escalation.institution == world.mpfef and escalation.period == world.period
    assert "MPFEF" in escalation.subject and "T3 2021" in escalation.subject
    assert f"{SITE}/plans/nap/completeness/?year=2021" in escalation.body
    assert "/account/e-mail/" not in escalation.body


def test_a_dry_run_decides_without_writing(world):
    # Two members overdue, the escalation, two digests.
    listed = decide(day(7), write=False)
    assert len(listed) == 5 and Reminder.objects.count() == 0
    assert all(r.subject and r.body for r in listed)


def test_a_member_of_two_plans_is_reminded_for_each(world):
    other = PlanFactory(slug="next")
    period = period_of(other, 2021, 3)
    other.reporting_periods.exclude(pk=period.pk).update(
        status=ReportingPeriod.Status.CLOSED, closed_at=timezone.now()
    )
    IndicatorFactory(result__axis__plan=other).responsible_institutions.add(world.mpfef)
    awa = [r for r in decide(day(-2)) if r.email == "awa@example.ml"]
    assert sorted(r.period.plan.slug for r in awa) == ["nap", "next"]
    assert len({r.key for r in awa}) == 2


# The reads, in query counts that grow with nothing


def grow(world, size):
    """`size` more institutions behind in the period, each with an indicator, two members and
    a submitted value elsewhere; `size` more secretariat members."""
    for n in range(size):
        institution = InstitutionFactory(contact_email=f"contact{n}@example.ml")
        behind, reported = (IndicatorFactory(result__axis__plan=world.plan) for _ in range(2))
        behind.responsible_institutions.add(institution)
        reported.responsible_institutions.add(institution)
        IndicatorValueFactory(indicator=reported, period=world.period, status=Status.SUBMITTED)
        for m in range(2):
            person(f"member{n}-{m}", institution=institution)
        person(f"secretariat{n}", role="Secretariat")


@pytest.mark.parametrize("size", [1, 6])
def test_deciding_a_day_takes_a_fixed_number_of_queries(django_assert_num_queries, world, size):
    grow(world, size)
    with django_assert_num_queries(9):
        rows = decide(day(7))
    # Per institution behind: its members' overdue reminders and its escalation.
    assert len([r for r in rows if r.kind == Kind.OVERDUE]) == 2 + 2 * size
    assert len([r for r in rows if r.kind == Kind.ESCALATION]) == 1 + size
    assert len([r for r in rows if r.kind == Kind.DIGEST]) == 2 + size


@pytest.mark.parametrize("size", [1, 6])
def test_the_named_reads(django_assert_num_queries, world, size):
    grow(world, size)
    with django_assert_num_queries(1):
        periods = list(ReportingPeriod.objects.to_remind(day(0), 7))
        assert [p.plan.slug for p in periods] == ["nap"]
    with django_assert_num_queries(1):
        awaiting = list(ReportingPeriod.objects.with_values_awaiting_validation())
        assert [(p.plan.slug, p.awaiting) for p in awaiting] == [("nap", 2 + size)]
    with django_assert_num_queries(4):
        shortfalls = reads.shortfalls(periods)
        assert sum(len(s.institution.members) for s in shortfalls) == 2 + 2 * size
    with django_assert_num_queries(1):
        assert len(reads.digest_recipients()) == 2 + size
    with django_assert_num_queries(1):
        due = Indicator.objects.due_by_institution(plans={world.plan.pk})
        assert due[(world.mpfef.pk, world.plan.pk, "quarterly")] == 2
    with django_assert_num_queries(1):
        reported = IndicatorValue.objects.reported_by_institution(periods)
        assert reported[(world.mpfef.pk, world.period.pk)] == 1
    triples = [(Kind.DIGEST, "a@example.ml", "2021-W43")] * size
    with django_assert_num_queries(1):
        assert Reminder.objects.already_decided(triples) == set()
    with django_assert_num_queries(1):
        assert list(Reminder.objects.pending()) == []
