"""The entry page loses nothing (issue 14): saving stores every valid indicator as a draft, each
in its own transaction, and keeps the invalid ones on the page with their errors, listed at the
top with links; "Submit" submits only what was stored and valid; the filters; what the page
tells its script (what was saved, what to keep in the browser); a closed period's page is
read-only."""

import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from tracker.models import ActivityProgress, BreakdownRow, IndicatorValue, ReportingPeriod

from .factories import (
    ActivityFactory,
    DimensionFactory,
    DimensionValueFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    OpportunityFactory,
    PlanFactory,
    ResultFactory,
    UserFactory,
    period_of,
)

pytestmark = pytest.mark.django_db
Status = IndicatorValue.Status


def entry_page(institution, other_institution):
    """Four count indicators of MPFEF (1.2-a to 1.2-d; 1.2-d shared with MSPC), 1.2-a broken
    down by sex, and an activity, on the entry page of Q3 2023."""
    plan = PlanFactory(slug="mali-2019-2023", title="Mali NAP 1325 2019-2023")
    result = ResultFactory(axis__plan=plan, axis__number=1, code="1.2")
    sex = DimensionFactory(code="sex", name="Sex")
    women = DimensionValueFactory(dimension=sex, code="women", name="Women", order=1)
    men = DimensionValueFactory(dimension=sex, code="men", name="Men", order=2)
    indicators = {}
    for letter in "abcd":
        indicator = IndicatorFactory(result=result, code=f"1.2-{letter}", name=f"Count {letter}")
        indicator.responsible_institutions.add(institution)
        indicators[letter] = indicator
    indicators["a"].dimensions.add(sex)
    indicators["d"].responsible_institutions.add(other_institution)
    activity = ActivityFactory(
        opportunity=OpportunityFactory(result=result), lead_institution=institution, code="A1"
    )
    period = period_of(plan, 2023, 3)
    return {
        "plan": plan,
        "period": period,
        "url": reverse("period-entry", args=[plan.slug, 2023, 3]),
        "activity": activity,
        "women": women,
        "men": men,
        **indicators,
    }


@pytest.fixture
def page(institution, other_institution):
    return entry_page(institution, other_institution)


def posted(page, action="save", **fields):
    """The page as a browser posts it: every form's version (0: nothing stored yet), then
    `fields` named by indicator letter ("a_value") or in full."""
    activity = page["activity"].pk
    data = {"action": action, f"a{activity}-version": "0", f"a{activity}-percent_complete": "0"}
    for letter in "abcd":
        data[f"i{page[letter].pk}-version"] = "0"
    for name, text in fields.items():
        letter, _sep, field = name.partition("_")
        data[f"i{page[letter].pk}-{field}" if letter in "abcd" else name] = text
    return data


def stored():
    return {
        value.indicator.code: (value.value, value.status)
        for value in IndicatorValue.objects.select_related("indicator")
    }


# One invalid indicator among valid ones


def test_the_valid_indicators_are_stored_and_the_invalid_one_kept_with_its_error(
    client_for, member, page
):
    response = client_for(member).post(
        page["url"],
        posted(page, a_value="12", b_value="beaucoup", c_value="7", d_value="3"),
    )
    assert response.status_code == 400
    assert stored() == {
        "1.2-a": (Decimal(12), Status.DRAFT),
        "1.2-c": (Decimal(7), Status.DRAFT),
        "1.2-d": (Decimal(3), Status.DRAFT),
    }
    html = response.content.decode()
    summary = html[html.index('id="entry-errors"') :]
    summary = summary[: summary.index("</div>")]
    assert "3 saved as drafts; 1 not saved: 1.2-b (see below)." in summary
    assert f'href="#i{page["b"].pk}"' in summary and "Enter a number." in summary
    # The link leads to the indicator, whose input is still there.
    assert f'id="i{page["b"].pk}"' in html
    assert f'name="i{page["b"].pk}-value" value="beaucoup"' in html
    # The stored ones are shown as stored: their new version, what was saved.
    assert f'name="i{page["a"].pk}-version" value="1"' in html
    assert re.search(rf'data-saved="[^"]*\bi{page["a"].pk}\b', html)
    assert not re.search(rf'data-saved="[^"]*\bi{page["b"].pk}\b', html)
    # The refused card is marked for the browser to keep; the stored ones are not.
    assert re.search(rf'data-entry-form="i{page["b"].pk}"[^>]*data-unsaved', html)
    assert not re.search(rf'data-entry-form="i{page["a"].pk}"[^>]*data-unsaved', html)


def test_the_summary_writes_each_error_after_its_label_in_the_readers_language(
    client_for, member, page
):
    client = client_for(member)
    client.cookies["django_language"] = "fr"
    html = client.post(page["url"], posted(page, b_value="beaucoup")).content.decode()
    summary = html[html.index('id="entry-errors"') :]
    assert "Valeur\u00a0: Saisissez un nombre." in summary[: summary.index("</div>")]


def test_saving_again_after_a_correction_stores_the_rest(client_for, member, page):
    client = client_for(member)
    client.post(page["url"], posted(page, a_value="12", b_value="-1"))
    assert stored() == {"1.2-a": (Decimal(12), Status.DRAFT)}
    # The page now carries 1.2-a at version 1 and 1.2-b as typed; the member corrects 1.2-b.
    data = posted(page, a_value="12", b_value="4")
    data[f"i{page['a'].pk}-version"] = "1"
    response = client.post(page["url"], data)
    assert response.status_code == 302
    assert stored() == {"1.2-a": (Decimal(12), Status.DRAFT), "1.2-b": (Decimal(4), Status.DRAFT)}
    assert IndicatorValue.objects.get(indicator=page["a"]).version == 1  # not saved twice


def test_a_breakdown_that_does_not_add_up_is_the_only_one_refused(client_for, member, page):
    fields = {
        "a_value": "100",
        f"a_cell_{page['women'].pk}_x": "90",
        f"a_cell_{page['men'].pk}_x": "20",
        "c_value": "5",
    }
    response = client_for(member).post(page["url"], posted(page, **fields))
    assert response.status_code == 400
    assert "adds up to 110" in response.content.decode()
    assert stored() == {"1.2-c": (Decimal(5), Status.DRAFT)}
    assert not BreakdownRow.objects.exists()


def test_submit_sends_only_what_was_stored_and_valid(client_for, member, page):
    # 1.2-b already has a draft; the member's change to it is refused, so that draft stays a
    # draft rather than going to the secretariat with a figure the member meant to replace.
    IndicatorValueFactory(indicator=page["b"], period=page["period"], status=Status.DRAFT)
    data = posted(page, action="submit", a_value="12", b_value="-3", c_value="7")
    data[f"i{page['b'].pk}-version"] = "1"
    response = client_for(member).post(page["url"], data)
    assert response.status_code == 400
    assert stored() == {
        "1.2-a": (Decimal(12), Status.SUBMITTED),
        "1.2-b": (Decimal(5), Status.DRAFT),
        "1.2-c": (Decimal(7), Status.SUBMITTED),
    }
    assert (
        "2 saved, 2 submitted to the secretariat; 1 not saved: 1.2-b (see below)."
        in response.content.decode()
    )


def test_a_stale_form_refuses_only_itself_and_can_be_saved_again(client_for, member, page):
    value = IndicatorValueFactory(
        indicator=page["b"], period=page["period"], status=Status.DRAFT, version=2
    )
    data = posted(page, a_value="12", b_value="9")
    data[f"i{page['b'].pk}-version"] = "1"  # the page was built before someone saved 1.2-b
    client = client_for(member)
    response = client.post(page["url"], data)
    assert response.status_code == 409
    html = response.content.decode()
    assert "after you opened the page" in html
    assert stored()["1.2-a"] == (Decimal(12), Status.DRAFT)
    value.refresh_from_db()
    assert (value.value, value.version) == (Decimal(5), 2)
    # The page shows what is stored now and carries its version: saving again, having
    # compared, is accepted.
    assert "Stored now: 5" in html
    assert f'name="i{page["b"].pk}-version" value="2"' in html
    again = posted(page, b_value="9")
    again[f"i{page['a'].pk}-version"] = "1"
    again[f"i{page['a'].pk}-value"] = "12"
    again[f"i{page['b'].pk}-version"] = "2"
    assert client.post(page["url"], again).status_code == 302
    value.refresh_from_db()
    assert (value.value, value.version) == (Decimal(9), 3)


def post_with_activity(client, page, c_value, status):
    """1.2-c and the activity at 60 % in `status`, posted together."""
    activity = page["activity"].pk
    fields = {f"a{activity}-status": status, f"a{activity}-percent_complete": "60"}
    return client.post(page["url"], posted(page, c_value=c_value, **fields))


def test_an_invalid_activity_does_not_stop_the_indicators(client_for, member, page):
    activity = page["activity"]
    response = post_with_activity(client_for(member), page, "7", "completed")
    assert response.status_code == 400
    assert stored() == {"1.2-c": (Decimal(7), Status.DRAFT)}
    assert not ActivityProgress.objects.exists()
    html = response.content.decode()
    assert "1 saved as drafts; 1 not saved: A1 (see below)." in html
    assert f'href="#a{activity.pk}"' in html and "100 % complete" in html


def test_a_valid_activity_is_stored_beside_an_invalid_indicator(client_for, member, page):
    activity = page["activity"]
    response = post_with_activity(client_for(member), page, "-7", "ongoing")
    assert response.status_code == 400
    assert stored() == {}
    progress = ActivityProgress.objects.get()
    assert (progress.status, progress.percent_complete, progress.version) == ("ongoing", 60, 1)
    assert re.search(rf'data-saved="[^"]*\ba{activity.pk}\b', response.content.decode())


def test_files_chosen_for_a_refused_indicator_are_asked_for_again(client_for, member, page):
    pdf = SimpleUploadedFile("report.pdf", b"%PDF-1.4 minutes", content_type="application/pdf")
    fields = {"b_value": "-1", "b_evidence": pdf, "c_value": "2"}
    response = client_for(member).post(page["url"], posted(page, **fields))
    assert response.status_code == 400
    assert "The files chosen were not kept: choose them again." in response.content.decode()


def test_a_page_saved_whole_says_what_it_saved_once(client_for, member, page):
    client = client_for(member)
    response = client.post(page["url"], posted(page, a_value="12", c_value="7"))
    assert response.status_code == 302
    html = client.get(page["url"]).content.decode()
    assert f'data-saved="i{page["a"].pk} i{page["c"].pk}"' in html
    # Said once: the next visit has nothing to clear.
    assert 'data-saved=""' in client.get(page["url"]).content.decode()


def test_the_browser_keeps_input_per_user_plan_period_and_institution(
    client_for, member, institution, page
):
    html = client_for(member).get(page["url"]).content.decode()
    key = f"{member.pk}:mali-2019-2023:{page['period'].pk}:{institution.pk}"
    assert f'data-keep="{key}"' in html
    assert 'src="/static/tracker/entry_keep.js"' in html
    assert 'id="entry-restore"' in html


# A closed period: read-only


def close(period):
    ReportingPeriod.objects.filter(pk=period.pk).update(
        status=ReportingPeriod.Status.CLOSED, closed_at=timezone.now()
    )
    period.refresh_from_db()


def main_of(html):
    return html[html.index("<main") : html.index("</main>")]


@pytest.mark.parametrize("who", ["member", "secretariat"])
def test_a_closed_periods_page_shows_values_as_text(request, client_for, institution, page, who):
    IndicatorValueFactory(
        indicator=page["c"], period=page["period"], value=Decimal(1879), status=Status.SUBMITTED
    )
    close(page["period"])
    user = request.getfixturevalue(who)
    response = client_for(user).get(f"{page['url']}?institution={institution.pk}")
    assert response.status_code == 200
    main = main_of(response.content.decode())
    assert not re.search(r"<(input|textarea|select|button)\b", main)
    assert "<form" not in main and "data-keep" not in main
    assert "Save draft" not in main and "Submit to the secretariat" not in main
    assert "1,879" in main
    assert "is closed; ask the secretariat to reopen it" in main
    assert ("Reopen it from the periods page" in main) == (who == "secretariat")
    assert "entry_keep.js" not in response.content.decode()


def test_a_post_to_a_closed_period_stores_nothing_and_shows_it_read_only(client_for, member, page):
    close(page["period"])
    response = client_for(member).post(page["url"], posted(page, a_value="12"))
    assert response.status_code == 409
    assert stored() == {}
    assert "<textarea" not in main_of(response.content.decode())


# Filters


def test_the_filters_show_what_they_say(client_for, member, page):
    IndicatorValueFactory(indicator=page["a"], period=page["period"], status=Status.DRAFT)
    IndicatorValueFactory(
        indicator=page["b"], period=page["period"], status=Status.RETURNED, return_reason="Why"
    )
    client = client_for(member)

    def shown(show):
        html = client.get(f"{page['url']}?show={show}").content.decode()
        return sorted(re.findall(r'data-code="([^"]+)"', html))

    assert shown("") == ["1.2-a", "1.2-b", "1.2-c", "1.2-d", "A1"]
    assert shown("mine") == ["1.2-a", "1.2-b", "1.2-c", "A1"]  # 1.2-d is shared with MSPC
    assert shown("empty") == ["1.2-c", "1.2-d", "A1"]
    assert shown("returned") == ["1.2-b"]
    assert shown("nonsense") == shown("")


def test_the_filter_links_keep_the_institution_and_work_without_javascript(
    client_for, secretariat, institution, page
):
    html = client_for(secretariat).get(f"{page['url']}?institution={institution.pk}").content
    html = html.decode()
    assert f'href="?institution={institution.pk}&amp;show=empty"' in html
    assert "alone reports" in html  # the help text says what "Only mine" means


def test_a_post_keeps_the_input_of_a_form_the_filter_no_longer_shows(client_for, member, page):
    # The member opened "empty" and typed 1.2-c; meanwhile a colleague saved it.
    IndicatorValueFactory(indicator=page["c"], period=page["period"], status=Status.DRAFT)
    data = {"action": "save", f"i{page['c'].pk}-version": "0", f"i{page['c'].pk}-value": "8"}
    response = client_for(member).post(f"{page['url']}?show=empty", data)
    assert response.status_code == 409
    html = response.content.decode()
    assert f'name="i{page["c"].pk}-value" value="8"' in html


def test_a_filtered_page_costs_what_the_whole_page_costs(
    client_for, member, page, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(member)
    client.get(page["url"])
    with CaptureQueriesContext(connection) as whole:
        client.get(page["url"])
    for show in ("mine", "empty", "returned"):
        with django_assert_max_num_queries(len(whole.captured_queries)):
            client.get(f"{page['url']}?show={show}")


def test_a_member_of_another_institution_sees_only_the_shared_indicator(client_for, member2, page):
    html = client_for(member2).get(f"{page['url']}?show=mine").content.decode()
    assert re.findall(r'data-code="(1\.2-[a-d])"', html) == []
    html = client_for(member2).get(page["url"]).content.decode()
    assert re.findall(r'data-code="(1\.2-[a-d])"', html) == ["1.2-d"]


def test_a_secretariat_correction_without_a_reason_is_listed(
    client_for, secretariat, institution, page
):
    IndicatorValueFactory(indicator=page["c"], period=page["period"], value=Decimal(10))
    data = posted(page, a_value="3", c_value="11")
    data[f"i{page['c'].pk}-version"] = "1"
    response = client_for(secretariat).post(f"{page['url']}?institution={institution.pk}", data)
    assert response.status_code == 400
    assert "needs a reason" in response.content.decode()
    assert stored() == {"1.2-a": (Decimal(3), Status.DRAFT), "1.2-c": (Decimal(10), "validated")}


def test_a_user_of_another_role_posting_stores_nothing(client_for, page):
    from tracker import roles

    staff = UserFactory(role=roles.REPORTING_STAFF)
    assert client_for(staff).post(page["url"], posted(page, a_value="3")).status_code == 403
    assert stored() == {}
