"""Ordinal-scale indicators on the quarterly entry page: the indicator's levels are offered and a
chosen one is stored; an indicator whose levels nobody has entered yet (the shipped Mali 1.0-a:
the plan's sources give no scale) says so instead of offering an empty list, and the framework
administrator adds the levels on the indicator's admin page."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from tracker import roles
from tracker.models import Indicator, IndicatorValue, Institution, ScaleLevel

from .factories import (
    IndicatorFactory,
    ResultFactory,
    UserFactory,
    participation_scale,
    period_of,
)

pytestmark = pytest.mark.django_db

NO_LEVELS = (
    "No scale levels are defined for this indicator; ask the framework administrator to add "
    "them in the administration."
)


@pytest.fixture
def scales(plan, institution):
    result = ResultFactory(axis__plan=plan, axis__number=1, code="1.0")
    graded = participation_scale(result)
    bare = IndicatorFactory(
        result=result,
        code="3.5.1-a",
        name="Gender in SALW law",
        unit_kind="scale",
        aggregation="latest",
    )
    for indicator in (graded, bare):
        indicator.responsible_institutions.add(institution)
    return {"plan": plan, "period": period_of(plan, 2023, 3), "graded": graded, "bare": bare}


def entry_url(period):
    return f"/plans/{period.plan.slug}/periods/{period.year}-Q{period.quarter}/"


def options(page, name):
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', page, re.S)
    assert select, f"no <select name={name}>"
    return re.findall(r'<option value="([^"]*)"( selected)?>([^<]*)</option>', select.group(1))


def unchanged(scales, **fields):
    data = {"action": "save"}
    for key in ("graded", "bare"):
        data[f"i{scales[key].pk}-version"] = "0"
    data.update(fields)
    return data


def test_a_scale_indicator_offers_its_levels(client_for, member, scales):
    response = client_for(member).get(entry_url(scales["period"]))
    assert response.status_code == 200
    assert options(response.content.decode(), f"i{scales['graded'].pk}-value") == [
        ("", " selected", "—"),
        ("0", "", "0 – None"),
        ("1", "", "1 – Consulted"),
        ("2", "", "2 – Takes part in decisions"),
    ]


def test_a_chosen_level_is_saved_and_shown_again(client_for, member, scales):
    client = client_for(member)
    graded = scales["graded"]
    response = client.post(
        entry_url(scales["period"]),
        unchanged(scales, **{f"i{graded.pk}-value": "2", f"i{graded.pk}-source": "CNS minutes"}),
    )
    assert response.status_code == 302, response.content.decode()
    value = IndicatorValue.objects.get(indicator=graded, period=scales["period"])
    assert value.value == Decimal(2)
    assert value.status == IndicatorValue.Status.DRAFT
    assert value.entered_by == member
    page = client.get(entry_url(scales["period"])).content.decode()
    assert ("2", " selected", "2 – Takes part in decisions") in options(page, f"i{graded.pk}-value")


def test_a_level_the_indicator_does_not_have_is_refused(client_for, member, scales):
    graded = scales["graded"]
    response = client_for(member).post(
        entry_url(scales["period"]), unchanged(scales, **{f"i{graded.pk}-value": "7"})
    )
    assert response.status_code == 400
    assert not IndicatorValue.objects.exists()


def test_a_scale_indicator_without_levels_explains_itself(client_for, member, scales):
    bare = scales["bare"]
    response = client_for(member).get(entry_url(scales["period"]))
    page = response.content.decode()
    assert response.status_code == 200
    assert NO_LEVELS in page
    assert page.count(NO_LEVELS) == 1  # the graded indicator has its list
    assert f'name="i{bare.pk}-value"' not in page
    # Nothing can be reported without a level, so the rest of its form is off too.
    assert re.search(rf'<textarea name="i{bare.pk}-narrative"[^>]* disabled', page)
    # A member is not sent to an admin page they cannot open.
    assert reverse("admin:tracker_indicator_change", args=[bare.pk]) not in page


def test_a_form_without_levels_stores_nothing_and_blocks_no_other_value(client_for, member, scales):
    graded, bare = scales["graded"], scales["bare"]
    response = client_for(member).post(
        entry_url(scales["period"]),
        unchanged(
            scales,
            **{
                f"i{bare.pk}-value": "1",
                f"i{bare.pk}-narrative": "Typed anyway",
                f"i{graded.pk}-value": "1",
            },
        ),
    )
    assert response.status_code == 302, response.content.decode()
    assert list(IndicatorValue.objects.values_list("indicator__code", "value")) == [
        ("1.0-a", Decimal(1))
    ]


def test_an_administrator_entering_values_is_pointed_to_the_admin(client_for, superuser, scales):
    bare = scales["bare"]
    institution = bare.responsible_institutions.get()
    page = (
        client_for(superuser)
        .get(entry_url(scales["period"]) + f"?institution={institution.pk}")
        .content.decode()
    )
    assert NO_LEVELS in page
    assert reverse("admin:tracker_indicator_change", args=[bare.pk]) in page


def admin_form_data(response):
    """The POST data of an admin change page as it was rendered: every bound field of the main
    form and of each inline formset, with the management forms."""
    data = {}
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        data.update(
            {
                f"{formset.management_form.prefix}-{name}": value
                for name, value in formset.management_form.initial.items()
            }
        )
        forms += list(formset.forms)
    for form in forms:
        for name, field in form.fields.items():
            value = form[name].value()
            if value is None or field.disabled:
                continue
            if isinstance(value, list | tuple):
                data[form.add_prefix(name)] = [str(item) for item in value]
            else:
                data[form.add_prefix(name)] = value
    return data


def test_the_framework_administrator_adds_levels_on_the_indicator_page(
    client_for, framework_admin, member, scales
):
    bare = scales["bare"]
    admin = client_for(framework_admin)
    url = reverse("admin:tracker_indicator_change", args=[bare.pk])
    response = admin.get(url)
    assert response.status_code == 200
    assert "scale_levels-TOTAL_FORMS" in response.content.decode()
    data = admin_form_data(response)
    data.update(
        {
            # The factory's indicator has only the English name; the admin asks for the French.
            "name_fr": "Prise en compte du genre dans la législation sur les ALPC",
            "scale_levels-TOTAL_FORMS": "2",
            "scale_levels-0-value": "0",
            "scale_levels-0-name_fr": "Non prise en compte",
            "scale_levels-0-name_en": "Not taken into account",
            "scale_levels-1-value": "1",
            "scale_levels-1-name_fr": "Pleinement prise en compte",
            "scale_levels-1-name_en": "Fully taken into account",
        }
    )
    response = admin.post(url, data)
    assert response.status_code == 302, response.context and [
        response.context["adminform"].form.errors,
        [inline.formset.errors for inline in response.context["inline_admin_formsets"]],
    ]
    assert list(bare.scale_levels.values_list("value", "name_en")) == [
        (0, "Not taken into account"),
        (1, "Fully taken into account"),
    ]

    page = client_for(member).get(entry_url(scales["period"])).content.decode()
    assert NO_LEVELS not in page
    assert [value for value, _, _ in options(page, f"i{bare.pk}-value")] == ["", "0", "1"]


# The shipped Mali plan


def test_the_shipped_mali_scale_indicator_says_its_levels_are_missing(client_for, mali_plan):
    """The plan's sources (shared/domain, the seeds) give no levels for 1.0-a, so the fixture
    has none: the page must say so rather than offer an empty list."""
    indicator = Indicator.objects.get(plan__slug="mali-2019-2023", code="1.0-a")
    assert indicator.unit_kind == Indicator.UnitKind.SCALE
    assert not ScaleLevel.objects.filter(indicator=indicator).exists()
    member = UserFactory(
        role=roles.COMMITTEE_MEMBER, institution=Institution.objects.get(acronym="MPFEF")
    )
    period = indicator.plan.reporting_periods.get(year=2023, quarter=3)
    page = client_for(member).get(entry_url(period)).content.decode()
    card = page[page.index(f'id="indicator-{indicator.pk}"') :]
    card = card[: card.index('class="card mb-3')] if 'class="card mb-3' in card else card
    assert NO_LEVELS in card
    assert f'name="i{indicator.pk}-value"' not in page
