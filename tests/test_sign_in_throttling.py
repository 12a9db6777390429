"""Sign-in throttling (django-axes, config/settings/base.py): after five failed sign-ins in a row
for one user name from one address, that pair is refused, the right password included, for 30
minutes after the last attempt, with a page that says so in the user's language; the
secretariat can unlock sooner from the admin. Other users and other addresses are not affected.

Every sign-in here posts the real form at /accounts/login/ (client.force_login would bypass
django-axes, as it bypasses the password)."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import F
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
PASSWORD = "test-password-1325"
WRONG = "not-the-password"
HOME = "10.20.30.40"
ELSEWHERE = "10.99.99.99"


def sign_in(client, username, password, address=HOME, **headers):
    return client.post(
        LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address, **headers
    )


def signed_in(client):
    return "_auth_user_id" in client.session


def fail_until_locked(client, username, address=HOME, **headers):
    """Wrong passwords until the lock: the form comes back with its error until the last one,
    which answers with the lock-out page."""
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = sign_in(client, username, WRONG, address, **headers)
        assert response.status_code == 200
        assert "registration/login.html" in template_names(response)
    response = sign_in(client, username, WRONG, address, **headers)
    assert_locked_out(response)
    return response


def template_names(response):
    return [template.name for template in response.templates]


def assert_locked_out(response):
    assert response.status_code == 429
    assert "registration/locked_out.html" in template_names(response)


def wait(minutes):
    """As if that many minutes had passed since the recorded attempts."""
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=minutes))


def test_the_settings_lock_per_user_and_address_after_five_failures():
    assert settings.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"
    assert settings.MIDDLEWARE[-1] == "axes.middleware.AxesMiddleware"
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_COOLOFF_TIME.total_seconds() == 30 * 60
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]
    assert settings.AXES_RESET_ON_SUCCESS is True


def test_repeated_failures_lock_the_account_and_refuse_the_right_password(client, member):
    fail_until_locked(client, member.username)

    response = sign_in(client, member.username, PASSWORD)
    assert_locked_out(response)
    assert not signed_in(client)
    text = response.content.decode()
    assert "Account locked" in text
    assert "locked after 5 failed attempts in a row" in text
    assert "30 minutes after the last attempt" in text
    assert "ask the secretariat" in text
    assert f'href="{LOGIN}"' in text
    # Still signed out: "/" shows a visitor's page, not an inbox.
    response = client.get("/", REMOTE_ADDR=HOME)
    assert [template.name for template in response.templates][0] == "tracker/landing.html"


def test_the_lock_counts_failures_in_a_row_only(client, member):
    """A successful sign-in clears the failures before it (AXES_RESET_ON_SUCCESS)."""
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(client, member.username, WRONG).status_code == 200
    assert sign_in(client, member.username, PASSWORD).status_code == 302
    assert signed_in(client)
    client.post(reverse("logout"), REMOTE_ADDR=HOME)

    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(client, member.username, WRONG).status_code == 200
    assert sign_in(client, member.username, PASSWORD).status_code == 302


def test_another_user_from_another_address_is_not_locked(client, member, member2):
    fail_until_locked(client, member.username, HOME)

    other = Client()
    response = sign_in(other, member2.username, PASSWORD, ELSEWHERE)
    assert response.status_code == 302
    assert signed_in(other)


def test_the_lock_holds_one_user_name_from_one_address(client, member, member2):
    """The lock-out is per (user name, address): a colleague behind the same address still signs
    in, and so does the locked user from another place; an attacker cannot lock someone out of
    every computer."""
    fail_until_locked(client, member.username, HOME)

    colleague = Client()
    assert sign_in(colleague, member2.username, PASSWORD, HOME).status_code == 302
    elsewhere = Client()
    assert sign_in(elsewhere, member.username, PASSWORD, ELSEWHERE).status_code == 302
    assert_locked_out(sign_in(Client(), member.username, PASSWORD, HOME))


def test_the_lock_lifts_after_the_cool_off(client, member):
    fail_until_locked(client, member.username)

    wait(29)
    # Still locked; and this attempt starts the 30 minutes again.
    assert_locked_out(sign_in(client, member.username, PASSWORD))
    wait(29)
    assert_locked_out(sign_in(client, member.username, PASSWORD))

    wait(31)
    response = sign_in(client, member.username, PASSWORD)
    assert response.status_code == 302
    assert signed_in(client)
    assert not AccessAttempt.objects.filter(username=member.username).exists()


def test_the_admin_lists_the_lock_and_deleting_its_access_attempts_unlocks(
    client, member, secretariat
):
    """How the secretariat unlocks before the cool-off: Administration › Access attempts, tick
    the user's rows, "Delete selected access attempts"."""
    fail_until_locked(client, member.username)
    attempt = AccessAttempt.objects.get(username=member.username)

    admin = Client()
    admin.force_login(secretariat)  # granted by migration 0012
    changelist = reverse("admin:axes_accessattempt_changelist")
    listing = admin.get(changelist, {"locked_out": "yes"})
    assert listing.status_code == 200
    assert member.username in listing.content.decode()

    response = admin.post(
        changelist,
        {"action": "delete_selected", "_selected_action": [attempt.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert not AccessAttempt.objects.exists()

    response = sign_in(client, member.username, PASSWORD)
    assert response.status_code == 302
    assert signed_in(client)


def test_the_lock_out_page_reads_in_english_when_asked(client, member):
    fail_until_locked(client, member.username, HTTP_ACCEPT_LANGUAGE="en")
    response = sign_in(client, member.username, PASSWORD, HTTP_ACCEPT_LANGUAGE="en")
    assert_locked_out(response)
    assert response.headers["Content-Language"] == "en"
    assert "Account locked" in response.content.decode()


def test_the_lock_out_page_is_in_french_by_default(client, member, settings):
    settings.LANGUAGE_CODE = "fr"
    fail_until_locked(client, member.username)
    response = sign_in(client, member.username, PASSWORD)
    assert_locked_out(response)
    assert response.headers["Content-Language"] == "fr"
    text = response.content.decode()
    assert '<html lang="fr">' in text
    assert "Connexion" in text  # the navigation bar's "Sign in"

    assert "Compte verrouillé" in text
    assert "il peut déverrouiller votre compte immédiatement" in text
    assert "Account locked" not in text
