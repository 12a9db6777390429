from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    # The REST API, its schema and documentation (tracker/api/).
    path("api/", include("tracker.api.urls")),
    path("", include("tracker.urls")),
]
