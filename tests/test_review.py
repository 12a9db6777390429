"""The review of one submitted value (issue 14): its page shows the figure with its qualifier,
the breakdown and what it covers, the narrative, the citation, the evidence (opened in the
browser where it can be), the values it is compared with and the outlier warning; the
secretariat validates or returns it there. The queue flags outliers, filters them, and
validates in one go the rows shown without a warning. Both pages' query counts are pinned and
the same at two sizes."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.forms.models import model_to_dict
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tracker import roles
from tracker.models import (
    DimensionValue,
    EvidenceFile,
    IndicatorValue,
    ReportingPeriod,
    ValueComment,
)

from .factories import (
    BreakdownRowFactory,
    DimensionFactory,
    DimensionValueFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    InstitutionFactory,
    PlanFactory,
    SourceFactory,
    UserFactory,
    ValueCommentFactory,
    period_of,
)
from .test_content_security_policy import POLICY, inline_code, parse_policy

pytestmark = pytest.mark.django_db

Status = IndicatorValue.Status
SLUG = "mali-2019-2023"


@pytest.fixture
def plan():
    return PlanFactory(slug=SLUG)


@pytest.fixture
def cases(plan, institution):
    """GBV cases recorded, broken down by sex × region, with three validated quarters of
    2020 (20, 24, 30: a median of 24)."""
    indicator = IndicatorFactory(result__axis__plan=plan, code="3.0-a", name="GBV cases recorded")
    indicator.responsible_institutions.add(institution)
    sex = DimensionFactory(code="sex", name="Sex", order=1)
    region = DimensionFactory(code="region", name="Region", order=2)
    indicator.dimensions.add(sex, region)
    for order, name in enumerate(("Women", "Men")):
        DimensionValueFactory(dimension=sex, name=name, order=order)
    for order, name in enumerate(("Mopti", "Gao")):
        DimensionValueFactory(dimension=region, name=name, order=order)
    for quarter, figure in ((1, 20), (2, 24), (3, 30)):
        IndicatorValueFactory(
            indicator=indicator, period=period_of(plan, 2020, quarter), value=Decimal(figure)
        )
    return indicator


def category(name):
    return DimensionValue.objects.get(name=name)


@pytest.fixture
def value(cases, member):
    """100 cases in Q1 2021, submitted by the member: 4.2 times the median."""
    value = IndicatorValueFactory(
        indicator=cases,
        period=period_of(cases.plan, 2021, 1),
        value=Decimal(100),
        qualifier="at_least",
        status=Status.SUBMITTED,
        entered_by=member,
        submitted_by=member,
        submitted_at=timezone.now(),
        validated_at=None,
        narrative="Cases recorded by the one-stop centres.",
        note="Check the Gao register.",
        citation=SourceFactory(publisher="GBVIMS", title="Quarterly bulletin Q1 2021"),
    )
    BreakdownRowFactory(
        indicator_value=value,
        category=category("Women"),
        cross_category=category("Mopti"),
        value=60,
    )
    BreakdownRowFactory(
        indicator_value=value, category=category("Men"), cross_category=category("Gao"), value=40
    )
    return value


def evidence(value, name, content):
    return EvidenceFile.objects.create(
        indicator_value=value,
        file=SimpleUploadedFile(name, content),
        original_name=name,
        size=len(content),
    )


def page_url(value):
    return reverse("value-detail", args=[value.period.plan.slug, value.pk])


def snapshot(value):
    return model_to_dict(IndicatorValue.objects.get(pk=value.pk)), ValueComment.objects.count()


# What the page shows


def test_the_page_shows_everything_about_the_value(client_for, secretariat, value):
    evidence(value, "register.pdf", b"%PDF-1.4 register")
    evidence(value, "list.xlsx", b"PK\x03\x04 list")
    response = client_for(secretariat).get(page_url(value))
    assert response.status_code == 200
    page = response.content.decode()
    assert "3.0-a — Q1 2021" in page and "GBV cases recorded" in page
    assert "≥\u00a0100" in page and "At least" in page  # the figure and its qualifier
    assert "Cases recorded by the one-stop centres." in page
    assert "GBVIMS" in page and "Quarterly bulletin Q1 2021" in page
    assert "Check the Gao register." in page  # the internal note, for the secretariat
    # The breakdown, sex × region, empty cells as "—", and what it covers.
    grid = response.context["breakdown"]
    assert [column.name for column in grid["columns"]] == ["Mopti", "Gao"]
    assert [(row.name, cells) for row, cells in grid["rows"]] == [
        ("Women", ["60", "—"]),
        ("Men", ["—", "40"]),
    ]
    assert "The breakdown covers the whole figure." in page
    # The evidence: the PDF opens in the browser, the spreadsheet downloads.
    assert "register.pdf</a>" in page and "opens in a new tab" in page
    assert "download" in page
    # Compared with the previous quarter and the same quarter last year.
    assert [
        (what, label, change) for what, label, _other, change in response.context["comparisons"]
    ] == [
        ("Previous quarter", "Q4 2020", ""),
        ("Same quarter last year", "Q1 2020", "+80 on Q1 2020 (better)"),
    ]
    assert "Q1 2020 20 · Q2 2020 24 · Q3 2020 30 (median 24)" in page
    # The outlier warning.
    assert "4.2 times the median of the last 3 validated values (24)" in page
    assert "Validate this value" in page and "Return for correction" in page


def test_a_partial_breakdown_says_how_much_it_covers(client_for, secretariat, value):
    value.breakdown_rows.filter(value=40).delete()
    response = client_for(secretariat).get(page_url(value))
    assert "Broken down: 60 of 100 (60.0 %)." in response.content.decode()


def test_a_figure_inside_the_band_has_no_warning(client_for, secretariat, value):
    IndicatorValue.objects.filter(pk=value.pk).update(value=Decimal(50))
    response = client_for(secretariat).get(page_url(value))
    assert response.context["outlier"] == ""
    assert "data-outlier" not in response.content.decode()


def test_a_member_of_the_reporting_institution_reads_and_comments(client_for, member, value):
    response = client_for(member).get(page_url(value))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Post the comment" in page
    assert "Validate this value" not in page and "Return for correction" not in page
    assert "Check the Gao register." in page  # who enters figures reads the notes


@pytest.mark.parametrize("who", ["member2", "reporting_staff", "framework_admin", "outsider"])
def test_others_get_the_doors_refusal(request, client_for, who, value):
    response = client_for(request.getfixturevalue(who)).get(page_url(value))
    assert response.status_code == 403
    page = response.content.decode()
    assert "Check the Gao register." not in page
    assert "Cases recorded by the one-stop centres." not in page


def test_the_refusal_says_where_to_look(client_for, member2, value):
    page = client_for(member2).get(page_url(value)).content.decode()
    assert "between the secretariat and the institution that reports it" in page


def test_a_value_of_another_plan_is_not_found_here(client_for, secretariat, value):
    other = PlanFactory(slug="other")
    url = reverse("value-detail", args=[other.slug, value.pk])
    assert client_for(secretariat).get(url).status_code == 404


def test_the_page_carries_the_policy_and_no_inline_code(client_for, secretariat, value):
    ValueCommentFactory(value=value, author=secretariat, text="Line one\nline two")
    response = client_for(secretariat).get(page_url(value))
    header = response.headers["Content-Security-Policy"]
    assert parse_policy(header) == {name: sorted(values) for name, values in POLICY.items()}
    found = inline_code(response)
    assert (found.scripts, found.styles, found.handlers) == ([], [], [])


# Evidence


def test_a_pdf_or_an_image_opens_in_the_browser(client_for, secretariat, value):
    client = client_for(secretariat)
    for name, content, kind in (
        ("register.pdf", b"%PDF-1.4 register", "application/pdf"),
        ("photo.JPG", b"\xff\xd8\xff photo", "image/jpeg"),
        ("chart.png", b"\x89PNG\r\n\x1a\n chart", "image/png"),
    ):
        file = evidence(value, name, content)
        response = client.get(reverse("evidence-file", args=[SLUG, file.pk]))
        assert response.status_code == 200
        assert response["Content-Type"] == kind
        assert response["Content-Disposition"].startswith("inline")
        assert name in response["Content-Disposition"]
        assert response["X-Content-Type-Options"] == "nosniff"
        policy = parse_policy(response["Content-Security-Policy"])
        assert policy["default-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]
        assert "script-src" not in policy  # no script may run (default-src 'none')
        assert b"".join(response.streaming_content) == content


def test_an_office_document_downloads(client_for, secretariat, value):
    file = evidence(value, "list.docx", b"PK\x03\x04 list")
    response = client_for(secretariat).get(reverse("evidence-file", args=[SLUG, file.pk]))
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert parse_policy(response["Content-Security-Policy"])["default-src"] == ["'self'"]


# Deciding on the page


def decide(client, value, **data):
    return client.post(reverse("value-decision", args=[SLUG, value.pk]), data)


def test_the_secretariat_validates_from_the_page(client_for, secretariat, value):
    client = client_for(secretariat)
    response = decide(client, value, action="validate", version=value.version)
    assert response.status_code == 302 and response["Location"] == page_url(value)
    value.refresh_from_db()
    assert value.status == Status.VALIDATED and value.validated_by == secretariat
    page = client.get(page_url(value)).content.decode()
    assert "3.0-a Q1 2021 is validated." in page
    assert "Reopen for correction" in page


def test_the_secretariat_returns_from_the_page_and_the_reason_opens_the_thread(
    client_for, secretariat, value
):
    client = client_for(secretariat)
    response = decide(
        client, value, action="return", version=value.version, reason="Attach the Gao list."
    )
    assert response.status_code == 302
    value.refresh_from_db()
    assert value.status == Status.RETURNED and value.return_reason == "Attach the Gao list."
    assert value.comments.get().text == "Returned for correction: Attach the Gao list."
    page = client.get(page_url(value)).content.decode()
    assert "was returned to its institution" in page


def test_a_return_without_a_reason_keeps_the_page_and_changes_nothing(
    client_for, secretariat, value
):
    before = snapshot(value)
    response = decide(client_for(secretariat), value, action="return", version=value.version)
    assert response.status_code == 400
    assert "Say why the value is returned" in response.content.decode()
    assert snapshot(value) == before


def test_a_reason_over_the_limit_is_refused_and_kept(client_for, secretariat, value):
    before = snapshot(value)
    reason = "x" * 2001
    response = decide(
        client_for(secretariat), value, action="return", version=value.version, reason=reason
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "at most 2000 characters" in page and reason in page
    assert snapshot(value) == before


def test_a_stale_version_is_refused_with_who_changed_it(client_for, secretariat, value):
    before = snapshot(value)
    response = decide(
        client_for(secretariat), value, action="return", version=value.version + 1, reason="Why?"
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "changed this value" in page and "Why?" in page
    assert snapshot(value) == before


@pytest.mark.parametrize(
    "data",
    [
        {"action": "publish", "version": "1"},
        {"action": "validate"},
        {"action": "validate", "version": "x"},
    ],
    ids=["unknown action", "no version", "version not a number"],
)
def test_a_malformed_decision_changes_nothing(client_for, secretariat, value, data):
    before = snapshot(value)
    assert decide(client_for(secretariat), value, **data).status_code == 400
    assert snapshot(value) == before


def test_four_eyes_on_the_page(client_for, value, member):
    entered_it = UserFactory(role=roles.SECRETARIAT)
    IndicatorValue.objects.filter(pk=value.pk).update(entered_by=entered_it)
    client = client_for(entered_it)
    page = client.get(page_url(value)).content.decode()
    assert "You entered this value" in page and "Validate this value" not in page
    before = snapshot(value)
    assert decide(client, value, action="validate", version=value.version).status_code == 403
    assert snapshot(value) == before


def test_a_member_cannot_decide(client_for, member, value):
    before = snapshot(value)
    response = decide(client_for(member), value, action="validate", version=value.version)
    assert response.status_code == 403
    assert snapshot(value) == before


def test_a_closed_period_offers_no_decision(client_for, secretariat, value):
    ReportingPeriod.objects.filter(pk=value.period_id).update(
        status=ReportingPeriod.Status.CLOSED, closed_at=timezone.now()
    )
    client = client_for(secretariat)
    page = client.get(page_url(value)).content.decode()
    assert "Period Q1 2021 is closed" in page and "Validate this value" not in page
    before = snapshot(value)
    response = decide(client, value, action="validate", version=value.version)
    assert response.status_code == 400 and "Period Q1 2021 is closed" in response.content.decode()
    assert snapshot(value) == before


# The queue


def queue_url(query=""):
    return reverse("validation-queue", args=[SLUG]) + query


def submitted(indicator, year, quarter, figure, entered_by):
    return IndicatorValueFactory(
        indicator=indicator,
        period=period_of(indicator.plan, year, quarter),
        value=Decimal(figure),
        status=Status.SUBMITTED,
        entered_by=entered_by,
        submitted_by=entered_by,
        submitted_at=timezone.now(),
        validated_at=None,
    )


@pytest.fixture
def queue(cases, value, member):
    """The outlier (100, Q1 2021), one figure in the band (25, Q2 2021) and one of an indicator
    with too little history to judge (5000)."""
    usual = submitted(cases, 2021, 2, 25, member)
    young = IndicatorFactory(result__axis__plan=cases.plan, code="4.1-a")
    IndicatorValueFactory(indicator=young, period=period_of(cases.plan, 2020, 4), value=1)
    fresh = submitted(young, 2021, 1, 5000, member)
    return {"outlier": value, "usual": usual, "fresh": fresh}


def test_the_queue_flags_outliers_and_links_each_row_to_its_review(client_for, secretariat, queue):
    response = client_for(secretariat).get(queue_url())
    page = response.content.decode()
    assert response.context["table"].warnings == {
        queue["outlier"].pk: "4.2 times the median of the last 3 validated values (24)"
    }
    assert page.count("data-outlier") == 1
    for value in queue.values():
        assert page_url(value) in page


def test_the_queue_filters_the_values_with_a_warning(client_for, secretariat, queue):
    response = client_for(secretariat).get(queue_url("?warnings=on"))
    assert list(response.context["table"].page.object_list.data) == [queue["outlier"]]
    response = client_for(secretariat).get(queue_url("?warnings=on&period=0"))
    assert response.status_code == 200  # an invalid filter leaves the queue whole
    response = client_for(secretariat).get(queue_url("?institution=&axis="))
    assert len(response.context["table"].page.object_list.data) == 3


def test_validate_the_values_without_warnings(client_for, secretariat, queue):
    client = client_for(secretariat)
    page = client.get(queue_url()).content.decode()
    assert "Validate the 2 values without warnings" in page
    keys = [f"{v.pk}:{v.version}" for v in (queue["usual"], queue["fresh"])]
    for key in keys:
        assert f'name="unflagged" value="{key}"' in page
    response = client.post(queue_url(), {"action": "validate_unflagged", "unflagged": keys})
    assert response.status_code == 302
    statuses = {
        name: IndicatorValue.objects.get(pk=value.pk).status for name, value in queue.items()
    }
    assert statuses == {
        "outlier": Status.SUBMITTED,
        "usual": Status.VALIDATED,
        "fresh": Status.VALIDATED,
    }


def test_the_rows_without_warnings_leave_out_what_the_viewer_may_not_validate(
    client_for, queue, cases
):
    own = UserFactory(role=roles.SECRETARIAT)
    IndicatorValue.objects.filter(pk=queue["usual"].pk).update(entered_by=own)
    page = client_for(own).get(queue_url()).content.decode()
    assert "Validate the 1 value without a warning" in page
    assert f'value="{queue["usual"].pk}:' not in page
    assert f'name="unflagged" value="{queue["fresh"].pk}:' in page


def test_a_value_flagged_since_the_page_stops_the_batch(client_for, secretariat, queue, cases):
    before = [snapshot(value) for value in queue.values()]
    keys = [f"{queue['outlier'].pk}:{queue['outlier'].version}"]
    response = client_for(secretariat).post(
        queue_url(), {"action": "validate_unflagged", "unflagged": keys}, follow=True
    )
    assert "3.0-a Q1 2021 now has a warning" in response.content.decode()
    assert [snapshot(value) for value in queue.values()] == before


# Query counts


def fill(plan, institution, member, size):
    """`size` indicators, each with `size` validated quarters of history, an outlier and a
    figure in the band submitted, evidence, a breakdown and a comment."""
    sex = DimensionFactory(code="sex", name="Sex")
    women = DimensionValueFactory(dimension=sex)
    for number in range(size):
        indicator = IndicatorFactory(result__axis__plan=plan, code=f"9.{size}.{number}")
        indicator.responsible_institutions.add(institution, InstitutionFactory())
        indicator.dimensions.add(sex)
        for index in range(size + 2):
            IndicatorValueFactory(
                indicator=indicator,
                period=period_of(plan, 2019 + index // 4, 1 + index % 4),
                value=Decimal(10 + index),
            )
        outlier = submitted(indicator, 2023, 3, 1000, member)
        submitted(indicator, 2023, 4, 12, member)
        BreakdownRowFactory(indicator_value=outlier, category=women, value=1000)
        for _ in range(size):
            evidence(outlier, "register.pdf", b"%PDF-1.4")
            ValueCommentFactory(value=outlier, author=member)
    return outlier


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries.captured_queries), response


@pytest.mark.parametrize("who", ["secretariat", "member"])
def test_the_review_page_pins_its_query_count(request, client_for, plan, institution, member, who):
    client = client_for(request.getfixturevalue(who))
    small = fill(plan, institution, member, 2)
    large = fill(PlanFactory(slug="large"), institution, member, 8)
    counted = {}
    for name, value in (("small", small), ("large", large)):
        client.get(page_url(value))
        counted[name], response = count_queries(client, page_url(value))
        assert response.context["outlier"]  # the warning was computed
    # session, user, the user's permissions (own and roles', one query), plan, the value, its
    # institutions, scale levels, dimensions, their categories, breakdown, evidence, comments,
    # the values before it, the values beside it, its history; a member's institution and what
    # waits in the user's inbox (the navigation bar)
    assert counted == {"small": 16 if who == "secretariat" else 17, "large": counted["small"]}


@pytest.mark.parametrize("query", ["", "?warnings=on"])
def test_the_queue_pins_its_query_count_with_warnings(
    client_for, secretariat, plan, institution, member, query
):
    client = client_for(secretariat)
    fill(plan, institution, member, 2)
    client.get(queue_url(query))
    small, response = count_queries(client, queue_url(query))
    assert len(response.context["table"].warnings) == 2
    fill(plan, institution, member, 8)
    large, response = count_queries(client, queue_url(query))
    assert len(response.context["table"].warnings) == 10
    # The queue's 13 as tests/test_validation_queue.py counts them (with the validated figures
    # of the rows' indicators) but the scale levels: no scale among these rows; with the
    # filter, the filtered rows are read once more to be measured.
    assert (small, large) == ((12, 12) if not query else (13, 13))


def test_the_submitted_time_is_shown(client_for, secretariat, value):
    IndicatorValue.objects.filter(pk=value.pk).update(
        submitted_at=datetime.datetime(2021, 4, 12, 9, 30, tzinfo=datetime.UTC)
    )
    page = client_for(secretariat).get(page_url(value)).content.decode()
    assert "04/12/2021" in page or "12/04/2021" in page
