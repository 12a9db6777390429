"""/api/…: the plans and what hangs under each (/api/plans/<slug>/…), the OpenAPI schema
(/api/schema/) and its documentation page (/api/docs/, Swagger UI from the project's own
static files)."""

from django.urls import path
from drf_spectacular.views import SpectacularJSONAPIView
from rest_framework.routers import SimpleRouter

from .docs import api_docs
from .views import framework, reports, values

PLAN = r"plans/(?P<plan_slug>[-a-zA-Z0-9_]+)"


router = SimpleRouter()
router.register("plans", framework.PlanViewSet, basename="api-plan")
router.register(f"{PLAN}/axes", framework.AxisViewSet, basename="api-axis")
router.register(f"{PLAN}/results", framework.ResultViewSet, basename="api-result")
router.register(f"{PLAN}/opportunities", framework.OpportunityViewSet, basename="api-opportunity")
router.register(f"{PLAN}/indicators", framework.IndicatorViewSet, basename="api-indicator")
router.register(f"{PLAN}/periods", framework.PeriodViewSet, basename="api-period")
router.register(f"{PLAN}/values", values.ValueViewSet, basename="api-value")

PLAN_PATH = "plans/<slug:plan_slug>/"
urlpatterns = [
    *router.urls,
    path(f"{PLAN_PATH}completeness/", reports.CompletenessView.as_view(), name="api-completeness"),
    path(f"{PLAN_PATH}exports/dhis2/", reports.Dhis2View.as_view(), name="api-export-dhis2"),
    path(f"{PLAN_PATH}exports/adx/", reports.AdxView.as_view(), name="api-export-adx"),
    path(f"{PLAN_PATH}exports/iati/", reports.IatiView.as_view(), name="api-export-iati"),
    path("schema/", SpectacularJSONAPIView.as_view(), name="api-schema"),
    path("docs/", api_docs, name="api-docs"),
]
