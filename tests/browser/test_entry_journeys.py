"""The entry page loses nothing, in a real browser (issue 14):

(c) a member types values, the connection drops as they save, and when they open the page again
    their input is offered back (never put back on its own) and restored on request; typing then
    leaving warns first;
(d) one invalid and three valid indicators saved together: three drafts stored, the invalid one
    listed at the top with its error and a link to it, its typed input still on the page;

and the breakdown grid's running totals, and the meeting form's attendance lines added and
removed with JavaScript."""

import json
import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse
from playwright.sync_api import expect

from tracker.models import CommitteeMeeting, IndicatorValue

from ..factories import InstitutionFactory, PlanFactory
from ..test_entry_saving import entry_page
from .conftest import needs_chromium

pytestmark = [
    needs_chromium,
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ENTRY = "/plans/mali-2019-2023/periods/2023-Q3/"


@pytest.fixture
def indicators(institution, other_institution):
    """1.2-a (a count broken down by sex), 1.2-b, 1.2-c and 1.2-d, all MPFEF's."""
    return entry_page(institution, other_institution)


def sign_in(page, client, live_server, user, path=None):
    """The page's browser signed in as `user` (through the session cookie), at `path`."""
    client.force_login(user)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    if path:
        page.goto(live_server.url + path)


def field(page, indicator, name):
    return page.locator(f"[name='i{indicator.pk}-{name}']")


def kept(page, member, institution, indicators):
    """What the browser keeps for the page, as stored (None when nothing is)."""
    period = indicators["a"].plan.reporting_periods.get(year=2023, quarter=3)
    key = f"nap1325-entry:{member.pk}:mali-2019-2023:{period.pk}:{institution.pk}"
    text = page.evaluate("key => window.localStorage.getItem(key)", key)
    return json.loads(text) if text else None


def stored():
    return {
        value.indicator.code: (value.value, value.status)
        for value in IndicatorValue.objects.select_related("indicator")
    }


def test_c_input_typed_before_the_connection_dropped_is_offered_back(
    page, shoot, client, live_server, member, institution, indicators
):
    sign_in(page, client, live_server, member, ENTRY)
    field(page, indicators["b"], "value").fill("1 879")
    field(page, indicators["c"], "value").fill("7")
    field(page, indicators["c"], "narrative").fill("Figures from the GBVIMS, July to September")
    assert set(kept(page, member, institution, indicators)["forms"]) == {
        f"i{indicators['b'].pk}",
        f"i{indicators['c'].pk}",
    }
    shoot("typed")

    # The connection drops as the member saves: the page is gone, nothing reached the server.
    page.context.set_offline(True)
    with page.expect_event("requestfailed") as failed:
        page.locator("button[name=action][value=save]").click(no_wait_after=True)
    assert failed.value.method == "POST"
    assert "ERR_INTERNET_DISCONNECTED" in failed.value.failure
    shoot("offline")
    assert stored() == {}

    # Back online, the member opens the page again: the input is offered, not put back.
    page.context.set_offline(False)
    page.goto(live_server.url + ENTRY)
    banner = page.locator("#entry-restore")
    expect(banner).to_be_visible()
    expect(banner).to_contain_text("1.2-b, 1.2-c")
    expect(field(page, indicators["b"], "value")).to_have_value("")
    shoot("offered")

    page.get_by_role("button", name="Put my input back").click()
    expect(banner).to_be_hidden()
    expect(field(page, indicators["b"], "value")).to_have_value("1 879")
    expect(field(page, indicators["c"], "narrative")).to_have_value(
        "Figures from the GBVIMS, July to September"
    )
    expect(page.locator("#entry-restored")).to_have_text(
        "Your input is back on the page; save it to keep it."
    )
    shoot("restored")

    page.locator("button[name=action][value=save]").click()
    expect(page.locator(".alert-success")).to_contain_text("2 value(s) saved as draft.")
    draft = IndicatorValue.Status.DRAFT
    assert stored() == {"1.2-b": (Decimal(1879), draft), "1.2-c": (Decimal(7), draft)}
    narrative = IndicatorValue.objects.get(indicator=indicators["c"]).narrative
    assert narrative == "Figures from the GBVIMS, July to September"
    # The server said what it saved: the browser keeps nothing more, and offers nothing.
    assert kept(page, member, institution, indicators) is None
    page.reload()
    expect(page.locator("#entry-restore")).to_be_hidden()


def test_c_leaving_with_unsaved_input_warns_and_discarding_forgets_it(
    page, shoot, client, live_server, member, institution, indicators
):
    sign_in(page, client, live_server, member, ENTRY)
    dialogs = []

    def answer(dialog):
        dialogs.append(dialog.type)
        dialog.accept()

    page.on("dialog", answer)
    # Nothing typed: leaving says nothing.
    page.reload()
    assert dialogs == []

    field(page, indicators["d"], "value").fill("12")
    page.reload()
    assert dialogs == ["beforeunload"]
    banner = page.locator("#entry-restore")
    expect(banner).to_contain_text("1.2-d")
    page.get_by_role("button", name="Discard it").click()
    expect(banner).to_be_hidden()
    assert kept(page, member, institution, indicators) is None
    page.reload()
    expect(banner).to_be_hidden()
    expect(field(page, indicators["d"], "value")).to_have_value("")


def test_d_three_valid_indicators_are_stored_and_the_invalid_one_listed_with_a_link(
    page, shoot, client, live_server, member, institution, indicators
):
    sign_in(page, client, live_server, member, ENTRY)
    field(page, indicators["a"], "value").fill("19")
    field(page, indicators["b"], "value").fill("beaucoup")
    field(page, indicators["c"], "value").fill("7")
    field(page, indicators["d"], "value").fill("3")
    page.locator("button[name=action][value=save]").click()

    errors = page.locator("#entry-errors")
    expect(errors).to_contain_text("3 saved as drafts; 1 not saved: 1.2-b (see below).")
    expect(errors).to_contain_text("Enter a number.")
    shoot("saved-but-one")
    draft = IndicatorValue.Status.DRAFT
    assert stored() == {
        "1.2-a": (Decimal(19), draft),
        "1.2-c": (Decimal(7), draft),
        "1.2-d": (Decimal(3), draft),
    }
    # The invalid one keeps what was typed, and the browser keeps it too; the three stored
    # ones are no longer kept.
    expect(field(page, indicators["b"], "value")).to_have_value("beaucoup")
    assert set(kept(page, member, institution, indicators)["forms"]) == {f"i{indicators['b'].pk}"}

    errors.get_by_role("link", name="1.2-b").click()
    expect(page).to_have_url(re.compile(rf"#i{indicators['b'].pk}$"))
    expect(page.locator(f"#i{indicators['b'].pk}")).to_be_in_viewport()
    shoot("followed-the-link")

    field(page, indicators["b"], "value").fill("4")
    page.locator("button[name=action][value=save]").click()
    expect(page.locator(".alert-success")).to_be_visible()
    assert stored()["1.2-b"] == (Decimal(4), draft)
    assert kept(page, member, institution, indicators) is None


def test_the_breakdown_grid_adds_up_as_it_is_typed(
    page, shoot, client, live_server, member, indicators
):
    sign_in(page, client, live_server, member, ENTRY)
    grid = page.locator(f"table[data-breakdown='i{indicators['a'].pk}-value']")
    cells = grid.locator("tbody input")
    # Nothing typed: the total is unknown, not zero.
    expect(grid.locator("tfoot td")).to_have_text(["—"])
    cells.nth(0).fill("1 860")
    cells.nth(1).fill("9")
    expect(grid.locator("tfoot")).to_contain_text("1,869")
    sentence = page.locator(f"#indicator-{indicators['a'].pk} p[aria-live=polite]")
    expect(sentence).to_have_text("The cells add up to 1,869.")
    field(page, indicators["a"], "value").fill("1879")
    expect(sentence).to_have_text("The cells add up to 1,869; the figure is 1,879 (-10).")
    cells.nth(1).fill("19")
    expect(sentence).to_have_text("The cells add up to the figure, 1,879.")
    shoot("grid")


def test_attendance_lines_are_added_and_removed_in_the_browser(
    page, shoot, client, live_server, secretariat, institution, other_institution
):
    plan = PlanFactory(slug="mali-2019-2023")
    third = InstitutionFactory(name="Commission Nationale", acronym="CN")
    sign_in(page, client, live_server, secretariat)
    url = live_server.url + reverse("period-meetings", args=[plan.slug, 2021, 3])
    page.goto(url)
    lines = page.locator("[data-attendance-lines] [data-attendance-line]")
    expect(lines).to_have_count(3)
    page.get_by_role("button", name="Add a line").click()
    expect(lines).to_have_count(4)
    expect(page).to_have_url(url)  # copied in the page, not posted
    expect(lines.nth(3).locator("select")).to_be_focused()
    expect(page.locator("[name='attendance-TOTAL_FORMS']")).to_have_value("4")

    page.locator("#id_meeting-date").fill("2021-10-12")
    page.locator("#id_meeting-place").fill("Bamako")
    for number, (who, women) in enumerate([(institution, "4"), (other_institution, "2")]):
        lines.nth(number).locator("select").select_option(str(who.pk))
        lines.nth(number).locator("input").first.fill(women)
    lines.nth(3).locator("select").select_option(str(third.pk))
    lines.nth(3).locator("input").nth(1).fill("5")
    # Remove the second line: the others are renumbered 0, 1, 2.
    lines.nth(1).get_by_role("button", name="Remove").click()
    expect(lines).to_have_count(3)
    expect(page.locator("[name='attendance-TOTAL_FORMS']")).to_have_value("3")
    expect(lines.nth(2).locator("select")).to_have_attribute("name", "attendance-2-institution")
    shoot("attendance")

    page.get_by_role("button", name="Record the meeting", exact=True).last.click()
    expect(page.locator(".alert-success")).to_be_visible()
    meeting = CommitteeMeeting.objects.get()
    assert sorted(
        meeting.attendance.values_list("institution__acronym", "women_present", "men_present")
    ) == [("CN", 0, 5), ("MPFEF", 4, 0)]
