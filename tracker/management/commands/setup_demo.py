"""Everything `make run` needs before the server starts: database, Mali's data, demo accounts.

Safe to run again: fixtures are loaded by primary key and accounts are updated in place."""

from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from tracker import roles, services
from tracker.models import Institution, Plan, User

FIXTURES = ["mali_nap_2019_2023", "mali_reported_values"]
DEMO_PASSWORD = "demo-nap-1325"

# (user name, role, institution acronym, is_staff, is_superuser, description)
DEMO_ACCOUNTS = [
    ("admin", None, None, True, True, "superuser"),
    ("framework", roles.FRAMEWORK_ADMINISTRATOR, None, True, False, "framework administrator"),
    ("secretariat", roles.SECRETARIAT, None, True, False, "secretariat"),
    ("member", roles.COMMITTEE_MEMBER, "MPFEF", False, False, "committee member, MPFEF"),
    ("member2", roles.COMMITTEE_MEMBER, "MSPC", False, False, "committee member, MSPC"),
    ("staff", roles.REPORTING_STAFF, None, False, False, "reporting staff"),
]


class Command(BaseCommand):
    help = "Migrate, load Mali's plan and reported values, and create the demo accounts."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                "setup_demo creates accounts with a published password; it only runs with "
                "DEBUG on (the development settings)."
            )
        call_command("migrate", verbosity=0, interactive=False)
        with transaction.atomic():
            call_command("loaddata", *FIXTURES, verbosity=0)
            # The fixtures hold every period; this adds any a plan's years call for and lack.
            for plan in Plan.objects.all():
                services.generate_periods(plan=plan)
            created = record_initial_history()
            accounts = [self.ensure_account(*account) for account in DEMO_ACCOUNTS]
        self.stdout.write(
            f"Database ready: {', '.join(FIXTURES)} loaded; {created} history entries added."
        )
        self.stdout.write(f"Demo accounts (password: {DEMO_PASSWORD}):")
        for username, description in accounts:
            self.stdout.write(f"  {username:<12} {description}")

    def ensure_account(self, username, role, acronym, is_staff, is_superuser, description):
        user, _created = User.objects.get_or_create(username=username)
        user.institution = Institution.objects.get(acronym=acronym) if acronym else None
        user.is_staff = is_staff
        user.is_superuser = is_superuser
        user.set_password(DEMO_PASSWORD)
        user.save()
        user.groups.set([Group.objects.get(name=role)] if role else [])
        return username, description


def record_initial_history():
    """loaddata writes rows without history; give each such row its first history entry so
    that every figure's timeline starts at its import."""
    created = 0
    for model in apps.get_app_config("tracker").get_models():
        manager_name = getattr(model._meta, "simple_history_manager_attribute", None)
        if manager_name is None:
            continue
        history = getattr(model, manager_name)
        known = history.values_list(model._meta.pk.attname, flat=True)
        missing = list(model._default_manager.exclude(pk__in=known))
        if missing:
            history.bulk_history_create(missing, default_change_reason="Loaded from fixture")
            created += len(missing)
    return created
