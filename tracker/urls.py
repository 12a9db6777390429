from django.urls import path

from tracker.views import plans

urlpatterns = [
    path("", plans.home, name="home"),
    path("plans/<slug:slug>/", plans.plan_detail, name="plan-detail"),
]
