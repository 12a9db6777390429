"""The four groups exist with their permissions from the data migration (DESIGN.md §1)."""

import pytest
from django.contrib.auth.models import Group

from tracker import roles

pytestmark = pytest.mark.django_db


def permissions_of(group_name):
    group = Group.objects.get(name=group_name)
    return {
        f"{p.content_type.app_label}.{p.codename}"
        for p in group.permissions.select_related("content_type")
    }


def test_the_four_roles_exist():
    assert set(Group.objects.values_list("name", flat=True)) >= set(roles.ALL)


def test_committee_member_enters_values_but_does_not_validate_or_edit_the_framework():
    perms = permissions_of(roles.COMMITTEE_MEMBER)
    assert {"tracker.add_indicatorvalue", "tracker.change_indicatorvalue"} <= perms
    assert "tracker.view_indicator" in perms
    assert "tracker.validate_indicatorvalue" not in perms
    assert "tracker.change_indicator" not in perms
    assert "tracker.change_reportingperiod" not in perms


def test_secretariat_validates_and_manages_periods():
    perms = permissions_of(roles.SECRETARIAT)
    assert {"tracker.validate_indicatorvalue", "tracker.change_reportingperiod"} <= perms
    assert "tracker.change_indicator" not in perms


def test_framework_administrator_edits_the_framework_and_users():
    perms = permissions_of(roles.FRAMEWORK_ADMINISTRATOR)
    for model in (
        "plan",
        "axis",
        "result",
        "opportunity",
        "indicator",
        "annualtarget",
        "activity",
        "budgetline",
        "institution",
        "region",
        "user",
    ):
        assert f"tracker.change_{model}" in perms
    assert "tracker.validate_indicatorvalue" not in perms
    assert "tracker.change_indicatorvalue" not in perms


def test_reporting_staff_see_everything_and_write_only_annual_reports():
    perms = permissions_of(roles.REPORTING_STAFF)
    assert "tracker.view_indicatorvalue" in perms
    assert "tracker.publish_annualreport" in perms
    writes = {p for p in perms if p.split(".")[1].startswith(("add_", "change_", "delete_"))}
    assert writes == {
        "tracker.add_annualreport",
        "tracker.change_annualreport",
        "tracker.add_publishedreport",
    }


def test_nobody_may_delete_reported_values():
    for group_name in roles.ALL:
        assert "tracker.delete_indicatorvalue" not in permissions_of(group_name)


def test_user_belongs_to_one_institution(member, institution):
    assert member.institution == institution
    assert list(member.groups.values_list("name", flat=True)) == [roles.COMMITTEE_MEMBER]
