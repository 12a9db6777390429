"""The quarterly entry page: members enter and submit their institution's values; bad input is
refused with a clear message and nothing stored (DESIGN.md §1, §3, §7)."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tracker.models import ActivityProgress, BreakdownRow, EvidenceFile, IndicatorValue

from .factories import (
    ActivityFactory,
    AnnualTargetFactory,
    DimensionFactory,
    DimensionValueFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    OpportunityFactory,
    ResultFactory,
    ScaleLevelFactory,
    UserFactory,
    period_of,
)

pytestmark = pytest.mark.django_db
Status = IndicatorValue.Status


@pytest.fixture
def setup(plan, institution, other_institution):
    result = ResultFactory(axis__plan=plan, axis__number=2, code="2.1")
    sex = DimensionFactory(code="sex", name="Sex")
    women = DimensionValueFactory(dimension=sex, code="women", name="Women", order=1)
    men = DimensionValueFactory(dimension=sex, code="men", name="Men", order=2)
    gbv = IndicatorFactory(result=result, code="2.1-a", name="GBV cases recorded")
    gbv.dimensions.add(sex)
    share = IndicatorFactory(result=result, code="2.1-b", name="Women in the CSA", percentage=True)
    budget = IndicatorFactory(result=result, code="2.1-c", name="Gender budget", unit_kind="amount")
    law = IndicatorFactory(
        result=result, code="2.1-d", name="Law adopted", unit_kind="milestone", aggregation="latest"
    )
    salw = IndicatorFactory(
        result=result, code="2.1-e", name="SALW law", unit_kind="scale", aggregation="latest"
    )
    ScaleLevelFactory(indicator=salw, value=0, name="Not considered")
    ScaleLevelFactory(indicator=salw, value=1, name="Partly")
    for indicator in (gbv, share, budget, law, salw):
        indicator.responsible_institutions.add(institution)
    foreign = IndicatorFactory(result=result, code="2.1-z", name="Police women share")
    foreign.responsible_institutions.add(other_institution)
    AnnualTargetFactory(indicator=gbv, year=2023, value=Decimal("4000"))
    activity = ActivityFactory(
        opportunity=OpportunityFactory(result=result), lead_institution=institution, code="A1"
    )
    return {
        "plan": plan,
        "period": period_of(plan, 2023, 3),
        "gbv": gbv,
        "share": share,
        "budget": budget,
        "law": law,
        "salw": salw,
        "foreign": foreign,
        "women": women,
        "men": men,
        "activity": activity,
    }


def url(period, **query):
    base = f"/plans/{period.plan.slug}/periods/{period.year}-Q{period.quarter}/"
    if query:
        base += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return base


def form_data(setup, action="save", **fields):
    """POST data for the page with every form present and unchanged, then `fields`."""
    data = {"action": action}
    for key in ("gbv", "share", "budget", "law", "salw"):
        data[f"i{setup[key].pk}-version"] = "0"
    data[f"a{setup['activity'].pk}-version"] = "0"
    data[f"a{setup['activity'].pk}-percent_complete"] = "0"
    data.update(fields)
    return data


def gbv(setup, name):
    return f"i{setup['gbv'].pk}-{name}"


def snapshot():
    return (
        list(IndicatorValue.objects.values()),
        list(BreakdownRow.objects.values()),
        list(EvidenceFile.objects.values()),
        list(ActivityProgress.objects.values()),
    )


# What each role sees


def test_member_sees_only_their_institutions_indicators(client_for, member, setup):
    response = client_for(member).get(url(setup["period"]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "GBV cases recorded" in page and "Women in the CSA" in page
    assert "Police women share" not in page
    assert "Target 2023: 4,000" in page


def test_secretariat_opens_any_institutions_page(client_for, secretariat, setup, other_institution):
    client = client_for(secretariat)
    chooser = client.get(url(setup["period"]))
    assert chooser.status_code == 200 and other_institution.acronym in chooser.content.decode()
    page = client.get(url(setup["period"], institution=other_institution.pk)).content.decode()
    assert "Police women share" in page and "GBV cases recorded" not in page


def test_user_without_institution_cannot_report(client_for, setup):
    from tracker import roles

    nobody = UserFactory(role=roles.COMMITTEE_MEMBER)
    response = client_for(nobody).get(url(setup["period"]))
    assert response.status_code == 403
    assert "not linked to an institution" in response.content.decode()


@pytest.mark.parametrize("user_fixture", ["reporting_staff", "outsider", "framework_admin"])
def test_roles_that_do_not_report_are_refused(request, client_for, setup, user_fixture):
    before = snapshot()
    response = client_for(request.getfixturevalue(user_fixture)).post(
        url(setup["period"]), form_data(setup, **{gbv(setup, "value"): "5"})
    )
    assert response.status_code == 403
    assert snapshot() == before


def test_period_outside_the_plan_is_not_found(client_for, member, setup):
    assert client_for(member).get("/plans/mali-2019-2023/periods/2030-Q1/").status_code == 404
    assert client_for(member).get("/plans/mali-2019-2023/periods/2021-Q5/").status_code == 404


# Entering and submitting


def test_member_saves_a_draft_with_breakdown_and_evidence(client_for, member, setup):
    pdf = SimpleUploadedFile("report.pdf", b"%PDF-1.4 minutes", content_type="application/pdf")
    response = client_for(member).post(
        url(setup["period"]),
        form_data(
            setup,
            **{
                gbv(setup, "value"): "1 879",
                gbv(setup, f"cell_{setup['women'].pk}_x"): "1860",
                gbv(setup, f"cell_{setup['men'].pk}_x"): "19",
                gbv(setup, "source"): "GBVIMS quarterly report",
                gbv(setup, "evidence"): pdf,
            },
        ),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    value = IndicatorValue.objects.get(indicator=setup["gbv"])
    assert (value.value, value.status, value.version) == (Decimal("1879"), Status.DRAFT, 1)
    assert value.entered_by == member
    assert {(r.category.code, r.value) for r in value.breakdown_rows.all()} == {
        ("women", Decimal("1860")),
        ("men", Decimal("19")),
    }
    assert value.evidence_files.get().original_name == "report.pdf"
    assert value.history.get().history_user == member


def test_member_submits_every_unit_kind(client_for, member, setup):
    response = client_for(member).post(
        url(setup["period"]),
        form_data(
            setup,
            action="submit",
            **{
                f"i{setup['share'].pk}-numerator": "9",
                f"i{setup['share'].pk}-denominator": "29",
                f"i{setup['budget'].pk}-value": "1 234 567",
                f"i{setup['law'].pk}-value": "1",
                f"i{setup['salw'].pk}-value": "1",
                f"a{setup['activity'].pk}-status": "ongoing",
                f"a{setup['activity'].pk}-percent_complete": "40",
                f"a{setup['activity'].pk}-amount_spent": "250000",
            },
        ),
    )
    assert response.status_code == 302
    values = {v.indicator.code: v for v in IndicatorValue.objects.select_related("indicator")}
    assert values["2.1-b"].value == Decimal("31.0345")  # 9/29, kept to 4 places
    assert values["2.1-c"].value == Decimal("1234567")
    assert values["2.1-d"].value == 1 and values["2.1-e"].value == 1
    assert {v.status for v in values.values()} == {Status.SUBMITTED}
    assert all(v.submitted_at for v in values.values())
    progress = ActivityProgress.objects.get()
    assert (progress.percent_complete, progress.amount_spent) == (40, 250000)


def test_returned_value_shows_why_and_goes_back_to_draft(client_for, member, secretariat, setup):
    value = IndicatorValueFactory(
        indicator=setup["gbv"],
        period=setup["period"],
        value=Decimal("10"),
        status=Status.RETURNED,
        return_reason="The GBVIMS figure for July is 12",
        version=3,
    )
    client = client_for(member)
    assert "The GBVIMS figure for July is 12" in client.get(url(setup["period"])).content.decode()
    client.post(
        url(setup["period"]),
        form_data(setup, **{gbv(setup, "version"): "3", gbv(setup, "value"): "12"}),
    )
    value.refresh_from_db()
    assert (value.value, value.status, value.version) == (Decimal("12"), Status.DRAFT, 4)


def test_member_cannot_change_a_validated_value(client_for, member, setup):
    IndicatorValueFactory(indicator=setup["gbv"], period=setup["period"], value=Decimal("10"))
    before = snapshot()
    client_for(member).post(
        url(setup["period"]),
        form_data(setup, **{gbv(setup, "version"): "1", gbv(setup, "value"): "99"}),
    )
    assert snapshot() == before


def test_secretariat_corrects_a_validated_value_only_with_a_reason(
    client_for, secretariat, institution, setup
):
    value = IndicatorValueFactory(
        indicator=setup["gbv"], period=setup["period"], value=Decimal("10")
    )
    client = client_for(secretariat)
    page = url(setup["period"], institution=institution.pk)
    data = form_data(setup, **{gbv(setup, "version"): "1", gbv(setup, "value"): "11"})
    before = snapshot()
    response = client.post(page, data)
    assert response.status_code == 400
    assert "needs a reason" in response.content.decode()
    assert snapshot() == before
    client.post(page, {**data, "reason": "Typo in the GBVIMS extract"})
    value.refresh_from_db()
    assert (value.value, value.status) == (Decimal("11"), Status.VALIDATED)
    assert value.history.latest().history_change_reason == "Typo in the GBVIMS extract"


# Bad input: refused with a clear message, nothing stored


BAD_INPUT = {
    "numerator-above-denominator": (
        {"share": {"numerator": "30", "denominator": "29"}},
        "cannot exceed the denominator",
    ),
    "zero-denominator": ({"share": {"numerator": "0", "denominator": "0"}}, "above zero"),
    "numerator-alone": ({"share": {"numerator": "3"}}, "both the numerator and the denominator"),
    "negative-count": ({"gbv": {"value": "-4"}}, "greater than or equal to 0"),
    "negative-amount": ({"budget": {"value": "-100"}}, "greater than or equal to 0"),
    "text-in-number": ({"gbv": {"value": "beaucoup"}}, "number"),
    "decimal-count": ({"gbv": {"value": "2.5"}}, "decimal"),
    "unknown-scale-level": ({"salw": {"value": "7"}}, "7"),
}


@pytest.mark.parametrize("case", BAD_INPUT, ids=list(BAD_INPUT))
def test_bad_figures_are_refused_and_the_valid_ones_beside_them_kept(
    client_for, member, setup, case
):
    fields, expected = BAD_INPUT[case]
    [bad] = fields
    data = form_data(setup, action="submit")
    for key, values in fields.items():
        for name, raw in values.items():
            data[f"i{setup[key].pk}-{name}"] = raw
    # A valid value beside the bad one is stored, and submitted as asked (issue 14: one bad
    # field no longer throws away the rest of the page); the bad one stores nothing.
    data[f"i{setup['budget'].pk}-value"] = data.get(f"i{setup['budget'].pk}-value", "500")
    before = snapshot()
    response = client_for(member).post(url(setup["period"]), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert f"not saved: {setup[bad].code} (see below)" in page
    assert f'href="#i{setup[bad].pk}"' in page
    assert expected in page
    assert not IndicatorValue.objects.filter(indicator=setup[bad]).exists()
    if bad == "budget":
        assert snapshot() == before
    else:
        kept = IndicatorValue.objects.get()
        assert (kept.indicator, kept.value, kept.status) == (
            setup["budget"],
            Decimal(500),
            Status.SUBMITTED,
        )
        assert snapshot()[1:] == before[1:]  # no breakdown, evidence or activity stored


def test_breakdown_that_does_not_add_up_says_by_how_much(client_for, member, setup):
    before = snapshot()
    response = client_for(member).post(
        url(setup["period"]),
        form_data(
            setup,
            **{
                gbv(setup, "value"): "100",
                gbv(setup, f"cell_{setup['women'].pk}_x"): "90",
                gbv(setup, f"cell_{setup['men'].pk}_x"): "20",
            },
        ),
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "adds up to 110" in page and "+10" in page
    assert snapshot() == before


def test_closed_period_refuses_every_write(client_for, member, setup):
    period = setup["period"]
    period.status, period.closed_at = "closed", timezone.now()
    period.save()
    before = snapshot()
    response = client_for(member).post(url(period), form_data(setup, **{gbv(setup, "value"): "5"}))
    assert response.status_code == 409
    assert "is closed; ask the secretariat to reopen it" in response.content.decode()
    assert snapshot() == before


def test_another_institutions_indicator_is_ignored_and_refused(client_for, member, setup):
    from tracker import services

    before = snapshot()
    data = form_data(
        setup, **{f"i{setup['foreign'].pk}-version": "0", f"i{setup['foreign'].pk}-value": "7"}
    )
    client_for(member).post(url(setup["period"]), data)
    assert snapshot() == before
    with pytest.raises(PermissionDenied):
        services.save_value(
            user=member,
            indicator=setup["foreign"],
            period=setup["period"],
            data=services.ValueInput(value=Decimal(7)),
            expected_version=0,
        )
    assert snapshot() == before


@pytest.mark.parametrize(
    "upload, expected",
    [
        (SimpleUploadedFile("run.exe", b"MZ\x90\x00", "application/octet-stream"), "not accepted"),
        (
            SimpleUploadedFile("report.pdf", b"MZ\x90\x00 not a pdf", "application/pdf"),
            "does not look like",
        ),
        (SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * 2048, "application/pdf"), "the limit is"),
    ],
    ids=["forbidden-type", "renamed-file", "too-large"],
)
def test_bad_evidence_is_refused(client_for, member, setup, settings, upload, expected):
    settings.EVIDENCE_MAX_BYTES = 1024
    before = snapshot()
    response = client_for(member).post(
        url(setup["period"]),
        form_data(setup, **{gbv(setup, "value"): "5", gbv(setup, "evidence"): upload}),
    )
    assert response.status_code == 400
    assert expected in response.content.decode()
    assert snapshot() == before


def test_stale_form_is_refused_and_the_input_kept(client_for, member, setup):
    other = UserFactory(
        username="aminata", first_name="Aminata", last_name="Traoré", institution=member.institution
    )
    from django.contrib.auth.models import Group

    from tracker import roles

    other.groups.add(Group.objects.get(name=roles.COMMITTEE_MEMBER))
    value = IndicatorValueFactory(
        indicator=setup["gbv"], period=setup["period"], value=Decimal("10"), status=Status.DRAFT
    )
    # Aminata saves first, from version 1.
    client_for(other).post(
        url(setup["period"]),
        form_data(setup, **{gbv(setup, "version"): "1", gbv(setup, "value"): "11"}),
    )
    value.refresh_from_db()
    assert value.version == 2
    before = snapshot()
    # The member's form was built from version 1 too.
    response = client_for(member).post(
        url(setup["period"]),
        form_data(setup, **{gbv(setup, "version"): "1", gbv(setup, "value"): "12345"}),
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert "Aminata Traoré saved this value" in page
    assert 'value="12345"' in page
    assert snapshot() == before


# History and queries


def test_history_page_shows_each_change_with_who_and_why(client_for, member, secretariat, setup):
    from tracker import services

    value = services.save_value(
        user=member,
        indicator=setup["gbv"],
        period=setup["period"],
        data=services.ValueInput(value=Decimal(5)),
        expected_version=0,
    )
    services.submit(user=member, values=[value])
    services.return_for_correction(
        user=secretariat, record=value, reason="Count July too", seen_version=value.version
    )
    response = client_for(member).get(f"/plans/{setup['plan'].slug}/values/{value.pk}/history/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Count July too" in page and "secretariat" in page and "member" in page
    assert page.index("Count July too") < page.index("Submitted")


def test_entry_page_queries_do_not_grow_with_indicators(client_for, member, institution, setup):
    IndicatorValueFactory(indicator=setup["gbv"], period=setup["period"], status=Status.DRAFT)
    IndicatorValueFactory(indicator=setup["share"], period=period_of(setup["plan"], 2022, 4))
    client = client_for(member)
    client.get(url(setup["period"]))
    with CaptureQueriesContext(connection) as small:
        client.get(url(setup["period"]))
    for index in range(15):
        indicator = IndicatorFactory(result=setup["gbv"].result, code=f"9.{index}")
        indicator.responsible_institutions.add(institution)
        indicator.dimensions.add(*setup["gbv"].dimensions.all())
        IndicatorValueFactory(indicator=indicator, period=setup["period"], status=Status.DRAFT)
        IndicatorValueFactory(indicator=indicator, period=period_of(setup["plan"], 2022, 4))
        AnnualTargetFactory(indicator=indicator, year=2023)
        ActivityFactory(opportunity=setup["activity"].opportunity, lead_institution=institution)
    with CaptureQueriesContext(connection) as large:
        response = client.get(url(setup["period"]))
    assert response.status_code == 200
    assert len(large.captured_queries) == len(small.captured_queries)


def test_entry_page_pins_its_query_count(client_for, member, setup, django_assert_num_queries):
    IndicatorValueFactory(indicator=setup["gbv"], period=setup["period"], status=Status.DRAFT)
    IndicatorValueFactory(indicator=setup["share"], period=period_of(setup["plan"], 2022, 4))
    client = client_for(member)
    client.get(url(setup["period"]))
    # session, user, the user's permissions (their own and their roles', one query), plan,
    # period, indicators, scale levels, dimensions, dimension values, annual targets, values,
    # breakdown rows, evidence, latest validated values (candidates, the chosen values),
    # activities, activity progress, the user's institution and what waits in their inbox
    # (navigation bar)
    with django_assert_num_queries(19):
        client.get(url(setup["period"]))


def test_a_stored_value_sent_back_unchanged_is_not_refused(client_for, member, setup):
    value = IndicatorValueFactory(
        indicator=setup["gbv"], period=setup["period"], value=Decimal("12.0000"), status="draft"
    )
    page = client_for(member).get(url(setup["period"])).content.decode()
    assert f'name="{gbv(setup, "value")}" value="12"' in page
    response = client_for(member).post(
        url(setup["period"]),
        form_data(
            setup,
            **{
                gbv(setup, "version"): "1",
                gbv(setup, "value"): "12",
                gbv(setup, "source"): "Test source",
            },
        ),
    )
    assert response.status_code == 302
    value.refresh_from_db()
    assert value.version == 1  # nothing changed, nothing saved
