"""Each signed-in user's e-mail preferences (/account/e-mail/): the address, the language of
the e-mails, the digest and comment notices; bad input refused with nothing stored."""

import re

import pytest
from django.forms.models import model_to_dict
from django.urls import reverse

from tracker.models import User

pytestmark = pytest.mark.django_db

URL = "/account/e-mail/"
GOOD = {
    "email": "awa.traore@example.ml",
    "language": "en",
    "wants_digest": "",  # an unticked box is not posted at all; "" is the same
    "wants_comment_emails": "on",
}


def users_table():
    return [model_to_dict(user) for user in User.objects.order_by("pk")]


def test_the_url_is_the_one_the_menu_links_to():
    assert reverse("account-email") == URL


@pytest.mark.parametrize(
    "who", ["member", "secretariat", "framework_admin", "reporting_staff", "outsider"]
)
def test_every_signed_in_user_sets_their_own(request, client_for, who):
    user = request.getfixturevalue(who)
    others = [row for row in users_table() if row["id"] != user.pk]
    client = client_for(user)
    page = client.get(URL)
    assert page.status_code == 200
    assert f'href="{URL}"' in page.content.decode()  # the user menu's link
    response = client.post(URL, GOOD, follow=True)
    assert response.redirect_chain == [(URL, 302)]
    assert "Your e-mail preferences are saved." in response.content.decode()
    user.refresh_from_db()
    assert (user.email, user.language, user.wants_digest, user.wants_comment_emails) == (
        "awa.traore@example.ml",
        "en",
        False,
        True,
    )
    assert [row for row in users_table() if row["id"] != user.pk] == others
    latest = user.history.latest()
    assert latest.history_user == user and latest.history_change_reason == "E-mail preferences"


def test_a_visitor_is_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    before = users_table()
    assert client.post(URL, GOOD).status_code == 302
    assert users_table() == before


def test_the_form_shows_the_current_choices(client_for, member):
    User.objects.filter(pk=member.pk).update(email="m@example.ml", wants_comment_emails=False)
    page = client_for(member).get(URL).content.decode()
    assert 'value="m@example.ml"' in page
    assert 'id="id_wants_digest" checked' in page
    assert 'id="id_wants_comment_emails" checked' not in page
    # Every field has its label.
    for field in ("email", "language", "wants_digest", "wants_comment_emails"):
        assert re.search(rf'<label\s+for="id_{field}"', page), field


def test_an_empty_address_means_no_e_mail(client_for, member):
    User.objects.filter(pk=member.pk).update(email="m@example.ml")
    client_for(member).post(URL, {**GOOD, "email": ""})
    member.refresh_from_db()
    assert member.email == ""


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("email", "awa.traore", "Enter a valid email address."),
        ("email", "awa@", "Enter a valid email address."),
        ("email", "awa traore@example.ml", "Enter a valid email address."),
        ("email", "a" * 250 + "@example.ml", "Ensure this value has at most 254 characters"),
        ("language", "de", "Select a valid choice."),
        ("language", "", "This field is required."),
    ],
)
def test_bad_input_is_refused_and_nothing_changes(client_for, member, field, value, message):
    client = client_for(member)
    before = users_table()
    history = member.history.count()
    response = client.post(URL, {**GOOD, field: value})
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page and "Nothing was saved" in page
    assert users_table() == before and member.history.count() == history


def test_only_these_four_fields_can_be_changed(client_for, member):
    """A forged form cannot promote the account or move it to another institution."""
    before = model_to_dict(User.objects.get(pk=member.pk))
    client_for(member).post(
        URL,
        {**GOOD, "is_staff": "on", "is_superuser": "on", "institution": "", "username": "x"},
    )
    after = model_to_dict(User.objects.get(pk=member.pk))
    changed = {name for name in after if after[name] != before[name]}
    assert changed <= {"email", "language", "wants_digest", "wants_comment_emails", "last_login"}
    assert after["institution"] == before["institution"] and not after["is_staff"]
