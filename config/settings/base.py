"""Settings shared by every environment. Values that differ between machines come from the
environment (see config/settings/env.py); dev, test and production refine this module."""

import re
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from .env import env_bool, env_int, env_list, env_str
from .mail import DEVELOPMENT_SENDER, email_from_env, site_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent

SECRET_KEY = env_str("SECRET_KEY", "dev-only-insecure-key-never-use-in-production")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])

INSTALLED_APPS = [
    # Before the admin, so that its admin classes and static files take precedence.
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "django_tables2",
    "simple_history",
    # The framework from a spreadsheet in the admin, with a preview (tracker/admin/imports.py).
    "import_export",
    # Sign-in throttling (AXES_* below) and the Content-Security-Policy header (its checks).
    "axes",
    "csp",
    # The REST API (tracker/api/), its OpenAPI schema and the Swagger UI files it serves.
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "tracker",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Static files leave here, already compressed by collectstatic in production; everything
    # below is HTML or an export, compressed on the way out. Django pads each gzip stream with
    # random bytes (BREACH) and masks the CSRF token on every page.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.gzip.GZipMiddleware",
    # Every page, the lock-out page and error pages included, carries the policy below.
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Everything but the login page requires sign-in (DESIGN.md §1).
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes requires: turns a locked-out sign-in into the lock-out page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                # The inbox's count on the navigation bar.
                "tracker.context_processors.inbox",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"


# PostgreSQL prices reading a row through an index at four sequential pages, a figure from
# spinning disks; 1.1 is the usual setting on an SSD (any current server). With the default it
# scanned every plan's results and opportunities to join one plan's sixty indicators, so the
# dashboard slowed as plans were added.
POSTGRES_OPTIONS = {"options": "-c random_page_cost=1.1"}


def _database_from_env():
    url = env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
    try:
        config = dj_database_url.parse(url, conn_max_age=60)
    except ValueError as error:
        raise ImproperlyConfigured(f"DATABASE_URL is not a usable database URL: {error}") from None
    if config["ENGINE"] not in (
        "django.db.backends.sqlite3",
        "django.db.backends.postgresql",
    ):
        raise ImproperlyConfigured("DATABASE_URL must point at SQLite or PostgreSQL.")
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # SQLite lets one writer at a time; publishing a report writes while its six files are
        # made (several seconds), so another save waits that long rather than failing.
        config.setdefault("OPTIONS", {}).setdefault("timeout", 30)
    else:
        config["OPTIONS"] = {**POSTGRES_OPTIONS, **config.get("OPTIONS", {})}
    return config


DATABASES = {"default": _database_from_env()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "tracker.User"
# django-axes' backend first: it refuses a locked-out sign-in before the password is checked.
# It needs the request, which Django's login views pass to authenticate(). Then Django's
# ModelBackend, reading an account's permissions in one query instead of two (every page asks).
# A session names the backend that signed it in: renaming one signs everybody out once.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "tracker.auth_backends.AccountBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Sign-in throttling (django-axes, database handler): after AXES_FAILURE_LIMIT failed sign-ins
# in a row for one user name from one address, that pair is refused for AXES_COOLOFF_TIME after
# the last attempt (an attempt during the lock-out starts the wait again), with the page
# templates/registration/locked_out.html and HTTP 429. Another user, or the same user from
# another address, is not affected. A successful sign-in clears the failures. To unlock sooner:
# in the admin, Axes › Access attempts (filter "Locked out"), tick the user's rows, action
# "Delete selected access attempts" (needs axes' view and delete permissions on access attempts,
# which superusers have); or `manage.py axes_reset_username <user name>`.
# The address is REMOTE_ADDR: behind a reverse proxy every client shares the proxy's, and the
# lock-out is then in effect per user name.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=30)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"

# French first: Mali's official language; English for donors and the UN (DESIGN.md §6).
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Framework content (plan, axes, results, indicators...) is stored in both languages
# (django-modeltranslation, tracker/translation.py); each falls back to the other when empty.
MODELTRANSLATION_DEFAULT_LANGUAGE = "fr"
MODELTRANSLATION_LANGUAGES = ("fr", "en")
MODELTRANSLATION_FALLBACK_LANGUAGES = {"default": ("fr", "en"), "fr": ("en",), "en": ("fr",)}
TIME_ZONE = "Africa/Bamako"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}


def _cache_from_env():
    """CACHE_URL: unset, each server process keeps its own cache in memory; redis://host:6379/0
    (rediss:// over TLS), one Redis shared by every process. It holds the API's request counts
    and the annual report's draft files and page bodies (tracker/reports/documents.py)."""
    url = env_str("CACHE_URL", "")
    if not url:
        # A draft file or a report page's body is tens of KB (the Mali PDF about 45 KB, a body
        # of a hundred indicators about 120 KB): 300 entries stay under 40 MB.
        return {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "nap1325",
            "OPTIONS": {"MAX_ENTRIES": 300},
        }
    if url.split("://", 1)[0] in ("redis", "rediss"):
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    raise ImproperlyConfigured(
        "CACHE_URL must be a redis:// or rediss:// URL, or unset for each process's own memory."
    )


CACHES = {"default": _cache_from_env()}

# Widgets written in Python, with Django's markup (tracker/forms/renderers.py).
FORM_RENDERER = "tracker.forms.renderers.FormRenderer"
DJANGO_TABLES2_TEMPLATE = "django_tables2/bootstrap5.html"

# Reasons for a return, a correction or a reopening are kept in the history; they may be longer
# than simple-history's default 100 characters (up to tracker.models.limits.REASON).
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

# Progress maths (DESIGN.md §3): "on track" within this share of the pro-rata target.
PROGRESS_BAND = env_str("PROGRESS_BAND", "0.15")

# Evidence files attached to reported values (PDF, images, office documents).
EVIDENCE_MAX_BYTES = env_int("EVIDENCE_MAX_BYTES", 10 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# Quarterly templates uploaded filled in (tracker/spreadsheets): what a workbook may be before it
# is opened. A template of 60 indicators with sex × region breakdowns is about 40 KB packed,
# under 1 MB unpacked and 1,300 rows; these leave room and refuse zip bombs and huge files.
SPREADSHEET_MAX_BYTES = env_int("SPREADSHEET_MAX_BYTES", 5 * 1024 * 1024)
SPREADSHEET_MAX_UNPACKED_BYTES = env_int("SPREADSHEET_MAX_UNPACKED_BYTES", 40 * 1024 * 1024)
# Unpacked ÷ packed size of any one part of the file; real sheets stay well under it.
SPREADSHEET_MAX_RATIO = env_int("SPREADSHEET_MAX_RATIO", 200)
SPREADSHEET_MAX_ROWS = env_int("SPREADSHEET_MAX_ROWS", 10_000)
SPREADSHEET_MAX_COLUMNS = env_int("SPREADSHEET_MAX_COLUMNS", 200)
SPREADSHEET_MAX_PARTS = env_int("SPREADSHEET_MAX_PARTS", 200)

FIXTURE_DIRS = [BASE_DIR / "fixtures"]

# E-mail (config/settings/mail.py): EMAIL_URL, else Django's EMAIL_* variables; reminders are
# sent by `manage.py send_reminders` (tracker/reminders/).
_email = email_from_env()
globals().update(_email)
DEFAULT_FROM_EMAIL = env_str(
    "DEFAULT_FROM_EMAIL", _email.get("DEFAULT_FROM_EMAIL", DEVELOPMENT_SENDER)
)
SERVER_EMAIL = env_str("SERVER_EMAIL", _email.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL))
# Where the links in e-mails point: the site as people reach it from their mailbox.
TRACKER_SITE_URL = site_url(env_str("TRACKER_SITE_URL", "http://127.0.0.1:8000"))
# A reminder that failed this many times is logged as an error at every run (it is still
# retried, and the admin lists it), so that nobody misses it.
REMINDER_MAX_ATTEMPTS = env_int("REMINDER_MAX_ATTEMPTS", 5)
if REMINDER_MAX_ATTEMPTS < 1:
    raise ImproperlyConfigured("REMINDER_MAX_ATTEMPTS must be 1 or more.")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # WeasyPrint and fontTools narrate every PDF at INFO; only their problems matter.
    "loggers": {
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        # django-axes narrates every sign-in at INFO; failures and lock-outs are warnings.
        "axes": {"level": "WARNING"},
    },
}
CSRF_FAILURE_VIEW = "tracker.views.errors.csrf_failure"

# Content-Security-Policy (django-csp 4): only the site's own scripts, styles, fonts and images
# (plus data: images, which Bootstrap's CSS uses for its icons). No inline script, style
# attribute or event handler runs: page code lives in tracker/static/tracker/*.js, and data for
# it travels in data- attributes or json_script blocks (type application/json, never executed).
# The PDF report's <style> (report_print.html) is read by WeasyPrint, never by a browser.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# The REST API (tracker/api/, README "API"). Tokens first, so that a request without one is
# answered 401 with a WWW-Authenticate header; a signed-in browser (the docs page) uses its
# session. The door (tracker.access) decides every right; DRF's permission classes stay open.
# JSON only: the browsable API would need inline scripts the Content-Security-Policy forbids.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "tracker.api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "tracker.api.pagination.Pages",
    "DEFAULT_THROTTLE_CLASSES": [
        "tracker.api.throttling.TokenRateThrottle",
        "tracker.api.throttling.AnonymousRateThrottle",
    ],
    "DEFAULT_SCHEMA_CLASS": "tracker.api.schema.TrackerAutoSchema",
    "EXCEPTION_HANDLER": "tracker.api.errors.exception_handler",
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "tracker.api.negotiation.JsonAlways",
    "URL_FORMAT_OVERRIDE": None,
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
# Requests per token (or signed-in user) and per address for visitors. Counted in Django's cache:
# the default in-process cache counts per server process, so with several worker processes set
# CACHE_URL to a shared Redis for the limit to hold across them.


def _rate(name, default):
    value = env_str(name, default)
    if not re.fullmatch(r"[1-9][0-9]*/(second|minute|hour|day)", value):
        raise ImproperlyConfigured(
            f"{name} must read like 1000/hour (per second, minute, hour or day)."
        )
    return value


API_THROTTLE_RATES = {
    "token": _rate("API_TOKEN_RATE", "1000/hour"),
    "anonymous": _rate("API_ANONYMOUS_RATE", "200/hour"),
}
SPECTACULAR_SETTINGS = {
    "TITLE": "NAP 1325 Tracker API",
    "DESCRIPTION": (
        "The plans, their results framework, reporting periods and values; the writes of the "
        "quarterly workflow; DHIS2, ADX and IATI exports. Authenticate with a personal token "
        "(Authorization: Bearer nap_…), created on your account page. Figures are decimal "
        "strings without trailing zeros, never floats. Errors are JSON: "
        '{"detail": "...", "code": "..."}, in the language of Accept-Language, else yours.'
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "ValueStatusEnum": "tracker.models.values.IndicatorValue.Status",
        "QualifierEnum": "tracker.progress.Qualifier",
    },
    "SERVE_AUTHENTICATION": [],
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
}
