"""E-mail settings read from the environment: how the tracker's reminders leave (tracker/reminders/)
and where their links point.

EMAIL_URL, when set, says it all in one line (parsed by dj-email-url):
`smtp://user:password@mail.example.org:587/?tls=True`, `submission://...` (TLS on 587),
`console:` (printed), `locmem:` or `memory:` (kept in memory), `file:///var/mail/tracker`,
`dummy:`. Without it, Django's usual variables are read: EMAIL_BACKEND, EMAIL_HOST, EMAIL_PORT,
EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, EMAIL_USE_TLS, EMAIL_USE_SSL, EMAIL_TIMEOUT. A value that
does not parse stops start-up with a message naming the variable, like every other setting."""

import urllib.parse

import dj_email_url
from django.core.exceptions import ImproperlyConfigured

from .env import env_bool, env_int, env_str

SMTP = "django.core.mail.backends.smtp.EmailBackend"
CONSOLE = "django.core.mail.backends.console.EmailBackend"
LOCMEM = "django.core.mail.backends.locmem.EmailBackend"
BACKENDS = {**dj_email_url.SCHEMES, "locmem": LOCMEM}
# Backends that deliver nothing to anybody: a reminder "sent" through them is lost, so
# production refuses them.
NOT_DELIVERING = {
    CONSOLE,
    LOCMEM,
    dj_email_url.SCHEMES["file"],
    dj_email_url.SCHEMES["dummy"],
}
# The sender outside production, which production replaces with an address at its own host.
DEVELOPMENT_SENDER = "NAP 1325 Tracker <no-reply@localhost>"
# A mail server that does not answer must not hold a reminder run (and its row locks) forever.
DEFAULT_TIMEOUT = 30


def email_configured():
    """Whether the environment says anything about e-mail (dev prints e-mails otherwise)."""
    return any(env_str(name) for name in ("EMAIL_URL", "EMAIL_BACKEND", "EMAIL_HOST"))


def email_from_env():
    """The EMAIL_* settings, from EMAIL_URL if set, else from Django's usual variables."""
    url = env_str("EMAIL_URL")
    config = parse_email_url(url) if url is not None else _from_variables()
    if config["EMAIL_USE_TLS"] and config["EMAIL_USE_SSL"]:
        raise ImproperlyConfigured(
            "E-mail: use TLS (STARTTLS, usually port 587) or SSL (usually port 465), not both."
        )
    return config


def _from_variables():
    return {
        "EMAIL_BACKEND": env_str("EMAIL_BACKEND", SMTP),
        "EMAIL_HOST": env_str("EMAIL_HOST", "localhost"),
        "EMAIL_PORT": env_int("EMAIL_PORT", 25),
        "EMAIL_HOST_USER": env_str("EMAIL_HOST_USER", ""),
        "EMAIL_HOST_PASSWORD": env_str("EMAIL_HOST_PASSWORD", ""),
        "EMAIL_USE_TLS": env_bool("EMAIL_USE_TLS", False),
        "EMAIL_USE_SSL": env_bool("EMAIL_USE_SSL", False),
        "EMAIL_TIMEOUT": env_int("EMAIL_TIMEOUT", DEFAULT_TIMEOUT),
    }


def parse_email_url(url):
    scheme = urllib.parse.urlsplit(url).scheme
    if scheme not in BACKENDS:
        raise ImproperlyConfigured(
            f"EMAIL_URL={_without_password(url)!r} is not an e-mail URL; it starts with one of "
            f"{', '.join(sorted(BACKENDS))} (smtp://user:password@host:587/?tls=True)."
        )
    try:
        config = dj_email_url.parse(url)
    except ValueError as error:
        raise ImproperlyConfigured(
            f"EMAIL_URL={_without_password(url)!r} is not a usable e-mail URL: {error}"
        ) from None
    config["EMAIL_BACKEND"] = BACKENDS[scheme]
    # dj-email-url says None where the URL is silent; Django's defaults stand there.
    config["EMAIL_HOST_USER"] = config["EMAIL_HOST_USER"] or ""
    config["EMAIL_HOST_PASSWORD"] = config["EMAIL_HOST_PASSWORD"] or ""
    config["EMAIL_HOST"] = config["EMAIL_HOST"] or "localhost"
    config["EMAIL_PORT"] = config["EMAIL_PORT"] or 25
    if config["EMAIL_TIMEOUT"] is None:
        config["EMAIL_TIMEOUT"] = DEFAULT_TIMEOUT
    if not config["EMAIL_FILE_PATH"]:
        del config["EMAIL_FILE_PATH"]
    return config


def _without_password(url):
    """The URL as an error message may print it: a start-up log must not leak the password."""
    parts = urllib.parse.urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return urllib.parse.urlunsplit(parts._replace(netloc=netloc))


def site_url(raw, name="TRACKER_SITE_URL"):
    """The site's public address, as links in e-mails start: scheme and host (and a path
    prefix, if the site is served under one), without a trailing slash."""
    parts = urllib.parse.urlsplit(raw)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
        raise ImproperlyConfigured(
            f"{name}={raw!r} is not the site's address; write it like https://suivi.example.ml"
        )
    return raw.rstrip("/")


def refuse_unsafe_in_production(*, backend, site, sender):
    """Production sends real e-mails: through a backend that delivers, with links people can
    open from their mailbox, from an address a mail server accepts."""
    if backend in NOT_DELIVERING:
        raise ImproperlyConfigured(
            "EMAIL_URL (or EMAIL_BACKEND) must deliver e-mail in production: the console, "
            "memory, file and dummy backends would lose every reminder."
        )
    parts = urllib.parse.urlsplit(site)
    if parts.scheme != "https" or parts.hostname in ("localhost", "127.0.0.1", "::1"):
        raise ImproperlyConfigured(
            f"TRACKER_SITE_URL={site!r}: links in e-mails must reach the site from outside, "
            "over HTTPS (https://suivi.example.ml)."
        )
    if sender.rstrip(">").endswith("@localhost"):
        raise ImproperlyConfigured(
            f"DEFAULT_FROM_EMAIL={sender!r}: mail servers refuse a sender at localhost; set the "
            "address the tracker's e-mails come from."
        )
