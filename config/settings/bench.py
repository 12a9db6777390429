"""Benchmark runs (bench/run.py): production-like (DEBUG off, no template instrumentation),
one database per size and engine so that generated data is reused between runs.

BENCH_SIZE (S or L) and BENCH_DB (sqlite or postgres) choose the database: the SQLite file
bench/data/bench-<size>.sqlite3, or the PostgreSQL database nap1325_bench_<size> on the server
of BENCH_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/postgres)."""

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import BASE_DIR
from .env import env_str

BENCH_SIZE = env_str("BENCH_SIZE", "S").upper()
BENCH_DB = env_str("BENCH_DB", "sqlite").lower()
if BENCH_SIZE not in ("S", "L"):
    raise ImproperlyConfigured("BENCH_SIZE must be S or L.")
if BENCH_DB == "sqlite":
    BENCH_DATA_DIR = BASE_DIR / "bench" / "data"
    BENCH_DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": dj_database_url.parse(
            f"sqlite:///{BENCH_DATA_DIR / f'bench-{BENCH_SIZE.lower()}.sqlite3'}",
            conn_max_age=60,
        )
    }
elif BENCH_DB == "postgres":
    server = dj_database_url.parse(
        env_str("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres"),
        conn_max_age=60,
    )
    # The revision's own PostgreSQL options (config/settings/base.py; an older one has none).
    options = globals().get("POSTGRES_OPTIONS", {})
    DATABASES = {
        "default": {
            **server,
            "NAME": f"nap1325_bench_{BENCH_SIZE.lower()}",
            "OPTIONS": {**options, **server.get("OPTIONS", {})},
        }
    }
else:
    raise ImproperlyConfigured("BENCH_DB must be sqlite or postgres.")

DEBUG = False
# The test client, and gunicorn on the loopback for wrk and Chromium.
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LANGUAGE_CODE = "en"
# One folder per database, shared by every process of a run (the head's and the base's workers
# and servers), since a published report's files are kept there with its version.
MEDIA_ROOT = Path(
    env_str("BENCH_MEDIA_ROOT", str(BASE_DIR / "bench" / "data" / f"media-{BENCH_SIZE}-{BENCH_DB}"))
)
BENCH_STATIC_ROOT = env_str("BENCH_STATIC_ROOT", "")
if BENCH_STATIC_ROOT:
    # Served by gunicorn as in production: collected, hashed and compressed (gzip and Brotli).
    STATIC_ROOT = Path(BENCH_STATIC_ROOT)
    STORAGES = {
        **STORAGES,  # noqa: F405
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
else:
    # Static files from the apps' folders, as in the tests: no collectstatic before a run.
    WHITENOISE_AUTOREFRESH = True
    WHITENOISE_USE_FINDERS = True
LOGGING = {
    **LOGGING,  # noqa: F405
    "root": {"handlers": ["console"], "level": "WARNING"},
    # The benchmark checks every status itself; refused test requests need no log line.
    "loggers": {**LOGGING["loggers"], "django.request": {"level": "ERROR"}},  # noqa: F405
}
