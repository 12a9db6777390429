from django.conf import settings
from django.shortcuts import get_object_or_404, redirect, render

from tracker.models import Plan


def home(request):
    return redirect("plan-detail", slug=settings.DEFAULT_PLAN_SLUG)


def plan_detail(request, slug):
    plan = get_object_or_404(Plan.objects.select_related("lead_institution"), slug=slug)
    return render(
        request, "tracker/plan_detail.html", {"plan": plan, "axes": plan.framework_tree()}
    )
