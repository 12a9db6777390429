"""The world the reminder tests share (tests/test_reminders*.py): a plan whose only open period
is Q3 2021, due on 30 October 2021; MPFEF owes two indicators and has submitted one, MSPC has
submitted its one; committee members in every situation a reminder must tell apart, and the
secretariat with and without the digest."""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from tracker import roles
from tracker.models import IndicatorValue, Reminder, ReportingPeriod

from .factories import (
    IndicatorFactory,
    IndicatorValueFactory,
    InstitutionFactory,
    PlanFactory,
    UserFactory,
    period_of,
)

Status = IndicatorValue.Status
DUE = datetime.date(2021, 10, 30)


@dataclass
class World:
    plan: object
    period: object
    mpfef: object
    mspc: object
    people: dict


def person(username, *, role=roles.COMMITTEE_MEMBER, **fields):
    fields.setdefault("email", f"{username}@example.ml")
    return UserFactory(username=username, role=role, **fields)


def build_world():
    plan = PlanFactory(slug="nap")
    period = period_of(plan, 2021, 3)
    plan.reporting_periods.exclude(pk=period.pk).update(
        status=ReportingPeriod.Status.CLOSED, closed_at=timezone.now()
    )
    mpfef = InstitutionFactory(
        name="Ministère de la Promotion de la Femme, de l'Enfant et de la Famille",
        acronym="MPFEF",
        contact_email="cabinet@mpfef.example.ml",
    )
    mspc = InstitutionFactory(
        name="Ministère de la Sécurité", acronym="MSPC", contact_email="sg@mspc.example.ml"
    )
    submitted, drafted, theirs = (IndicatorFactory(result__axis__plan=plan) for _ in range(3))
    submitted.responsible_institutions.add(mpfef)
    drafted.responsible_institutions.add(mpfef)
    theirs.responsible_institutions.add(mspc)
    IndicatorValueFactory(indicator=submitted, period=period, status=Status.SUBMITTED)
    # A draft is not a report: MPFEF still misses this one.
    IndicatorValueFactory(indicator=drafted, period=period, status=Status.DRAFT)
    IndicatorValueFactory(indicator=theirs, period=period, status=Status.SUBMITTED)
    people = {
        "awa": person("awa", first_name="Awa", last_name="Traoré", institution=mpfef),
        "john": person("john", first_name="John", language="en", institution=mpfef),
        "gone": person("gone", institution=mpfef, is_active=False),
        "silent": person("silent", institution=mpfef, email=""),
        "no_role": person("no_role", institution=mpfef, role=None),
        "moussa": person("moussa", institution=mspc),
        "fatou": person("fatou", first_name="Fatou", role=roles.SECRETARIAT),
        "peter": person("peter", first_name="Peter", role=roles.SECRETARIAT, language="en"),
        "opted_out": person("opted_out", role=roles.SECRETARIAT, wants_digest=False),
        "staff": person("staff_member", role=roles.REPORTING_STAFF),
    }
    return World(plan=plan, period=period, mpfef=mpfef, mspc=mspc, people=people)


def day(offset):
    """The day `offset` days after the due date (negative: before it)."""
    return DUE + datetime.timedelta(days=offset)


def outbox_row(kind, email, key, subject, **fields):
    """A row of the outbox as another part of the tracker would write it."""
    fields.setdefault("language", "fr")
    fields.setdefault("body", f"{subject}.")
    return Reminder.objects.create(kind=kind, email=email, key=key, subject=subject, **fields)
