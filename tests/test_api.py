"""The REST API (issue 16), reading: plans, framework, periods, values, completeness; tokens,
errors as JSON in the request's language, pagination. The world defined here (a plan with a
value in each state, a token for each role) serves the other tests/test_api_*.py modules."""

import datetime
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db.models import Q

from tracker import roles
from tracker.models import ApiToken, IndicatorValue, ReportingPeriod

from .factories import (
    AlignmentTagFactory,
    AnnualTargetFactory,
    BreakdownRowFactory,
    DimensionFactory,
    DimensionValueFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    PlanFactory,
    RegionFactory,
    SourceFactory,
    UserFactory,
    period_of,
)

pytestmark = pytest.mark.django_db

Status = IndicatorValue.Status
ROLE_USERS = {
    "member": "member",
    "member2": "member2",
    "secretariat": "secretariat",
    "framework": "framework_admin",
    "staff": "reporting_staff",
    "no_role": "outsider",
}


@pytest.fixture(autouse=True)
def fresh_throttles():
    # The request counts live in the process's cache; ids come back in the next test.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def second_secretariat(db):
    return UserFactory(username="secretariat2", role=roles.SECRETARIAT)


@pytest.fixture
def world(institution, member, secretariat):
    """A private plan "nap": indicator 1.1-a (a count of MPFEF, broken down by sex and region,
    with a target, a tag and a cited baseline), 1.2-b (a percentage of another institution);
    Q1 2021 closed with a validated value, Q2 2021 open with a draft, Q3 2021 open with a value
    the member submitted, Q4 2021 with a value entered by the secretariat."""
    plan = PlanFactory(slug="nap", title="Plan d'action national", lead_institution=institution)
    sex = DimensionFactory(code="sex", name="Sexe")
    women = DimensionValueFactory(dimension=sex, code="women", name="Femmes", order=1)
    men = DimensionValueFactory(dimension=sex, code="men", name="Hommes", order=2)
    region = DimensionFactory(code="region", name="Région")
    mopti = DimensionValueFactory(
        dimension=region,
        code="mopti",
        name="Mopti",
        region=RegionFactory(code="ML-5", name="Mopti"),
    )
    count = IndicatorFactory(
        result__axis__plan=plan,
        result__code="1.1",
        code="1.1-a",
        name="Femmes formées",
        baseline_value=Decimal(10),
        baseline_year=2018,
        baseline_citation=SourceFactory(),
        baseline_source="Internal: check with UN Women",
        target_value=Decimal(500),
    )
    count.responsible_institutions.add(institution)
    count.dimensions.add(sex, region)
    count.alignment_tags.add(AlignmentTagFactory(code="5.5.1"))
    AnnualTargetFactory(indicator=count, year=2021, value=Decimal(100))
    share = IndicatorFactory(result=count.result, code="1.2-b", percentage=True)
    q1, q2, q3, q4 = (period_of(plan, 2021, quarter) for quarter in (1, 2, 3, 4))
    validated = IndicatorValueFactory(
        indicator=count,
        period=q1,
        value=Decimal(30),
        qualifier="at_least",
        note="Internal: the count of Mopti is late",
        entered_by=member,
        validated_by=secretariat,
        citation=SourceFactory(publisher="ONU Femmes"),
    )
    BreakdownRowFactory(indicator_value=validated, category=women, value=Decimal(20))
    BreakdownRowFactory(indicator_value=validated, category=men, value=Decimal(10))
    BreakdownRowFactory(
        indicator_value=validated, category=women, cross_category=mopti, value=Decimal(5)
    )
    draft = IndicatorValueFactory(
        indicator=count, period=q2, value=Decimal(7), status=Status.DRAFT, entered_by=member
    )
    submitted = IndicatorValueFactory(
        indicator=count,
        period=q3,
        value=Decimal(9),
        status=Status.SUBMITTED,
        entered_by=member,
        submitted_by=member,
    )
    own = IndicatorValueFactory(
        indicator=count,
        period=q4,
        value=Decimal(4),
        status=Status.SUBMITTED,
        entered_by=secretariat,
        submitted_by=secretariat,
    )
    ReportingPeriod.objects.filter(Q(pk=q1.pk)).update(
        status=ReportingPeriod.Status.CLOSED,
        closed_at=datetime.datetime(2021, 4, 15, tzinfo=datetime.UTC),
    )
    return {
        "plan": plan,
        "count": count,
        "share": share,
        "validated": validated,
        "draft": draft,
        "submitted": submitted,
        "own": own,
        "categories": {"women": women, "men": men, "mopti": mopti},
    }


@pytest.fixture
def token_for(db):
    """token_for(user) → a fresh secret for that user's token."""

    def issue(user):
        return ApiToken.issue(user=user, name="tests", days=30)[1]

    return issue


@pytest.fixture
def api(client, token_for, request):
    """api(role).get(url) / .post(url, data) / .patch(url, data): JSON requests with the
    role's token ("anonymous": none)."""

    class As:
        def __init__(self, role, language="en"):
            # English unless a test asks otherwise: the users' own language is French.
            self.headers = {"Accept-Language": language} if language else {}
            if role != "anonymous":
                user = request.getfixturevalue(ROLE_USERS.get(role, role))
                self.headers["Authorization"] = f"Bearer {token_for(user)}"

        def get(self, url, **kwargs):
            return client.get(url, headers={**self.headers, **kwargs.pop("headers", {})}, **kwargs)

        def post(self, url, data=None, **kwargs):
            return client.post(
                url, data or {}, content_type="application/json", headers=self.headers, **kwargs
            )

        def patch(self, url, data=None, **kwargs):
            return client.patch(
                url, data or {}, content_type="application/json", headers=self.headers, **kwargs
            )

    return As


def values_url(slug="nap", pk=None, action=None):
    url = f"/api/plans/{slug}/values/"
    if pk:
        url += f"{pk}/"
    if action:
        url += f"{action}/"
    return url


# Reading


def test_a_member_reads_the_plan_and_its_framework(api, world):
    member = api("member")
    plans = member.get("/api/plans/").json()
    assert [plan["slug"] for plan in plans["results"]] == ["nap"]
    assert member.get("/api/plans/nap/").json()["lead_institution"]["acronym"] == "MPFEF"
    assert member.get("/api/plans/nap/axes/").json()["count"] == 1
    result = member.get("/api/plans/nap/results/1.1/").json()
    assert result["code"] == "1.1"
    indicator = member.get("/api/plans/nap/indicators/1.1-a/").json()
    assert indicator["baseline"]["value"] == "10"
    assert indicator["baseline"]["year"] == 2018
    assert indicator["baseline"]["citation"]["publisher"] == "UN Women"
    assert indicator["annual_targets"] == [{"year": 2021, "value": "100"}]
    assert indicator["target_value"] == "500"
    assert [tag["code"] for tag in indicator["alignment_tags"]] == ["5.5.1"]
    assert {dimension["code"] for dimension in indicator["dimensions"]} == {"sex", "region"}
    assert "Internal" not in str(indicator)


def test_values_carry_breakdowns_qualifiers_and_citations(api, world):
    value = api("member").get(values_url(pk=world["validated"].pk)).json()
    assert value["indicator"] == "1.1-a"
    assert value["period"] == "2021-Q1"
    assert value["value"] == "30"
    assert value["qualifier"] == "at_least"
    assert value["citation"]["publisher"] == "ONU Femmes"
    assert value["citation"]["text"].startswith("ONU Femmes, ")
    assert value["breakdown"] == [
        {
            "category": {"dimension": "sex", "code": "women", "name": "Femmes"},
            "cross_category": None,
            "value": "20",
        },
        {
            "category": {"dimension": "sex", "code": "women", "name": "Femmes"},
            "cross_category": {"dimension": "region", "code": "mopti", "name": "Mopti"},
            "value": "5",
        },
        {
            "category": {"dimension": "sex", "code": "men", "name": "Hommes"},
            "cross_category": None,
            "value": "10",
        },
    ]


@pytest.mark.parametrize(
    "role, sees_note", [("member", True), ("secretariat", True), ("staff", False)]
)
def test_internal_notes_only_reach_who_may_read_them(api, world, role, sees_note):
    value = api(role).get(values_url(pk=world["validated"].pk)).json()
    assert value["note"] == ("Internal: the count of Mopti is late" if sees_note else None)


def test_values_are_filtered_by_period_indicator_and_status(api, world):
    member = api("member")

    def listed(query):
        return sorted(
            value["period"] for value in member.get(values_url() + query).json()["results"]
        )

    assert listed("") == ["2021-Q1", "2021-Q2", "2021-Q3", "2021-Q4"]
    assert listed("?period=2021Q2") == ["2021-Q2"]
    assert listed("?period=2021-Q3") == ["2021-Q3"]
    assert listed("?status=submitted") == ["2021-Q3", "2021-Q4"]
    assert listed("?indicator=1.2-b") == []
    assert listed("?year=2020") == []


def test_a_bad_period_filter_is_a_400_that_says_how_to_name_one(api, world):
    response = api("member").get(values_url() + "?period=spring")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert "2021Q3" in response.json()["errors"]["period"][0]


def test_periods_are_listed_with_their_state(api, world):
    periods = api("secretariat").get("/api/plans/nap/periods/?page_size=100").json()
    keys = [period["key"] for period in periods["results"]]
    assert keys[:5] == ["2019-Q1", "2019-Q2", "2019-Q3", "2019-Q4", "2019"]
    q1 = api("secretariat").get("/api/plans/nap/periods/2021-Q1/").json()
    assert q1["status"] == "closed"
    assert api("secretariat").get("/api/plans/nap/periods/2021Q1/").json() == q1
    assert api("secretariat").get("/api/plans/nap/periods/2031/").status_code == 404


def test_completeness_counts_what_each_institution_reported(api, world):
    grid = api("secretariat").get("/api/plans/nap/completeness/?year=2021").json()
    assert grid["year"] == 2021
    (row,) = grid["rows"]
    assert row["institution"]["acronym"] == "MPFEF"
    cells = {cell["period"]: cell for cell in row["cells"]}
    assert cells["2021-Q1"] | {"period": None} == {
        "period": None,
        "due": 1,
        "reported": 1,
        "draft": 0,
        "submitted": 0,
        "validated": 1,
        "returned": 0,
        "share": "100",
    }
    assert cells["2021-Q2"]["share"] == "0"
    assert api("member").get("/api/plans/nap/completeness/").status_code == 403


def test_lists_are_paginated(api, world):
    page = api("member").get("/api/plans/nap/periods/?page_size=2&page=3").json()
    assert page["count"] == 25
    assert len(page["results"]) == 2
    assert "page=4" in page["next"] and "page=2" in page["previous"]
    assert api("member").get("/api/plans/nap/periods/?page=99").status_code == 404


# Who sees what


def test_a_visitor_is_asked_for_a_token_on_a_private_plan(api, world):
    response = api("anonymous").get(values_url())
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert response.json()["code"] == "not_authenticated"
    assert api("anonymous").get("/api/plans/").json()["results"] == []
    assert api("anonymous").get("/api/plans/nap/").status_code == 401


def test_a_public_plan_shows_its_validated_figures_without_a_token(api, world):
    world["plan"].is_public = True
    world["plan"].save()
    visitor = api("anonymous")
    assert [plan["slug"] for plan in visitor.get("/api/plans/").json()["results"]] == ["nap"]
    values = visitor.get(values_url()).json()["results"]
    assert [value["period"] for value in values] == ["2021-Q1"]
    assert values[0]["note"] is None
    assert values[0]["entered_by"] is None and values[0]["validated_by"] is None
    assert visitor.get(values_url(pk=world["draft"].pk)).status_code == 404
    assert visitor.get("/api/plans/nap/indicators/1.1-a/").status_code == 200
    # Periods, comments and completeness stay with the committee, as on the pages.
    assert visitor.get("/api/plans/nap/periods/").status_code == 401
    assert visitor.get(values_url(pk=world["validated"].pk, action="comments")).status_code == 401
    assert visitor.get("/api/plans/nap/completeness/").status_code == 401


def test_an_account_without_a_role_is_told_what_to_do(api, world):
    response = api("no_role").get(values_url())
    assert response.status_code == 403
    assert response.json() == {
        "detail": "Your account has no role yet. Ask the secretariat to give you one.",
        "code": "permission_denied",
    }


def test_an_unknown_plan_is_a_404_in_json(api, world):
    response = api("member").get("/api/plans/nowhere/values/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


# Errors in the request's language


def test_errors_follow_accept_language(api, world):
    response = api("no_role", language="fr").get(values_url())
    assert response.status_code == 403
    assert response["Content-Language"] == "fr"
    assert (
        response.json()["detail"]
        != "Your account has no role yet. Ask the secretariat to give you one."
    )


def test_without_accept_language_errors_are_in_the_users_language(api, world, outsider):
    outsider.language = "fr"
    outsider.save()
    french = api("no_role", language=None).get(values_url())
    outsider.language = "en"
    outsider.save()
    english = api("no_role", language=None).get(values_url())
    assert french["Content-Language"] == "fr"
    assert english["Content-Language"] == "en"
    assert english.json()["detail"].startswith("Your account has no role yet")


# Tokens


def test_a_revoked_or_expired_token_opens_nothing(client, world, member, token_for):
    secret = token_for(member)
    headers = {"Authorization": f"Bearer {secret}"}
    assert client.get(values_url(), headers=headers).status_code == 200
    token = ApiToken.objects.get(user=member)
    assert token.last_used_at is not None
    token.revoke(by=member)
    response = client.get(values_url(), headers=headers)
    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"
    fresh = token_for(member)
    ApiToken.objects.filter(prefix=fresh[:12]).update(
        expires_at=datetime.datetime(2021, 1, 1, tzinfo=datetime.UTC),
        created_at=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC),
    )
    assert client.get(values_url(), headers={"Authorization": f"Bearer {fresh}"}).status_code == 401


@pytest.mark.parametrize(
    "header", ["Bearer", "Bearer nap_wrong", "Bearer two words", "Token nap_x"]
)
def test_a_bad_authorization_header_is_a_401(client, world, header):
    response = client.get(values_url(), headers={"Authorization": header})
    assert response.status_code == 401
    assert set(response.json()) == {"detail", "code"}


def test_a_token_of_a_disabled_account_opens_nothing(client, world, member, token_for):
    secret = token_for(member)
    member.is_active = False
    member.save()
    response = client.get(values_url(), headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 401


def test_the_token_keyword_works_too(client, world, member, token_for):
    response = client.get(values_url(), headers={"Authorization": f"Token {token_for(member)}"})
    assert response.status_code == 200


def test_requests_are_throttled_per_token(client, world, member, token_for, settings):
    settings.API_THROTTLE_RATES = {"token": "3/minute", "anonymous": "2/minute"}
    first, second = token_for(member), token_for(member)
    answers = [
        client.get("/api/plans/", headers={"Authorization": f"Bearer {first}"}).status_code
        for _ in range(4)
    ]
    assert answers == [200, 200, 200, 429]
    throttled = client.get("/api/plans/", headers={"Authorization": f"Bearer {first}"})
    assert throttled.json()["code"] == "throttled"
    assert int(throttled["Retry-After"]) > 0
    # Another token has its own count; visitors theirs.
    assert (
        client.get("/api/plans/", headers={"Authorization": f"Bearer {second}"}).status_code == 200
    )
    assert [client.get("/api/plans/").status_code for _ in range(3)] == [200, 200, 429]


def test_a_signed_in_browser_reads_the_api_with_its_session(client_for, member, world):
    assert client_for(member).get(values_url()).status_code == 200


def test_the_schema_and_its_documentation_page_are_served(client, world):
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    assert schema.json()["openapi"].startswith("3.")
    assert "/api/plans/{plan_slug}/values/{id}/validate/" in schema.json()["paths"]
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    page = docs.content.decode()
    assert "tracker/api_docs.js" in page
    assert "cdn" not in page.lower() and "<script>" not in page


def test_the_documentation_page_lists_the_operations_and_loads_swagger_ui_only_on_request(
    client, world
):
    """The reference is written on the server; Swagger UI (hundreds of KB) is only named in the
    console button's data- attributes, for the script to fetch when it is pressed."""
    page = client.get("/api/docs/").content.decode()
    assert "<code>POST</code>" in page
    assert "/api/plans/{plan_slug}/values/{id}/validate/" in page
    assert (
        'data-script="/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js"' in page
    )
    assert '<script src="/static/drf_spectacular_sidecar' not in page
    assert 'rel="stylesheet" href="/static/drf_spectacular_sidecar' not in page


def test_the_documentation_page_is_french_for_a_french_reader(client, world):
    page = client.get("/api/docs/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Opérations" in page and "Essayer l’API dans cette page" in page
