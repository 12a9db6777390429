"""Every page of the demo data, read in French: no English left, and French typography (a
no-break space before « : » and « % »)."""

import csv
import io
import re
from html.parser import HTMLParser

import pytest
from django.db import transaction
from django.test import Client
from openpyxl import load_workbook
from pypdf import PdfReader

from tracker import roles
from tracker.models import Institution

from .factories import UserFactory

# The pages are read once for the module (french_pages below); the mark keeps the tests among
# the other database tests, before the transactional ones, which leave no role groups behind.
pytestmark = pytest.mark.django_db

PLAN = "/plans/mali-2019-2023"
YEAR = 2021

# English a French reader must not meet (a period label, developer notes, content left in
# English). Matched as whole words, case-insensitively.
ENGLISH = [
    "Q1",
    "Q2",
    "Q3",
    "Q4",
    "Year",
    "stored",
    "check",
    "seed",
    "domain file",
    "basket fund",
    "UNDP",
    "whole-year",
]
ENGLISH_FRAGMENTS = [".md", ".txt"]

NO_BREAK_SPACES = "\u00a0\u202f"


class VisibleText(HTMLParser):
    """The text a reader sees: no tags, scripts nor styles. The secretariat's internal notes
    (class "internal-note") and what a member typed, in a text box or shown as text (class
    "typed-text", a closed period's entry page), are in the language they were written in:
    they are left out too."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts, self.skip, self.in_note = [], 0, 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "textarea"):
            self.skip += 1
        if self.in_note:
            self.in_note += 1
        elif {"internal-note", "typed-text"} & set((dict(attrs).get("class") or "").split()):
            self.in_note = 1

    def handle_endtag(self, tag):
        if tag in ("script", "style", "textarea"):
            self.skip -= 1
        if self.in_note:
            self.in_note -= 1

    def handle_data(self, data):
        if not self.skip and not self.in_note:
            self.parts.append(data)


def visible_text(html):
    parser = VisibleText()
    parser.feed(html)
    # Collapse ASCII white space only: the no-break spaces must stay.
    return re.sub(r"[ \t\r\n\f\v]+", " ", " ".join(parser.parts))


def english_words(text):
    text = re.sub(r"\s+", " ", text)
    found = []
    for word in ENGLISH:
        if re.search(rf"(?<![\w.]){re.escape(word)}(?!\w)", text, flags=re.I):
            found.append(word)
    found += [fragment for fragment in ENGLISH_FRAGMENTS if fragment in text]
    return found


def typography_faults(text, marks=":%"):
    """A colon or percent sign without a no-break space before it, with some context. A colon
    between digits (a time, 19:30) or in an address (https://) is no punctuation; a quoted
    title (« Transparency Portal: Mali ») keeps the punctuation it was published with."""
    text = re.sub(r"«[^»]*»", "«»", text)
    faults = []
    for match in re.finditer(f"[{marks}]", text):
        at = match.start()
        before, after = text[at - 1 : at], text[at + 1 : at + 2]
        if before and before in NO_BREAK_SPACES:
            continue
        if match.group() == ":" and (
            (before.isdigit() and after.isdigit()) or text[at : at + 3] == "://"
        ):
            continue
        # A percent sign is a unit after a number; "% de réalisation" opens a label.
        if match.group() == "%" and not text[max(0, at - 2) : at].strip()[-1:].isdigit():
            continue
        faults.append(text[max(0, at - 30) : at + 10])
    return faults


def french(client, user, url):
    client.force_login(user)
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 200, url
    return response


def pages(client, member, secretariat, reporting_staff):
    """(name, visible text) of every page and export of the demo data, in French."""
    staff = reporting_staff

    def html(user, url):
        return visible_text(french(client, user, url).content.decode())

    yield "dashboard", html(member, f"{PLAN}/?year={YEAR}")
    yield "framework", html(member, f"{PLAN}/framework/")
    yield "indicator table", html(member, f"{PLAN}/indicators/?year={YEAR}")
    yield "indicator page", html(member, f"{PLAN}/indicators/1.2-a/?year={YEAR}")
    yield "regions", html(member, f"{PLAN}/regions/?year=2020")
    yield "periods", html(member, f"{PLAN}/periods/")
    yield "entry page", html(member, f"{PLAN}/periods/{YEAR}-Q1/")
    yield "whole-year entry page", html(secretariat, f"{PLAN}/periods/2020/?institution=1")
    yield "annual indicator page", html(secretariat, f"{PLAN}/indicators/2.0-a/?year=2020")
    yield "queue", html(secretariat, f"{PLAN}/validation/")
    yield "completeness", html(secretariat, f"{PLAN}/completeness/")
    yield "meetings", html(member, f"{PLAN}/periods/{YEAR}-Q1/meetings/")
    yield "annual report", html(staff, f"{PLAN}/reports/{YEAR}/")
    response = french(client, staff, f"{PLAN}/reports/{YEAR}.csv")
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = csv.reader(io.StringIO(content), delimiter=";")
    yield "CSV", " | ".join(" | ".join(row) for row in rows)
    book = load_workbook(
        io.BytesIO(b"".join(french(client, staff, f"{PLAN}/reports/{YEAR}.xlsx").streaming_content))
    )
    yield (
        "XLSX",
        " | ".join(
            str(cell.value)
            for sheet in book.worksheets
            for row in sheet.iter_rows()
            for cell in row
            if isinstance(cell.value, str)
        ),
    )
    pdf = PdfReader(
        io.BytesIO(b"".join(french(client, staff, f"{PLAN}/reports/{YEAR}.pdf").streaming_content))
    )
    yield "PDF", " ".join(page.extract_text() for page in pdf.pages)


@pytest.fixture(scope="module")
def french_pages(django_db_setup, django_db_blocker, _mali_rows):
    """pages() of the demo data, read once for the three tests below, which read the same pages
    of the same data (a PDF and some fifteen pages: two seconds). The data are written, the
    pages read and everything rolled back before the first test runs."""
    with django_db_blocker.unblock(), transaction.atomic():
        _mali_rows.write()
        # The demo data's MPFEF (conftest's member brings its own, which would clash with it).
        mpfef = Institution.objects.get(acronym="MPFEF")
        member = UserFactory(username="member", role=roles.COMMITTEE_MEMBER, institution=mpfef)
        # As conftest's secretariat and reporting_staff, which are made per test.
        secretariat = UserFactory(username="secretariat", role=roles.SECRETARIAT, is_staff=True)
        staff = UserFactory(username="staff", role=roles.REPORTING_STAFF)
        read = list(pages(Client(), member, secretariat, staff))
        transaction.set_rollback(True)
    return read


def test_french_pages_leave_no_english(french_pages):
    found = {name: words for name, text in french_pages if (words := english_words(text))}
    assert found == {}


def faults_of(mark, pages_text, skipped=frozenset()):
    found = {}
    for name, text in pages_text:
        if name == "PDF" or name in skipped:
            continue  # a PDF's extracted text does not keep its spaces' kinds
        if faults := typography_faults(text, mark):
            found[name] = faults
    return found


def test_french_pages_put_a_no_break_space_before_colons(french_pages):
    assert faults_of(":", french_pages) == {}


def test_french_pages_put_a_no_break_space_before_percent_signs(french_pages):
    assert faults_of("%", french_pages) == {}
