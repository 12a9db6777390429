"""An account's rights are read in one query (tracker/auth_backends.py), with exactly the rules and
caches of Django's ModelBackend, which is the reference every test here compares with."""

import pytest
from django.conf import settings
from django.contrib.auth import get_backends
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import AnonymousUser, Group, Permission

from tracker import roles
from tracker.auth_backends import AccountBackend
from tracker.models import User

pytestmark = pytest.mark.django_db

VALIDATE = "tracker.validate_indicatorvalue"
ENTER = "tracker.change_indicatorvalue"


def permission(name):
    app_label, codename = name.split(".")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def fresh(user):
    """The account as a new request loads it: nothing cached yet."""
    return User.objects.get(pk=user.pk)


def as_django_reads(user):
    return ModelBackend().get_all_permissions(fresh(user))


def test_the_settings_use_it_after_django_axes():
    assert settings.AUTHENTICATION_BACKENDS == [
        "axes.backends.AxesStandaloneBackend",
        "tracker.auth_backends.AccountBackend",
    ]
    assert [type(backend) for backend in get_backends()][1:] == [AccountBackend]


def test_permissions_held_directly_only(outsider):
    outsider.user_permissions.add(permission(VALIDATE))
    user = fresh(outsider)
    assert AccountBackend().get_all_permissions(user) == {VALIDATE} == as_django_reads(outsider)
    assert user.has_perm(VALIDATE)
    assert not user.has_perm(ENTER)


def test_permissions_held_through_a_role_only(member):
    user = fresh(member)
    reads = AccountBackend().get_all_permissions(user)
    assert ENTER in reads
    assert VALIDATE not in reads
    assert reads == as_django_reads(member)
    assert user.has_perm(ENTER)
    assert not user.has_perm(VALIDATE)


def test_permissions_held_directly_and_through_roles(member):
    # One held both ways, one directly only, and a second role.
    member.user_permissions.add(permission(ENTER), permission(VALIDATE))
    member.groups.add(Group.objects.get(name=roles.REPORTING_STAFF))
    user = fresh(member)
    reads = AccountBackend().get_all_permissions(user)
    assert {ENTER, VALIDATE, "tracker.publish_annualreport"} <= reads
    assert reads == as_django_reads(member)


def test_no_permission_at_all(outsider):
    user = fresh(outsider)
    assert AccountBackend().get_all_permissions(user) == set() == as_django_reads(outsider)
    assert not user.has_perm(ENTER)


def test_an_inactive_account_has_none_and_costs_no_query(member, django_assert_num_queries):
    member.user_permissions.add(permission(VALIDATE))
    member.is_active = False
    member.save()
    user = fresh(member)
    with django_assert_num_queries(0):
        assert AccountBackend().get_all_permissions(user) == set()
        assert not user.has_perm(ENTER)
        assert not user.has_module_perms("tracker")


def test_a_superuser_has_every_permission(superuser, django_assert_num_queries):
    everything = {
        f"{app_label}.{codename}"
        for app_label, codename in Permission.objects.values_list(
            "content_type__app_label", "codename"
        )
    }
    user = fresh(superuser)
    with django_assert_num_queries(1):
        assert AccountBackend().get_all_permissions(user) == everything
    assert everything == as_django_reads(superuser)


def test_an_inactive_superuser_has_none(superuser):
    superuser.is_active = False
    superuser.save()
    assert AccountBackend().get_all_permissions(fresh(superuser)) == set()
    assert not fresh(superuser).has_perm(ENTER)


def test_an_anonymous_visitor_has_none(django_assert_num_queries):
    visitor = AnonymousUser()
    with django_assert_num_queries(0):
        assert AccountBackend().get_all_permissions(visitor) == set()
        assert not AccountBackend().has_perm(visitor, "tracker.view_plan")
        assert not visitor.has_perm("tracker.view_plan")


def test_rights_on_one_object_are_none_as_in_django(member):
    user = fresh(member)
    indicator_value_permission = permission(ENTER)
    assert AccountBackend().get_all_permissions(user, obj=indicator_value_permission) == set()
    assert not user.has_perm(ENTER, obj=indicator_value_permission)


def test_one_query_on_a_fresh_account_then_none(member, django_assert_num_queries):
    member.user_permissions.add(permission(VALIDATE))
    user = fresh(member)
    with django_assert_num_queries(1):
        assert user.has_perm(ENTER)
    with django_assert_num_queries(0):
        assert user.has_perm(VALIDATE)
        assert not user.has_perm("tracker.publish_annualreport")
        assert user.has_module_perms("tracker")
        assert not user.has_module_perms("axes")
    assert user._perm_cache == as_django_reads(member)


def test_a_role_changed_after_the_first_read_is_not_seen_by_the_same_object(member):
    user = fresh(member)
    assert user.has_perm(ENTER)
    user.groups.clear()
    # As Django: the object keeps what it read; the next request's object sees the change.
    assert user.has_perm(ENTER)
    assert not fresh(member).has_perm(ENTER)


def test_own_and_role_reads_still_fill_their_caches_as_in_django(member, django_assert_num_queries):
    member.user_permissions.add(permission(VALIDATE))
    user = fresh(member)
    backend = AccountBackend()
    with django_assert_num_queries(2):
        assert backend.get_user_permissions(user) == {VALIDATE}
        roles_reads = backend.get_group_permissions(user)
    assert ENTER in roles_reads
    assert user._user_perm_cache == {VALIDATE}
    assert user._group_perm_cache == roles_reads
    with django_assert_num_queries(0):
        assert backend.get_all_permissions(user) == {VALIDATE} | roles_reads


def test_a_half_read_account_completes_as_django_does(member):
    user = fresh(member)
    AccountBackend().get_user_permissions(user)
    assert AccountBackend().get_all_permissions(user) == as_django_reads(member)


def test_with_perm_finds_the_accounts_as_in_django(member, secretariat, outsider, superuser):
    outsider.user_permissions.add(permission(VALIDATE))
    for perm in (VALIDATE, ENTER, permission(VALIDATE)):
        found = set(AccountBackend().with_perm(perm))
        assert found == set(ModelBackend().with_perm(perm))
    assert set(AccountBackend().with_perm(VALIDATE)) == {secretariat, outsider, superuser}


@pytest.mark.parametrize(
    "fixture", ["member", "secretariat", "framework_admin", "reporting_staff", "outsider"]
)
def test_every_role_reads_what_django_reads(fixture, request):
    user = request.getfixturevalue(fixture)
    reads = AccountBackend().get_all_permissions(fresh(user))
    assert reads == as_django_reads(user)
    assert bool(reads) == (fixture != "outsider")
