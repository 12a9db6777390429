"""The interface in French (the default) and English (DESIGN.md §6): the French catalogue is
complete, every page reads in the language the browser asks for, numbers, dates and FCFA
amounts follow that language, and so do the exports, the error pages and the form messages.

The tests run with LANGUAGE_CODE "en" (config/settings/test.py); each request here chooses its
language with the Accept-Language header, as a browser does."""

import csv
import datetime
import io
import re
import shutil
import subprocess
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation
from openpyxl import load_workbook
from pypdf import PdfReader

from tracker.models import (
    ActivityProgress,
    BreakdownRow,
    Dimension,
    DimensionValue,
    FundingSource,
    IndicatorValue,
    MeetingAttendance,
    Region,
)

from .factories import (
    ActivityFactory,
    AnnualTargetFactory,
    AxisFactory,
    BudgetLineFactory,
    CommitteeMeetingFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    OpportunityFactory,
    PlanFactory,
    ResultFactory,
    period_of,
)

pytestmark = pytest.mark.django_db

FRENCH_PO = Path(settings.BASE_DIR) / "locale" / "fr" / "LC_MESSAGES" / "django.po"
ENGLISH_PO = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"
SLUG = "mali-2019-2023"
YEAR = 2021
PLAN = f"/plans/{SLUG}"
# Django's French formats group thousands with a no-break space (django/conf/locale/fr).
NBSP = "\u00a0"

# Interface strings of the English catalogue that must never show on a French page. Matched
# as whole words and case-sensitively, so "Indicator" does not match "Indicateur".
ENGLISH_INTERFACE = [
    "Sign out",
    "Sign in",
    "Log out",
    "Indicators",
    "Indicator",
    "Periods",
    "Period",
    "Reporting periods",
    "Save draft",
    "Submit to the secretariat",
    "Validated",
    "Submitted",
    "Returned",
    "Draft",
    "Annual report",
    "No data",
    "Achieved",
    "On track",
    "At risk",
    "Off track",
    "Completeness",
    "Results framework",
    "By region",
    "Baseline",
    "Target",
    "Status",
    "Value",
    "Values",
    "History",
    "Download",
    "Year",
    "Show",
    "Filter",
    "Search",
    "Planned",
    "Spent",
    "Committee meetings",
    "Axis",
    "Result",
    "Opportunity",
    "Women",
    "Men",
    "Attendance",
    "Decisions",
    "Minutes",
    "Lead",
    "Yes",
    "No",
    "Summary",
    "Progress",
    "Unit",
    "Responsible",
    "Breakdown",
    "Evidence files",
    "Narrative",
    "Funding source",
    "Reason",
    "Language",
    "Password",
    "User name",
    "Home",
    "Welcome",
    "View site",
    "Add",
    "Back to the plan",
    "This page does not exist",
    "You cannot open this page",
    "Nothing was saved",
    "Ensure this value",
]
ENGLISH_PATTERN = re.compile(
    r"(?<![\w’'-])(" + "|".join(map(re.escape, ENGLISH_INTERFACE)) + r")(?![\w’'-])"
)


def bilingual(obj, **fields):
    """Sets each translated field in both languages: field=(French, English)."""
    for name, (french, english) in fields.items():
        setattr(obj, f"{name}_fr", french)
        setattr(obj, f"{name}_en", english)
    obj.save()
    return obj


@pytest.fixture
def data(institution, member):
    plan = bilingual(
        PlanFactory(slug=SLUG, start_year=2019, end_year=2023),
        title=("Plan d’action national 1325 du Mali", "Mali national action plan 1325"),
    )
    axis = bilingual(
        AxisFactory(plan=plan, number=1),
        name=("Participation des femmes", "Women's participation"),
        objective=("Accroître la place des femmes.", "More room for women."),
    )
    result = bilingual(
        ResultFactory(axis=axis, code="1.1"),
        statement=(
            "Les femmes participent davantage aux instances de décision.",
            "Women take a larger part in decision-making bodies.",
        ),
    )
    opportunity = bilingual(
        OpportunityFactory(result=result, code="1.1.1"),
        statement=("Application de la loi sur les quotas.", "The quota law is applied."),
    )
    share = bilingual(
        IndicatorFactory(result=result, code="1.1-a", percentage=True),
        name=("Proportion de femmes élues", "Share of elected women"),
        definition=("Femmes élues sur le total des élus.", "Elected women over all elected."),
    )
    budget = bilingual(
        IndicatorFactory(result=result, code="1.1-b", unit_kind="amount"),
        name=("Budget consacré au genre", "Gender budget"),
        definition=("", ""),
    )
    trained = bilingual(
        IndicatorFactory(result=result, opportunity=opportunity, code="1.1-c"),
        name=("Femmes formées à la médiation", "Women trained in mediation"),
        definition=("", ""),
    )
    region = bilingual(Dimension.objects.create(code="region", order=2), name=("Région", "Region"))
    mopti, segou = (
        bilingual(
            DimensionValue(
                dimension=region,
                code=name.lower(),
                order=order,
                region=Region.objects.create(code=name[:3].upper(), name=name),
            ),
            name=(name, name),
        )
        for order, name in ((1, "Mopti"), (2, "Ségou"))
    )
    trained.dimensions.add(region)
    for indicator in (share, budget, trained):
        indicator.responsible_institutions.add(institution)
    AnnualTargetFactory(indicator=share, year=YEAR, value=Decimal(30))
    AnnualTargetFactory(indicator=budget, year=YEAR, value=Decimal(2_000_000))
    AnnualTargetFactory(indicator=trained, year=YEAR, value=Decimal(100))

    q1, q2 = period_of(plan, YEAR, 1), period_of(plan, YEAR, 2)
    percentage = IndicatorValueFactory(
        indicator=share, period=q1, numerator=Decimal(25), denominator=Decimal(200), source="INSTAT"
    )
    IndicatorValueFactory(indicator=budget, period=q2, value=Decimal(1_234_567), source="DGB")
    counted = IndicatorValueFactory(indicator=trained, period=q1, value=Decimal(40), source="MPFEF")
    BreakdownRow.objects.create(indicator_value=counted, category=mopti, value=25)
    BreakdownRow.objects.create(indicator_value=counted, category=segou, value=15)
    submitted = IndicatorValueFactory(
        indicator=trained,
        period=q2,
        value=Decimal(12),
        status=IndicatorValue.Status.SUBMITTED,
        source="MPFEF",
        entered_by=member,
        submitted_at=datetime.datetime(2021, 7, 2, 9, 30, tzinfo=datetime.UTC),
        validated_at=None,
    )

    activity = bilingual(
        ActivityFactory(opportunity=opportunity, code="A1", lead_institution=institution),
        title=("Former des médiatrices", "Train women mediators"),
    )
    source = bilingual(
        FundingSource(kind=FundingSource.Kind.NATIONAL_BUDGET),
        name=("Budget de l’État", "State budget"),
    )
    BudgetLineFactory(activity=activity, year=YEAR, funding_source=source, planned_amount=1_234_567)
    ActivityProgress.objects.create(
        activity=activity,
        period=q1,
        status=ActivityProgress.Status.ONGOING,
        percent_complete=40,
        amount_spent=500_000,
    )
    meeting = CommitteeMeetingFactory(
        period=q1, date=datetime.date(2021, 2, 11), place="Bamako", decisions="Plan adopté."
    )
    MeetingAttendance.objects.create(
        meeting=meeting, institution=institution, women_present=5, men_present=3
    )
    return {"plan": plan, "percentage": percentage, "submitted": submitted, "activity": activity}


class VisibleText(HTMLParser):
    """The text a reader sees, plus the labels screen readers announce; without scripts,
    styles and the language switch's option labels (each language is named in its own)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts, self.skip, self.in_language_switch = [], 0, False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("script", "style"):
            self.skip += 1
        if tag == "select" and attrs.get("id") == "language-switch":
            self.in_language_switch = True
        for name in ("aria-label", "title", "placeholder", "alt"):
            if attrs.get(name):
                self.parts.append(attrs[name])

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self.skip -= 1
        if tag == "select":
            self.in_language_switch = False

    def handle_data(self, text):
        if not self.skip and not self.in_language_switch:
            self.parts.append(text)


def visible_text(response):
    parser = VisibleText()
    parser.feed(response.content.decode())
    # Collapse ASCII white space only: the no-break spaces of French numbers must stay.
    return re.sub(r"[ \t\r\n\f\v]+", " ", " ".join(parser.parts)).strip()


def get(client, url, language):
    return client.get(url, HTTP_ACCEPT_LANGUAGE=language)


# (name, user fixture or None for anonymous, URL, status, a French string, its English one)
PAGES = [
    ("dashboard", "member", f"{PLAN}/?year={YEAR}", 200, "Cadre de résultats", "Results framework"),
    (
        "framework",
        "member",
        f"{PLAN}/framework/",
        200,
        "Dernière valeur validée",
        "Latest validated value",
    ),
    (
        "indicator table",
        "member",
        f"{PLAN}/indicators/?year={YEAR}",
        200,
        "Indicateurs en 2021",
        "Indicators in 2021",
    ),
    (
        "indicator",
        "member",
        f"{PLAN}/indicators/1.1-c/?year={YEAR}",
        200,
        "Cible de fin de plan",
        "End-of-plan target",
    ),
    (
        "regions",
        "member",
        f"{PLAN}/regions/?year={YEAR}",
        200,
        "Indicateurs par région en 2021",
        "Indicators by region in 2021",
    ),
    ("periods", "secretariat", f"{PLAN}/periods/", 200, "Périodes de rapport", "Reporting periods"),
    (
        "quarterly entry",
        "member",
        f"{PLAN}/periods/{YEAR}-Q2/",
        200,
        "Enregistrer le brouillon",
        "Save draft",
    ),
    (
        "meetings",
        "secretariat",
        f"{PLAN}/periods/{YEAR}-Q1/meetings/",
        200,
        "Enregistrer une réunion",
        "Record a meeting",
    ),
    (
        "validation",
        "secretariat",
        f"{PLAN}/validation/",
        200,
        "File de validation",
        "Validation queue",
    ),
    (
        "completeness",
        "secretariat",
        f"{PLAN}/completeness/?year={YEAR}",
        200,
        "Complétude des rapports",
        "Completeness of reporting",
    ),
    (
        "annual report",
        "reporting_staff",
        f"{PLAN}/reports/{YEAR}/",
        200,
        "Rapport annuel 2021",
        "Annual report 2021",
    ),
    ("history", "member", f"{PLAN}/values/{{submitted}}/history/", 200, "Historique", "History"),
    ("login", None, "/accounts/login/", 200, "Mot de passe", "Password"),
    (
        "404",
        "member",
        "/plans/no-such-plan/",
        404,
        "Cette page n’existe pas",
        "This page does not exist",
    ),
    (
        "403",
        "member",
        f"{PLAN}/validation/",
        403,
        "Vous ne pouvez pas ouvrir cette page",
        "You cannot open this page",
    ),
    (
        "admin index",
        "superuser",
        "/admin/",
        200,
        "Administration du Suivi du PAN 1325",
        "NAP 1325 Tracker administration",
    ),
    (
        "admin changelist",
        "superuser",
        "/admin/tracker/indicator/",
        200,
        "Sélectionnez l’objet indicateur à changer",
        "Select indicator to change",
    ),
]


def page_client(request, client, data, user):
    if user:
        client.force_login(request.getfixturevalue(user))
    return client


@pytest.mark.parametrize(
    ("user", "url", "status", "french", "english"),
    [page[1:] for page in PAGES],
    ids=[page[0] for page in PAGES],
)
def test_every_page_reads_in_the_requested_language(
    request, client, data, user, url, status, french, english
):
    client = page_client(request, client, data, user)
    url = url.format(submitted=data["submitted"].pk)

    response = get(client, url, "fr")
    assert response.status_code == status
    assert response.headers["Content-Language"] == "fr"
    text = visible_text(response)
    assert french in text
    assert english not in text
    leftovers = sorted(set(ENGLISH_PATTERN.findall(text)))
    assert not leftovers, f"English interface strings on the French page: {leftovers}"
    if user and not url.startswith("/admin/"):
        assert "Déconnexion" in text

    response = get(client, url, "en")
    assert response.status_code == status
    assert response.headers["Content-Language"] == "en"
    text = visible_text(response)
    assert english in text
    assert french not in text
    if user and not url.startswith("/admin/"):
        assert "Sign out" in text


def test_french_is_the_default_language(client, data, member, settings):
    settings.LANGUAGE_CODE = "fr"
    client.force_login(member)
    text = visible_text(client.get(f"{PLAN}/?year={YEAR}"))
    assert "Déconnexion" in text
    assert "Sign out" not in text


def test_the_language_switch_keeps_the_choice(client, data, member):
    client.force_login(member)
    response = client.post(
        "/i18n/setlang/", {"language": "en", "next": f"{PLAN}/"}, HTTP_ACCEPT_LANGUAGE="fr"
    )
    assert response.status_code == 302
    assert response.url == f"{PLAN}/"
    # The cookie now wins over the browser's language; the URL carries no language prefix.
    text = visible_text(get(client, f"{PLAN}/?year={YEAR}", "fr"))
    assert "Sign out" in text
    assert "Déconnexion" not in text


# Numbers, dates and amounts


@pytest.mark.parametrize(
    ("language", "amount", "share", "meeting_date"),
    [
        ("fr", f"1{NBSP}234{NBSP}567 FCFA", f"12,5{NBSP}%", "11 février 2021"),
        ("en", "1,234,567 FCFA", "12.5 %", "Feb. 11, 2021"),
    ],
)
def test_numbers_and_dates_follow_the_language(
    client, data, member, reporting_staff, language, amount, share, meeting_date
):
    client.force_login(member)
    framework = visible_text(get(client, f"{PLAN}/framework/", language))
    assert amount in framework
    assert share in framework
    dashboard = visible_text(get(client, f"{PLAN}/?year={YEAR}", language))
    assert amount in dashboard  # the budget planned in 2021
    assert share in dashboard  # the latest validated figures
    table = visible_text(get(client, f"{PLAN}/indicators/?year={YEAR}", language))
    assert amount in table
    assert share in table
    client.force_login(reporting_staff)
    report = visible_text(get(client, f"{PLAN}/reports/{YEAR}/", language))
    assert amount in report
    assert share in report
    assert meeting_date in report


# Exports


def csv_table(response, delimiter):
    # The rows stream after the view has returned; a server may by then have switched the
    # thread to another language. The rows must keep the request's.
    translation.activate("en" if response.headers["Content-Language"] == "fr" else "fr")
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(content), delimiter=delimiter))


@pytest.mark.parametrize(
    ("language", "delimiter", "headers", "share", "status"),
    [
        ("fr", ";", ["Code", "Indicateur", "Axe", "Résultat", "Unité"], "12,5", "Loin de la cible"),
        ("en", ",", ["Code", "Indicator", "Axis", "Result", "Unit"], "12.5", "Off track"),
    ],
)
def test_the_indicator_table_export_follows_the_language(
    client, data, member, language, delimiter, headers, share, status
):
    client.force_login(member)
    response = get(client, f"{PLAN}/indicators/?year={YEAR}&export=csv", language)
    assert response.status_code == 200
    rows = csv_table(response, delimiter)
    assert rows[0][:5] == headers
    by_code = {row[0]: row for row in rows[1:]}
    assert share in by_code["1.1-a"]
    assert "1234567" in by_code["1.1-b"]
    name = "Budget consacré au genre" if language == "fr" else "Gender budget"
    assert by_code["1.1-b"][1] == name
    assert status in by_code["1.1-b"]


@pytest.mark.parametrize(
    ("language", "delimiter", "headers", "share", "breakdown"),
    [
        ("fr", ";", ["Axe", "Code", "Indicateur", "Unité", "Ligne"], "12,5", "ventilation"),
        ("en", ",", ["Axis", "Code", "Indicator", "Unit", "Row"], "12.5", "breakdown"),
    ],
)
def test_the_annual_report_csv_follows_the_language(
    client, data, reporting_staff, language, delimiter, headers, share, breakdown
):
    client.force_login(reporting_staff)
    response = get(client, f"{PLAN}/reports/{YEAR}.csv", language)
    assert response.status_code == 200
    rows = csv_table(response, delimiter)
    assert rows[0][:5] == headers
    assert any(row[1] == "1.1-a" and share in row for row in rows[1:])
    assert any(row[1] == "1.1-b" and "1234567" in row for row in rows[1:])
    assert any(row[1] == "1.1-c" and row[4] == breakdown and row[6] == "Mopti" for row in rows)


def test_the_annual_report_xlsx_holds_the_same_numbers_in_both_languages(
    client, data, reporting_staff
):
    client.force_login(reporting_staff)
    books = {}
    for language in ("fr", "en"):
        response = get(client, f"{PLAN}/reports/{YEAR}.xlsx", language)
        assert response.status_code == 200
        books[language] = load_workbook(io.BytesIO(b"".join(response.streaming_content)))

    def numbers(book):
        return [
            [
                (cell.coordinate, cell.value)
                for row in sheet.iter_rows()
                for cell in row
                if isinstance(cell.value, int | float | Decimal)
                and not isinstance(cell.value, bool)
            ]
            for sheet in book.worksheets
        ]

    french, english = numbers(books["fr"]), numbers(books["en"])
    assert french == english
    assert any(value == 1234567 for sheet in french for _, value in sheet)
    assert books["fr"].sheetnames != books["en"].sheetnames
    assert books["fr"].worksheets[1]["C1"].value == "Indicateur"
    assert books["en"].worksheets[1]["C1"].value == "Indicator"


@pytest.mark.parametrize(
    ("language", "title", "amount", "share", "heading"),
    [
        ("fr", "Rapport annuel 2021", "1234567FCFA", "12,5%", "Réunions du comité"),
        ("en", "Annual report 2021", "1,234,567FCFA", "12.5%", "Committee meetings"),
    ],
)
def test_the_annual_report_pdf_follows_the_language(
    client, data, reporting_staff, language, title, amount, share, heading
):
    client.force_login(reporting_staff)
    response = get(client, f"{PLAN}/reports/{YEAR}.pdf", language)
    assert response.status_code == 200
    text = " ".join(
        page.extract_text()
        for page in PdfReader(io.BytesIO(b"".join(response.streaming_content))).pages
    )
    assert title in re.sub(r"\s+", " ", text)
    assert heading in re.sub(r"\s+", " ", text)
    squeezed = re.sub(r"\s+", "", text)  # the PDF's spaces (no-break or not) are unreliable
    assert amount in squeezed
    assert share in squeezed


# Messages


def test_form_validation_messages_are_in_french(client, data, member):
    client.force_login(member)
    url = f"{PLAN}/periods/{YEAR}-Q3/"
    page = get(client, url, "fr")
    forms = page.context["value_forms"]
    post = {f"{form.prefix}-version": 0 for form in forms}
    post.update({f"a{data['activity'].pk}-version": 0})
    trained = next(form for form in forms if form.indicator.code == "1.1-c")
    post[f"{trained.prefix}-value"] = "-5"
    post["action"] = "save"

    response = client.post(url, post, HTTP_ACCEPT_LANGUAGE="fr")

    assert response.status_code == 400
    text = visible_text(response)
    assert "Assurez-vous que cette valeur est supérieure ou égale à 0." in text
    # Listed at the top with a link (issue 14: the rest of the page is saved).
    summary = response.content.decode().split('id="entry-errors"')[1].split("</div>")[0]
    assert f'href="#{trained.prefix}"' in summary and "Assurez-vous" in summary
    assert "Ensure this value" not in text
    assert not IndicatorValue.objects.filter(period__quarter=3).exists()


def test_permission_messages_are_in_french(client, data, member):
    client.force_login(member)
    response = get(client, f"{PLAN}/validation/", "fr")
    assert response.status_code == 403
    text = visible_text(response)
    assert "Seul le secrétariat valide ou renvoie les valeurs soumises." in text
    assert "Only the secretariat" not in text


# The catalogues


def msgfmt(path):
    return subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )


needs_msgfmt = pytest.mark.skipif(
    shutil.which("msgfmt") is None, reason="GNU gettext (msgfmt) is not installed"
)


@needs_msgfmt
def test_the_french_catalogue_is_complete():
    result = msgfmt(FRENCH_PO)
    assert result.returncode == 0, result.stderr
    report = result.stdout + result.stderr
    assert re.search(r"\d+ translated messages?", report), report
    assert "untranslated" not in report, report
    assert "fuzzy" not in report, report
    assert not re.search(r"^#,.*\bfuzzy\b", FRENCH_PO.read_text(encoding="utf-8"), re.MULTILINE)


@needs_msgfmt
def test_the_english_catalogue_compiles():
    result = msgfmt(ENGLISH_PO)
    assert result.returncode == 0, result.stderr


def test_the_catalogues_are_compiled():
    """compilemessages runs at setup and in CI; without it French pages would be English."""
    for language in ("fr", "en"):
        assert (FRENCH_PO.parents[2] / language / "LC_MESSAGES" / "django.mo").exists()
    with translation.override("fr"):
        assert translation.gettext("Sign out") == "Déconnexion"


def test_the_history_shows_statuses_and_figures_in_the_language(client, data, member):
    client.force_login(member)
    url = f"{PLAN}/values/{data['percentage'].pk}/history/"
    french = visible_text(get(client, url, "fr"))
    assert f"Statut{NBSP}: Validée" in french
    assert f"Valeur{NBSP}: 12,5" in french
    assert "validated" not in french
    english = visible_text(get(client, url, "en"))
    assert "Status: Validated" in english
    assert "Value: 12.5" in english
