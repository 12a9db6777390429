"""`setup_demo` prepares a working demo in one command, again and again, and never in
production."""

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.test import RequestFactory, override_settings

from tracker import roles
from tracker.models import Indicator, IndicatorValue, User

pytestmark = pytest.mark.django_db


@override_settings(DEBUG=False)
def test_refuses_to_run_with_debug_off():
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("setup_demo")
    assert not User.objects.exists()
    assert not Indicator.objects.exists()


@override_settings(DEBUG=True)
def test_loads_the_plan_and_creates_the_demo_accounts(capsys):
    call_command("setup_demo")
    output = capsys.readouterr().out
    for username in ("admin", "secretariat", "member", "member2", "staff"):
        assert username in output
        assert (
            authenticate(
                RequestFactory().post("/accounts/login/"),
                username=username,
                password="demo-nap-1325",
            )
            is not None
        )
    assert User.objects.get(username="admin").is_superuser
    member = User.objects.get(username="member")
    assert member.institution.acronym == "MPFEF"
    assert member.groups.filter(name=roles.COMMITTEE_MEMBER).exists()
    member2 = User.objects.get(username="member2")
    assert member2.institution != member.institution
    assert User.objects.get(username="secretariat").groups.filter(name=roles.SECRETARIAT).exists()
    assert User.objects.get(username="staff").groups.filter(name=roles.REPORTING_STAFF).exists()
    assert IndicatorValue.objects.validated().exists()
    # Every loaded figure starts its history at the import.
    value = IndicatorValue.objects.first()
    assert value.history.count() == 1


@override_settings(DEBUG=True)
def test_running_twice_changes_nothing():
    call_command("setup_demo")
    counts = (User.objects.count(), IndicatorValue.objects.count(), IndicatorValue.history.count())
    call_command("setup_demo")
    assert (
        User.objects.count(),
        IndicatorValue.objects.count(),
        IndicatorValue.history.count(),
    ) == counts
