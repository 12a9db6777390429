"""Gunicorn's settings for the production server (`make serve`, README "Production server").

Every value can be changed by an environment variable; one that does not parse stops the server
before it starts, naming the variable, rather than falling back to a default nobody chose.
"""

import os

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def _refuse(name, raw, expected):
    raise SystemExit(f"{name}={raw!r} is not {expected}.")


def _int(name, default, *, minimum=0):
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        _refuse(name, raw, "a whole number")
    if value < minimum:
        _refuse(name, raw, f"a whole number of at least {minimum}")
    return value


def _bool(name, default):
    raw = os.environ.get(name, "").strip().lower()
    if not raw:
        return default
    if raw in _TRUE:
        return True
    if raw in _FALSE:
        return False
    _refuse(name, raw, "a boolean; use true or false")


def _bind(name, default):
    raw = os.environ.get(name, "").strip()
    if not raw:
        return [default]
    addresses = [item.strip() for item in raw.split(",") if item.strip()]
    for address in addresses:
        if address.startswith(("unix:", "fd://")):
            continue
        host, colon, port = address.rpartition(":")
        if not colon or not host or not port.isdigit() or not 0 < int(port) < 65536:
            _refuse(name, raw, "host:port, unix:/path, or a comma-separated list of them")
    return addresses


def _default_workers():
    # Gunicorn's rule of thumb, capped: each worker holds its own copy of WeasyPrint's fonts
    # and a database connection, and more than eight rarely helps a site this size.
    return min(2 * (os.cpu_count() or 1) + 1, 8)


wsgi_app = "config.wsgi:application"
bind = _bind("GUNICORN_BIND", "127.0.0.1:8000")
workers = _int("GUNICORN_WORKERS", _default_workers(), minimum=1)

# A guard, not a cure: a worker is replaced after this many requests (the jitter keeps them
# from all restarting at once), so that memory held by a C library cannot grow without end.
max_requests = _int("GUNICORN_MAX_REQUESTS", 1000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 100)

# An annual report PDF takes about three seconds; ten times that before a stuck worker is
# killed, and as long for the requests under way to finish at a restart.
timeout = _int("GUNICORN_TIMEOUT", 30, minimum=1)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30, minimum=1)
keepalive = _int("GUNICORN_KEEPALIVE", 5)

# The application is imported once, before the workers are forked, so they share its code
# pages instead of each importing Django, WeasyPrint and the translations on its own.
preload_app = _bool("GUNICORN_PRELOAD", True)

accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "").strip().lower() or "info"
if loglevel not in {"debug", "info", "warning", "error", "critical"}:
    _refuse("GUNICORN_LOG_LEVEL", loglevel, "debug, info, warning, error or critical")
