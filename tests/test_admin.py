"""Administrators maintain the whole framework in the admin; nobody else gets in."""

import hashlib

import pytest
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from tracker.models import (
    AnnualReport,
    ApiToken,
    ComboMapping,
    EvidenceFile,
    ExchangeSettings,
    IndicatorValue,
    MeetingAttendance,
    PublishedReport,
    PublishedReportFile,
    Reminder,
)

from .factories import (
    ActivityFactory,
    ActivityProgressFactory,
    AlignmentTagFactory,
    AnnualTargetFactory,
    BreakdownRowFactory,
    BudgetLineFactory,
    CommitteeMeetingFactory,
    DimensionValueFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    InstitutionFactory,
    RegionFactory,
    ScaleLevelFactory,
    SourceFactory,
)
from .table_rows import rows_written_by

pytestmark = pytest.mark.django_db

# The project's own tables; django-axes' sign-in records are tested with the throttling
# (tests/test_sign_in_throttling.py).
REGISTERED = sorted(
    (model for model in admin.site._registry if model._meta.app_label != "axes"),
    key=lambda model: model._meta.model_name,
)


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def one_of_everything(count=1):
    """Rows in every admin table; `count` of each so the query tests can compare sizes."""
    for _ in range(count):
        value = IndicatorValueFactory(citation=SourceFactory())
        BreakdownRowFactory(indicator_value=value)
        AnnualTargetFactory(indicator=value.indicator, year=2022)
        ScaleLevelFactory()
        BudgetLineFactory(activity=ActivityFactory(opportunity__result=value.indicator.result))
        AlignmentTagFactory()
        DimensionValueFactory(region=RegionFactory())
        IndicatorFactory(parent=value.indicator, result=value.indicator.result)
        ActivityProgressFactory(
            activity=ActivityFactory(opportunity__result=value.indicator.result)
        )
        EvidenceFile.objects.create(
            indicator_value=value,
            file=SimpleUploadedFile("minutes.pdf", b"%PDF-1.4"),
            original_name="minutes.pdf",
            size=8,
        )
        meeting = CommitteeMeetingFactory(period=value.period)
        MeetingAttendance.objects.create(
            meeting=meeting, institution=InstitutionFactory(), women_present=3, men_present=2
        )
        Reminder.objects.create(
            kind=Reminder.Kind.OVERDUE,
            email="member@example.ml",
            language="fr",
            period=value.period,
            key=f"p{value.period_id}:{value.pk}",
            subject="T1 2021 : 1 indicateur non soumis",
            body="…",
        )
        # The API and the exchange exports (issue 16).
        ExchangeSettings.objects.create(plan=value.indicator.plan, org_unit="ML")
        ComboMapping.objects.create(category=DimensionValueFactory(), combo="cocWomen001")


# one_of_everything() costs some 60 ms (every plan writes its periods and every row its
# history), and 26 tests start from its rows, 25 more from its rows and then 4 times as many:
# each is made once per session and copied into the tests (tests/table_rows.py).
@pytest.fixture(scope="session")
def rows_of_one_of_everything(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        return rows_written_by(one_of_everything)


@pytest.fixture(scope="session")
def rows_of_four_more(django_db_setup, django_db_blocker, rows_of_one_of_everything):
    with django_db_blocker.unblock():
        return rows_written_by(lambda: one_of_everything(4), on_top_of=rows_of_one_of_everything)


@pytest.fixture
def framework_data(superuser, rows_of_one_of_everything):
    rows_of_one_of_everything.write()
    # A token belongs to a user: the test's own, not one among the rows copied into every test.
    ApiToken.issue(user=superuser, name="DHIS2 sync", days=30)
    # So does a published report (issue 17), shown with one of its files.
    period = IndicatorValue.objects.select_related("period__plan").first().period
    version = PublishedReport.objects.create(
        report=AnnualReport.objects.create(plan=period.plan, year=period.year),
        number=1,
        published_by=superuser,
        figures={},
        narrative={},
        value_versions={},
    )
    content = "\ufeffCode;Valeur\r\n".encode()
    PublishedReportFile.objects.create(
        version=version,
        language="fr",
        kind="csv",
        file=SimpleUploadedFile("report.csv", content),
        sha256=hashlib.sha256(content).hexdigest(),
        size=len(content),
    )


@pytest.mark.parametrize("model", REGISTERED, ids=lambda m: m._meta.model_name)
def test_every_changelist_and_change_page_renders(client_for, superuser, framework_data, model):
    client = client_for(superuser)
    assert client.get(admin_url(model, "changelist")).status_code == 200
    obj = model._default_manager.order_by("pk").first()
    assert obj is not None, f"no {model._meta.model_name} row to open"
    assert client.get(admin_url(model, "change", obj.pk)).status_code == 200
    assert client.get(admin_url(model, "history", obj.pk)).status_code == 200


# The e-mail outbox is the secretariat's (tests/test_reminders_button.py).
@pytest.mark.parametrize(
    "model", [m for m in REGISTERED if m is not Reminder], ids=lambda m: m._meta.model_name
)
def test_framework_administrator_sees_every_framework_page(
    client_for, framework_admin, framework_data, model
):
    client = client_for(framework_admin)
    model_admin = admin.site._registry[model]
    response = client.get(admin_url(model, "changelist"))
    assert response.status_code == 200
    request = response.wsgi_request
    if model_admin.has_add_permission(request):
        assert client.get(admin_url(model, "add")).status_code == 200


def test_framework_administrator_can_add_a_result_with_its_indicators(client_for, framework_admin):
    from tracker.models import Axis, Indicator, Result

    from .factories import AxisFactory

    axis = AxisFactory(number=2)
    response = client_for(framework_admin).post(
        admin_url(Result, "add"),
        {
            "axis": axis.pk,
            "code": "2.2",
            "statement_fr": "Les femmes contribuent à la prévention des conflits.",
            "source_note": "",
            "opportunities-TOTAL_FORMS": 0,
            "opportunities-INITIAL_FORMS": 0,
            "indicators-TOTAL_FORMS": 1,
            "indicators-INITIAL_FORMS": 0,
            "indicators-0-code": "2.2-a",
            "indicators-0-name_fr": "Nombre de femmes médiatrices",
            "indicators-0-opportunity": "",
            "indicators-0-unit_kind": "count",
            "indicators-0-aggregation": "sum",
            "indicators-0-direction": "increase",
        },
    )
    assert response.status_code == 302, response.content
    result = Result.objects.get(code="2.2")
    assert result.plan == axis.plan
    assert Indicator.objects.get(code="2.2-a").plan == axis.plan
    assert result.history.count() == 1
    assert Axis.objects.count() == 1


def test_admin_refuses_a_target_outside_the_plan_and_stores_nothing(client_for, framework_admin):
    from tracker.models import AnnualTarget

    indicator = IndicatorFactory()
    response = client_for(framework_admin).post(
        admin_url(AnnualTarget, "add"), {"indicator": indicator.pk, "year": 2031, "value": "4"}
    )
    assert response.status_code == 200
    assert "2019-2023" in response.content.decode()
    assert AnnualTarget.objects.count() == 0


@pytest.mark.parametrize("user_fixture", ["member", "reporting_staff", "outsider"])
def test_non_administrators_cannot_open_framework_pages(request, client, user_fixture):
    from tracker.models import Indicator, Plan

    client.force_login(request.getfixturevalue(user_fixture))
    for model in (Plan, Indicator):
        for url in (admin_url(model, "changelist"), admin_url(model, "add")):
            response = client.get(url)
            assert response.status_code == 302
            assert response["Location"].startswith(reverse("admin:login"))


def test_secretariat_cannot_edit_the_framework(client_for, secretariat):
    from tracker.models import Indicator

    client = client_for(secretariat)
    assert client.get(admin_url(Indicator, "add")).status_code == 403


def test_reporting_rows_cannot_be_deleted_in_the_admin(client_for, superuser):
    from tracker.models import IndicatorValue

    value = IndicatorValueFactory()
    response = client_for(superuser).get(admin_url(IndicatorValue, "delete", value.pk))
    assert response.status_code == 403


@pytest.mark.parametrize("model", REGISTERED, ids=lambda m: m._meta.model_name)
def test_changelist_queries_do_not_grow_with_rows(
    client_for,
    superuser,
    django_assert_num_queries,
    model,
    rows_of_one_of_everything,
    rows_of_four_more,
):
    client = client_for(superuser)
    url = admin_url(model, "changelist")
    rows_of_one_of_everything.write()
    client.get(url)  # warm caches (content types, session)
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    rows_of_four_more.write()
    with django_assert_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200
