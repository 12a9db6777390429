"""The quarter in Excel (DESIGN.md §4): a template downloaded, filled with openpyxl as a person
would in Excel, uploaded, previewed (nothing stored) and committed through the services, all
or nothing; the refusals the entry page gives, named by sheet and cell; stale values, closed
periods, other institutions', plans' and periods' templates refused; the file kept as evidence
in the value's history."""

import io
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from tracker import roles, services
from tracker.models import IndicatorValue, ReportingPeriod, SpreadsheetImport

from .factories import IndicatorFactory, UserFactory
from .spreadsheet_world import (
    breakdown_cell,
    build_world,
    download,
    fill,
    stored_state,
    upload,
)

pytestmark = pytest.mark.django_db
Status = IndicatorValue.Status


@pytest.fixture
def world(institution):
    return build_world(institution)


def squeezed(response):
    return re.sub(r"\s+", " ", response.content.decode())


FILLED = {
    ("1.1-a", "value"): 120,
    ("1.1-b", "numerator"): 42,
    ("1.1-b", "denominator"): 147,
    ("1.1-b", "qualifier"): "at least",
    ("1.1-b", "narrative"): "Council lists, June 2021",
    ("1.1-c", "value"): "Yes",
    ("1.1-d", "value"): "1 – Consulted",
    ("1.1-e", "value"): 1_500_000,
}


def filled(world, data, **more):
    return fill(data, {**FILLED, ("1.1-a", breakdown_cell(world, 0, 1)): 20, **more})


def value_of(world, indicator):
    return IndicatorValue.objects.filter(indicator=indicator, period=world.period).first()


def test_a_filled_template_is_previewed_then_committed_and_shows_on_the_entry_page(
    client_for, member, world
):
    client = client_for(member)
    data = filled(world, download(client, world))
    before = stored_state()[:2]
    response = upload(client, world, data)
    assert response.status_code == 302
    # The preview stores the file, and nothing else.
    assert stored_state()[:2] == before
    kept = SpreadsheetImport.objects.get()
    assert (kept.status, kept.uploaded_by, kept.institution) == (
        "previewed",
        member,
        member.institution,
    )
    page = squeezed(client.get(response["Location"]))
    assert "4 to create, 1 to change, 0 left as they are." in page
    assert "≥ 28.6 % (42/147)" in page and "120 · breakdown of 3 cells" in page

    response = client.post(response["Location"])
    assert response.status_code == 302
    assert response["Location"] == world.period.get_absolute_url()
    cases = value_of(world, world.cases)
    assert (cases.value, cases.status, cases.version) == (Decimal(120), Status.DRAFT, 2)
    assert sorted(row.value for row in cases.breakdown_rows.all()) == [20, 40, 60]
    share = value_of(world, world.share)
    assert (share.numerator, share.denominator, share.qualifier) == (42, 147, "at_least")
    assert share.narrative == "Council lists, June 2021"
    assert value_of(world, world.law).value == 1
    assert value_of(world, world.participation).value == 1
    assert value_of(world, world.budget).value == 1_500_000
    assert {value.entered_by for value in IndicatorValue.objects.all()} == {member}

    entry = squeezed(client.get(world.period.get_absolute_url()))
    assert "5 value(s) imported from quarter.xlsx as drafts." in entry
    assert f'name="i{world.cases.pk}-value" value="120"' in entry
    assert f'name="i{world.share.pk}-numerator" value="42"' in entry
    kept.refresh_from_db()
    assert kept.status == "committed" and kept.committed_at
    assert set(kept.changed_values.all()) == set(IndicatorValue.objects.all())
    assert kept.summary["create"] == ["1.1-b", "1.1-c", "1.1-d", "1.1-e"]


def test_ticking_submit_sends_the_imported_values_to_the_secretariat(client_for, member, world):
    client = client_for(member)
    response = upload(client, world, filled(world, download(client, world)))
    client.post(response["Location"], {"submit": "on"})
    assert set(IndicatorValue.objects.values_list("status", flat=True)) == {Status.SUBMITTED}
    assert SpreadsheetImport.objects.get().summary["submitted"] == 5


def test_an_unchanged_template_changes_nothing(client_for, member, world):
    """Formula-like names and narratives, numbers and lists read back as they were written."""
    client = client_for(member)
    response = upload(client, world, download(client, world))
    page = squeezed(client.get(response["Location"]))
    assert "0 to create, 0 to change, 5 left as they are." in page
    before = stored_state()[:2]
    client.post(response["Location"])
    assert stored_state()[:2] == before


def test_every_error_is_named_by_sheet_and_cell_and_nothing_is_stored(client_for, member, world):
    client = client_for(member)
    data = fill(
        download(client, world),
        {
            ("1.1-a", breakdown_cell(world, 0, 0)): 50,  # 50 + 40 = 90, for a total of 100
            ("1.1-b", "numerator"): 150,
            ("1.1-b", "denominator"): 100,
            ("1.1-c", "value"): "Perhaps",
            ("1.1-d", "value"): 7,
            ("1.1-e", "value"): "lots",
            ("1.1-e", "narrative"): "x" * 5001,
        },
    )
    before = stored_state()
    response = upload(client, world, data)
    assert response.status_code == 400
    assert stored_state() == before
    page = squeezed(response)
    assert "The file has 6 errors; nothing was stored." in page
    for expected in (
        "<code>Indicators!F10</code>: The breakdown adds up to 90 but the total is 100 (-10).",
        "<code>Indicators!C17</code>: The numerator cannot exceed the denominator.",
        "<code>Indicators!C26</code>: Choose Yes or No from the list.",
        "<code>Indicators!C32</code>: Select a valid choice.",
        "<code>Indicators!C38</code>: Enter a number.",
        "<code>Indicators!C40</code>: Ensure this value has at most 5000 characters",
    ):
        assert expected in page
    assert "Import these values" not in page


def test_numbers_typed_as_text_are_read_as_the_entry_form_reads_them_in_french(
    client_for, member, world
):
    client = client_for(member)
    client.cookies["django_language"] = "fr"
    data = fill(
        download(client, world),
        {
            ("1.1-a", "value"): "1 879",
            ("1.1-a", breakdown_cell(world, 0, 0)): None,
            ("1.1-a", breakdown_cell(world, 1, 0)): None,
            ("1.1-b", "numerator"): "12,5",
            ("1.1-b", "denominator"): "50",
        },
    )
    response = upload(client, world, data)
    assert response.status_code == 302, squeezed(response)
    client.post(response["Location"])
    assert value_of(world, world.cases).value == 1879
    assert value_of(world, world.share).numerator == Decimal("12.5")


def changed_in_the_app(world, user):
    """Someone saves the draft of 1.1-a on the entry page meanwhile."""
    services.save_value(
        user=user,
        indicator=world.cases,
        period=world.period,
        data=services.ValueInput(value=Decimal(130)),
        expected_version=1,
    )


def test_a_value_changed_since_the_template_was_made_is_refused_and_named(
    client_for, member, secretariat, world
):
    client = client_for(member)
    data = filled(world, download(client, world))
    secretariat.first_name, secretariat.last_name = "Awa", "Traoré"
    secretariat.save()
    changed_in_the_app(world, secretariat)
    before = stored_state()
    response = upload(client, world, data)
    assert response.status_code == 400
    assert stored_state() == before
    assert (
        "<code>Indicators!A3</code>: Awa Traoré changed this value after the template was made "
        "(version 1, now 2)." in squeezed(response)
    )
    # A new template carries the new version: the same figures go through.
    response = upload(client, world, filled(world, download(client, world)))
    assert response.status_code == 302


def test_a_value_changed_between_preview_and_commit_refuses_the_whole_file(
    client_for, member, secretariat, world
):
    client = client_for(member)
    response = upload(client, world, filled(world, download(client, world)))
    preview = response["Location"]
    changed_in_the_app(world, secretariat)
    before = stored_state()[:2]
    response = client.post(preview)
    assert response.status_code == 409
    assert stored_state()[:2] == before
    page = squeezed(response)
    assert (
        "Nothing was imported" in page and "changed this value after the template was made" in page
    )
    assert SpreadsheetImport.objects.get().status == "refused"
    # Refused once, it cannot be committed by posting again.
    assert client.post(preview).status_code == 200
    assert stored_state()[:2] == before


def test_a_closed_period_refuses_the_file(client_for, member, world):
    client = client_for(member)
    data = filled(world, download(client, world))
    ReportingPeriod.objects.filter(pk=world.period.pk).update(
        status="closed", closed_at="2021-07-01T00:00:00Z"
    )
    before = stored_state()
    response = upload(client, world, data)
    assert response.status_code == 400
    assert "Period Q2 2021 is closed; ask the secretariat to reopen it." in squeezed(response)
    assert stored_state() == before


def test_another_institutions_template_is_refused(
    client_for, member, secretariat, other_institution, world
):
    IndicatorFactory(result=world.cases.result, code="1.1-z").responsible_institutions.add(
        other_institution
    )
    data = download(client_for(secretariat), world, other_institution)
    before = stored_state()
    response = upload(client_for(member), world, data)
    assert response.status_code == 400
    assert "This template is for MSPC; your account reports for MPFEF." in squeezed(response)
    assert stored_state() == before


def test_a_member_always_gets_their_own_institutions_template(
    client_for, member, other_institution, world
):
    client = client_for(member)
    data = download(client, world, other_institution)
    response = upload(client, world, data)
    assert response.status_code == 302
    assert SpreadsheetImport.objects.get().institution == member.institution


def test_another_plans_or_periods_template_is_refused(client_for, member, institution, world):
    client = client_for(member)
    other = build_world(institution, slug="next-plan")
    before = stored_state()
    response = upload(client, world, download(client, other))
    assert "This template is for another plan (next-plan)." in squeezed(response)
    url = reverse("period-import", kwargs={"slug": "nap", "year": 2021, "quarter": 3})
    response = client.post(url, {"file": _named(download(client, world))})
    assert response.status_code == 400
    assert "This template is for another period (2021-Q2), not Q3 2021." in squeezed(response)
    assert stored_state() == before


def _named(data, name="quarter.xlsx"):
    file = io.BytesIO(data)
    file.name = name
    return file


def test_the_secretariat_imports_for_the_institution_it_chose(
    client_for, secretariat, institution, world
):
    client = client_for(secretariat)
    response = upload(client, world, filled(world, download(client, world, institution)))
    response = client.post(response["Location"])
    assert response["Location"] == f"{world.period.get_absolute_url()}?institution={institution.pk}"
    assert value_of(world, world.budget).entered_by == secretariat


def test_values_awaiting_validation_are_locked_for_members(client_for, member, world):
    IndicatorValue.objects.filter(pk=world.draft.pk).update(status=Status.SUBMITTED)
    client = client_for(member)
    data = fill(download(client, world), {("1.1-a", "value"): 120})
    response = upload(client, world, data)
    assert response.status_code == 400
    assert (
        "<code>Indicators!A3</code>: This value is awaiting validation; it can no longer be "
        "changed." in squeezed(response)
    )


def test_validated_values_are_corrected_on_the_entry_page_only(client_for, secretariat, world):
    IndicatorValue.objects.filter(pk=world.draft.pk).update(status=Status.VALIDATED)
    client = client_for(secretariat)
    data = fill(
        download(client, world, world.draft.indicator.responsible_institutions.get()),
        {("1.1-a", "value"): 120},
    )
    response = upload(client, world, data)
    assert response.status_code == 400
    assert "This value is validated; the secretariat corrects validated values" in squeezed(
        response
    )


def test_the_import_is_kept_and_linked_from_each_changed_values_history(
    client_for, member, reporting_staff, world
):
    client = client_for(member)
    data = filled(world, download(client, world))
    response = upload(client, world, data, name="MPFEF T2.xlsx")
    client.post(response["Location"])
    kept = SpreadsheetImport.objects.get()
    history_url = reverse("value-history", kwargs={"slug": "nap", "pk": world.draft.pk})
    page = squeezed(client_for(reporting_staff).get(history_url))
    assert f"Imported from MPFEF T2.xlsx (import {kept.pk})" in page
    file_url = reverse("import-file", kwargs={"slug": "nap", "pk": kept.pk})
    assert f'href="{file_url}">MPFEF T2.xlsx</a>' in page
    response = client_for(reporting_staff).get(file_url)
    assert b"".join(response.streaming_content) == data
    assert kept.sha256 and kept.size == len(data)


def test_the_commit_reads_the_stored_file_not_what_the_preview_showed(client_for, member, world):
    client = client_for(member)
    response = upload(client, world, filled(world, download(client, world)))
    kept = SpreadsheetImport.objects.get()
    with kept.file.open("wb") as stored:
        stored.write(fill(download(client, world), {("1.1-e", "value"): 9}))
    before = stored_state()[:2]
    response = client.post(response["Location"])
    assert response.status_code == 409
    assert "The stored file is not the one previewed." in squeezed(response)
    assert stored_state()[:2] == before


def test_nobody_else_sees_or_commits_a_users_preview(client_for, member, secretariat, world):
    response = upload(client_for(member), world, filled(world, download(client_for(member), world)))
    preview = response["Location"]
    assert client_for(secretariat).get(preview).status_code == 404
    before = stored_state()
    assert client_for(secretariat).post(preview).status_code == 404
    assert stored_state() == before


def test_a_new_preview_replaces_the_users_earlier_one(client_for, member, world):
    client = client_for(member)
    data = filled(world, download(client, world))
    upload(client, world, data)
    first = SpreadsheetImport.objects.get()
    upload(client, world, data)
    assert list(SpreadsheetImport.objects.all()) != [first]
    assert SpreadsheetImport.objects.count() == 1
    assert not first.file.storage.exists(first.file.name)


@pytest.mark.parametrize("size", [1, 4])
def test_the_imports_of_a_value_take_one_query(django_assert_num_queries, member, world, size):
    for number in range(size):
        kept = SpreadsheetImport.objects.create(
            plan=world.plan,
            period=world.period,
            institution=world.cases.responsible_institutions.get(),
            uploaded_by=member,
            original_name=f"q{number}.xlsx",
            size=1,
            sha256="0" * 64,
            status="committed",
            committed_at="2021-07-01T00:00:00Z",
        )
        kept.changed_values.add(world.draft)
    with django_assert_num_queries(1):
        imports = list(SpreadsheetImport.objects.committed_into(world.draft))
        assert [upload.uploaded_by for upload in imports] == [member] * size


UPLOAD_QUERIES = 20  # the same with 1 or 5 counts broken down by sex × region
PREVIEW_QUERIES = 17  # with what waits in the user's inbox (the navigation bar)


@pytest.mark.parametrize("extra", [0, 4])
def test_the_upload_and_its_preview_run_a_fixed_number_of_queries(
    client_for, member, world, extra, django_assert_num_queries
):
    """Whatever the number of indicators (scales aside: each level chosen is looked up by
    the figure rules)."""
    for number in range(extra):
        indicator = IndicatorFactory(result=world.cases.result, code=f"1.2-{number}")
        indicator.dimensions.add(*{category.dimension for category in world.sexes + world.regions})
        indicator.responsible_institutions.add(world.cases.responsible_institutions.get())
    client = client_for(member)
    data = fill(download(client, world), {("1.1-a", "value"): 100, ("1.1-e", "value"): 5})
    client.get(world.period.get_absolute_url())  # the session and the user, as on any page
    with django_assert_num_queries(UPLOAD_QUERIES):
        response = upload(client, world, data)
    assert response.status_code == 302
    with django_assert_num_queries(PREVIEW_QUERIES):
        assert client.get(response["Location"]).status_code == 200


def test_a_member_without_an_institution_is_told_to_ask_for_one(client_for, member, world):
    data = download(client_for(member), world)
    homeless = UserFactory(username="new-member", role=roles.COMMITTEE_MEMBER)
    before = stored_state()
    response = upload(client_for(homeless), world, data)
    assert response.status_code == 400
    assert "Your account is not linked to an institution" in squeezed(response)
    assert stored_state() == before
