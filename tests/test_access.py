"""The one door (DESIGN.md §1): every URL of tracker/urls.py × every role, on a private and on a
public plan, against the matrix below. The URLs are read from the URL conf, so a new one fails
here until the matrix says who may open it; a refused request must change nothing."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import Q
from django.forms.models import model_to_dict
from django.urls import URLPattern, reverse

from tracker import access, services, urls
from tracker.models import (
    AnnualReport,
    ApiToken,
    CommitteeMeeting,
    EvidenceFile,
    IndicatorValue,
    PublishedReport,
    PublishedReportFile,
    Reminder,
    ReportingPeriod,
    SpreadsheetImport,
    User,
    ValueComment,
)
from tracker.reports import render as report_render

from .factories import (
    IndicatorFactory,
    IndicatorValueFactory,
    PlanFactory,
    period_of,
)
from .spreadsheet_world import kept_import

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "member", "member2", "secretariat", "framework", "staff", "no_role"]
ROLE_FIXTURES = {
    "member": "member",
    "member2": "member2",
    "secretariat": "secretariat",
    "framework": "framework_admin",
    "staff": "reporting_staff",
    "no_role": "outsider",
}

# What a GET answers, role by role, in the order of ROLES:
#   ok: the page (200) · go: a redirect within the application · login: to the login page
#   403: refused with what to do · 405: the URL only takes POST.
# `member2` belongs to another institution than the indicator's.
R = "ok ok ok ok ok"  # the five signed-in roles that read everything
GET_PRIVATE = {
    # Visitors: the public plans; signed-in users, their inbox (even without a role).
    "home": "ok ok ok ok ok ok ok",
    "plan-detail": f"login {R} 403",
    "plan-framework": f"login {R} 403",
    "indicator-list": f"login {R} 403",
    "indicator-detail": f"login {R} 403",
    "region-view": f"login {R} 403",
    "annual-report": f"login {R} 403",
    "annual-report-export": f"login {R} 403",
    "annual-report-narrative": "405 405 405 405 405 405 405",
    "annual-report-publish": "405 405 405 405 405 405 405",
    "period-entry": "login ok ok ok 403 403 403",
    "year-entry": "login ok ok ok 403 403 403",
    "value-history": f"login {R} 403",
    # A value's review: the secretariat and the institutions that report the indicator.
    "value-detail": "login ok 403 ok 403 403 403",
    "value-comment": "405 405 405 405 405 405 405",
    "value-decision": "405 405 405 405 405 405 405",
    "evidence-file": f"login {R} 403",
    "validation-queue": "login 403 403 ok 403 403 403",
    "period-list": f"login {R} 403",
    # GET: what is still pending, and the button that closes the period.
    "period-close": "login 403 403 ok 403 403 403",
    "period-reopen": "405 405 405 405 405 405 405",
    "year-close": "login 403 403 ok 403 403 403",
    "year-reopen": "405 405 405 405 405 405 405",
    "period-meetings": f"login {R} 403",
    "meeting-minutes": f"login {R} 403",
    "completeness": "login 403 403 ok 403 ok 403",
    "period-due-date": "405 405 405 405 405 405 405",
    "year-due-date": "405 405 405 405 405 405 405",
    "completeness-remind": "405 405 405 405 405 405 405",
    # Every signed-in user's own e-mail preferences: no plan, no role needed.
    "account-email": "login ok ok ok ok ok ok",
    # The quarter in Excel: the secretariat picks the institution first (redirected to the entry
    # page without one); a preview is its uploader's alone; a committed file is evidence.
    "period-template": "login ok ok go 403 403 403",
    "year-template": "login ok ok go 403 403 403",
    "period-import": "login ok ok ok 403 403 403",
    "year-import": "login ok ok ok 403 403 403",
    "import-preview": "login ok 404 404 403 403 403",
    "import-file": f"login {R} 403",
    "plan-export": f"login {R} 403",
    # The account's API tokens: every signed-in user, role or not, holds their own.
    "api-tokens": "login ok ok ok ok ok ok",
    "api-token-revoke": "login 405 405 405 405 405 405",
    # The browser's icon: a redirect to its static file, for everyone.
    "favicon": "go go go go go go go",
}
# On a public plan, visitors and accounts without a role read the dashboard and the published
# report; everything else stays as on a private plan.
GET_PUBLIC = {
    **GET_PRIVATE,
    "plan-detail": f"ok {R} ok",
    "annual-report": f"ok {R} ok",
    "annual-report-export": f"ok {R} ok",
    "plan-export": f"ok {R} ok",
}

# What a POST may change, role by role: yes (the write happens) or no (refused, nothing
# changes). The secretariat entered the value waiting in the queue, so four eyes leaves it to
# nobody here; the queue's own tests validate with a second secretariat member.
POSTS = {
    "period-entry": "no yes no yes no no no",
    "validation-queue": "no no no no no no no",
    "period-close": "no no no yes no no no",
    "period-reopen": "no no no yes no no no",
    "year-close": "no no no yes no no no",
    "year-reopen": "no no no yes no no no",
    "period-meetings": "no no no yes no no no",
    "annual-report-narrative": "no no no no no yes no",
    "annual-report-publish": "no no no no no yes no",
    "period-due-date": "no no no yes no no no",
    "year-due-date": "no no no yes no no no",
    "completeness-remind": "no no no yes no no no",
    "value-comment": "no yes no yes no no no",
    # The value is a member's here (test_post), so four eyes lets the secretariat decide.
    "value-decision": "no no no yes no no no",
    "period-import": "no yes no yes no no no",
    "import-preview": "no yes no no no no no",
    "api-tokens": "no yes yes yes yes yes yes",
}


def url_names():
    return [pattern.name for pattern in urls.urlpatterns if isinstance(pattern, URLPattern)]


def test_the_matrix_names_every_url():
    assert sorted(GET_PRIVATE) == sorted(url_names())
    assert set(POSTS) <= set(url_names())


def test_every_plan_view_goes_through_the_door():
    for pattern in urls.urlpatterns:
        if "<slug:slug>" in str(pattern.pattern):
            assert isinstance(getattr(pattern.callback, "plan_right", None), access.Right), (
                pattern.name
            )


@pytest.fixture
def world(request, monkeypatch, institution, member, secretariat, reporting_staff):
    """A plan with one of everything a URL can name; `request.param` says if it is public."""
    # Publishing makes two PDFs (a second per world); who may open what needs none of them.
    monkeypatch.setattr(report_render, "pdf_bytes", lambda context: b"%PDF-1.4 a report")
    plan = PlanFactory(slug="nap", is_public=request.param == "public")
    indicator = IndicatorFactory(result__axis__plan=plan, code="1.1-a")
    indicator.responsible_institutions.add(institution)
    period = period_of(plan, 2021, 2)
    closed = period_of(plan, 2021, 1)
    value = IndicatorValueFactory(
        indicator=indicator,
        period=period,
        status=IndicatorValue.Status.SUBMITTED,
        entered_by=secretariat,
        submitted_by=secretariat,
    )
    evidence = EvidenceFile.objects.create(
        indicator_value=value,
        file=SimpleUploadedFile("list.pdf", b"%PDF-1.4 participants"),
        original_name="list.pdf",
        size=21,
    )
    ReportingPeriod.objects.filter(
        Q(pk=closed.pk) | Q(plan=plan, year=2020, quarter__isnull=True)
    ).update(
        status=ReportingPeriod.Status.CLOSED,
        closed_at=datetime.datetime(2021, 4, 1, tzinfo=datetime.UTC),
    )
    meeting = CommitteeMeeting.objects.create(
        period=period,
        date=datetime.date(2021, 5, 4),
        place="Bamako",
        minutes=SimpleUploadedFile("minutes.pdf", b"%PDF-1.4 minutes"),
    )
    services.publish_report(user=reporting_staff, plan=plan, year=2021)
    previewed = kept_import(period, institution, member, {("1.1-a", "value"): 42})
    committed = kept_import(period, institution, member, {}, status="committed")
    return {
        "plan": plan,
        "institution": institution,
        "kwargs": {
            "home": {},
            "indicator-detail": {"code": indicator.code},
            "annual-report": {"year": 2021},
            "annual-report-export": {"year": 2021, "kind": "csv"},
            "annual-report-narrative": {"year": 2021},
            "annual-report-publish": {"year": 2021},
            "period-entry": {"year": 2021, "quarter": 2},
            "year-entry": {"year": 2021},
            "year-close": {"year": 2021},
            "year-reopen": {"year": 2020},
            "value-history": {"pk": value.pk},
            "value-detail": {"pk": value.pk},
            "value-comment": {"pk": value.pk},
            "value-decision": {"pk": value.pk},
            "evidence-file": {"pk": evidence.pk},
            "period-close": {"year": 2021, "quarter": 2},
            "period-reopen": {"year": 2021, "quarter": 1},
            "period-meetings": {"year": 2021, "quarter": 2},
            "meeting-minutes": {"pk": meeting.pk},
            "period-due-date": {"year": 2021, "quarter": 2},
            "year-due-date": {"year": 2021},
            "period-template": {"year": 2021, "quarter": 2},
            "year-template": {"year": 2021},
            "period-import": {"year": 2021, "quarter": 2},
            "year-import": {"year": 2021},
            "import-preview": {"pk": previewed.pk},
            "import-file": {"pk": committed.pk},
            "plan-export": {"kind": "dhis2"},
            "api-token-revoke": {
                "pk": ApiToken.issue(user=secretariat, name="sync", days=30)[0].pk
            },
        },
        "template": committed.file,  # an unchanged template
        "value": value,
    }


# URLs that name no plan.
WITHOUT_PLAN = {"home", "account-email", "api-tokens", "api-token-revoke", "favicon"}


def url_for(world, name):
    kwargs = dict(world["kwargs"].get(name, {}))
    if name not in WITHOUT_PLAN:
        kwargs["slug"] = world["plan"].slug
    return reverse(name, kwargs=kwargs)


def client_as(request, client, role):
    client.logout()
    if role != "anonymous":
        client.force_login(request.getfixturevalue(ROLE_FIXTURES[role]))
    return client


def outcome(response):
    if response.status_code == 302:
        return "login" if response["Location"].startswith(reverse("login")) else "go"
    if response.status_code == 200:
        return "ok"
    return str(response.status_code)


def stored_state():
    """Every row a page could write, to prove a refused request changed nothing."""
    return [
        [model_to_dict(row) for row in model.objects.order_by("pk")]
        for model in (
            IndicatorValue,
            ReportingPeriod,
            CommitteeMeeting,
            AnnualReport,
            PublishedReport,
            PublishedReportFile,
            ValueComment,
            Reminder,
            SpreadsheetImport,
            ApiToken,
        )
    ]


@pytest.mark.parametrize("world", ["private", "public"], indirect=True)
@pytest.mark.parametrize("name", sorted(GET_PRIVATE))
def test_get(request, client, world, name):
    matrix = GET_PUBLIC if world["plan"].is_public else GET_PRIVATE
    before = stored_state()
    answers = {
        role: outcome(client_as(request, client, role).get(url_for(world, name))) for role in ROLES
    }
    assert answers == dict(zip(ROLES, matrix[name].split(), strict=True))
    assert stored_state() == before


def post_data(world, name):
    value = world["value"]
    return {
        "period-entry": {
            "action": "save",
            f"i{value.indicator_id}-version": value.version,
            f"i{value.indicator_id}-value": "42",
        },
        "validation-queue": {"action": "validate", "values": [f"{value.pk}:{value.version}"]},
        "period-reopen": {"reason": "Late figures from Mopti"},
        "year-reopen": {"reason": "The annual GBVIMS report came late"},
        "period-meetings": {
            "meeting-date": "2021-05-20",
            "meeting-place": "Ségou",
            "attendance-TOTAL_FORMS": "1",
            "attendance-INITIAL_FORMS": "0",
            "attendance-0-institution": world["institution"].pk,
            "attendance-0-women_present": "3",
            "attendance-0-men_present": "2",
        },
        "annual-report-narrative": {"summary": "A year of progress."},
        "period-due-date": {"due_on": "2021-08-15", "reason": "Two more weeks for Mopti"},
        "year-due-date": {"due_on": "2022-02-15", "reason": "The GBVIMS report comes late"},
        "completeness-remind": {"period": value.period_id, "institution": world["institution"].pk},
        "value-comment": {"text": "Which registers does this figure come from?"},
        "value-decision": {"action": "validate", "version": value.version},
        "period-import": {"file": _template_upload(world)},
        "api-tokens": {"name": "DHIS2 sync", "days": "30"},
    }.get(name, {})


def _template_upload(world):
    with world["template"].open("rb") as stored:
        return SimpleUploadedFile("quarter.xlsx", stored.read())


@pytest.mark.parametrize("world", ["private"], indirect=True)
@pytest.mark.parametrize("name", sorted(POSTS))
def test_post(request, client, world, name):
    expected = dict(zip(ROLES, POSTS[name].split(), strict=True))
    url = url_for(world, name)
    if name == "import-preview":
        # The member's preview changes the value: a draft, which members may change.
        IndicatorValue.objects.filter(pk=world["value"].pk).update(
            status=IndicatorValue.Status.DRAFT
        )
    if name == "period-entry":
        # The secretariat chooses the institution; members always get their own.
        url += f"?institution={world['institution'].pk}"
        # A submitted value is the secretariat's to change; members change drafts.
        IndicatorValue.objects.filter(pk=world["value"].pk).update(
            status=IndicatorValue.Status.DRAFT, entered_by=None, submitted_by=None
        )
    if name == "completeness-remind":
        # The institution owes its value again, and its member has an address to remind.
        IndicatorValue.objects.filter(pk=world["value"].pk).update(
            status=IndicatorValue.Status.DRAFT
        )
        member = request.getfixturevalue("member")
        User.objects.filter(pk=member.pk).update(email="member@example.ml")
    if name == "value-decision":
        member = request.getfixturevalue("member")
        IndicatorValue.objects.filter(pk=world["value"].pk).update(
            entered_by=member, submitted_by=member
        )
    answers = {}
    for role in ROLES:
        # Each role meets the same world: its write, if any, is rolled back after.
        with transaction.atomic():
            before = stored_state()
            response = client_as(request, client, role).post(url, post_data(world, name))
            answers[role] = "yes" if stored_state() != before else "no"
            transaction.set_rollback(True)
        if answers[role] == "no":
            assert response.status_code in (200, 302, 400, 403, 404, 405, 409), role
    assert answers == expected


@pytest.mark.parametrize("world", ["private"], indirect=True)
def test_a_refusal_says_what_to_do(client_for, outsider, member, world):
    page = client_for(outsider).get(url_for(world, "plan-detail")).content.decode()
    assert "no role yet" in page and "secretariat" in page
    page = client_for(member).get(url_for(world, "validation-queue")).content.decode()
    assert "Only the secretariat validates" in page


def test_an_unknown_plan_is_not_found(client_for, member):
    assert client_for(member).get("/plans/nowhere/").status_code == 404


@pytest.mark.parametrize("world", ["private"], indirect=True)
def test_member_enters_only_their_institutions_indicators(member2, world):
    value = world["value"]
    with pytest.raises(PermissionDenied):
        services.save_value(
            user=member2,
            indicator=value.indicator,
            period=value.period,
            data=services.ValueInput(value=Decimal(1)),
            expected_version=value.version,
        )
