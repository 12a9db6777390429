"""What the tests share: one user per role plus an outsider, the plans they report on, and
helpers used across modules.

The plans
---------
`plan` is a plan built by the factories at the Mali plan's address (mali-2019-2023): its
reporting periods and nothing else, for tests that build what they need in it.

`mali_plan` is the Mali 2019-2023 plan of the shipped fixtures: the database as
`loaddata mali_nap_2019_2023 mali_reported_values` leaves it. That loaddata costs about half a
second (each indicator's institutions, dimensions and tags write history rows) and some sixty
tests need it, so it runs once per session:

- `_mali_rows` (session scope) runs it inside a transaction, reads back the rows it wrote, and
  rolls the transaction back: the database stays empty for the tests that expect it empty
  (tests/table_rows.py).
- `mali_plan` (function scope) INSERTs those rows, with their ids, inside the test's own
  transaction, which pytest-django rolls back after the test as it rolled back the loaddata;
  then it moves PostgreSQL's sequences past them, as loaddata does. The tables go in the order
  of loaddata's last write to each, so that no trigger refuses a row loaddata could write: a
  reported value goes in before the second file closes its period.

The rows are loaddata's own, history included, read and written back through the same driver
on SQLite and on PostgreSQL; only the history rows' dates are the session's load rather than
the test's. test_fixtures checks the copy against a fresh loaddata.
"""

import pytest
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import translation

from tracker import roles
from tracker.models import Plan

from .factories import InstitutionFactory, PlanFactory, UserFactory
from .table_rows import rows_loaddata_writes

MALI_FIXTURES = ("mali_nap_2019_2023", "mali_reported_values")
MALI_SLUG = "mali-2019-2023"


@pytest.fixture(scope="session")
def _mali_rows(django_db_setup, django_db_blocker):
    """The rows loaddata writes for the Mali fixtures, read once per session (see above)."""
    with django_db_blocker.unblock():
        return rows_loaddata_writes(*MALI_FIXTURES)


@pytest.fixture
def mali_plan(_mali_rows, db):
    """The Mali 2019-2023 plan of the shipped fixtures, with the reported values: the database
    as `loaddata mali_nap_2019_2023 mali_reported_values` leaves it."""
    try:
        with transaction.atomic():
            _mali_rows.write()
    except IntegrityError as error:
        # loaddata would have overwritten the rows with the same ids; the copy refuses.
        pytest.fail(
            f"the Mali rows clash with rows made before mali_plan: ask for it first ({error})"
        )
    return Plan.objects.get(slug=MALI_SLUG)


@pytest.fixture
def plan(db):
    """A plan made by the factories at the Mali plan's address, 2019-2023: its reporting
    periods and nothing else."""
    return PlanFactory(
        slug=MALI_SLUG, title="Mali NAP 1325 2019-2023", start_year=2019, end_year=2023
    )


@pytest.fixture(autouse=True)
def back_to_the_default_language():
    """Requests switch the thread's language; later tests expect the settings' one."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def institution(db):
    return InstitutionFactory(name="Ministère de la Promotion de la Femme", acronym="MPFEF")


@pytest.fixture
def other_institution(db):
    return InstitutionFactory(name="Ministère de la Sécurité", acronym="MSPC")


@pytest.fixture
def member(institution):
    return UserFactory(username="member", role=roles.COMMITTEE_MEMBER, institution=institution)


@pytest.fixture
def member2(other_institution):
    return UserFactory(
        username="member2", role=roles.COMMITTEE_MEMBER, institution=other_institution
    )


@pytest.fixture
def secretariat(db):
    return UserFactory(username="secretariat", role=roles.SECRETARIAT, is_staff=True)


@pytest.fixture
def framework_admin(db):
    return UserFactory(username="framework", role=roles.FRAMEWORK_ADMINISTRATOR, is_staff=True)


@pytest.fixture
def reporting_staff(db):
    return UserFactory(username="staff", role=roles.REPORTING_STAFF)


@pytest.fixture
def outsider(db):
    """Signed in, but in no role and no institution."""
    return UserFactory(username="outsider")


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_staff=True, is_superuser=True)


@pytest.fixture
def client_for(client):
    """client_for(user) returns the test client signed in as that user."""

    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in
