"""The shared set of users, one per role plus an outsider, and helpers used across tests."""

import pytest

from tracker import roles

from .factories import InstitutionFactory, UserFactory


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
