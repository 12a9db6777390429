"""Decide the reminders due today, then send every pending e-mail (tracker/reminders/).

Meant for cron or a systemd timer, once a day (README.md); safe to run again: nothing is
decided twice (the outbox's unique kind, address and key), only pending e-mails are sent, and
one that fails stays pending for the next run. Exits with an error while some e-mail could not
be sent, so that cron or systemd reports it."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from tracker import reminders
from tracker.models import Reminder


def day(raw):
    try:
        return datetime.date.fromisoformat(raw)
    except ValueError:
        raise CommandError(f"--today {raw!r}: write the day as YYYY-MM-DD.") from None


class Command(BaseCommand):
    help = "Decide today's reminders and digests, then send every pending e-mail."

    def add_arguments(self, parser):
        parser.add_argument(
            "--today",
            type=day,
            help="Decide as on this day (YYYY-MM-DD), to catch up or to test; default: today.",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="List what would be decided and sent; write and send nothing.",
        )

    def handle(self, *args, today=None, dry_run=False, **options):
        today = today or timezone.localdate()
        decided = reminders.decide(today, write=not dry_run)
        for reminder in decided:
            self.stdout.write(f"{reminder.kind:<10} {reminder.email:<40} {reminder.subject}")
        waiting = Reminder.objects.pending().count()
        if dry_run:
            self.stdout.write(
                f"Dry run for {today}: {len(decided)} reminder(s) would be decided; "
                f"{waiting} already waiting would be sent. Nothing was written or sent."
            )
            return
        sent, failed = reminders.send_pending()
        self.stdout.write(f"{today}: {len(decided)} reminder(s) decided, {sent} sent.")
        if failed:
            raise CommandError(
                f"{failed} e-mail(s) could not be sent; they stay pending and the next run "
                "tries again (the errors are in the log and in the admin's e-mail reminders)."
            )
