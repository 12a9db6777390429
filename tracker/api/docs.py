"""The API's documentation page: Swagger UI from drf-spectacular-sidecar's static files (never
a CDN), started by tracker/static/tracker/api_docs.js, so that the Content-Security-Policy
needs no exception."""

from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render


@login_not_required
def api_docs(request):
    return render(request, "tracker/api_docs.html")
