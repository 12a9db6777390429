"""The framework administrator maintains how a plan is named in DHIS2 and IATI, and which
DHIS2 category option combination each breakdown cell is, in the admin (issue 16)."""

import pytest

from tracker.models import ComboMapping, ExchangeSettings

from .factories import DimensionFactory, DimensionValueFactory, PlanFactory

pytestmark = pytest.mark.django_db


def test_the_framework_administrator_maps_a_cell_to_a_combination(client_for, framework_admin):
    sex = DimensionFactory(code="sex")
    women = DimensionValueFactory(dimension=sex, code="women")
    mopti = DimensionValueFactory(dimension=DimensionFactory(code="region"), code="mopti")
    client = client_for(framework_admin)
    assert client.get("/admin/tracker/combomapping/add/").status_code == 200
    response = client.post(
        "/admin/tracker/combomapping/add/",
        {"category": women.pk, "cross_category": mopti.pk, "combo": "xYz123AbC45"},
    )
    assert response.status_code == 302
    mapping = ComboMapping.objects.get()
    assert (mapping.category, mapping.cross_category, mapping.combo) == (
        women,
        mopti,
        "xYz123AbC45",
    )
    assert mapping.history.get().history_user == framework_admin
    # The same cell twice is refused by the database's constraint, shown as a form error.
    again = client.post(
        "/admin/tracker/combomapping/add/",
        {"category": women.pk, "cross_category": mopti.pk, "combo": "other"},
    )
    assert again.status_code == 200
    assert ComboMapping.objects.count() == 1


def test_the_framework_administrator_sets_a_plans_exchange_names(client_for, framework_admin):
    plan = PlanFactory(slug="nap")
    client = client_for(framework_admin)
    response = client.post(
        "/admin/tracker/exchangesettings/add/",
        {
            "plan": plan.pk,
            "org_unit": "ML",
            "data_set": "NAP1325",
            "default_combo": "default",
            "attribute_option_combo": "default",
            "iati_reporting_org_ref": "ML-GOV-MPFEF",
            "iati_reporting_org_type": "10",
            "iati_identifier": "",
            "recipient_country": "ML",
        },
    )
    assert response.status_code == 302
    assert ExchangeSettings.objects.get(plan=plan).org_unit == "ML"


@pytest.mark.parametrize("who", ["member", "secretariat", "reporting_staff"])
def test_other_roles_do_not_change_the_mapping(request, client_for, who):
    client = client_for(request.getfixturevalue(who))
    assert client.get("/admin/tracker/combomapping/add/").status_code in (302, 403)
