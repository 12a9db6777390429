"""E-mail settings (config/settings/mail.py): EMAIL_URL or Django's EMAIL_* variables, the
site's address for links, and production's refusal of anything that would lose a reminder or
send people to 127.0.0.1."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.settings.mail import (
    CONSOLE,
    LOCMEM,
    SMTP,
    email_from_env,
    parse_email_url,
    site_url,
)

from .test_settings import production_env, run_manage

EMAIL_VARIABLES = [
    "EMAIL_URL",
    "EMAIL_BACKEND",
    "EMAIL_HOST",
    "EMAIL_PORT",
    "EMAIL_HOST_USER",
    "EMAIL_HOST_PASSWORD",
    "EMAIL_USE_TLS",
    "EMAIL_USE_SSL",
    "EMAIL_TIMEOUT",
]


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch):
    for name in EMAIL_VARIABLES:
        monkeypatch.delenv(name, raising=False)


def show_settings(*names, **env):
    """The settings `names` as manage.py sees them with `env`, one per line."""
    code = "from django.conf import settings; " + "; ".join(
        f"print(settings.{name})" for name in names
    )
    result = run_manage("shell", "--no-imports", "-c", code, **env)
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()


def test_an_smtp_url_with_tls_and_credentials():
    config = parse_email_url("smtp://suivi%40example.ml:p%40ss@mail.example.org:587/?tls=True")
    assert config == {
        "EMAIL_BACKEND": SMTP,
        "EMAIL_HOST": "mail.example.org",
        "EMAIL_PORT": 587,
        "EMAIL_HOST_USER": "suivi@example.ml",
        "EMAIL_HOST_PASSWORD": "p@ss",
        "EMAIL_USE_TLS": True,
        "EMAIL_USE_SSL": False,
        "EMAIL_TIMEOUT": 30,
    }


@pytest.mark.parametrize(
    ("url", "backend"), [("console:", CONSOLE), ("locmem:", LOCMEM), ("memory:", LOCMEM)]
)
def test_backends_that_need_no_server(url, backend):
    assert parse_email_url(url)["EMAIL_BACKEND"] == backend


def test_a_timeout_and_a_sender_in_the_url():
    config = parse_email_url("smtp://mail:25/?timeout=5&_default_from_email=suivi@example.ml")
    assert config["EMAIL_TIMEOUT"] == 5 and config["DEFAULT_FROM_EMAIL"] == "suivi@example.ml"


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("mysql://root:secret@mail/", "is not an e-mail URL"),
        ("mail.example.org:587", "is not an e-mail URL"),
        ("smtp://user:secret@mail:port/", "is not a usable e-mail URL"),
        ("smtp://mail:25/?timeout=soon", "is not a usable e-mail URL"),
    ],
)
def test_a_bad_url_is_refused_without_showing_the_password(url, says):
    with pytest.raises(ImproperlyConfigured, match="EMAIL_URL") as refused:
        parse_email_url(url)
    assert says in str(refused.value) and "secret" not in str(refused.value)


def test_without_a_url_the_usual_variables(monkeypatch):
    monkeypatch.setenv("EMAIL_HOST", "mail.example.org")
    monkeypatch.setenv("EMAIL_PORT", "465")
    monkeypatch.setenv("EMAIL_USE_SSL", "true")
    monkeypatch.setenv("EMAIL_HOST_USER", "suivi")
    config = email_from_env()
    assert (config["EMAIL_BACKEND"], config["EMAIL_HOST"], config["EMAIL_PORT"]) == (
        SMTP,
        "mail.example.org",
        465,
    )
    assert config["EMAIL_USE_SSL"] and not config["EMAIL_USE_TLS"]
    assert config["EMAIL_HOST_USER"] == "suivi" and config["EMAIL_TIMEOUT"] == 30


def test_nothing_set_means_a_local_mail_server(monkeypatch):
    config = email_from_env()
    assert (config["EMAIL_BACKEND"], config["EMAIL_HOST"], config["EMAIL_PORT"]) == (
        SMTP,
        "localhost",
        25,
    )


@pytest.mark.parametrize(
    ("name", "raw"), [("EMAIL_PORT", "587a"), ("EMAIL_USE_TLS", "ture"), ("EMAIL_TIMEOUT", "x")]
)
def test_a_variable_that_does_not_parse_is_refused(monkeypatch, name, raw):
    monkeypatch.setenv(name, raw)
    with pytest.raises(ImproperlyConfigured, match=name):
        email_from_env()


def test_tls_and_ssl_together_are_refused(monkeypatch):
    monkeypatch.setenv("EMAIL_URL", "smtp://mail:465/?ssl=True")
    assert email_from_env()["EMAIL_USE_SSL"]
    monkeypatch.delenv("EMAIL_URL")
    monkeypatch.setenv("EMAIL_USE_TLS", "true")
    monkeypatch.setenv("EMAIL_USE_SSL", "true")
    with pytest.raises(ImproperlyConfigured, match="not both"):
        email_from_env()


def test_the_site_address():
    assert site_url("https://suivi.example.ml/") == "https://suivi.example.ml"
    assert site_url("http://127.0.0.1:8000") == "http://127.0.0.1:8000"
    assert site_url("https://example.ml/suivi/") == "https://example.ml/suivi"
    for bad in ("suivi.example.ml", "ftp://suivi.example.ml", "https://", "https://x.ml/?a=1"):
        with pytest.raises(ImproperlyConfigured, match="TRACKER_SITE_URL"):
            site_url(bad)


# Start-up, as manage.py and the WSGI server read the settings


def test_development_prints_e_mails_unless_told_otherwise():
    dev = {"DJANGO_SETTINGS_MODULE": "config.settings.dev"}
    assert show_settings("EMAIL_BACKEND", "TRACKER_SITE_URL", **dev) == [
        CONSOLE,
        "http://127.0.0.1:8000",
    ]
    assert show_settings("EMAIL_BACKEND", EMAIL_URL="smtp://mail.example.org", **dev) == [SMTP]


def test_a_bad_email_url_stops_start_up():
    result = run_manage("check", EMAIL_URL="smtp://user:secret@mail:port/")
    assert result.returncode != 0
    assert "EMAIL_URL" in result.stderr and "secret" not in result.stderr


def test_reminder_attempts_must_be_at_least_one():
    result = run_manage("check", REMINDER_MAX_ATTEMPTS="0")
    assert result.returncode != 0 and "REMINDER_MAX_ATTEMPTS" in result.stderr


def test_production_links_and_sender_default_to_the_sites_host():
    assert show_settings(
        "TRACKER_SITE_URL", "DEFAULT_FROM_EMAIL", "EMAIL_BACKEND", **production_env()
    ) == [
        "https://suivi-pan1325.example.ml",
        "NAP 1325 Tracker <no-reply@suivi-pan1325.example.ml>",
        SMTP,
    ]
    assert show_settings(
        "TRACKER_SITE_URL",
        "DEFAULT_FROM_EMAIL",
        **production_env(
            TRACKER_SITE_URL="https://pan1325.example.ml",
            DEFAULT_FROM_EMAIL="Suivi PAN 1325 <suivi@mpfef.example.ml>",
        ),
    ) == ["https://pan1325.example.ml", "Suivi PAN 1325 <suivi@mpfef.example.ml>"]


@pytest.mark.parametrize(
    ("env", "says"),
    [
        ({"EMAIL_URL": "console:"}, "must deliver e-mail in production"),
        ({"EMAIL_URL": "locmem:"}, "must deliver e-mail in production"),
        ({"EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend"}, "must deliver"),
        ({"TRACKER_SITE_URL": "http://suivi.example.ml"}, "over HTTPS"),
        ({"TRACKER_SITE_URL": "https://127.0.0.1:8000"}, "from outside"),
        ({"DEFAULT_FROM_EMAIL": "webmaster@localhost"}, "refuse a sender at localhost"),
        ({"ALLOWED_HOSTS": ".example.ml"}, "TRACKER_SITE_URL is required"),
    ],
)
def test_production_refuses_what_would_lose_or_misdirect_a_reminder(env, says):
    result = run_manage("check", **production_env(**env))
    assert result.returncode != 0
    assert says in result.stderr
