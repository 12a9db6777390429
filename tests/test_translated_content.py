"""Framework content in both languages (DESIGN.md §6): the fixtures carry French and English,
each reader sees their own language, an empty translation falls back to the other one, and the
admin edits both side by side."""

import pytest
from django.urls import reverse
from django.utils.translation import override

from tracker.models import Axis, Indicator, Institution, Opportunity, Plan, Result

from .factories import AxisFactory, PlanFactory

pytestmark = pytest.mark.django_db

FRENCH_TITLE = (
    "Plan d'action national pour la mise en œuvre de la Résolution 1325 et des résolutions "
    "connexes du Conseil de sécurité des Nations Unies sur l'agenda Femmes, paix et sécurité au "
    "Mali 2019-2023"
)
ENGLISH_TITLE = "National Action Plan for the implementation of resolution 1325 (2019-2023)"


def test_the_fixture_gives_french_to_french_readers(mali_plan):
    with override("fr"):
        plan = Plan.objects.get(pk=mali_plan.pk)
        assert plan.title == FRENCH_TITLE
        assert Axis.objects.get(plan=plan, number=4).name == "Secours et relèvement"
        assert list(Axis.objects.filter(plan=plan).values_list("name", flat=True)) == [
            "Participation",
            "Prévention",
            "Protection",
            "Secours et relèvement",
        ]
        assert Result.objects.get(plan=plan, code="2.1").statement.startswith(
            "Toutes les formes de violences sexuelles et basées sur le genre liées aux conflits"
        )
        assert "Politique nationale de prévention et de lutte contre l'extrémisme violent" in (
            Opportunity.objects.get(plan=plan, code="2.3.1").statement
        )
        assert Institution.objects.get(acronym="MPFEF").name == (
            "Ministère de la Promotion de la Femme, de l'Enfant et de la Famille"
        )
        assert Indicator.objects.get(plan=plan, code="1.0-f").name == "Nombre de femmes maires"


def test_the_fixture_gives_english_to_english_readers(mali_plan):
    with override("en"):
        plan = Plan.objects.get(pk=mali_plan.pk)
        assert plan.title == ENGLISH_TITLE
        assert Axis.objects.get(plan=plan, number=4).name == "Relief and recovery"
        assert Result.objects.get(plan=plan, code="2.1").statement == (
            "All forms of conflict-related sexual and gender-based violence against women and "
            "girls are better prevented."
        )
        assert Institution.objects.get(acronym="MPFEF").name == (
            "Ministry for the Advancement of Women, Children and the Family"
        )
        assert Indicator.objects.get(plan=plan, code="1.0-f").name == "Number of women mayors"


def test_every_translated_field_of_the_fixture_has_both_languages(mali_plan):
    checks = [
        (Plan.objects.filter(pk=mali_plan.pk), ["title", "aim"]),
        (Axis.objects.all(), ["name", "objective"]),
        (Result.objects.all(), ["statement"]),
        (Opportunity.objects.all(), ["statement"]),
        (Indicator.objects.all(), ["name", "definition"]),
        (Institution.objects.all(), ["name"]),
    ]
    for queryset, fields in checks:
        for obj in queryset:
            for field in fields:
                french, english = getattr(obj, f"{field}_fr"), getattr(obj, f"{field}_en")
                assert french and english, f"{obj!r}.{field} lacks a language"


def test_translated_plan_text_says_it_is_a_translation(mali_plan):
    for axis in Axis.objects.filter(plan=mali_plan):
        assert "Traduction française établie pour le suivi" in axis.source_note
    assert "Secours et relèvement" in Axis.objects.get(plan=mali_plan, number=4).source_note
    for code in ("1.2", "2.1", "3.5"):
        assert "Traduction française" in Result.objects.get(plan=mali_plan, code=code).source_note


def test_an_empty_translation_falls_back_to_the_other_language():
    plan = PlanFactory()
    french_only = AxisFactory(plan=plan, number=1, name_fr="Prévention", name_en=None)
    english_only = AxisFactory(plan=plan, number=2, name_fr=None, name_en="Protection of women")
    for language in ("fr", "en"):
        with override(language):
            assert Axis.objects.get(pk=french_only.pk).name == "Prévention"
            assert Axis.objects.get(pk=english_only.pk).name == "Protection of women"
            names = set(Axis.objects.filter(plan=plan).values_list("name", flat=True))
            assert names == {"Prévention", "Protection of women"}


def test_history_keeps_both_languages():
    axis = AxisFactory(name_fr="Prévention", name_en="Prevention")
    axis.name_en = "Conflict prevention"
    axis.save()
    first, latest = axis.history.order_by("history_id")
    assert (first.name_fr, first.name_en) == ("Prévention", "Prevention")
    assert (latest.name_fr, latest.name_en) == ("Prévention", "Conflict prevention")
    changed = latest.diff_against(first).changed_fields
    assert "name_en" in changed and "name_fr" not in changed
    # Reverting to a version restores both languages.
    restored = first.instance
    assert (restored.name_fr, restored.name_en) == ("Prévention", "Prevention")


def test_the_admin_edits_both_languages_side_by_side(client_for, superuser):
    axis = AxisFactory(name_fr="Prévention", name_en="Prevention")
    url = reverse("admin:tracker_axis_change", args=[axis.pk])
    page = client_for(superuser).get(url).content.decode()
    for field in ("name_fr", "name_en", "objective_fr", "objective_en"):
        assert f'name="{field}"' in page
    assert 'value="Prévention"' in page and 'value="Prevention"' in page


def test_the_admin_saves_both_languages_and_requires_french(client_for, superuser):
    axis = AxisFactory(name_fr="Prévention", name_en="Prevention")
    url = reverse("admin:tracker_axis_change", args=[axis.pk])
    data = {
        "plan": axis.plan.pk,
        "number": axis.number,
        "name_fr": "Prévention des conflits",
        "name_en": "Conflict prevention",
        "objective_fr": "",
        "objective_en": "",
        "source_note": "",
        "results-TOTAL_FORMS": 0,
        "results-INITIAL_FORMS": 0,
    }
    client = client_for(superuser)
    assert client.post(url, data).status_code == 302
    axis.refresh_from_db()
    assert (axis.name_fr, axis.name_en) == ("Prévention des conflits", "Conflict prevention")
    response = client.post(url, {**data, "name_fr": ""})
    assert response.status_code == 200
    assert "name_fr" in response.context["adminform"].form.errors


def test_the_admin_search_finds_either_language(client_for, superuser):
    AxisFactory(name_fr="Secours et relèvement", name_en="Relief and recovery")
    client = client_for(superuser)
    url = reverse("admin:tracker_axis_changelist")
    for words in ("relèvement", "Relief"):
        response = client.get(url, {"q": words}, HTTP_ACCEPT_LANGUAGE="en")
        assert response.context["cl"].result_count == 1, words


def test_the_dashboard_speaks_the_request_language(client_for, superuser, mali_plan):
    client = client_for(superuser)
    url = "/plans/mali-2019-2023/"
    french = client.get(url, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Femmes, paix et sécurité au Mali 2019-2023" in french
    assert "Participation" in french and "Secours et relèvement" in french
    assert "Relief and recovery" not in french
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert ENGLISH_TITLE in english
    assert "Relief and recovery" in english and "Secours et relèvement" not in english
