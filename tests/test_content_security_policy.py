"""The Content-Security-Policy (django-csp, config/settings/base.py): every page carries a
policy that allows the site's own scripts, styles, fonts and images only, and nothing inline;
so the pages hold no inline script (only JSON data blocks), no style attribute or element and
no inline event handler. Page code lives in tracker/static/tracker/*.js.

(templates/tracker/report_print.html keeps a <style>: WeasyPrint reads it to draw the PDF; no
browser is ever sent that page, as the last test shows.)"""

import datetime
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tracker.models import BreakdownRow, Dimension, DimensionValue, IndicatorValue, Region

from .factories import (
    ActivityFactory,
    AnnualTargetFactory,
    CommitteeMeetingFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    OpportunityFactory,
    ResultFactory,
    period_of,
)

pytestmark = pytest.mark.django_db

SLUG = "mali-2019-2023"
YEAR = 2021
PLAN = f"/plans/{SLUG}"

POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}


@pytest.fixture
def data(plan, institution, member):
    """A plan with something on every page: validated values with a breakdown (charts), a
    submitted one (the validation queue), a percentage indicator (the entry page's script), an
    activity, a meeting."""
    result = ResultFactory(axis__plan=plan, axis__number=1, code="1.1")
    opportunity = OpportunityFactory(result=result, code="1.1.1")
    share = IndicatorFactory(result=result, code="1.1-a", percentage=True)
    trained = IndicatorFactory(result=result, opportunity=opportunity, code="1.1-b")
    region = Dimension.objects.create(code="region", name="Region", order=1)
    mopti = DimensionValue.objects.create(
        dimension=region,
        code="mopti",
        name="Mopti",
        order=1,
        region=Region.objects.create(code="MOP", name="Mopti"),
    )
    trained.dimensions.add(region)
    for indicator in (share, trained):
        indicator.responsible_institutions.add(institution)
        AnnualTargetFactory(indicator=indicator, year=YEAR, value=Decimal(50))
    q1, q2 = period_of(plan, YEAR, 1), period_of(plan, YEAR, 2)
    IndicatorValueFactory(
        indicator=share, period=q1, numerator=Decimal(25), denominator=Decimal(200)
    )
    counted = IndicatorValueFactory(indicator=trained, period=q1, value=Decimal(40))
    BreakdownRow.objects.create(indicator_value=counted, category=mopti, value=40)
    submitted = IndicatorValueFactory(
        indicator=trained,
        period=q2,
        value=Decimal(12),
        status=IndicatorValue.Status.SUBMITTED,
        entered_by=member,
        submitted_at=datetime.datetime(2021, 7, 2, 9, 30, tzinfo=datetime.UTC),
        validated_at=None,
    )
    ActivityFactory(opportunity=opportunity, code="A1", lead_institution=institution)
    CommitteeMeetingFactory(period=q1, date=datetime.date(2021, 2, 11), place="Bamako")
    return {"plan": plan, "indicator": trained, "submitted": submitted, "institution": institution}


# (name, user fixture or None for anonymous, URL, expected status)
PAGES = [
    ("login", None, "/accounts/login/", 200),
    ("dashboard", "secretariat", f"{PLAN}/?year={YEAR}", 200),
    ("framework", "secretariat", f"{PLAN}/framework/", 200),
    ("indicator table", "secretariat", f"{PLAN}/indicators/?year={YEAR}", 200),
    ("indicator", "secretariat", f"{PLAN}/indicators/1.1-b/?year={YEAR}", 200),
    ("regions", "secretariat", f"{PLAN}/regions/?year={YEAR}", 200),
    ("periods", "secretariat", f"{PLAN}/periods/", 200),
    ("entry", "secretariat", f"{PLAN}/periods/{YEAR}-Q2/?institution={{institution}}", 200),
    ("entry, choose an institution", "secretariat", f"{PLAN}/periods/{YEAR}-Q2/", 200),
    ("entry as a member", "member", f"{PLAN}/periods/{YEAR}-Q2/", 200),
    ("meetings", "secretariat", f"{PLAN}/periods/{YEAR}-Q1/meetings/", 200),
    ("validation queue", "secretariat", f"{PLAN}/validation/", 200),
    ("completeness", "secretariat", f"{PLAN}/completeness/?year={YEAR}", 200),
    ("annual report", "reporting_staff", f"{PLAN}/reports/{YEAR}/", 200),
    ("history", "secretariat", f"{PLAN}/values/{{submitted}}/history/", 200),
    ("404", "secretariat", "/plans/no-such-plan/", 404),
    ("403", "member", f"{PLAN}/validation/", 403),
    ("admin index", "superuser", "/admin/", 200),
    ("admin changelist", "superuser", "/admin/tracker/indicator/", 200),
    ("admin change form", "superuser", "/admin/tracker/indicator/{indicator}/change/", 200),
    ("admin add form", "superuser", "/admin/tracker/indicatorvalue/add/", 200),
    ("admin history", "superuser", "/admin/tracker/indicator/{indicator}/history/", 200),
    ("admin access attempts", "superuser", "/admin/axes/accessattempt/", 200),
    ("admin as the secretariat", "secretariat", "/admin/tracker/indicatorvalue/", 200),
    ("API tokens", "member", "/account/api-tokens/", 200),
    ("API documentation", None, "/api/docs/", 200),
]


def fetch(request, client, data, user, url):
    if user:
        client.force_login(request.getfixturevalue(user))
    url = url.format(
        institution=data["institution"].pk,
        submitted=data["submitted"].pk,
        indicator=data["indicator"].pk,
    )
    return client.get(url)


# django-simple-history's object history list (the admin's "History" of a record) ends with
# <p class="paginator" style="border-top: 0">. The browser ignores that attribute under the
# policy (and logs it): the paginator gets back its top border, nothing else changes. Removing it
# means overriding simple_history/object_history_list.html in templates/.
THIRD_PARTY_STYLES = {"<p class='paginator' style='border-top: 0'>"}


def parse_policy(header):
    directives = {}
    for directive in header.split(";"):
        name, *values = directive.split()
        directives[name] = sorted(values)
    return directives


class InlineCode(HTMLParser):
    """Collects what a strict policy refuses: <script> with code in the page (a <script>
    without src must be a JSON data block), <style> elements, style attributes, on* event
    handler attributes and javascript: URLs."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.scripts, self.styles, self.handlers = [], [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        described = f"<{tag} {' '.join(f'{k}={v!r}' for k, v in attrs.items())}>"
        script_type = (attrs.get("type") or "").strip().lower()
        if tag == "script" and not attrs.get("src") and script_type != "application/json":
            self.scripts.append(described)
        if tag == "style" or "style" in attrs:
            self.styles.append(described)
        for name, value in attrs.items():
            if name.startswith("on") or (value or "").strip().lower().startswith("javascript:"):
                self.handlers.append(described)

    handle_startendtag = handle_starttag


def inline_code(response):
    parser = InlineCode()
    parser.feed(response.content.decode())
    parser.close()
    return parser


@pytest.mark.parametrize(
    ("user", "url", "status"), [page[1:] for page in PAGES], ids=[page[0] for page in PAGES]
)
def test_every_page_carries_the_policy_and_no_inline_code(request, client, data, user, url, status):
    response = fetch(request, client, data, user, url)
    assert response.status_code == status

    header = response.headers["Content-Security-Policy"]
    assert parse_policy(header) == {name: sorted(values) for name, values in POLICY.items()}
    for keyword in ("unsafe-inline", "unsafe-eval", "unsafe-hashes"):
        assert keyword not in header
    assert "Content-Security-Policy-Report-Only" not in response.headers

    found = inline_code(response)
    assert found.scripts == []
    assert [style for style in found.styles if style not in THIRD_PARTY_STYLES] == []
    assert found.handlers == []


def test_the_pages_scripts_are_static_files(secretariat, member, data):
    """The code that was inline now comes from the project's static files; the data for the
    charts travels in JSON blocks."""
    client = Client()
    client.force_login(secretariat)
    queue = client.get(f"{PLAN}/validation/").content.decode()
    assert 'src="/static/tracker/validation_queue.js"' in queue
    assert "data-select-all" in queue
    entry = client.get(f"{PLAN}/periods/{YEAR}-Q2/?institution={data['institution'].pk}")
    entry = entry.content.decode()
    assert 'src="/static/tracker/period_entry.js"' in entry
    assert "data-percentage" in entry
    indicator = client.get(f"{PLAN}/indicators/1.1-b/?year={YEAR}").content.decode()
    assert '<script id="values-chart-data" type="application/json">' in indicator
    assert 'src="/static/tracker/charts.js"' in indicator
    dashboard = client.get(f"{PLAN}/?year={YEAR}").content.decode()
    assert '<progress class="completeness-bar" max="100" value="' in dashboard


def test_the_lock_out_page_carries_the_policy(client, member):
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        response = client.post("/accounts/login/", {"username": "member", "password": "wrong"})
    assert response.status_code == 429
    assert parse_policy(response.headers["Content-Security-Policy"])["script-src"] == ["'self'"]
    found = inline_code(response)
    assert found.scripts == found.styles == []


def test_the_print_stylesheet_only_goes_to_weasyprint(client, data, reporting_staff):
    """report_print.html (with its <style>) is rendered into the PDF; the browser gets a PDF."""
    client.force_login(reporting_staff)
    response = client.get(reverse("annual-report-export", args=[SLUG, YEAR, "pdf"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    page = client.get(f"{PLAN}/reports/{YEAR}/").content.decode()
    assert "<style" not in page
