"""What a browser asks of any site, whoever is signed in."""

from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect
from django.templatetags.static import static
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe


@login_not_required
@require_safe
def favicon(request):
    """Browsers and feed readers ask for /favicon.ico whatever the pages link to: send them to
    the icon's static file rather than answer 404 on every first visit. Not permanent, since
    the file's hashed name changes when the icon does; a day's caching saves the round trip."""
    response = redirect(static("tracker/favicon.svg"))
    patch_cache_control(response, public=True, max_age=86400)
    return response
