"""Settings come from the environment, fail loudly on bad values, and pass Django's
deployment checklist in production."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.settings.env import env_bool, env_list

ROOT = Path(__file__).resolve().parent.parent


def run_manage(*args, **env):
    environment = {key: value for key, value in os.environ.items() if key != "DEBUG"}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def production_env(**extra):
    return {
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(60),
        "ALLOWED_HOSTS": "suivi-pan1325.example.ml",
        **extra,
    }


def test_check_deploy_is_clean_in_production():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", **production_env())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret():
    env = production_env()
    env["SECRET_KEY"] = ""
    result = run_manage("check", **env)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_refuses_a_short_secret_and_debug():
    assert run_manage("check", **production_env(SECRET_KEY="short")).returncode != 0
    result = run_manage("check", **production_env(DEBUG="true"))
    assert result.returncode != 0
    assert "DEBUG must be off" in result.stderr


def test_a_bad_database_url_stops_start_up():
    result = run_manage("check", DATABASE_URL="mysql://root@localhost/nap")
    assert result.returncode != 0
    assert "DATABASE_URL" in result.stderr


def test_sqlite_waits_for_a_publication_rather_than_failing(monkeypatch):
    from config.settings.base import _database_from_env

    monkeypatch.setenv("DATABASE_URL", "sqlite:////tmp/nap.sqlite3")
    assert _database_from_env()["OPTIONS"]["timeout"] == 30
    monkeypatch.setenv("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/nap")
    assert "timeout" not in _database_from_env().get("OPTIONS", {})


@pytest.mark.parametrize("raw, expected", [("true", True), ("0", False), ("Yes", True)])
def test_booleans_read_from_the_environment(monkeypatch, raw, expected):
    monkeypatch.setenv("DEBUG", raw)
    assert env_bool("DEBUG") is expected


def test_a_misspelt_boolean_is_refused(monkeypatch):
    monkeypatch.setenv("DEBUG", "flase")
    with pytest.raises(ImproperlyConfigured, match="DEBUG"):
        env_bool("DEBUG")


def test_hosts_are_a_comma_separated_list(monkeypatch):
    monkeypatch.setenv("ALLOWED_HOSTS", "a.example.ml, b.example.ml")
    assert env_list("ALLOWED_HOSTS") == ["a.example.ml", "b.example.ml"]
    monkeypatch.setenv("ALLOWED_HOSTS", "a.example.ml b.example.ml")
    with pytest.raises(ImproperlyConfigured):
        env_list("ALLOWED_HOSTS")


def test_postgresql_plans_for_an_ssd(monkeypatch):
    from config.settings.base import _database_from_env

    monkeypatch.setenv("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/nap")
    assert _database_from_env()["OPTIONS"] == {"options": "-c random_page_cost=1.1"}
    monkeypatch.setenv("DATABASE_URL", "sqlite:////tmp/nap.sqlite3")
    assert "options" not in _database_from_env()["OPTIONS"]


@pytest.mark.django_db
def test_the_postgresql_connection_uses_it():
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    with connection.cursor() as cursor:
        cursor.execute("SHOW random_page_cost")
        assert cursor.fetchone()[0] == "1.1"
