"""The benchmark's database, SQLite or PostgreSQL (config/settings/bench.py names it): created
when missing, migrated, its statistics refreshed, its size and server version read."""

from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import connection


def ensure_postgres_database():
    """Creates nap1325_bench_<size> on the server when missing (the tests' user may)."""
    import psycopg

    config = settings.DATABASES["default"]
    server = psycopg.connect(
        dbname="postgres",
        user=config.get("USER") or None,
        password=config.get("PASSWORD") or None,
        host=config.get("HOST") or None,
        port=config.get("PORT") or None,
        autocommit=True,
    )
    with server:
        exists = server.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]]
        ).fetchone()
        if not exists:
            server.execute(f'CREATE DATABASE "{config["NAME"]}"')


def migrate():
    call_command("migrate", interactive=False, verbosity=0)


def analyze():
    """Refreshes PostgreSQL's statistics. Autovacuum would do this after a bulk load;
    measuring before it ran would measure plans made without statistics. SQLite gets no
    ANALYZE, as Django never runs one."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


def size_mb():
    if connection.vendor == "sqlite":
        return round(Path(connection.settings_dict["NAME"]).stat().st_size / 2**20, 1)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_database_size(current_database())")
        return round(cursor.fetchone()[0] / 2**20, 1)


def postgres_version():
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        return cursor.fetchone()[0]
