"""The list pages' tables write their rows in Python (tracker.table_cells.table_body, through
templates/tracker/_table.html) instead of iterating them in django_tables2/bootstrap5.html: each
page is rendered both ways and must be the same to the byte, in English and in French, sorted,
paginated, empty, with text that needs escaping."""

import datetime
from decimal import Decimal

import django_tables2 as tables
import pytest
from django.template import Context, Template
from django.template.defaultfilters import truncatechars
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django_tables2.utils import AttributeDict

from tracker.access import own_part_in
from tracker.models import IndicatorValue
from tracker.table_cells import Table

from .factories import (
    AnnualTargetFactory,
    AxisFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    ResultFactory,
    UserFactory,
    period_of,
)

pytestmark = pytest.mark.django_db

DJANGO_TABLES2 = "django_tables2/bootstrap5.html"
ESCAPED = "Girls <b>& boys</b> trained"


@pytest.fixture(autouse=True)
def same_csrf_tokens(monkeypatch):
    """Each page masks its CSRF token with new random letters: the same letters for both."""
    monkeypatch.setattr("django.middleware.csrf._get_new_csrf_string", lambda: "a" * 32)


@pytest.fixture
def two_rows_a_page(monkeypatch):
    monkeypatch.setattr("tracker.views.indicators.PAGE_SIZE", 2)
    monkeypatch.setattr("tracker.views.validation.PAGE_SIZE", 2)


def both_ways(client, url, monkeypatch, language="en"):
    """The page's bytes with the project's table template, then with django-tables2's."""
    pages = []
    for template in (Table.TEMPLATE, DJANGO_TABLES2):
        monkeypatch.setattr(Table, "TEMPLATE", template)
        response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 200
        assert template in [used.name for used in response.templates]
        pages.append(response.content)
    return pages


@pytest.fixture
def queue(plan, institution, secretariat):
    """Submitted values: one flagged as unusual, one the viewer entered, one in a closed
    period, an indicator and a person whose names need escaping."""
    awkward = IndicatorFactory(result__axis__plan=plan, code="1.1-a", name=ESCAPED)
    awkward.responsible_institutions.add(institution)
    plain = IndicatorFactory(result__axis__plan=plan, code="2.1-a", name="Mediators")
    for quarter in (3, 4):  # what makes 1234.5 unusual
        IndicatorValueFactory(indicator=awkward, period=period_of(plan, 2020, quarter), value=1)
    someone = UserFactory(first_name="Awa & <i>Co</i>", last_name="Diarra")
    submitted_at = timezone.make_aware(datetime.datetime(2021, 4, 2, 15, 30))
    for indicator, year, quarter, value, entered_by in [
        (awkward, 2021, 1, Decimal("1234.5"), someone),
        (awkward, 2021, 2, Decimal("7"), secretariat),
        (plain, 2021, 1, Decimal("12000"), someone),
        (plain, 2020, 4, Decimal("3"), someone),
    ]:
        IndicatorValueFactory(
            indicator=indicator,
            period=period_of(plan, year, quarter),
            value=value,
            status=IndicatorValue.Status.SUBMITTED,
            validated_at=None,
            entered_by=entered_by,
            submitted_at=submitted_at,
        )
    closed = period_of(plan, 2020, 4)
    type(closed).objects.filter(pk=closed.pk).update(status="closed", closed_at=submitted_at)
    return plan


QUEUE_QUERIES = ["", "?sort=-indicator", "?sort=entered_by&page=2", "?sort=-period&page=2"]


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("query", QUEUE_QUERIES)
def test_validation_queue_is_the_same_to_the_byte(
    client_for, secretariat, queue, two_rows_a_page, monkeypatch, query, language
):
    url = f"/plans/{queue.slug}/validation/{query}"
    ours, theirs = both_ways(client_for(secretariat), url, monkeypatch, language)
    assert ours == theirs
    assert b"<tbody" in ours and b"<td " in ours


def test_the_queue_pages_hold_what_needs_escaping_and_french_numbers(
    client_for, secretariat, queue, monkeypatch
):
    ours, theirs = both_ways(
        client_for(secretariat), f"/plans/{queue.slug}/validation/", monkeypatch, "fr"
    )
    assert ours == theirs
    page = ours.decode()
    assert "Girls &lt;b&gt;&amp; boys&lt;/b&gt; trained" in page
    assert "Awa &amp; &lt;i&gt;Co&lt;/i&gt; Diarra" in page
    assert "1\u202f234,5" in page or "1\xa0234,5" in page or "1 234,5" in page
    assert "data-outlier" in page  # the flagged row's warning


def written_before(table, row, name, slug):
    """A queue cell as its render_* method wrote it when each row reversed its own link and
    made its own attributes and labels."""
    user, record = table.request.user, row.record
    review = reverse("value-detail", args=[slug, record.pk])
    own_part = own_part_in(user, record)
    if name == "values":
        if own_part:
            return ""
        attributes = {
            "type": "checkbox",
            "name": "values",
            "value": f"{record.pk}:{record.version}",
            **table.columns["values"].column.attrs["td__input"],
            "aria-label": _("Select %(value)s") % {"value": record},
        }
        return f"<input {AttributeDict(attributes).as_html()} />"
    if name == "indicator":
        return format_html(
            '<a href="{}"><strong>{}</strong></a> {}',
            review,
            record.indicator.code,
            truncatechars(record.indicator.name, 140),
        )
    if name == "submitted_at":
        return date_format(localtime(record.submitted_at), "SHORT_DATETIME_FORMAT")
    if own_part:
        return format_html(
            '<a href="{}">{}</a><p class="small text-body-secondary mt-1 mb-0">{}</p>',
            review,
            _("Review"),
            own_part,
        )
    return format_html(
        table.ACTIONS_HTML,
        review=review,
        review_label=_("Review"),
        return_label=_("Return…"),
        action=table.request.get_full_path(),
        csrf=table.csrf_token,
        pk=record.pk,
        version=record.version,
        why_label=_("Why is it returned? The institution will read this."),
        button_label=_("Return for correction"),
    )


@pytest.mark.parametrize("language", ["en", "fr"])
def test_queue_cells_are_written_as_before(client_for, secretariat, queue, language):
    response = client_for(secretariat).get(
        f"/plans/{queue.slug}/validation/?sort=-period", HTTP_ACCEPT_LANGUAGE=language
    )
    table = response.context["table"]
    rows = list(table.paginated_rows)
    assert len(rows) == 4
    with translation.override(language):
        for row in rows:
            for name in ("values", "indicator", "submitted_at", "actions"):
                assert str(row.get_cell(name)) == str(
                    written_before(table, row, name, queue.slug)
                ), name
    assert sum(1 for row in rows if own_part_in(secretariat, row.record)) == 1


def test_an_empty_queue_is_the_same_to_the_byte(client_for, secretariat, queue, monkeypatch):
    url = f"/plans/{queue.slug}/validation/?period={period_of(queue, 2019, 1).pk}"
    ours, theirs = both_ways(client_for(secretariat), url, monkeypatch)
    assert ours == theirs
    assert b"No value is awaiting validation." in ours


@pytest.fixture
def indicators(plan):
    """Five indicators of two axes with 2021 figures: a target met, a percentage, no data, a
    name to escape, numbers grouped in thousands."""
    result = ResultFactory(axis=AxisFactory(plan=plan, number=1), code="1.1")
    other = ResultFactory(axis=AxisFactory(plan=plan, number=2), code="2.1")
    met = IndicatorFactory(
        result=result, code="1.1-a", name=ESCAPED, baseline_value=12, baseline_year=2019
    )
    AnnualTargetFactory(indicator=met, year=2021, value=Decimal("2500.5"))
    for quarter in (1, 2, 3, 4):
        IndicatorValueFactory(
            indicator=met, period=period_of(plan, 2021, quarter), value=Decimal("1234.5")
        )
    share = IndicatorFactory(result=result, code="1.1-b", percentage=True)
    IndicatorValueFactory(
        indicator=share,
        period=period_of(plan, 2021, 2),
        value=None,
        numerator=Decimal(3),
        denominator=Decimal(8),
    )
    IndicatorFactory(result=result, code="1.1-c", name="Nothing reported")
    for code in ("2.1-a", "2.1-b"):
        no_target = IndicatorFactory(result=other, code=code, baseline_value=4, baseline_year=2019)
        IndicatorValueFactory(indicator=no_target, period=period_of(plan, 2021, 1), value=9)
    return plan


INDICATOR_QUERIES = [
    "?year=2021",
    "?year=2021&sort=-annual_value",
    "?year=2021&sort=status&page=2",
    "?year=2021&unit_kind=count&sort=-code&page=2",
]


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("query", INDICATOR_QUERIES)
def test_indicator_table_is_the_same_to_the_byte(
    client_for, reporting_staff, indicators, two_rows_a_page, monkeypatch, query, language
):
    url = f"/plans/{indicators.slug}/indicators/{query}"
    ours, theirs = both_ways(client_for(reporting_staff), url, monkeypatch, language)
    assert ours == theirs
    assert b"<tbody" in ours and b"<td " in ours


def test_the_indicator_table_holds_what_needs_escaping_and_french_numbers(
    client_for, reporting_staff, indicators, monkeypatch
):
    url = f"/plans/{indicators.slug}/indicators/?year=2021"
    ours, theirs = both_ways(client_for(reporting_staff), url, monkeypatch, "fr")
    assert ours == theirs
    page = ours.decode()
    assert "Girls &lt;b&gt;&amp; boys&lt;/b&gt; trained" in page
    assert "2\u202f500,5" in page or "2\xa0500,5" in page or "2 500,5" in page


def test_an_empty_indicator_table_is_the_same_to_the_byte(
    client_for, reporting_staff, indicators, monkeypatch
):
    url = f"/plans/{indicators.slug}/indicators/?year=2021&q=nothing-has-this-name"
    ours, theirs = both_ways(client_for(reporting_staff), url, monkeypatch)
    assert ours == theirs
    assert b"No indicator matches these filters." in ours


# What the two tables do not use, django-tables2's template does: columns localized or not,
# a callable cell, row attributes, a td attribute read from the cell, no empty text.


class Odd:
    """A cell value the template language calls."""

    def __call__(self):
        return "<called>"


class Cells(Table):
    text = tables.Column()
    number = tables.Column(
        attrs={"td": {"data-value": lambda value: value, "class": "figure"}},
        order_by=("number",),
    )
    localized = tables.Column(accessor="number", localize=True)
    unlocalized = tables.Column(accessor="number", localize=False)
    safe = tables.Column(empty_values=())
    odd = tables.Column(empty_values=(), orderable=False)
    day = tables.Column()

    class Meta:
        row_attrs = {"data-text": lambda record: record["text"], "class": "shown"}

    def render_safe(self, record):
        return mark_safe(f"<em>{record['number']}</em>")

    def render_odd(self):
        return Odd()


CELLS = [
    {"text": "<b>&", "number": Decimal("1234.5"), "day": datetime.date(2021, 3, 1)},
    {"text": "plain", "number": 1234567, "day": None},
    {"text": '"quoted"', "number": 0.5, "day": datetime.date(2021, 12, 31)},
]


def rendered(table, request):
    context = Context({"table": table, "request": request})
    return Template("{% load django_tables2 %}{% render_table table %}").render(context)


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize(
    ("data", "options"),
    [
        (CELLS, {}),
        (CELLS, {"order_by": "-number"}),
        (CELLS, {"empty_text": "Nothing <here>"}),
        ([], {"empty_text": "Nothing <here>"}),
        ([], {}),
    ],
)
def test_table_body_is_django_tables2s_for_any_column(language, data, options):
    request = RequestFactory().get("/?page=2")
    pages = []
    with translation.override(language):
        for template in (Table.TEMPLATE, DJANGO_TABLES2):
            table = Cells(data, template_name=template, **options)
            tables.RequestConfig(request, paginate={"per_page": 2}).configure(table)
            pages.append(rendered(table, request))
    ours, theirs = pages
    assert ours == theirs
    if data:
        assert "&lt;called&gt;" in ours and 'class="shown' in ours
    else:
        assert ("Nothing &lt;here&gt;" in ours) == ("empty_text" in options)


def test_numbers_are_written_in_french_as_django_tables2_writes_them():
    request = RequestFactory().get("/")
    with translation.override("fr"):
        ours, theirs = (
            rendered(Cells(CELLS[:2], template_name=template), request)
            for template in (Table.TEMPLATE, DJANGO_TABLES2)
        )
    assert ours == theirs
    assert "1234,5" in ours or "1\u202f234,5" in ours or "1\xa0234,5" in ours


@pytest.mark.parametrize("code", ["1.1-1", "A é&?#%", "918273645", "x y"])
def test_row_links_are_the_links_reverse_writes(code):
    from django.urls import reverse

    from tracker.table_cells import RowLinks

    links = RowLinks("indicator-detail", "mali-2019-2023")
    assert links(code) == reverse("indicator-detail", args=["mali-2019-2023", code])
    assert RowLinks("value-detail", "mali-2019-2023")(42) == reverse(
        "value-detail", args=["mali-2019-2023", 42]
    )
