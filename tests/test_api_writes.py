"""The API's writes (issue 16): create and change drafts, submit, validate, return, comment,
each through the services the pages use; each refusal (closed period, stale version, another
institution, four eyes, a bad figure, a missing right) answers JSON and leaves every table as
it was."""

from decimal import Decimal

import pytest
from django.forms.models import model_to_dict

from tracker.api import workflow
from tracker.models import BreakdownRow, IndicatorValue, ValueComment

from . import test_api
from .test_api import values_url

# The API's world and clients (tests/test_api.py), as fixtures of this module too.
api, world, token_for = test_api.api, test_api.world, test_api.token_for
fresh_throttles, second_secretariat = test_api.fresh_throttles, test_api.second_secretariat

pytestmark = pytest.mark.django_db

Status = IndicatorValue.Status


def stored():
    """Every row a write could touch, with the history of values and cells."""
    return [
        [model_to_dict(row) for row in model.objects.order_by("pk")]
        for model in (IndicatorValue, BreakdownRow, ValueComment)
    ] + [IndicatorValue.history.count(), BreakdownRow.history.count()]


def refused(response, status, code=None):
    assert response.status_code == status, response.content
    body = response.json()
    assert body["detail"]
    if code:
        assert body["code"] == code
    return body


# Creating and changing drafts


NEW_DRAFT = {
    "indicator": "1.1-a",
    "period": "2021Q2",
    "value": "12",
    "qualifier": "about",
    "narrative": "Deux sessions à Mopti",
    "breakdown": [
        {"category": {"dimension": "sex", "code": "women"}, "value": "8"},
        {"category": {"dimension": "sex", "code": "men"}, "value": 4},
    ],
}


def test_a_member_creates_a_draft_with_its_breakdown(api, world, member):
    IndicatorValue.objects.filter(pk=world["draft"].pk).delete()
    response = api("member").post(values_url(), NEW_DRAFT)
    assert response.status_code == 201, response.content
    created = response.json()
    assert (created["status"], created["value"], created["version"]) == ("draft", "12", 1)
    assert [cell["value"] for cell in created["breakdown"]] == ["8", "4"]
    record = IndicatorValue.objects.get(pk=created["id"])
    assert record.entered_by == member and record.qualifier == "about"
    # In the history like a page write: who, and the breakdown's cells.
    assert record.history.get().history_user == member
    assert BreakdownRow.history.filter(indicator_value_id=record.pk).count() == 2


def test_creating_a_value_that_exists_is_refused_with_who_saved_it(api, world):
    IndicatorValue.objects.filter(pk=world["draft"].pk).delete()
    assert api("member").post(values_url(), NEW_DRAFT).status_code == 201
    before = stored()
    body = refused(api("secretariat").post(values_url(), NEW_DRAFT), 409, "stale")
    assert body["saved_by"] == "member"
    assert stored() == before


def test_a_member_changes_a_draft_with_the_version_they_read(api, world, member):
    draft = world["draft"]
    response = api("member").patch(
        values_url(pk=draft.pk), {"version": draft.version, "value": "8", "source": "Rapport"}
    )
    assert response.status_code == 200, response.content
    assert (response.json()["value"], response.json()["version"]) == ("8", draft.version + 1)
    draft.refresh_from_db()
    assert draft.value == Decimal(8) and draft.source == "Rapport" and draft.narrative == ""
    assert draft.history.latest().history_user == member


def test_a_patch_keeps_what_it_does_not_name(api, world):
    validated = world["validated"]
    IndicatorValue.objects.filter(pk=world["draft"].pk).update(
        note="Keep me", narrative="Kept", qualifier="at_most"
    )
    draft = world["draft"]
    api("member").patch(values_url(pk=draft.pk), {"version": draft.version, "value": "6"})
    draft.refresh_from_db()
    assert (draft.note, draft.narrative, draft.qualifier) == ("Keep me", "Kept", "at_most")
    assert validated.breakdown_rows.count() == 3


def test_a_stale_version_is_refused_with_who_changed_it_and_when(api, world):
    draft = world["draft"]
    changed = api("member").patch(values_url(pk=draft.pk), {"version": draft.version, "value": "8"})
    assert changed.status_code == 200
    before = stored()
    body = refused(
        api("secretariat").patch(values_url(pk=draft.pk), {"version": draft.version, "value": "9"}),
        409,
        "stale",
    )
    assert body["saved_by"] == "member"
    assert body["saved_at"]
    assert stored() == before


def test_a_change_without_a_version_is_refused(api, world):
    before = stored()
    body = refused(api("member").patch(values_url(pk=world["draft"].pk), {"value": "9"}), 400)
    assert "version" in body["errors"]
    assert stored() == before


def test_a_closed_period_refuses_every_write(api, world, second_secretariat, token_for):
    validated = world["validated"]
    before = stored()
    body = refused(
        api("secretariat").patch(
            values_url(pk=validated.pk),
            {"version": validated.version, "value": "31", "reason": "Corrected count"},
        ),
        400,
        "period_closed",
    )
    assert "closed" in body["detail"] and "reopen" in body["detail"]
    refused(
        api("member").post(values_url(), {"indicator": "1.1-a", "period": "2021-Q1", "value": "1"}),
        400,
        "period_closed",
    )
    assert stored() == before


def test_another_institution_is_refused_with_the_doors_words(api, world):
    before = stored()
    draft = world["draft"]
    body = refused(
        api("member2").patch(values_url(pk=draft.pk), {"version": draft.version, "value": "9"}),
        403,
        "permission_denied",
    )
    assert body["detail"] == "1.1-a is not one your institution reports."
    refused(
        api("member2").post(values_url(), {"indicator": "1.1-a", "period": "2021Q3", "value": "1"}),
        403,
    )
    refused(api("member2").post(values_url(pk=draft.pk, action="submit"), {"version": 1}), 403)
    assert stored() == before


@pytest.mark.parametrize(
    "data, field",
    [
        ({"value": "-3"}, "value"),
        ({"value": "2.5"}, "value"),
        ({"value": "abc"}, "value"),
        ({"value": "1e30"}, "value"),
        ({"numerator": "3", "denominator": "4"}, "numerator"),
        ({"qualifier": "roughly"}, "qualifier"),
        ({"narrative": "x" * 5001}, "narrative"),
        (
            {
                "value": "10",
                "breakdown": [{"category": {"dimension": "sex", "code": "women"}, "value": "4"}],
            },
            "non_field_errors",
        ),
        (
            {"breakdown": [{"category": {"dimension": "sex", "code": "girls"}, "value": "7"}]},
            "breakdown",
        ),
        ({"citation": 999999}, "citation"),
    ],
)
def test_a_bad_figure_is_refused_field_by_field(api, world, data, field):
    draft = world["draft"]
    before = stored()
    body = refused(
        api("member").patch(values_url(pk=draft.pk), {"version": draft.version, **data}),
        400,
    )
    assert field in body["errors"], body
    assert stored() == before


def test_a_percentage_over_100_is_refused_as_on_the_entry_page(api, world, secretariat):
    before = stored()
    body = refused(
        api("secretariat").post(
            values_url(), {"indicator": "1.2-b", "period": "2021Q2", "value": "150"}
        ),
        400,
    )
    assert body["errors"]["value"] == ["A percentage cannot exceed 100."]
    assert stored() == before


def test_an_unknown_indicator_or_period_is_a_400(api, world):
    before = stored()
    body = refused(api("member").post(values_url(), {"indicator": "9.9", "period": "2021Q2"}), 400)
    assert "indicator" in body["errors"]
    body = refused(api("member").post(values_url(), {"indicator": "1.1-a", "period": "2031"}), 400)
    assert "period" in body["errors"]
    assert stored() == before


@pytest.mark.parametrize("role", ["anonymous", "no_role", "framework", "staff"])
def test_who_may_not_enter_writes_nothing(api, world, role):
    draft = world["draft"]
    before = stored()
    response = api(role).patch(values_url(pk=draft.pk), {"version": draft.version, "value": "9"})
    assert response.status_code == (401 if role == "anonymous" else 403)
    response = api(role).post(values_url(pk=draft.pk, action="submit"), {"version": draft.version})
    assert response.status_code == (401 if role == "anonymous" else 403)
    assert stored() == before


# The workflow


def test_a_member_submits_a_draft(api, world, member):
    draft = world["draft"]
    response = api("member").post(
        values_url(pk=draft.pk, action="submit"), {"version": draft.version}
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "submitted"
    draft.refresh_from_db()
    assert (draft.status, draft.submitted_by) == (Status.SUBMITTED, member)
    assert draft.history.latest().history_user == member


def test_submitting_a_stale_or_submitted_value_is_refused(api, world):
    draft, submitted = world["draft"], world["submitted"]
    before = stored()
    refused(
        api("member").post(
            values_url(pk=draft.pk, action="submit"), {"version": draft.version + 1}
        ),
        409,
        "stale",
    )
    body = refused(
        api("member").post(
            values_url(pk=submitted.pk, action="submit"), {"version": submitted.version}
        ),
        400,
        "not_a_draft",
    )
    assert "Submitted" in body["detail"]
    refused(api("member").post(values_url(pk=draft.pk, action="submit"), {}), 400, "invalid")
    assert stored() == before


def test_the_secretariat_validates_a_submitted_value(api, world, secretariat):
    submitted = world["submitted"]
    response = api("secretariat").post(
        values_url(pk=submitted.pk, action="validate"), {"version": submitted.version}
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "validated"
    submitted.refresh_from_db()
    assert (submitted.status, submitted.validated_by) == (Status.VALIDATED, secretariat)
    assert submitted.history.latest().history_user == secretariat


def test_four_eyes_nobody_validates_or_returns_their_own_value(api, world):
    own = world["own"]
    before = stored()
    body = refused(
        api("secretariat").post(values_url(pk=own.pk, action="validate"), {"version": own.version}),
        403,
        "permission_denied",
    )
    assert "You entered this value" in body["detail"]
    refused(
        api("secretariat").post(
            values_url(pk=own.pk, action="return"), {"version": own.version, "reason": "Check"}
        ),
        403,
    )
    assert stored() == before


def test_validating_a_changed_value_is_refused(api, world):
    submitted = world["submitted"]
    before = stored()
    body = refused(
        api("secretariat").post(
            values_url(pk=submitted.pk, action="validate"), {"version": submitted.version + 1}
        ),
        409,
        "stale",
    )
    assert "1.1-a" in body["detail"]
    assert stored() == before


@pytest.mark.parametrize("role", ["member", "member2", "framework", "staff", "no_role"])
def test_only_the_secretariat_validates_or_returns(api, world, role):
    submitted = world["submitted"]
    before = stored()
    for action, data in (("validate", {}), ("return", {"reason": "Why not"})):
        response = api(role).post(
            values_url(pk=submitted.pk, action=action), {"version": submitted.version, **data}
        )
        assert response.status_code == 403
    assert stored() == before


def test_the_secretariat_returns_a_value_with_a_reason(api, world, secretariat):
    submitted = world["submitted"]
    before = stored()
    refused(
        api("secretariat").post(
            values_url(pk=submitted.pk, action="return"), {"version": submitted.version}
        ),
        400,
    )
    refused(
        api("secretariat").post(
            values_url(pk=submitted.pk, action="return"),
            {"version": submitted.version, "reason": "   "},
        ),
        400,
    )
    assert stored() == before
    response = api("secretariat").post(
        values_url(pk=submitted.pk, action="return"),
        {"version": submitted.version, "reason": "Les chiffres de Mopti manquent"},
    )
    assert response.status_code == 200, response.content
    assert response.json()["return_reason"] == "Les chiffres de Mopti manquent"
    latest = IndicatorValue.objects.get(pk=submitted.pk).history.latest()
    assert (latest.history_user, latest.history_change_reason) == (
        secretariat,
        "Les chiffres de Mopti manquent",
    )


def test_the_secretariat_changes_a_validated_value_only_with_a_reason(api, world, secretariat):
    q3 = world["submitted"]
    IndicatorValue.objects.filter(pk=q3.pk).update(status=Status.VALIDATED)
    q3.refresh_from_db()
    before = stored()
    refused(
        api("secretariat").patch(values_url(pk=q3.pk), {"version": q3.version, "value": "10"}), 400
    )
    refused(api("member").patch(values_url(pk=q3.pk), {"version": q3.version, "value": "10"}), 403)
    assert stored() == before
    response = api("secretariat").patch(
        values_url(pk=q3.pk), {"version": q3.version, "value": "10", "reason": "Typo in Q3"}
    )
    assert response.status_code == 200
    assert response.json()["status"] == "validated"
    assert q3.history.latest().history_change_reason == "Typo in Q3"


def test_a_value_of_another_plan_is_not_found_here(api, world):
    from .factories import IndicatorValueFactory

    elsewhere = IndicatorValueFactory(status=Status.DRAFT)
    before = stored()
    response = api("secretariat").patch(
        values_url(pk=elsewhere.pk), {"version": elsewhere.version, "value": "1"}
    )
    assert response.status_code == 404
    assert stored() == before


# Comments (tracker/services/comments.py; connected when that module is in the branch)


def test_comments_are_listed_oldest_first(api, world, member):
    ValueComment.objects.create(value=world["submitted"], author=member, text="Voir le rapport")
    response = api("secretariat").get(values_url(pk=world["submitted"].pk, action="comments"))
    assert response.status_code == 200
    (comment,) = response.json()["results"]
    assert (comment["author"], comment["text"]) == ("member", "Voir le rapport")


@pytest.mark.skipif(workflow.add_comment is None, reason="services.add_comment is not merged yet")
def test_a_member_comments_on_a_value(api, world, member):
    response = api("member").post(
        values_url(pk=world["submitted"].pk, action="comments"), {"text": "Le rapport est joint"}
    )
    assert response.status_code == 201, response.content
    assert ValueComment.objects.get().author == member


@pytest.mark.skipif(workflow.add_comment is None, reason="services.add_comment is not merged yet")
@pytest.mark.parametrize("text", ["", "x" * 5001])
def test_an_empty_or_overlong_comment_is_refused(api, world, text):
    before = stored()
    response = api("member").post(
        values_url(pk=world["submitted"].pk, action="comments"), {"text": text}
    )
    assert response.status_code == 400
    assert stored() == before


def test_comments_are_refused_to_who_may_not_read_the_plan(api, world):
    before = stored()
    response = api("no_role").post(
        values_url(pk=world["submitted"].pk, action="comments"), {"text": "Hello"}
    )
    assert response.status_code in (403, 405)
    assert stored() == before
