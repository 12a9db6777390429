"""A published annual report is a set of documents (issue 17): publishing stores its PDF, XLSX
and CSV in both languages with their SHA-256, and every later download serves those bytes,
whatever changes afterwards. Drafts are made again only when their figures change."""

import hashlib
import re
from decimal import Decimal
from pathlib import Path
from unittest.mock import ANY

import pytest
from django.core.cache import caches
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tracker import services
from tracker.models import AnnualReport, IndicatorValue, PublishedReport, PublishedReportFile
from tracker.reports import annual, documents
from tracker.reports import render as report_render
from tracker.services import reports as report_services

from .factories import AnnualTargetFactory, IndicatorFactory, IndicatorValueFactory, period_of

pytestmark = pytest.mark.django_db
YEAR = 2021
KINDS = ("pdf", "xlsx", "csv")
FILES = [(language, kind) for language in ("fr", "en") for kind in KINDS]
TYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def empty_cache():
    caches["default"].clear()
    yield
    caches["default"].clear()


@pytest.fixture
def plan(plan):
    """conftest's plan with one validated value of 2021, to count and to correct."""
    cases = IndicatorFactory(result__axis__plan=plan, code="3.0-a", name="GBV cases recorded")
    AnnualTargetFactory(indicator=cases, year=YEAR, value=Decimal(9000))
    IndicatorValueFactory(indicator=cases, period=period_of(plan, YEAR, 1), value=Decimal(1879))
    return plan


@pytest.fixture
def published(plan, reporting_staff):
    return services.publish_report(user=reporting_staff, plan=plan, year=YEAR)


def url(plan, kind, query=""):
    return f"/plans/{plan.slug}/reports/{YEAR}.{kind}{query}"


def body(response):
    return b"".join(response.streaming_content)


def stored_bytes(row):
    with row.file.open("rb") as stored:
        return stored.read()


def files_on_disk(media):
    return sorted(path for path in Path(media).rglob("*") if path.is_file())


def correct_the_value(secretariat, amount):
    value = IndicatorValue.objects.get(indicator__code="3.0-a", period__quarter=1)
    services.save_value(
        user=secretariat,
        indicator=value.indicator,
        period=value.period,
        data=services.ValueInput(value=Decimal(amount)),
        expected_version=value.version,
        reason="GBVIMS revised Q1",
    )


def count_calls(monkeypatch, module, name):
    """Counts the calls of module.name, which still does its work."""
    calls = []
    original = getattr(module, name)

    def counted(*args, **kwargs):
        calls.append(name)
        return original(*args, **kwargs)

    monkeypatch.setattr(module, name, counted)
    return calls


# Publishing


def test_publishing_stores_the_six_files_with_their_fingerprints(published, media):
    rows = {(row.language, row.kind): row for row in published.files.all()}
    assert sorted(rows) == sorted(FILES)
    for row in rows.values():
        data = stored_bytes(row)
        assert row.sha256 == hashlib.sha256(data).hexdigest()
        assert row.size == len(data) > 0
        # An opaque name: nothing typed by the staff, nothing to guess.
        assert re.fullmatch(rf"reports/[0-9a-f]{{32}}\.{row.kind}", row.file.name)
    assert stored_bytes(rows["fr", "pdf"]).startswith(b"%PDF")
    assert stored_bytes(rows["fr", "xlsx"]).startswith(b"PK")
    # Each language's own file: French cells separated by semicolons, English by commas.
    assert stored_bytes(rows["fr", "csv"]).decode("utf-8-sig").splitlines()[0].count(";") > 3
    assert stored_bytes(rows["en", "csv"]).decode("utf-8-sig").splitlines()[0].count(";") == 0
    assert len(files_on_disk(media)) == 6
    assert AnnualReport.objects.get().status == AnnualReport.Status.PUBLISHED


def test_a_later_version_gets_its_own_files(plan, published, reporting_staff, secretariat):
    correct_the_value(secretariat, 1900)
    second = services.publish_report(user=reporting_staff, plan=plan, year=YEAR)
    assert second.files.count() == 6
    assert published.files.count() == 6
    first_pdf = published.files.get(language="en", kind="pdf")
    assert second.files.get(language="en", kind="pdf").sha256 != first_pdf.sha256


def test_a_renderer_that_fails_publishes_nothing(plan, reporting_staff, monkeypatch, media):
    services.annual_report_for(user=reporting_staff, plan=plan, year=YEAR)

    def broken(context):
        raise RuntimeError("WeasyPrint ran out of memory")

    monkeypatch.setattr(report_render, "pdf_bytes", broken)
    with pytest.raises(RuntimeError):
        services.publish_report(user=reporting_staff, plan=plan, year=YEAR)
    assert not PublishedReport.objects.exists()
    assert not PublishedReportFile.objects.exists()
    assert AnnualReport.objects.get().status == AnnualReport.Status.DRAFT
    assert files_on_disk(media) == []


def test_a_failed_second_version_leaves_the_first_as_it_was(
    plan, published, reporting_staff, secretariat, monkeypatch, media
):
    kept = {row.pk: (row.sha256, stored_bytes(row)) for row in published.files.all()}
    on_disk = files_on_disk(media)
    correct_the_value(secretariat, 1900)
    made = []

    def second_pdf_fails(context):
        made.append(context["version"].number)
        if len(made) == 2:
            raise RuntimeError("WeasyPrint ran out of memory")
        return b"%PDF-1.7 v2"

    monkeypatch.setattr(report_render, "pdf_bytes", second_pdf_fails)
    with pytest.raises(RuntimeError):
        services.publish_report(user=reporting_staff, plan=plan, year=YEAR)
    assert made == [2, 2]
    assert list(PublishedReport.objects.values_list("number", flat=True)) == [1]
    assert {row.pk: (row.sha256, stored_bytes(row)) for row in published.files.all()} == kept
    assert PublishedReportFile.objects.count() == 6
    assert AnnualReport.objects.get().status == AnnualReport.Status.PUBLISHED
    assert files_on_disk(media) == on_disk


def test_a_file_that_cannot_be_stored_leaves_no_other_behind(
    plan, reporting_staff, monkeypatch, media
):
    services.annual_report_for(user=reporting_staff, plan=plan, year=YEAR)
    store = report_services._store_file
    stored = []

    def store_three(**kwargs):
        if len(stored) == 3:
            raise OSError("No space left on device")
        stored.append(store(**kwargs))
        return stored[-1]

    monkeypatch.setattr(report_services, "_store_file", store_three)
    with pytest.raises(OSError):
        services.publish_report(user=reporting_staff, plan=plan, year=YEAR)
    assert len(stored) == 3
    assert not PublishedReport.objects.exists()
    assert not PublishedReportFile.objects.exists()
    assert AnnualReport.objects.get().status == AnnualReport.Status.DRAFT
    assert files_on_disk(media) == []


def test_only_the_reporting_staff_publish(plan, member, media):
    with pytest.raises(Exception, match="reporting staff"):
        services.publish_report(user=member, plan=plan, year=YEAR)
    assert not PublishedReportFile.objects.exists() and files_on_disk(media) == []


def test_the_database_refuses_a_bad_file_row(published):
    from django.db import IntegrityError, transaction

    row = published.files.first()
    for change in ({"language": "de"}, {"kind": "docx"}, {"sha256": "abc"}):
        with pytest.raises(IntegrityError), transaction.atomic():
            PublishedReportFile.objects.create(
                **{
                    "version": published,
                    "language": "fr",
                    "kind": "pdf",
                    "file": row.file.name,
                    "sha256": "0" * 64,
                    "size": 1,
                    **change,
                }
            )
    with pytest.raises(IntegrityError), transaction.atomic():  # a second French PDF
        PublishedReportFile.objects.create(
            version=published, language="fr", kind="pdf", file="x", sha256="0" * 64, size=1
        )


# Downloads of a published version


def test_downloads_serve_the_published_bytes_with_their_fingerprint(
    plan, published, client_for, member
):
    client = client_for(member)
    for language, kind in FILES:
        row = published.files.get(language=language, kind=kind)
        response = client.get(url(plan, kind, f"?language={language}"))
        assert response.status_code == 200
        data = body(response)
        assert data == stored_bytes(row)
        assert hashlib.sha256(data).hexdigest() == row.sha256
        assert response["Content-Type"] == TYPES[kind]
        assert response["Content-Length"] == str(row.size)
        assert response["ETag"] == f'"{row.sha256}"'
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Disposition"] == (
            f'attachment; filename="annual-report-mali-2019-2023-2021-v1-{language}.{kind}"'
        )


def test_the_request_language_picks_the_file(plan, published, client_for, member):
    client = client_for(member)
    french = client.get(url(plan, "csv"), HTTP_ACCEPT_LANGUAGE="fr")
    assert body(french) == stored_bytes(published.files.get(language="fr", kind="csv"))
    assert french["Content-Language"] == "fr"


def test_the_bytes_never_change_after_publication(
    plan, published, client_for, member, reporting_staff, secretariat, monkeypatch
):
    client = client_for(member)
    before = {
        (lang, kind): body(client.get(url(plan, kind, f"?language={lang}"))) for lang, kind in FILES
    }

    correct_the_value(secretariat, 1900)
    report = AnnualReport.objects.get()
    services.save_report_narrative(
        user=reporting_staff, report=report, sections={"summary": "Rewritten afterwards."}
    )
    monkeypatch.setattr(report_render, "pdf_bytes", lambda context: b"%PDF-1.7 another")
    monkeypatch.setattr(documents, "csv_bytes", lambda headers, rows: b"another")
    monkeypatch.setattr(documents, "xlsx_bytes", lambda sheets: b"PK another")

    for (language, kind), data in before.items():
        again = body(client.get(url(plan, kind, f"?language={language}&version=1")))
        assert again == data, (language, kind)
        row = published.files.get(language=language, kind=kind)
        assert hashlib.sha256(again).hexdigest() == row.sha256
    # The draft, by contrast, follows the correction.
    draft = client_for(reporting_staff).get(url(plan, "pdf", "?draft=1"))
    assert body(draft) == b"%PDF-1.7 another"


def test_a_known_fingerprint_gets_304(plan, published, client_for, member):
    client = client_for(member)
    row = published.files.get(language="en", kind="pdf")
    response = client.get(url(plan, "pdf"), HTTP_IF_NONE_MATCH=f'"{row.sha256}"')
    assert response.status_code == 304
    assert response["ETag"] == f'"{row.sha256}"'
    assert client.get(url(plan, "pdf"), HTTP_IF_NONE_MATCH='"0000"').status_code == 200


def test_a_published_download_renders_nothing_and_reads_little(
    plan, published, client_for, member, monkeypatch, django_assert_num_queries
):
    def refused(*args, **kwargs):
        raise AssertionError("a published file was made again")

    monkeypatch.setattr(annual, "build", refused)
    monkeypatch.setattr(documents, "make", refused)
    client = client_for(member)
    client.get(url(plan, "csv"))  # the session's first queries
    for kind in KINDS:
        # session, user, plan, the user's permissions (own and roles', one query), report,
        # versions, file
        with django_assert_num_queries(7):
            assert client.get(url(plan, kind)).status_code == 200


def test_a_visitor_of_a_public_plan_downloads_with_as_few_queries(
    plan, published, client, monkeypatch, django_assert_num_queries
):
    plan.is_public = True
    plan.save()
    monkeypatch.setattr(documents, "make", lambda **kwargs: pytest.fail("made again"))
    for kind in KINDS:
        # plan, report, versions, file
        with django_assert_num_queries(4):
            response = client.get(url(plan, kind, "?draft=1"))  # a visitor gets the published
        assert response.status_code == 200
        assert body(response) == stored_bytes(published.files.get(language="en", kind=kind))


def test_a_version_published_before_files_were_kept_is_made_once(
    plan, published, client_for, member, monkeypatch, media
):
    kept = {(row.language, row.kind): row.file.name for row in published.files.all()}
    published.files.all().delete()  # as a version published before issue 17 has none
    for name in kept.values():
        (Path(media) / name).unlink()
    made = count_calls(monkeypatch, documents, "make")
    client = client_for(member)

    first = body(client.get(url(plan, "pdf")))
    row = PublishedReportFile.objects.get()
    assert (row.version, row.language, row.kind) == (published, "en", "pdf")
    assert first == stored_bytes(row) and hashlib.sha256(first).hexdigest() == row.sha256
    assert made == ["make"]
    assert body(client.get(url(plan, "pdf"))) == first
    assert made == ["make"]  # stored: not made again
    assert len(files_on_disk(media)) == 1


def test_two_first_downloads_at_once_keep_one_file(
    plan, published, client_for, member, monkeypatch, media
):
    published.files.all().delete()
    for path in files_on_disk(media):
        path.unlink()
    make = documents.make

    def another_request_stores_first(**kwargs):
        data = make(**kwargs)
        report_services._store_file(
            version=kwargs["version"],
            language=kwargs["language"],
            kind=kwargs["kind"],
            data=b"%PDF the other request's",
        )
        return data

    monkeypatch.setattr(documents, "make", another_request_stores_first)
    response = client_for(member).get(url(plan, "pdf"))
    assert response.status_code == 200
    assert body(response) == b"%PDF the other request's"
    assert PublishedReportFile.objects.count() == 1
    assert len(files_on_disk(media)) == 1  # the loser's file is gone


# Refusals


def test_an_unknown_version_or_language_is_404(plan, published, client_for, member):
    client = client_for(member)
    assert client.get(url(plan, "pdf", "?version=99")).status_code == 404
    assert client.get(url(plan, "pdf", "?language=de")).status_code == 404
    assert client.get(url(plan, "pdf", "?language=")).status_code == 404
    assert client.get(f"/plans/{plan.slug}/reports/2031.pdf").status_code == 404


def test_people_outside_a_private_plan_get_no_file(plan, published, client, client_for, outsider):
    response = client.get(url(plan, "pdf"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client_for(outsider).get(url(plan, "pdf")).status_code == 403
    assert client_for(outsider).get(url(plan, "csv", "?version=1")).status_code == 403


def test_nothing_published_means_no_file_for_readers(plan, client, client_for, member):
    assert client_for(member).get(url(plan, "pdf")).status_code == 403
    plan.is_public = True
    plan.save()
    client.logout()
    assert client.get(url(plan, "pdf")).status_code == 302


# The report page


def test_the_page_lists_the_files_with_their_fingerprints(plan, published, client_for, member):
    page = client_for(member).get(f"/plans/{plan.slug}/reports/{YEAR}/").content.decode()
    assert "SHA-256 fingerprint: anyone can check" in page
    shown = re.findall(r"<code[^>]*>([0-9a-f]{64})</code>", page)
    english = [published.files.get(language="en", kind=kind).sha256 for kind in KINDS]
    french = [published.files.get(language="fr", kind=kind).sha256 for kind in KINDS]
    assert shown == english + french  # the reader's language first
    assert "?version=1&amp;language=fr" in page


def test_the_published_page_reads_a_fixed_number_of_queries(
    plan, published, client_for, member, django_assert_num_queries
):
    client = client_for(member)
    page = f"/plans/{plan.slug}/reports/{YEAR}/"
    client.get(page)
    for _ in range(3):
        IndicatorValueFactory(
            indicator=IndicatorFactory(result__axis__plan=plan), period=period_of(plan, YEAR, 2)
        )
    # The same whatever the number of indicators, values and versions (one read for the
    # files, one for the figures the version shown keeps: the others' are left unread).
    with django_assert_num_queries(12):
        assert client.get(page).status_code == 200


def test_only_the_version_shown_has_its_kept_figures_read(
    plan, published, client_for, reporting_staff
):
    services.publish_report(user=reporting_staff, plan=plan, year=YEAR)
    client = client_for(reporting_staff)
    kept = '"tracker_publishedreport"."figures"'
    for query, reads in (("?draft=1", 0), ("?version=1", 1), ("", 1)):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/plans/{plan.slug}/reports/{YEAR}/{query}").status_code == 200
        assert [q["sql"] for q in queries.captured_queries if kept in q["sql"]] == [ANY] * reads, (
            query
        )


# Drafts


def test_a_draft_is_made_again_only_when_its_figures_change(
    plan, client_for, reporting_staff, secretariat, monkeypatch
):
    made = count_calls(monkeypatch, report_render, "pdf_bytes")
    client = client_for(reporting_staff)
    first = body(client.get(url(plan, "pdf")))
    assert body(client.get(url(plan, "pdf"))) == first
    assert made == ["pdf_bytes"]  # the same figures: from the cache

    correct_the_value(secretariat, 1900)
    body(client.get(url(plan, "pdf")))
    assert len(made) == 2

    report = services.annual_report_for(user=reporting_staff, plan=plan, year=YEAR)
    services.save_report_narrative(
        user=reporting_staff, report=report, sections={"summary": "A year of progress."}
    )
    body(client.get(url(plan, "pdf")))
    assert len(made) == 3
    body(client.get(url(plan, "pdf", "?language=fr")))  # another language, another file
    assert len(made) == 4


def test_draft_spreadsheets_are_cached_too(plan, client_for, reporting_staff, monkeypatch):
    made = count_calls(monkeypatch, documents, "xlsx_bytes")
    client = client_for(reporting_staff)
    response = client.get(url(plan, "xlsx"))
    assert response["Content-Disposition"].endswith('-2021-draft-en.xlsx"')
    assert "ETag" not in response
    client.get(url(plan, "xlsx"))
    assert len(made) == 1


def test_the_draft_key_follows_every_part_of_the_state(plan):
    figures = annual.build(plan, YEAR)
    narrative = dict.fromkeys(annual.NARRATIVE_SECTIONS, "")
    base = {
        "figures": figures,
        "narrative": narrative,
        "plan": plan,
        "year": YEAR,
        "language": "en",
        "kind": "pdf",
    }
    key = documents.draft_key(**base)
    assert documents.draft_key(**{**base, "figures": annual.build(plan, YEAR)}) == key
    assert key != documents.draft_key(**{**base, "language": "fr"})
    assert key != documents.draft_key(**{**base, "kind": "csv"})
    assert key != documents.draft_key(**{**base, "narrative": {**narrative, "summary": "x"}})
    changed = {**figures, "summary": {**figures["summary"], "indicators": 99}}
    assert key != documents.draft_key(**{**base, "figures": changed})


def test_a_new_render_version_makes_new_keys(plan, monkeypatch):
    state = {
        "figures": annual.build(plan, YEAR),
        "narrative": {},
        "plan": plan,
        "year": YEAR,
        "language": "en",
        "kind": "pdf",
    }
    key = documents.draft_key(**state)
    monkeypatch.setattr(documents, "RENDER_VERSION", documents.RENDER_VERSION + 1)
    assert documents.draft_key(**state) != key


def test_a_file_of_an_unknown_kind_is_refused(plan):
    with pytest.raises(ValueError):
        documents.make(
            figures={}, narrative={}, plan=plan, year=YEAR, version=None, language="en", kind="docx"
        )


# CACHE_URL


def cache_settings(monkeypatch, value):
    from config.settings import base

    if value is None:
        monkeypatch.delenv("CACHE_URL", raising=False)
    else:
        monkeypatch.setenv("CACHE_URL", value)
    return base._cache_from_env()


def test_without_cache_url_each_process_keeps_its_own_cache(monkeypatch):
    cache = cache_settings(monkeypatch, None)
    assert cache["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"
    assert cache["OPTIONS"]["MAX_ENTRIES"] > 0


@pytest.mark.parametrize("url", ["redis://127.0.0.1:6379/0", "rediss://cache.example.ml:6380/1"])
def test_a_redis_cache_url_uses_django_redis_cache(monkeypatch, url):
    cache = cache_settings(monkeypatch, url)
    assert cache == {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}


@pytest.mark.parametrize(
    "url", ["memcached://127.0.0.1:11211", "127.0.0.1:6379", "locmem://", "redis:/broken"]
)
def test_another_cache_url_stops_start_up(monkeypatch, url):
    with pytest.raises(ImproperlyConfigured, match="CACHE_URL"):
        cache_settings(monkeypatch, url)


def test_the_test_settings_keep_an_in_process_cache(settings):
    assert settings.CACHES["default"]["BACKEND"].endswith("LocMemCache")


def test_a_bad_cache_url_stops_manage_py():
    import os
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=Path(__file__).resolve().parent.parent,
        env={**os.environ, "CACHE_URL": "memcached://127.0.0.1:11211"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "CACHE_URL must be a redis://" in result.stderr


# The admin


def test_the_admin_shows_a_versions_files_read_only(
    published, client_for, framework_admin, superuser
):
    client = client_for(framework_admin)
    page = client.get(f"/admin/tracker/publishedreport/{published.pk}/change/")
    assert page.status_code == 200
    html = page.content.decode()
    for row in published.files.all():
        assert row.sha256 in html
        assert row.file.name not in html  # the storage name is no link to anything
    assert "?version=1&amp;language=fr" in html
    assert "View published report" in html and 'name="_save"' not in html
    client = client_for(superuser)  # not even a superuser adds or deletes one
    assert (
        'name="_save"'
        not in client.get(f"/admin/tracker/publishedreport/{published.pk}/change/").content.decode()
    )
    assert client.get("/admin/tracker/publishedreport/add/").status_code == 403
    delete = f"/admin/tracker/publishedreport/{published.pk}/delete/"
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert published.files.count() == 6
