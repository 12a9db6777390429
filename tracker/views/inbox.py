"""The home page: a signed-in user's inbox (tracker/inbox.py), a visitor's list of the public
plans (DESIGN.md §1, §4)."""

from django.shortcuts import render
from django.utils import timezone

from tracker.inbox import inbox_for
from tracker.models import Plan


def inbox_page(request):
    inbox = inbox_for(request.user, timezone.localdate())
    # The navigation bar's count, from what the page has already read.
    request.inbox_count = inbox.badge
    public_plans = [] if inbox.plans else Plan.objects.public_with_published_reports()
    return render(request, "tracker/inbox.html", {"inbox": inbox, "public_plans": public_plans})


def landing_page(request):
    """Only public plans: a private plan is never named to a visitor."""
    return render(
        request,
        "tracker/landing.html",
        {"public_plans": Plan.objects.public_with_published_reports()},
    )
