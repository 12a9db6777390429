"""Production: a real secret is required, DEBUG is off, traffic is HTTPS only."""

from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .env import env_bool, env_int, env_str
from .mail import DEVELOPMENT_SENDER, refuse_unsafe_in_production, site_url

SECRET_KEY = env_str("SECRET_KEY", required=True)
if len(SECRET_KEY) < 50 or SECRET_KEY.startswith("dev-only"):
    raise ImproperlyConfigured("SECRET_KEY must be a random string of at least 50 characters.")
DEBUG = env_bool("DEBUG", False)
if DEBUG:
    raise ImproperlyConfigured("DEBUG must be off in production.")

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
CSRF_TRUSTED_ORIGINS = [f"https://{host}" for host in ALLOWED_HOSTS]  # noqa: F405

# E-mail: links to the site's public address (by default the first host name, over HTTPS),
# from an address at that host unless DEFAULT_FROM_EMAIL says otherwise; nothing that would
# lose a reminder or send people to 127.0.0.1 (config/settings/mail.py).
_host = ALLOWED_HOSTS[0] if ALLOWED_HOSTS else ""  # noqa: F405
_site = f"https://{_host}" if _host and not _host.startswith(".") and "*" not in _host else None
TRACKER_SITE_URL = site_url(env_str("TRACKER_SITE_URL", _site, required=_site is None))
if DEFAULT_FROM_EMAIL == DEVELOPMENT_SENDER:  # noqa: F405
    DEFAULT_FROM_EMAIL = f"NAP 1325 Tracker <no-reply@{urlsplit(TRACKER_SITE_URL).hostname}>"
    SERVER_EMAIL = env_str("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
refuse_unsafe_in_production(
    backend=EMAIL_BACKEND,  # noqa: F405
    site=TRACKER_SITE_URL,
    sender=DEFAULT_FROM_EMAIL,
)
