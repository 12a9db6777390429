"""User administration that cannot escalate (DESIGN.md §1): a framework administrator manages
users in the admin but never grants superuser, staff, individual permissions or a role above
their own, never touches their own account or one with more rights than theirs. Everything goes
through the admin's own forms, with payloads built from what the form shows."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.forms import BooleanField, ModelMultipleChoiceField, MultiWidget
from django.urls import reverse

from tracker import roles
from tracker.models import User

from .factories import UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-new-Passw0rd-for-Bamako"
LIMITED_CHANGE_FIELDS = {
    "username",
    "password",
    "first_name",
    "last_name",
    "email",
    "is_active",
    "groups",
    "institution",
}
LIMITED_ADD_FIELDS = {
    "username",
    "usable_password",
    "password1",
    "password2",
    "first_name",
    "last_name",
    "email",
    "is_active",
    "groups",
    "institution",
}


def add_url():
    return reverse("admin:tracker_user_add")


def change_url(user):
    return reverse("admin:tracker_user_change", args=[user.pk])


def password_url(user):
    return reverse("admin:auth_user_password_change", args=[user.pk])


def delete_url(user):
    return reverse("admin:tracker_user_delete", args=[user.pk])


def group(name):
    return Group.objects.get(name=name)


def form_of(response):
    assert response.status_code == 200, response.content.decode()[:2000]
    return response.context["adminform"].form


def payload_from(form, **changes):
    """The POST the admin form sends unchanged, from its initial data, with `changes` applied.
    Fields the form does not have are not invented: a test relying on one breaks if it goes."""
    data = {}
    for name, field in form.fields.items():
        if field.disabled:
            continue
        value = form.initial.get(name, field.initial)
        if isinstance(field.widget, MultiWidget):
            for index, part in enumerate(field.widget.decompress(value)):
                data[f"{name}_{index}"] = "" if part is None else str(part)
        elif isinstance(field, BooleanField):
            if value:
                data[name] = "on"
        elif isinstance(field, ModelMultipleChoiceField):
            data[name] = [getattr(item, "pk", item) for item in value or []]
        else:
            data[name] = "" if value is None else str(value)
    for name, value in changes.items():
        if value is None:
            data.pop(name, None)
        else:
            data[name] = value
    return data


def stored(user):
    """The user's row, roles and individual permissions, as the database has them."""
    return (
        User.objects.filter(pk=user.pk).values().get(),
        set(User.objects.get(pk=user.pk).groups.values_list("name", flat=True)),
        set(User.objects.get(pk=user.pk).user_permissions.values_list("codename", flat=True)),
    )


def refusal(response):
    """The page shows the form again with its errors: nothing saved, and no server error."""
    assert response.status_code == 200, response.status_code
    return response.content.decode()


# The grant table


def assert_untouchable(client, target, payload):
    """Neither the change form, the password form nor the delete page lets the client touch
    `target`, and its stored row, roles and permissions stay as they were."""
    before = stored(target)
    assert client.post(change_url(target), payload).status_code == 403
    assert client.get(password_url(target)).status_code == 403
    response = client.post(
        password_url(target),
        {"usable_password": "true", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 403
    assert client.get(delete_url(target)).status_code == 403
    assert client.post(delete_url(target), {"post": "yes"}).status_code == 403
    assert stored(target) == before


def test_grant_table(framework_admin, secretariat, member, reporting_staff, superuser, outsider):
    assert roles.GRANTABLE_BY[roles.FRAMEWORK_ADMINISTRATOR] == [
        roles.COMMITTEE_MEMBER,
        roles.FRAMEWORK_ADMINISTRATOR,
    ]
    assert roles.grantable_roles(framework_admin) == sorted(
        [roles.COMMITTEE_MEMBER, roles.FRAMEWORK_ADMINISTRATOR]
    )
    for user in (secretariat, member, reporting_staff, outsider):
        assert roles.grantable_roles(user) == []
    assert set(roles.grantable_roles(superuser)) >= set(roles.ALL)
    framework_admin.is_active = False
    assert roles.grantable_roles(framework_admin) == []


def test_no_role_grants_a_role_above_it():
    for role, grantable in roles.GRANTABLE_BY.items():
        assert set(grantable) <= set(roles.ALL)
        assert roles.SECRETARIAT not in grantable, role
        assert roles.REPORTING_STAFF not in grantable, role


def test_who_a_framework_administrator_may_manage(
    framework_admin, member, secretariat, reporting_staff, superuser, outsider
):
    other_administrator = UserFactory(role=roles.FRAMEWORK_ADMINISTRATOR, is_staff=True)
    with_permission = UserFactory()
    with_permission.user_permissions.add(Permission.objects.get(codename="change_indicator"))
    assert roles.can_manage_user(framework_admin, member)
    assert roles.can_manage_user(framework_admin, outsider)
    assert roles.can_manage_user(framework_admin, other_administrator)
    for target in (framework_admin, secretariat, reporting_staff, superuser, with_permission):
        assert not roles.can_manage_user(framework_admin, target), target
    for editor in (member, secretariat, reporting_staff, outsider):
        assert not roles.can_manage_user(editor, outsider), editor
    assert roles.can_manage_user(superuser, superuser)


# What a framework administrator may do


def test_framework_administrator_creates_a_committee_member_of_an_institution(
    client_for, framework_admin, institution
):
    client = client_for(framework_admin)
    form = form_of(client.get(add_url()))
    assert set(form.fields) == LIMITED_ADD_FIELDS
    assert set(form.fields["groups"].queryset.values_list("name", flat=True)) == {
        roles.COMMITTEE_MEMBER,
        roles.FRAMEWORK_ADMINISTRATOR,
    }
    response = client.post(
        add_url(),
        payload_from(
            form,
            username="awa.traore",
            usable_password="true",
            password1=NEW_PASSWORD,
            password2=NEW_PASSWORD,
            first_name="Awa",
            last_name="Traoré",
            email="awa@example.org",
            institution=str(institution.pk),
            groups=[group(roles.COMMITTEE_MEMBER).pk],
        ),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    row, groups, permissions = stored(User.objects.get(username="awa.traore"))
    assert row["institution_id"] == institution.pk
    assert (row["first_name"], row["last_name"], row["email"]) == (
        "Awa",
        "Traoré",
        "awa@example.org",
    )
    assert row["is_active"] and not row["is_staff"] and not row["is_superuser"]
    assert groups == {roles.COMMITTEE_MEMBER}
    assert permissions == set()
    assert User.objects.get(username="awa.traore").check_password(NEW_PASSWORD)


def test_framework_administrator_gives_the_committee_member_role(
    client_for, framework_admin, outsider, institution
):
    client = client_for(framework_admin)
    form = form_of(client.get(change_url(outsider)))
    assert set(form.fields) == LIMITED_CHANGE_FIELDS
    response = client.post(
        change_url(outsider),
        payload_from(
            form, groups=[group(roles.COMMITTEE_MEMBER).pk], institution=str(institution.pk)
        ),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    row, groups, _ = stored(outsider)
    assert groups == {roles.COMMITTEE_MEMBER}
    assert row["institution_id"] == institution.pk
    assert not row["is_staff"] and not row["is_superuser"]


def test_staff_status_follows_the_framework_administrator_role(
    client_for, framework_admin, outsider
):
    client = client_for(framework_admin)
    administrator = group(roles.FRAMEWORK_ADMINISTRATOR).pk
    form = form_of(client.get(change_url(outsider)))
    response = client.post(change_url(outsider), payload_from(form, groups=[administrator]))
    assert response.status_code == 302, response.content.decode()[:3000]
    row, groups, _ = stored(outsider)
    assert groups == {roles.FRAMEWORK_ADMINISTRATOR} and row["is_staff"]

    form = form_of(client.get(change_url(outsider)))
    response = client.post(change_url(outsider), payload_from(form, groups=[]))
    assert response.status_code == 302, response.content.decode()[:3000]
    row, groups, _ = stored(outsider)
    assert groups == set() and not row["is_staff"] and not row["is_superuser"]


def test_framework_administrator_resets_another_users_password(client_for, framework_admin, member):
    client = client_for(framework_admin)
    response = client.get(password_url(member))
    assert response.status_code == 200
    assert {"password1", "password2"} <= set(response.context["form"].fields)
    response = client.post(
        password_url(member),
        {"usable_password": "true", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert User.objects.get(pk=member.pk).check_password(NEW_PASSWORD)


def test_framework_administrator_deletes_a_committee_member(client_for, framework_admin):
    doomed = UserFactory(role=roles.COMMITTEE_MEMBER)
    client = client_for(framework_admin)
    assert client.get(delete_url(doomed)).status_code == 200
    response = client.post(delete_url(doomed), {"post": "yes"})
    assert response.status_code == 302
    assert not User.objects.filter(pk=doomed.pk).exists()


# What a framework administrator may not do


@pytest.mark.parametrize(
    ("forged", "label"),
    [
        ({"is_superuser": "on"}, "superuser status"),
        ({"is_staff": "on"}, "staff status"),
        ({"user_permissions": ["validate_indicatorvalue"]}, "user permissions"),
        ({"is_superuser": "on", "is_staff": "on"}, "superuser status, staff status"),
    ],
)
def test_framework_administrator_cannot_set_superuser_staff_or_permissions(
    client_for, framework_admin, member, forged, label
):
    if "user_permissions" in forged:
        forged = {
            "user_permissions": [Permission.objects.get(codename="validate_indicatorvalue").pk]
        }
    client = client_for(framework_admin)
    form = form_of(client.get(change_url(member)))
    for name in ("is_superuser", "is_staff", "user_permissions"):
        assert name not in form.fields
    before = stored(member)
    page = refusal(client.post(change_url(member), payload_from(form, **forged)))
    assert f"Only a superuser may set: {label}." in page
    assert stored(member) == before


@pytest.mark.parametrize("forged", ["is_superuser", "is_staff"])
def test_framework_administrator_cannot_create_a_superuser_or_staff(
    client_for, framework_admin, forged
):
    client = client_for(framework_admin)
    form = form_of(client.get(add_url()))
    payload = payload_from(
        form,
        username="intruder",
        usable_password="true",
        password1=NEW_PASSWORD,
        password2=NEW_PASSWORD,
        **{forged: "on"},
    )
    page = refusal(client.post(add_url(), payload))
    assert "Only a superuser may set:" in page
    assert not User.objects.filter(username="intruder").exists()


@pytest.mark.parametrize("role", [roles.SECRETARIAT, roles.REPORTING_STAFF])
def test_framework_administrator_cannot_grant_a_role_above_their_own(
    client_for, framework_admin, member, role
):
    client = client_for(framework_admin)
    form = form_of(client.get(change_url(member)))
    assert role not in set(form.fields["groups"].queryset.values_list("name", flat=True))
    before = stored(member)
    payload = payload_from(form)
    payload["groups"] = [*payload["groups"], group(role).pk]
    page = refusal(client.post(change_url(member), payload))
    assert f"Only a superuser may grant or remove these roles: {role}." in page
    assert stored(member) == before

    form = form_of(client.get(add_url()))
    payload = payload_from(
        form,
        username="newcomer",
        usable_password="true",
        password1=NEW_PASSWORD,
        password2=NEW_PASSWORD,
        groups=[group(role).pk],
    )
    page = refusal(client.post(add_url(), payload))
    assert f"Only a superuser may grant or remove these roles: {role}." in page
    assert not User.objects.filter(username="newcomer").exists()


def test_framework_administrator_cannot_change_or_delete_their_own_account(
    client_for, framework_admin, member
):
    client = client_for(framework_admin)
    response = client.get(change_url(framework_admin))
    assert response.status_code == 200
    assert not response.context["has_change_permission"]
    fields = response.context["adminform"].form.fields
    assert all(field.disabled for field in fields.values())  # a read-only page
    # What the form of another account would send, aimed at their own.
    payload = payload_from(
        form_of(client.get(change_url(member))),
        username=framework_admin.username,
        groups=[group(roles.FRAMEWORK_ADMINISTRATOR).pk, group(roles.SECRETARIAT).pk],
        is_superuser="on",
    )
    assert_untouchable(client, framework_admin, payload)


def test_framework_administrator_still_changes_their_own_password(client_for, framework_admin):
    client = client_for(framework_admin)
    response = client.post(
        reverse("admin:password_change"),
        {
            "old_password": "test-password-1325",
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert User.objects.get(pk=framework_admin.pk).check_password(NEW_PASSWORD)


@pytest.mark.parametrize("target_fixture", ["superuser", "secretariat", "reporting_staff"])
def test_framework_administrator_cannot_touch_an_account_with_more_rights(
    request, client_for, framework_admin, member, target_fixture
):
    target = request.getfixturevalue(target_fixture)
    client = client_for(framework_admin)
    response = client.get(change_url(target))
    assert response.status_code == 200
    assert not response.context["has_change_permission"]
    # Strip the roles (a secretariat user's Secretariat role), rename, deactivate.
    payload = payload_from(
        form_of(client.get(change_url(member))),
        username=target.username,
        first_name="Changed",
        groups=[],
        is_active=None,
    )
    assert_untouchable(client, target, payload)
    assert not User.objects.get(pk=target.pk).check_password(NEW_PASSWORD)


def test_delete_selected_refuses_an_account_with_more_rights(
    client_for, framework_admin, member, superuser
):
    response = client_for(framework_admin).post(
        reverse("admin:tracker_user_changelist"),
        {
            "action": "delete_selected",
            "_selected_action": [member.pk, superuser.pk],
            "post": "yes",
        },
    )
    assert response.status_code == 403
    assert User.objects.filter(pk__in=[member.pk, superuser.pk]).count() == 2


def test_the_roles_a_framework_administrator_may_not_grant_are_kept(
    rf, framework_admin, secretariat
):
    """Second line behind has_change_permission: the form itself refuses an account with a
    role outside the editor's grant, so its Secretariat role cannot be stripped."""
    from django.contrib import admin

    model_admin = admin.site._registry[User]
    request = rf.get("/")
    request.user = framework_admin
    form_class = model_admin.get_form(request, secretariat, change=False)
    form = form_class(
        {"username": "secretariat", "is_active": "on", "groups": []}, instance=secretariat
    )
    assert not form.is_valid()
    assert "Only a superuser may change this account." in form.non_field_errors()
    assert stored(secretariat)[1] == {roles.SECRETARIAT}


def test_history_offers_no_revert_to_a_framework_administrator(
    client_for, framework_admin, member, secretariat
):
    member.is_superuser = True  # an old version that must never come back
    member.save()
    member.is_superuser = False
    member.first_name = "Now"
    member.save()
    old = member.history.order_by("history_date").first()
    url = reverse("admin:tracker_user_simple_history", args=[member.pk, old.history_id])
    before = stored(member)
    for editor in (framework_admin, secretariat):
        client = client_for(editor)
        response = client.get(url)
        assert response.status_code == 200
        assert response.context["revert_disabled"]
        assert client.post(url, {"username": member.username}).status_code == 403
    assert stored(member) == before


def test_framework_administrator_cannot_edit_a_groups_permissions(client_for, framework_admin):
    secretariat_group = group(roles.SECRETARIAT)
    before = set(secretariat_group.permissions.values_list("pk", flat=True))
    url = reverse("admin:auth_group_change", args=[secretariat_group.pk])
    client = client_for(framework_admin)
    response = client.get(url)
    assert response.status_code == 200
    assert not response.context["has_change_permission"]
    everything = list(Permission.objects.values_list("pk", flat=True))
    response = client.post(url, {"name": roles.SECRETARIAT, "permissions": everything})
    assert response.status_code == 403
    response = client.post(
        reverse("admin:auth_group_add"), {"name": "Root", "permissions": everything}
    )
    assert response.status_code == 403
    assert set(secretariat_group.permissions.values_list("pk", flat=True)) == before
    assert not Group.objects.filter(name="Root").exists()


# A superuser may do all of it


def test_superuser_sets_superuser_staff_permissions_and_any_role(client_for, superuser, member):
    client = client_for(superuser)
    form = form_of(client.get(change_url(member)))
    assert {"is_superuser", "is_staff", "user_permissions", "last_login"} <= set(form.fields)
    permission = Permission.objects.get(codename="validate_indicatorvalue")
    payload = payload_from(
        form,
        is_superuser="on",
        is_staff="on",
        user_permissions=[permission.pk],
        groups=[group(roles.SECRETARIAT).pk, group(roles.REPORTING_STAFF).pk],
    )
    response = client.post(change_url(member), payload)
    assert response.status_code == 302, response.content.decode()[:3000]
    row, groups, permissions = stored(member)
    assert row["is_superuser"] and row["is_staff"]
    assert groups == {roles.SECRETARIAT, roles.REPORTING_STAFF}
    assert permissions == {"validate_indicatorvalue"}


def test_superuser_removes_the_secretariat_role_and_resets_any_password(
    client_for, superuser, secretariat
):
    client = client_for(superuser)
    form = form_of(client.get(change_url(secretariat)))
    response = client.post(change_url(secretariat), payload_from(form, groups=[]))
    assert response.status_code == 302, response.content.decode()[:3000]
    assert stored(secretariat)[1] == set()
    response = client.post(
        password_url(secretariat),
        {"usable_password": "true", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert User.objects.get(pk=secretariat.pk).check_password(NEW_PASSWORD)


def test_superuser_changes_their_own_account_and_deletes_anyone(client_for, superuser):
    other_superuser = UserFactory(is_staff=True, is_superuser=True)
    client = client_for(superuser)
    form = form_of(client.get(change_url(superuser)))
    response = client.post(change_url(superuser), payload_from(form, first_name="Root"))
    assert response.status_code == 302, response.content.decode()[:3000]
    assert stored(superuser)[0]["first_name"] == "Root"
    assert client.post(delete_url(other_superuser), {"post": "yes"}).status_code == 302
    assert not User.objects.filter(pk=other_superuser.pk).exists()


def test_superuser_may_revert_a_user_from_the_history(client_for, superuser, member):
    member.first_name = "Later"
    member.save()
    old = member.history.order_by("history_date").first()
    url = reverse("admin:tracker_user_simple_history", args=[member.pk, old.history_id])
    response = client_for(superuser).get(url)
    assert response.status_code == 200
    assert not response.context["revert_disabled"]


def test_superuser_edits_a_groups_permissions(client_for, superuser):
    secretariat_group = group(roles.SECRETARIAT)
    permission = Permission.objects.get(codename="delete_indicator")
    url = reverse("admin:auth_group_change", args=[secretariat_group.pk])
    client = client_for(superuser)
    current = list(secretariat_group.permissions.values_list("pk", flat=True))
    response = client.post(
        url, {"name": roles.SECRETARIAT, "permissions": [*current, permission.pk]}
    )
    assert response.status_code == 302
    assert secretariat_group.permissions.filter(pk=permission.pk).exists()
