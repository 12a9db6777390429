"""The production server: gunicorn's settings from the environment, compressed pages and static
files, the browser's icon, and Chart.js only on a page that draws a chart."""

import gzip
import os
import runpy
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from django.templatetags.static import static

from .factories import AnnualTargetFactory, IndicatorFactory, IndicatorValueFactory, period_of

ROOT = Path(__file__).resolve().parent.parent
GUNICORN_CONF = ROOT / "config" / "gunicorn.conf.py"
CHART_JS = "chart.umd.min.js"


def gunicorn_settings(monkeypatch, **env):
    for name in list(__import__("os").environ):
        if name.startswith("GUNICORN_"):
            monkeypatch.delenv(name)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(GUNICORN_CONF))


def test_gunicorn_defaults(monkeypatch):
    conf = gunicorn_settings(monkeypatch)
    assert conf["wsgi_app"] == "config.wsgi:application"
    assert conf["bind"] == ["127.0.0.1:8000"]
    assert 1 <= conf["workers"] <= 8
    assert conf["max_requests"] > 0 and 0 < conf["max_requests_jitter"] < conf["max_requests"]
    assert conf["timeout"] >= 10 and conf["preload_app"] is True
    assert conf["accesslog"] == "-"


def test_the_wsgi_module_loads_every_view_then_freezes_the_heap():
    """config/wsgi.py, as gunicorn's master imports it: the URL conf and its views are loaded
    and what start-up made is frozen out of the garbage collector's full collections."""
    script = (
        "import gc, sys; import config.wsgi; "
        "print(gc.get_freeze_count() > 10000, 'tracker.views.entry' in sys.modules)"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["True", "True"]


def test_gunicorn_reads_the_environment(monkeypatch):
    conf = gunicorn_settings(
        monkeypatch,
        GUNICORN_BIND="0.0.0.0:9000,unix:/run/tracker.sock",
        GUNICORN_WORKERS="3",
        GUNICORN_MAX_REQUESTS="0",
        GUNICORN_PRELOAD="false",
        GUNICORN_LOG_LEVEL="Warning",
    )
    assert conf["bind"] == ["0.0.0.0:9000", "unix:/run/tracker.sock"]
    assert (conf["workers"], conf["max_requests"]) == (3, 0)
    assert conf["preload_app"] is False and conf["loglevel"] == "warning"


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("GUNICORN_WORKERS", "four"),
        ("GUNICORN_WORKERS", "0"),
        ("GUNICORN_WORKERS", "-2"),
        ("GUNICORN_TIMEOUT", "3s"),
        ("GUNICORN_MAX_REQUESTS", "-1"),
        ("GUNICORN_MAX_REQUESTS_JITTER", "1.5"),
        ("GUNICORN_PRELOAD", "maybe"),
        ("GUNICORN_BIND", "8000"),
        ("GUNICORN_BIND", "localhost:http"),
        ("GUNICORN_BIND", "127.0.0.1:70000"),
        ("GUNICORN_LOG_LEVEL", "verbose"),
    ],
)
def test_gunicorn_refuses_a_bad_value_naming_it(monkeypatch, name, value):
    with pytest.raises(SystemExit) as refused:
        gunicorn_settings(monkeypatch, **{name: value})
    assert name in str(refused.value)


def test_html_is_compressed_for_a_browser_that_asks(client, db):
    page = client.get("/accounts/login/", headers={"accept-encoding": "gzip, br"})
    assert page["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in page["Vary"]
    assert b"<html" in gzip.decompress(page.content)
    assert "Content-Encoding" not in client.get("/accounts/login/")


def test_favicon_is_linked_and_answered(client, db):
    icon = static("tracker/favicon.svg")
    assert f'href="{icon}"' in client.get("/accounts/login/").content.decode()
    answer = client.get("/favicon.ico")
    assert (answer.status_code, answer["Location"]) == (302, icon)
    assert "max-age=86400" in answer["Cache-Control"]
    assert client.get(icon).status_code == 200
    assert client.post("/favicon.ico").status_code == 405


def test_admin_pages_carry_the_icon(client, superuser):
    client.force_login(superuser)
    assert static("tracker/favicon.svg") in client.get("/admin/").content.decode()


@pytest.fixture
def indicator(plan, institution):
    return IndicatorFactory(result__axis__plan=plan, code="1.1-a", baseline_value=None)


def detail(client_for, reporting_staff, indicator):
    url = f"/plans/{indicator.result.axis.plan.slug}/indicators/{indicator.code}/"
    page = client_for(reporting_staff).get(url)
    assert page.status_code == 200
    return page.content.decode()


def test_an_indicator_with_nothing_to_draw_loads_no_chart_script(
    client_for, reporting_staff, indicator
):
    html = detail(client_for, reporting_staff, indicator)
    assert CHART_JS not in html and "charts.js" not in html
    assert 'id="values-chart"' not in html


def test_a_draft_value_alone_draws_nothing(client_for, reporting_staff, plan, indicator):
    IndicatorValueFactory(
        indicator=indicator, period=period_of(plan, 2021, 1), value=Decimal(4), status="draft"
    )
    assert CHART_JS not in detail(client_for, reporting_staff, indicator)


def test_a_target_alone_is_drawn(client_for, reporting_staff, indicator):
    AnnualTargetFactory(indicator=indicator, year=2021, value=Decimal(10))
    html = detail(client_for, reporting_staff, indicator)
    assert CHART_JS in html and 'id="values-chart"' in html


def test_a_baseline_alone_is_drawn(client_for, reporting_staff, indicator):
    indicator.baseline_value, indicator.baseline_year = Decimal(3), 2018
    indicator.save()
    assert CHART_JS in detail(client_for, reporting_staff, indicator)


def test_a_validated_value_is_drawn(client_for, reporting_staff, plan, indicator):
    IndicatorValueFactory(indicator=indicator, period=period_of(plan, 2021, 1), value=Decimal(4))
    assert CHART_JS in detail(client_for, reporting_staff, indicator)
