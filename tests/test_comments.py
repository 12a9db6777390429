"""Comments on a value (issue 14): a thread between the members who report it and the
secretariat, kept with its history; who may write in it; what a comment must be; the e-mails it
leaves in the outbox for the others in the thread, in each one's language, with a link to the
value's page; a return opens the thread with its reason."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms.models import model_to_dict
from django.urls import reverse
from django.utils import timezone

from tracker import roles, services
from tracker.models import IndicatorValue, Reminder, ReportingPeriod, ValueComment, limits

from .factories import (
    IndicatorFactory,
    IndicatorValueFactory,
    PlanFactory,
    UserFactory,
    ValueCommentFactory,
    period_of,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan():
    return PlanFactory(slug="mali-2019-2023")


@pytest.fixture
def value(plan, institution, member):
    indicator = IndicatorFactory(
        result__axis__plan=plan, code="2.1-a", name_en="GBV cases recorded", name_fr="Cas de VBG"
    )
    indicator.responsible_institutions.add(institution)
    member.email, member.language = "awa@example.org", "fr"
    member.save()
    return IndicatorValueFactory(
        indicator=indicator,
        period=period_of(plan, 2021, 1),
        status=IndicatorValue.Status.SUBMITTED,
        entered_by=member,
        submitted_by=member,
        validated_at=None,
    )


@pytest.fixture
def reviewer(db):
    """A member of the secretariat who writes English and wants comment e-mails."""
    return UserFactory(
        username="reviewer",
        first_name="Moussa",
        last_name="Keita",
        email="moussa@example.org",
        language="en",
        role=roles.SECRETARIAT,
    )


def state():
    return (
        [model_to_dict(c) for c in ValueComment.objects.order_by("pk")],
        [model_to_dict(r) for r in Reminder.objects.order_by("pk")],
        [model_to_dict(v) for v in IndicatorValue.objects.order_by("pk")],
    )


# Who may write


def test_the_secretariat_comments_and_the_history_keeps_it(reviewer, value):
    comment = services.add_comment(
        user=reviewer, value=value, text="  Which registers does this come from?  "
    )
    assert comment.text == "Which registers does this come from?"
    assert comment.author == reviewer and comment.value == value
    entry = comment.history.get()
    assert entry.history_user == reviewer
    assert entry.text == comment.text


def test_a_member_of_the_reporting_institution_comments(member, value):
    comment = services.add_comment(user=member, value=value, text="The Mopti register.")
    assert list(value.comments.all()) == [comment]


@pytest.mark.parametrize("who", ["member2", "reporting_staff", "framework_admin", "outsider"])
def test_nobody_else_comments_and_nothing_is_stored(request, who, value):
    before = state()
    with pytest.raises(PermissionDenied):
        services.add_comment(user=request.getfixturevalue(who), value=value, text="Hello")
    assert state() == before


@pytest.mark.parametrize("text", ["", "   \n ", None])
def test_an_empty_comment_is_refused(reviewer, value, text):
    before = state()
    with pytest.raises(ValidationError, match="Write the comment"):
        services.add_comment(user=reviewer, value=value, text=text)
    assert state() == before


def test_a_comment_longer_than_the_limit_is_refused(reviewer, value):
    before = state()
    with pytest.raises(ValidationError, match="At most 5,000 characters"):
        services.add_comment(user=reviewer, value=value, text="x" * (limits.COMMENT + 1))
    assert state() == before
    services.add_comment(user=reviewer, value=value, text="x" * limits.COMMENT)


def test_a_value_of_a_closed_period_can_still_be_discussed(reviewer, value):
    # The talk is what leads the secretariat to reopen a period; the figure stays locked.
    ReportingPeriod.objects.filter(pk=value.period_id).update(
        status=ReportingPeriod.Status.CLOSED, closed_at=timezone.now()
    )
    services.add_comment(user=reviewer, value=value, text="Should we reopen Q1?")
    assert value.comments.count() == 1


# The e-mails


def test_a_secretariat_comment_is_mailed_to_the_member_in_french(reviewer, value, member):
    comment = services.add_comment(user=reviewer, value=value, text="Joignez la liste.")
    reminder = Reminder.objects.get()
    assert reminder.kind == Reminder.Kind.COMMENT
    assert reminder.recipient == member
    assert reminder.email == "awa@example.org"
    assert reminder.language == "fr"
    assert reminder.key == f"comment-{comment.pk}"
    assert reminder.period == value.period
    assert reminder.status == Reminder.Status.PENDING
    assert "2.1-a" in reminder.subject and "T1 2021" in reminder.subject
    assert "Moussa Keita" in reminder.body
    assert "Cas de VBG" in reminder.body and "GBV cases" not in reminder.body
    assert "Joignez la liste." in reminder.body
    url = reverse("value-detail", args=[value.period.plan.slug, value.pk])
    assert f"http://127.0.0.1:8000{url}" in reminder.body


def test_a_member_comment_is_mailed_to_who_reviewed_in_english(reviewer, value, member, settings):
    settings.TRACKER_SITE_URL = "https://suivi.example.ml/"
    services.add_comment(user=reviewer, value=value, text="Which register?")
    Reminder.objects.all().delete()
    services.add_comment(user=member, value=value, text="Le registre de Mopti.")
    reminder = Reminder.objects.get()
    assert reminder.recipient == reviewer and reminder.language == "en"
    assert reminder.subject == "New comment on 2.1-a, Q1 2021"
    assert "GBV cases recorded" in reminder.body
    url = reverse("value-detail", args=[value.period.plan.slug, value.pk])
    assert f"https://suivi.example.ml{url}" in reminder.body


def test_everyone_in_the_thread_but_the_author_is_mailed(reviewer, value, member, institution):
    colleague = UserFactory(
        email="fatou@example.org", role=roles.COMMITTEE_MEMBER, institution=institution
    )
    validator = UserFactory(email="ibrahim@example.org", role=roles.SECRETARIAT)
    IndicatorValue.objects.filter(pk=value.pk).update(validated_by=validator)
    value.refresh_from_db()
    ValueCommentFactory(value=value, author=colleague)
    services.add_comment(user=reviewer, value=value, text="Any news?")
    assert set(Reminder.objects.values_list("email", flat=True)) == {
        "awa@example.org",
        "fatou@example.org",
        "ibrahim@example.org",
    }


def test_who_returned_the_value_is_in_the_thread(reviewer, value, member):
    services.return_for_correction(user=reviewer, record=value, reason="Wrong Q", seen_version=1)
    Reminder.objects.all().delete()
    services.add_comment(user=member, value=value, text="Corrigé.")
    assert list(Reminder.objects.values_list("recipient", flat=True)) == [reviewer.pk]


@pytest.mark.parametrize(
    "change",
    [
        {"wants_comment_emails": False},
        {"email": ""},
        {"is_active": False},
    ],
    ids=["does not want them", "no address", "inactive"],
)
def test_no_email_to_who_does_not_want_one_or_cannot_get_one(reviewer, value, member, change):
    for name, setting in change.items():
        setattr(member, name, setting)
    member.save()
    services.add_comment(user=reviewer, value=value, text="Any news?")
    assert not Reminder.objects.exists()
    assert value.comments.count() == 1


def test_no_email_to_who_may_no_longer_read_the_value(reviewer, value, member):
    member.groups.clear()
    services.add_comment(user=reviewer, value=value, text="Any news?")
    assert not Reminder.objects.exists()


def test_two_accounts_with_one_address_get_one_email(reviewer, value, member, institution):
    twin = UserFactory(email=member.email, role=roles.COMMITTEE_MEMBER, institution=institution)
    ValueCommentFactory(value=value, author=twin)
    services.add_comment(user=reviewer, value=value, text="Any news?")
    assert Reminder.objects.filter(email=member.email).count() == 1


# A return opens the thread


def test_a_return_opens_the_thread_with_its_reason(reviewer, value, member):
    services.return_with_comment(
        user=reviewer, record=value, reason="Attach the Mopti list.", seen_version=1
    )
    value.refresh_from_db()
    assert value.status == IndicatorValue.Status.RETURNED
    assert value.return_reason == "Attach the Mopti list."
    comment = value.comments.get()
    assert comment.author == reviewer
    assert comment.text == "Returned for correction: Attach the Mopti list."
    assert Reminder.objects.get().recipient == member


def test_a_refused_return_leaves_no_comment(reviewer, value):
    before = state()
    with pytest.raises(ValidationError, match="Say why"):
        services.return_with_comment(user=reviewer, record=value, reason=" ", seen_version=1)
    with pytest.raises(ValidationError, match="after you opened"):
        services.return_with_comment(user=reviewer, record=value, reason="Why", seen_version=7)
    assert state() == before


# The page's form


def test_posting_a_comment_from_the_page(client_for, reviewer, value):
    url = reverse("value-comment", args=[value.period.plan.slug, value.pk])
    response = client_for(reviewer).post(url, {"text": "Which register?"})
    page_url = reverse("value-detail", args=[value.period.plan.slug, value.pk])
    assert response.status_code == 302
    assert response["Location"] == f"{page_url}#comments"
    page = client_for(reviewer).get(page_url).content.decode()
    assert "Which register?" in page and "Moussa Keita" in page


def test_a_refused_comment_keeps_what_was_typed(client_for, reviewer, value):
    url = reverse("value-comment", args=[value.period.plan.slug, value.pk])
    text = "x" * (limits.COMMENT + 1)
    response = client_for(reviewer).post(url, {"text": text})
    assert response.status_code == 400
    page = response.content.decode()
    assert "is-invalid" in page and text in page
    assert not ValueComment.objects.exists()
    response = client_for(reviewer).post(url, {"text": "  "})
    assert response.status_code == 400
    assert "Write the comment before posting it." in response.content.decode()


def test_the_thread_is_shown_oldest_first(client_for, reviewer, value, member):
    first = services.add_comment(user=reviewer, value=value, text="First: which register?")
    second = services.add_comment(user=member, value=value, text="Second: the Mopti register.")
    page = client_for(member).get(reverse("value-detail", args=[value.period.plan.slug, value.pk]))
    text = page.content.decode()
    assert text.index(first.text) < text.index(second.text)
