"""Personal API tokens (issue 16): created and revoked by their owner on the account page,
shown once, stored as a SHA-256 digest with a short prefix, with an expiry; the admin can only
revoke them."""

import datetime
import hashlib

import pytest
from django.urls import reverse
from django.utils import timezone

from tracker.models import ApiToken
from tracker.models.api import TOKENS_PER_USER

pytestmark = pytest.mark.django_db

PAGE = "/account/api-tokens/"


def test_a_token_is_shown_once_and_stored_as_a_digest(client_for, member):
    client = client_for(member)
    response = client.post(PAGE, {"name": "DHIS2 sync", "days": "90"})
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")
    secret = response.context["secret"]
    assert secret.startswith("nap_") and len(secret) > 40
    assert secret in response.content.decode()
    token = ApiToken.objects.get(user=member)
    assert token.digest == hashlib.sha256(secret.encode()).hexdigest()
    assert token.prefix == secret[:12]
    assert secret not in str(ApiToken.objects.filter(pk=token.pk).values().get())
    expected = timezone.now() + datetime.timedelta(days=90)
    assert abs(token.expires_at - expected) < datetime.timedelta(minutes=1)
    assert token.history.get().history_user == member
    # Never again: the page lists the token by its prefix.
    page = client.get(PAGE).content.decode()
    assert secret not in page and token.prefix in page and "DHIS2 sync" in page


def test_the_new_token_opens_the_api(client_for, client, member):
    secret = client_for(member).post(PAGE, {"name": "Script", "days": "30"}).context["secret"]
    client.logout()
    assert (
        client.get("/api/plans/", headers={"Authorization": f"Bearer {secret}"}).status_code == 200
    )


@pytest.mark.parametrize(
    "data", [{"name": "", "days": "30"}, {"name": "Sync", "days": "3650"}, {"name": "x" * 101}]
)
def test_a_bad_form_creates_nothing(client_for, member, data):
    response = client_for(member).post(PAGE, data)
    assert response.status_code == 200
    assert response.context["secret"] is None
    assert response.context["form"].errors
    assert not ApiToken.objects.exists()


def test_a_user_holds_a_limited_number_of_tokens(client_for, member):
    for number in range(TOKENS_PER_USER):
        ApiToken.issue(user=member, name=f"Token {number}", days=30)
    response = client_for(member).post(PAGE, {"name": "One more", "days": "30"})
    assert "revoke one" in response.content.decode()
    assert ApiToken.objects.count() == TOKENS_PER_USER


def test_the_owner_revokes_a_token(client_for, member):
    token, secret = ApiToken.issue(user=member, name="Old", days=30)
    response = client_for(member).post(reverse("api-token-revoke", args=[token.pk]))
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None and not token.is_usable
    assert ApiToken.find(secret) is None
    assert token.history.latest().history_user == member
    assert "revoked" in client_for(member).get(PAGE).content.decode()


def test_nobody_revokes_or_sees_another_users_token(client_for, member, member2):
    token, _secret = ApiToken.issue(user=member, name="Mine", days=30)
    client = client_for(member2)
    assert client.post(reverse("api-token-revoke", args=[token.pk])).status_code == 404
    assert "Mine" not in client.get(PAGE).content.decode()
    token.refresh_from_db()
    assert token.revoked_at is None


def test_a_visitor_is_sent_to_sign_in(client):
    response = client.get(PAGE)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert client.post(PAGE, {"name": "x", "days": "30"}).status_code == 302
    assert not ApiToken.objects.exists()


def test_an_expired_token_is_listed_as_expired(client_for, member):
    token, _secret = ApiToken.issue(user=member, name="Last year", days=30)
    ApiToken.objects.filter(pk=token.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=60),
        expires_at=timezone.now() - datetime.timedelta(days=30),
    )
    page = client_for(member).get(PAGE).content.decode()
    assert "expired" in page and "Revoke the token" not in page


def test_the_menu_links_to_the_token_page(client_for, member):
    assert PAGE in client_for(member).get(PAGE).content.decode()


def test_the_admin_revokes_but_never_creates_tokens(client_for, superuser, member):
    token, _secret = ApiToken.issue(user=member, name="Leaked", days=30)
    client = client_for(superuser)
    assert client.get("/admin/tracker/apitoken/add/").status_code == 403
    change = client.get(f"/admin/tracker/apitoken/{token.pk}/change/").content.decode()
    assert token.digest not in change
    client.post(
        "/admin/tracker/apitoken/",
        {"action": "revoke", "_selected_action": [token.pk]},
    )
    token.refresh_from_db()
    assert token.revoked_at is not None
