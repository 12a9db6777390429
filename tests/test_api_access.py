"""The one door, through the API (issue 16): every route of tracker/api/urls.py × every role (by
token), a visitor and an account without a role, on a private and on a public plan, against
the matrix below; the parallel of tests/test_access.py for the pages. A new route fails here
until the matrix says who may use it; a refused write changes nothing."""

import pytest
from django.db import transaction
from django.forms.models import model_to_dict
from django.urls import URLPattern, reverse

from tracker.api import urls
from tracker.api.views import values as value_views
from tracker.models import BreakdownRow, IndicatorValue, ValueComment

from . import test_api

pytestmark = pytest.mark.django_db

api, world, token_for = test_api.api, test_api.world, test_api.token_for
fresh_throttles = test_api.fresh_throttles

ROLES = ["anonymous", "member", "member2", "secretariat", "framework", "staff", "no_role"]
# What a GET answers, role by role in the order of ROLES: ok (200), 401 (send a token), 403
# (the door's refusal), 405 (the route takes POST only).
R = "ok ok ok ok ok"  # the five roles that read the plan
GET_PRIVATE = {
    "api-plan-list": "ok ok ok ok ok ok ok",  # visitors see the public plans only
    "api-plan-detail": f"401 {R} 403",
    "api-axis-list": f"401 {R} 403",
    "api-axis-detail": f"401 {R} 403",
    "api-result-list": f"401 {R} 403",
    "api-result-detail": f"401 {R} 403",
    "api-opportunity-list": f"401 {R} 403",
    "api-opportunity-detail": f"401 {R} 403",
    "api-indicator-list": f"401 {R} 403",
    "api-indicator-detail": f"401 {R} 403",
    "api-period-list": f"401 {R} 403",
    "api-period-detail": f"401 {R} 403",
    "api-value-list": f"401 {R} 403",
    "api-value-detail": f"401 {R} 403",
    "api-value-submit": "401 405 405 405 405 405 403",
    "api-value-validate": "401 405 405 405 405 405 403",
    "api-value-return-for-correction": "401 405 405 405 405 405 403",
    "api-value-comments": f"401 {R} 403",
    "api-completeness": "401 403 403 ok 403 ok 403",
    "api-export-dhis2": f"401 {R} 403",
    "api-export-adx": f"401 {R} 403",
    "api-export-iati": f"401 {R} 403",
    "api-schema": "ok ok ok ok ok ok ok",
    "api-docs": "ok ok ok ok ok ok ok",
}
# On a public plan, anyone reads its framework and validated figures; periods, comments and
# completeness stay with the committee, as on the pages.
PUBLISHED = [
    "api-plan-detail",
    "api-axis-list",
    "api-axis-detail",
    "api-result-list",
    "api-result-detail",
    "api-opportunity-list",
    "api-opportunity-detail",
    "api-indicator-list",
    "api-indicator-detail",
    "api-value-list",
    "api-value-detail",
    "api-export-dhis2",
    "api-export-adx",
    "api-export-iati",
]
GET_PUBLIC = {
    **GET_PRIVATE,
    **dict.fromkeys(PUBLISHED, f"ok {R} ok"),
    "api-value-submit": "405 405 405 405 405 405 405",
    "api-value-validate": "405 405 405 405 405 405 405",
    "api-value-return-for-correction": "405 405 405 405 405 405 405",
}
# What a write may change, role by role: yes (it happens) or no (refused, nothing changes).
# The draft and the submitted value are MPFEF's (member's institution); member entered them.
WRITES = {
    ("post", "api-value-list"): "no yes no yes no no no",
    ("patch", "api-value-detail"): "no yes no yes no no no",
    ("post", "api-value-submit"): "no yes no yes no no no",
    ("post", "api-value-validate"): "no no no yes no no no",
    ("post", "api-value-return-for-correction"): "no no no yes no no no",
}
if value_views.COMMENTS_WRITABLE:
    WRITES["post", "api-value-comments"] = "no yes no yes no no no"


def route_names():
    return [pattern.name for pattern in urls.urlpatterns if isinstance(pattern, URLPattern)]


def test_the_matrix_names_every_route():
    assert sorted(GET_PRIVATE) == sorted(route_names())
    assert {name for _method, name in WRITES} <= set(route_names())


def test_every_view_of_a_plan_names_the_rights_it_needs():
    for pattern in urls.urlpatterns:
        if "plan_slug" in str(pattern.pattern):
            view = pattern.callback.cls
            assert hasattr(view, "default_right") and hasattr(view, "rights"), pattern.name


def url_of(world, name, reading=False):
    value = {
        # A visitor on a public plan reads validated values only.
        "api-value-detail": world["validated"] if reading else world["draft"],
        "api-value-validate": world["submitted"],
        "api-value-return-for-correction": world["submitted"],
        "api-value-comments": world["submitted"],
    }.get(name, world["draft"])
    kwargs = {
        "api-plan-detail": {"slug": "nap"},
        "api-axis-detail": {"number": world["count"].result.axis.number},
        "api-result-detail": {"code": "1.1"},
        "api-opportunity-detail": {"code": world["opportunity"]},
        "api-indicator-detail": {"code": "1.1-a"},
        "api-period-detail": {"key": "2021-Q2"},
    }.get(name, {})
    if name.startswith("api-value-") and not name.endswith("-list"):
        kwargs["pk"] = value.pk
    if name not in ("api-plan-list", "api-plan-detail", "api-schema", "api-docs"):
        kwargs["plan_slug"] = "nap"
    return reverse(name, kwargs=kwargs)


@pytest.fixture
def api_world(world):
    from .factories import OpportunityFactory

    opportunity = OpportunityFactory(result=world["count"].result, code="1.1.1")
    return {**world, "opportunity": opportunity.code}


def outcome(response):
    return "ok" if response.status_code == 200 else str(response.status_code)


def stored():
    return [
        [model_to_dict(row) for row in model.objects.order_by("pk")]
        for model in (IndicatorValue, BreakdownRow, ValueComment)
    ]


@pytest.mark.parametrize("public", [False, True], ids=["private", "public"])
@pytest.mark.parametrize("name", sorted(GET_PRIVATE))
def test_get(api, api_world, public, name):
    if public:
        api_world["plan"].is_public = True
        api_world["plan"].save()
    matrix = GET_PUBLIC if public else GET_PRIVATE
    before = stored()
    url = url_of(api_world, name, reading=True)
    answers = {role: outcome(api(role).get(url)) for role in ROLES}
    assert answers == dict(zip(ROLES, matrix[name].split(), strict=True))
    assert stored() == before


def write_data(world, name):
    return {
        "api-value-list": {"indicator": "1.1-a", "period": "2022Q1", "value": "3"},
        "api-value-detail": {"version": world["draft"].version, "value": "8"},
        "api-value-submit": {"version": world["draft"].version},
        "api-value-validate": {"version": world["submitted"].version},
        "api-value-return-for-correction": {
            "version": world["submitted"].version,
            "reason": "Mopti is missing",
        },
        "api-value-comments": {"text": "See the attached list"},
    }[name]


@pytest.mark.parametrize("method, name", sorted(WRITES))
def test_write(api, api_world, method, name):
    expected = dict(zip(ROLES, WRITES[method, name].split(), strict=True))
    url = url_of(api_world, name)
    answers = {}
    for role in ROLES:
        client = api(role)
        # Each role meets the same world: its write, if any, is rolled back after.
        with transaction.atomic():
            before = stored()
            response = getattr(client, method)(url, write_data(api_world, name))
            answers[role] = "yes" if stored() != before else "no"
            transaction.set_rollback(True)
        if answers[role] == "yes":
            assert response.status_code in (200, 201), (role, response.content)
        else:
            assert response.status_code in (400, 401, 403, 409), (role, response.content)
            assert set(response.json()) >= {"detail", "code"}
    assert answers == expected
