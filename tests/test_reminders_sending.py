"""Sending the outbox (tracker/reminders/outbox.py) and the send_reminders command, against a
real SMTP server started in the test (aiosmtpd): each due reminder once, in its recipient's
language, with its link; failures kept, logged and retried, never lost."""

import email
import email.policy
import logging
import socket

import pytest
from aiosmtpd.controller import Controller
from django.core import mail
from django.core.management import CommandError, call_command

from tracker.models import Reminder
from tracker.reminders import send_pending

from .reminders_world import build_world, day, outbox_row

pytestmark = pytest.mark.django_db

Kind = Reminder.Kind
SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Inbox:
    """An aiosmtpd handler that keeps what it receives and refuses the addresses in
    `refused`, as a mail server refuses an unknown mailbox."""

    def __init__(self):
        self.messages = []
        self.sessions = []
        self.refused = set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refused:
            return "550 5.1.1 Mailbox unknown"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append(message)
        self.sessions.append(id(session))
        return "250 Message accepted for delivery"

    def to(self, address):
        return [message for message in self.messages if message["To"] == address]


def use_smtp(settings, port):
    settings.EMAIL_BACKEND = SMTP_BACKEND
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5


@pytest.fixture
def smtp(settings):
    inbox = Inbox()
    inbox.port = port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port, server_hostname="smtp.test")
    controller.start()
    use_smtp(settings, port)
    yield inbox
    controller.stop()


@pytest.fixture
def world(settings):
    settings.TRACKER_SITE_URL = "https://suivi.example.ml"
    settings.DEFAULT_FROM_EMAIL = "Suivi PAN 1325 <suivi@example.ml>"
    return build_world()


def run(today, *args):
    call_command("send_reminders", "--today", today.isoformat(), *args)


def body(message):
    return message.get_content()


def test_twice_the_same_day_sends_each_reminder_once(smtp, world):
    """Issue 14's acceptance: run twice on the same day against the SMTP server."""
    run(day(7))
    run(day(7))
    # Words compared, not spaces: the French ones are no-break spaces, which a folded header
    # may also lead with.
    received = sorted((m["To"], " ".join(m["Subject"].split())) for m in smtp.messages)
    assert received == sorted(
        [
            ("awa@example.ml", "T3 2021 : 1 indicateur non soumis, échéance le 30 octobre 2021"),
            ("john@example.ml", "Q3 2021: 1 indicator not submitted, due on Oct. 30, 2021"),
            ("cabinet@mpfef.example.ml", "MPFEF : 1 indicateur en retard pour T3 2021"),
            ("fatou@example.ml", "2 valeurs attendent une validation (semaine 2021-W44)"),
            ("peter@example.ml", "2 values await validation (week 2021-W44)"),
        ]
    )
    [john] = smtp.to("john@example.ml")
    assert john["From"] == "Suivi PAN 1325 <suivi@example.ml>"
    assert "https://suivi.example.ml/plans/nap/periods/2021-Q3/" in body(john)
    [awa] = smtp.to("awa@example.ml")
    assert "30 octobre 2021" in body(awa) and "Q3 2021" not in body(awa)
    [contact] = smtp.to("cabinet@mpfef.example.ml")
    assert "https://suivi.example.ml/plans/nap/completeness/?year=2021" in body(contact)
    assert not Reminder.objects.pending().exists()
    assert all(r.sent_at and r.attempts == 0 for r in Reminder.objects.all())


def test_day_after_day_each_kind_goes_once(smtp, world):
    for offset in range(-9, 9):
        run(day(offset))
    john = [m["Subject"] for m in smtp.to("john@example.ml")]
    assert john == [
        "Q3 2021: 1 indicator to submit by Oct. 30, 2021",
        "Q3 2021: 1 indicator not submitted, due on Oct. 30, 2021",
    ]
    assert len(smtp.to("cabinet@mpfef.example.ml")) == 1
    # A digest a week: from Thursday 21 October to Sunday 7 November, weeks 42 to 44.
    assert [m["Subject"][-9:-1] for m in smtp.to("peter@example.ml")] == [
        "2021-W42",
        "2021-W43",
        "2021-W44",
    ]
    assert smtp.to("opted_out@example.ml") == smtp.to("moussa@example.ml") == []
    assert smtp.to("gone@example.ml") == smtp.to("no_role@example.ml") == []


def test_one_connection_for_the_batch(smtp, world):
    run(day(7))
    assert len(smtp.messages) == 5 and len(set(smtp.sessions)) == 1


def test_a_server_that_does_not_answer_keeps_every_reminder_for_the_next_run(
    settings, smtp, world, caplog
):
    use_smtp(settings, free_port())  # nobody listens there
    with pytest.raises(CommandError, match="5 e-mail"):
        run(day(7))
    pending = Reminder.objects.pending()
    assert pending.count() == 5 and smtp.messages == []
    assert {r.attempts for r in pending} == {1}
    assert all("ConnectionRefusedError" in r.last_error for r in pending)
    warnings = [r for r in caplog.records if r.name == "tracker.reminders"]
    assert len(warnings) == 5 and {r.levelno for r in warnings} == {logging.WARNING}
    assert "kept for the next run" in warnings[0].getMessage()

    use_smtp(settings, smtp.port)
    run(day(8))  # the next day: the same reminders go, nothing new is decided for them
    assert len(smtp.messages) == 5
    assert not Reminder.objects.pending().exists()
    assert {r.last_error for r in Reminder.objects.all()} == {""}


def test_a_refused_address_stays_pending_and_the_others_go(smtp, world, caplog):
    smtp.refused.add("john@example.ml")
    with pytest.raises(CommandError, match="1 e-mail"):
        run(day(7))
    [john] = Reminder.objects.pending()
    assert john.email == "john@example.ml" and john.attempts == 1
    assert "SMTPRecipientsRefused" in john.last_error and "Mailbox unknown" in john.last_error
    assert len(smtp.messages) == 4
    smtp.refused.clear()
    run(day(7))
    assert len(smtp.to("john@example.ml")) == 1 and len(smtp.messages) == 5


def test_after_too_many_attempts_every_run_logs_an_error(settings, smtp, world, caplog):
    settings.REMINDER_MAX_ATTEMPTS = 2
    smtp.refused.add("john@example.ml")
    levels = []
    for _run in range(3):
        caplog.clear()
        with pytest.raises(CommandError):
            run(day(7))
        levels.append([r.levelno for r in caplog.records if r.name == "tracker.reminders"])
    assert levels == [[logging.WARNING], [logging.ERROR], [logging.ERROR]]
    assert Reminder.objects.get(email="john@example.ml").attempts == 3


def test_every_pending_kind_is_sent_comments_included(smtp, db):
    # Written by the comments' code, sent here like every other kind.
    outbox_row(Kind.COMMENT, "awa@example.ml", "comment-12", "Nouveau commentaire")
    assert send_pending() == (1, 0)
    assert [m["Subject"] for m in smtp.messages] == ["Nouveau commentaire"]
    assert send_pending() == (0, 0)


def test_a_dry_run_lists_and_writes_and_sends_nothing(smtp, world, capsys):
    run(day(7), "--dry-run")
    out = capsys.readouterr().out
    assert "overdue" in out and "john@example.ml" in out and "Dry run" in out
    assert Reminder.objects.count() == 0 and smtp.messages == []


def test_a_day_that_does_not_parse_is_refused(db):
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("send_reminders", "--today", "30/10/2021")
    assert Reminder.objects.count() == 0


def test_the_in_memory_backend_receives_the_same(world):
    # The test settings' default backend: django.core.mail.outbox.
    run(day(-7))
    assert sorted(m.to[0] for m in mail.outbox) == [
        "awa@example.ml",
        "fatou@example.ml",
        "john@example.ml",
        "peter@example.ml",
    ]
    [john] = [m for m in mail.outbox if m.to == ["john@example.ml"]]
    assert john.subject == "Q3 2021: 1 indicator to submit by Oct. 30, 2021"
    assert "Reports are due on Oct. 30, 2021, in 7 days." in john.body
