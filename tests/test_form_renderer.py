"""The form renderer writes the plain widgets in Python (tracker/forms/renderers.py): the markup
must be Django's own, byte for byte, on every widget and on every page with forms."""

import re
from decimal import Decimal

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.test import override_settings
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import mark_safe

from tracker.forms.files import MultipleFileInput
from tracker.forms.renderers import FormRenderer
from tracker.models import Indicator, IndicatorValue, ReportingPeriod


class StoredFile:
    """What ClearableFileInput shows of a file already stored: its name and address."""

    url = "/media/evidence/report & annex.pdf"

    def __str__(self):
        return "report & annex.pdf"


DJANGO = DjangoTemplates()
OURS = FormRenderer()

CHOICES = [
    ("", "—"),
    ("1", "A & B <i>"),
    (2, 1234),
    ("Group <g>", [("3", "three"), ("4", mark_safe("<b>four</b>"))]),
    ("", [("5", "unnamed group")]),
]

WIDGETS = [
    (forms.TextInput(), None),
    (forms.TextInput(), ""),
    (forms.TextInput(attrs={"inputmode": "decimal", "class": "text-end"}), Decimal("1234.50")),
    (forms.TextInput(attrs={"data-x": 'quote " and <tag>'}), 'a "b" <c> & d'),
    (forms.TextInput(attrs={"required": True, "disabled": False, "maxlength": 20}), "x"),
    (forms.TextInput(), mark_safe("<safe>")),
    (forms.TextInput(), 12345),
    (forms.NumberInput(attrs={"min": 0, "max": 100}), 42),
    (forms.NumberInput(), Decimal("0.5")),
    (forms.EmailInput(), "a@example.org"),
    (forms.URLInput(), "https://example.org/?a=1&b=2"),
    (forms.PasswordInput(), "secret"),
    (forms.HiddenInput(), 7),
    (forms.HiddenInput(), None),
    (forms.CheckboxInput(), True),
    (forms.CheckboxInput(), False),
    (forms.CheckboxInput(attrs={"class": "form-check-input"}), "on"),
    (forms.DateInput(), "2023-10-01"),
    (forms.FileInput(attrs={"accept": ".pdf,.xlsx"}), None),
    (forms.ClearableFileInput(), None),
    (forms.ClearableFileInput(attrs={"accept": ".pdf", "class": "form-control"}), None),
    (MultipleFileInput(attrs={"class": "form-control"}), None),
    (MultipleFileInput(), []),
    # A file already stored: Django's template (a link and a clear box).
    (forms.ClearableFileInput(), StoredFile()),
    (forms.ClearableFileInput(attrs={"disabled": True}), StoredFile()),
    (forms.Textarea(), None),
    (forms.Textarea(attrs={"rows": 2}), "line one\nline <two> & three"),
    (forms.Textarea(), ""),
    (forms.Textarea(), mark_safe("<kept>")),
    (forms.Select(choices=CHOICES), "1"),
    (forms.Select(choices=CHOICES), 2),
    (forms.Select(choices=CHOICES), None),
    (forms.Select(choices=CHOICES, attrs={"class": "form-select", "disabled": True}), "4"),
    (forms.Select(choices=[]), None),
    (forms.SelectMultiple(choices=CHOICES), ["1", "3"]),
    (forms.NullBooleanSelect(), None),
    (forms.NullBooleanSelect(), True),
    # Not written in Python: each goes to Django's templates, with the same result.
    (forms.RadioSelect(choices=CHOICES[:3]), "1"),
    (forms.CheckboxSelectMultiple(choices=CHOICES[:3]), ["1"]),
    (forms.SplitDateTimeWidget(), None),
]


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize(("widget", "value"), WIDGETS, ids=lambda item: repr(item)[:40])
def test_every_widget_is_written_as_djangos_templates_write_it(widget, value, language):
    attrs = {"id": "id_field"}
    with translation.override(language):
        expected = widget.render("field", value, attrs=attrs, renderer=DJANGO)
        written = widget.render("field", value, attrs=attrs, renderer=OURS)
    assert written == expected


def test_the_setting_uses_it():
    assert type(forms.Form().renderer or forms.renderers.get_default_renderer()) is FormRenderer


def test_an_option_with_its_own_template_goes_to_djangos_templates():
    class Special(forms.Select):
        option_template_name = "django/forms/widgets/radio_option.html"

    widget = Special(choices=CHOICES[:3])
    assert widget.render("f", "1", renderer=OURS) == widget.render("f", "1", renderer=DJANGO)


CSRF = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]+|(data-csrf[-a-z]*=")[^"]+')


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return CSRF.sub(r"\1\2", response.content.decode())


@pytest.fixture
def pages(mali_plan, client_for, secretariat, framework_admin, reporting_staff):
    slug = mali_plan.slug
    period = (
        ReportingPeriod.objects.filter(plan=mali_plan, status=ReportingPeriod.Status.OPEN)
        .exclude(quarter=None)
        .order_by("-year", "-quarter")
        .first()
    )
    indicator = Indicator.objects.filter(plan=mali_plan).order_by("code").first()
    institution = indicator.responsible_institutions.first()
    value = IndicatorValue.objects.filter(period__plan=mali_plan).first()
    return [
        (secretariat, reverse("indicator-list", args=[slug]) + "?year=2021&unit_kind=count"),
        (secretariat, reverse("validation-queue", args=[slug])),
        (
            secretariat,
            reverse("period-entry", args=[slug, period.year, period.quarter])
            + f"?institution={institution.pk}",
        ),
        (secretariat, reverse("value-detail", args=[slug, value.pk])),
        (reporting_staff, reverse("annual-report", args=[slug, 2021]) + "?draft=1"),
        (framework_admin, reverse("admin:tracker_indicator_change", args=[indicator.pk])),
        (framework_admin, reverse("admin:tracker_plan_change", args=[mali_plan.pk])),
        (secretariat, reverse("api-tokens")),
    ]


@pytest.mark.parametrize("language", ["fr", "en"])
def test_pages_with_forms_are_the_same_with_djangos_templates(client, pages, language):
    client.cookies["django_language"] = language
    for user, url in pages:
        client.force_login(user)
        with override_settings(FORM_RENDERER="django.forms.renderers.DjangoTemplates"):
            expected = page(client, url)
        written = page(client, url)
        assert "<input" in written or "<select" in written, url
        assert written == expected, url
