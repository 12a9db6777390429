"""Test runs: fast password hashing, files in a throw-away folder."""

import tempfile

from .base import *  # noqa: F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = tempfile.mkdtemp(prefix="nap1325-test-media-")

# Serve static files from the apps' folders, as in development, so that no collectstatic run is
# needed before the tests (the browser tests load the real CSS and JavaScript).
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True

# Behaviour tests read English messages; the language tests switch to French (the default in
# every other setting) explicitly.
LANGUAGE_CODE = "en"

# django-axes stays on (config/settings/base.py): the sign-in tests post the real login form, and
# the browser tests sign in through it. Tests that use client.force_login bypass it, as they
# bypass the password; authenticate() called by hand must be given the request.

# Each test process's own cache, whatever CACHE_URL the shell has: tests never share a Redis.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
