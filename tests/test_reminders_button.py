"""The "remind" button of the completeness page (services.remind_institution) and the read-only
admin of the outbox."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms.models import model_to_dict
from django.urls import reverse
from django.utils import timezone

from tracker import roles, services
from tracker.models import Reminder, ReportingPeriod, User

from .factories import PlanFactory, period_of
from .reminders_world import build_world, outbox_row, person

pytestmark = pytest.mark.django_db

Kind = Reminder.Kind


@pytest.fixture
def world(settings):
    settings.TRACKER_SITE_URL = "https://suivi.example.ml"
    return build_world()


@pytest.fixture
def fatou(world):
    return world.people["fatou"]


def remind(client, world, *, period=None, institution=None):
    """Post the button of `institution` (MPFEF) in `period` (Q3 2021); follow to the page."""
    return client.post(
        reverse("completeness-remind", args=[world.plan.slug]),
        {
            "period": (period or world.period).pk,
            "institution": (institution or world.mpfef).pk,
        },
        follow=True,
    )


def page_messages(response):
    return [str(message) for message in response.context["messages"]]


def outbox_state():
    return [model_to_dict(row) for row in Reminder.objects.order_by("pk")]


def test_the_secretariat_reminds_an_institutions_members(
    client_for, world, fatou, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = remind(client_for(fatou), world)
    assert response.redirect_chain == [(reverse("completeness", args=["nap"]), 302)]
    assert page_messages(response) == [
        "2 people at MPFEF reminded by e-mail for Q3 2021: John, Awa Traoré."
    ]
    assert sorted(m.to[0] for m in mail.outbox) == ["awa@example.ml", "john@example.ml"]
    [john] = [m for m in mail.outbox if m.to == ["john@example.ml"]]
    assert john.subject == "The secretariat reminds you: 1 indicator to submit for Q3 2021"
    assert "The secretariat of the monitoring committee asks you" in john.body
    assert "https://suivi.example.ml/plans/nap/periods/2021-Q3/" in john.body
    [awa] = [m for m in mail.outbox if m.to == ["awa@example.ml"]]
    assert "T3 2021" in awa.subject
    today = timezone.localdate().isoformat()
    rows = Reminder.objects.filter(kind=Kind.BY_HAND)
    assert {(r.key, r.status) for r in rows} == {(f"p{world.period.pk}:2021-Q3@{today}", "sent")}


def test_once_a_day(client_for, world, fatou, monkeypatch, django_capture_on_commit_callbacks):
    client = client_for(fatou)
    with django_capture_on_commit_callbacks(execute=True):
        remind(client, world)
        response = remind(client, world)
    assert page_messages(response) == [
        "Already reminded today for Q3 2021, not again: John, Awa Traoré."
    ]
    assert len(mail.outbox) == 2
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda: tomorrow)
    with django_capture_on_commit_callbacks(execute=True):
        remind(client, world)
    assert len(mail.outbox) == 4


def test_a_new_member_is_reminded_the_same_day_the_others_are_not(
    client_for, world, fatou, django_capture_on_commit_callbacks
):
    client = client_for(fatou)
    with django_capture_on_commit_callbacks(execute=True):
        remind(client, world)
        person("kadi", first_name="Kadi", institution=world.mpfef)
        response = remind(client, world)
    assert page_messages(response) == [
        "1 person at MPFEF reminded by e-mail for Q3 2021: Kadi.",
        "Already reminded today for Q3 2021, not again: John, Awa Traoré.",
    ]
    assert [m.to for m in mail.outbox][-1] == ["kadi@example.ml"]


@pytest.mark.parametrize(
    "who", ["awa", "staff", roles.FRAMEWORK_ADMINISTRATOR, "no_role", "anonymous"]
)
def test_only_the_secretariat_reminds(client, client_for, world, who):
    if who == roles.FRAMEWORK_ADMINISTRATOR:
        user = person("framework_admin", role=who, is_staff=True)
    else:
        user = world.people.get(who) or AnonymousUser()
    client = client_for(user) if user.is_authenticated else client
    response = client.post(
        reverse("completeness-remind", args=["nap"]),
        {"period": world.period.pk, "institution": world.mpfef.pk},
    )
    assert response.status_code == (403 if user.is_authenticated else 302)
    assert Reminder.objects.count() == 0 and mail.outbox == []
    with pytest.raises(PermissionDenied):
        services.remind_institution(user=user, period=world.period, institution=world.mpfef)


def test_a_closed_period_is_refused(client_for, world, fatou):
    ReportingPeriod.objects.filter(pk=world.period.pk).update(
        status=ReportingPeriod.Status.CLOSED, closed_at=timezone.now()
    )
    response = remind(client_for(fatou), world)
    assert page_messages(response) == [
        "Nobody was reminded: Period Q3 2021 is closed; ask the secretariat to reopen it."
    ]
    assert outbox_state() == [] and mail.outbox == []


def test_an_institution_that_has_reported_everything_is_refused(client_for, world, fatou):
    response = remind(client_for(fatou), world, institution=world.mspc)
    assert page_messages(response) == [
        "Nobody was reminded: MSPC has submitted all its indicators for Q3 2021."
    ]
    assert outbox_state() == []


def test_an_institution_with_nobody_to_write_to_is_refused(world, fatou):
    User.objects.filter(institution=world.mpfef).update(email="")
    with pytest.raises(ValidationError, match="no active member has an e-mail address"):
        services.remind_institution(user=fatou, period=world.period, institution=world.mpfef)
    assert outbox_state() == []


@pytest.mark.parametrize(
    "data",
    [
        {"period": "x", "institution": "1"},
        {"institution": "1"},
        {"period": "999999", "institution": "1"},
        {"period": "PERIOD", "institution": "999999"},
        {"period": "OTHER PLAN", "institution": "INSTITUTION"},
    ],
)
def test_a_forged_button_is_not_found(client_for, world, fatou, data):
    other = period_of(PlanFactory(slug="other"), 2021, 3)
    ids = {
        "PERIOD": world.period.pk,
        "OTHER PLAN": other.pk,
        "INSTITUTION": world.mpfef.pk,
    }
    data = {key: str(ids.get(value, value)) for key, value in data.items()}
    response = client_for(fatou).post(reverse("completeness-remind", args=["nap"]), data)
    assert response.status_code == 404
    assert outbox_state() == []


def test_a_mail_server_down_keeps_the_reminders_for_the_next_run(
    settings, client_for, world, fatou, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    with django_capture_on_commit_callbacks(execute=True):
        response = remind(client_for(fatou), world)
    assert response.status_code == 200
    pending = Reminder.objects.pending()
    assert pending.count() == 2 and {r.attempts for r in pending} == {1}


def test_the_button_is_on_the_not_reported_rows_for_the_secretariat_only(
    client_for, world, fatou, reporting_staff
):
    action = reverse("completeness-remind", args=["nap"])
    page = client_for(fatou).get(reverse("completeness", args=["nap"])).content.decode()
    # MPFEF is behind in Q3 2021; MSPC has reported and gets no button.
    assert page.count(f'action="{action}"') == 1
    assert f'name="institution" value="{world.mpfef.pk}"' in page
    assert "Remind the members of MPFEF by e-mail for Q3 2021" in page
    page = client_for(reporting_staff).get(reverse("completeness", args=["nap"])).content
    assert action not in page.decode()


# The outbox in the admin


@pytest.fixture
def outbox(world):
    failing = outbox_row(
        Kind.OVERDUE,
        "john@example.ml",
        "p1:2021-Q3",
        "Q3 2021: 1 indicator not submitted",
        attempts=5,
        last_error="SMTPRecipientsRefused: 550 Mailbox unknown",
    )
    sent = outbox_row(
        Kind.DIGEST,
        "fatou@example.ml",
        "2021-W43",
        "2 valeurs à valider",
        status=Reminder.Status.SENT,
        sent_at=timezone.now(),
    )
    return failing, sent


def test_the_secretariat_reads_the_outbox_in_the_admin(client_for, world, fatou, outbox):
    failing, sent = outbox
    User.objects.filter(pk=fatou.pk).update(is_staff=True)
    client = client_for(fatou)
    listing = client.get(reverse("admin:tracker_reminder_changelist"))
    assert listing.status_code == 200
    assert "john@example.ml" in listing.content.decode()
    failed = client.get(reverse("admin:tracker_reminder_changelist") + "?delivery=failing")
    assert list(failed.context["cl"].result_list) == [failing]
    page = client.get(reverse("admin:tracker_reminder_change", args=[failing.pk]))
    assert page.status_code == 200 and "550 Mailbox unknown" in page.content.decode()
    # Read-only: no adding, changing or deleting, whatever is posted.
    assert client.get(reverse("admin:tracker_reminder_add")).status_code == 403
    before = outbox_state()
    client.post(reverse("admin:tracker_reminder_change", args=[failing.pk]), {"email": "x@y.z"})
    client.post(reverse("admin:tracker_reminder_delete", args=[sent.pk]), {"post": "yes"})
    assert outbox_state() == before


def test_the_framework_administrators_do_not_read_the_outbox(client_for, framework_admin, outbox):
    assert framework_admin.is_staff
    response = client_for(framework_admin).get(reverse("admin:tracker_reminder_changelist"))
    assert response.status_code == 403


def test_a_superuser_reads_the_outbox(client_for, superuser, outbox):
    response = client_for(superuser).get(reverse("admin:tracker_reminder_changelist"))
    assert response.status_code == 200
