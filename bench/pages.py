"""What is measured: the plan `synthetic-1325-1`, the users who read and post its pages (one
per role, each with a signed-in test client), and the pages, each with the main aggregate
query its time is compared with."""

import re
from dataclasses import dataclass

from django.contrib.auth.models import Group
from django.db.models import Count, Q
from django.test import Client

from tracker import roles
from tracker.models import AnnualReport, Indicator, IndicatorValue, Institution, Plan, User

from .common import ENTRY_QUARTER, ENTRY_YEAR, SEED, YEAR
from .forms import FormParser, number


@dataclass
class Page:
    key: str
    label: str
    client: object
    url: str
    main_sql: tuple  # callables(sql) -> bool: the page's main aggregate queries
    main_label: str
    method: str = "get"
    post_data: object = None  # callable() -> dict, built before each timed POST
    expected: int = 200
    export: bool = False  # measure peak memory
    html: bool = False  # a page a reader waits for (the acceptance's "every HTML page")

    def data(self):
        """The data of one request: built afresh for each POST, None for a GET."""
        return self.post_data() if self.post_data else None


def year_figures_sql(sql):
    # tracker.figures.year_figures joins the year's validated values under this alias.
    return "year_values" in sql and "tracker_indicator" in sql


def breakdown_sql(sql):
    # tracker.figures._breakdowns: the year's validated breakdown rows.
    return sql.startswith("SELECT") and 'FROM "tracker_breakdownrow"' in sql and "IN (" in sql


def entry_values_sql(sql):
    # Indicator.objects.for_entry: this period's values of the institution's indicators.
    return (
        sql.startswith("SELECT")
        and 'FROM "tracker_indicatorvalue"' in sql
        and '"tracker_indicatorvalue"."period_id" = %s' in sql
        and "latest_id" not in sql
    )


def queue_sql(sql):
    # The page of submitted values (not the paginator's COUNT).
    return (
        sql.startswith("SELECT")
        and 'FROM "tracker_indicatorvalue"' in sql
        and "LIMIT" in sql
        and "COUNT(" not in sql
    )


class Scenario:
    """The plan measured, its users and their clients, the institution whose quarterly entry
    page is measured and the indicator its member edits; `notes` for RESULTS.md."""

    def __init__(self):
        self.notes = []
        self.plan = Plan.objects.get(slug=f"synthetic-{SEED}-1")
        self.entry_period = self.plan.reporting_periods.get(year=ENTRY_YEAR, quarter=ENTRY_QUARTER)
        self.institution, self.edit_indicator = self.entry_choice()
        self.clients = self.sign_in()

    def sign_in(self):
        """A test client signed in for each user of the benchmark, one per role."""
        clients = {}
        for username, role, institution in (
            ("bench-secretariat", roles.SECRETARIAT, None),
            ("bench-staff", roles.REPORTING_STAFF, None),
            ("bench-member", roles.COMMITTEE_MEMBER, self.institution),
        ):
            user, _created = User.objects.get_or_create(username=username)
            user.institution = institution
            if user.has_usable_password():
                # Once only: a new unusable password would sign out the sessions of the other
                # processes of the run (the workers of each revision, wrk, Chromium).
                user.set_unusable_password()
            user.save()
            user.groups.set([Group.objects.get(name=role)])
            clients[username] = Client()
            clients[username].force_login(user)
        return clients

    def entry_choice(self):
        """The institution whose entry page the benchmark uses, and the indicator its member
        edits: the institution with the most editable percentages this period (ties: most
        indicators), so the POST changes a numerator like a real correction."""
        editable = IndicatorValue.objects.filter(
            period=self.entry_period,
            status__in=[IndicatorValue.Status.DRAFT, IndicatorValue.Status.RETURNED],
            indicator__unit_kind=Indicator.UnitKind.PERCENTAGE,
        )
        editable_ids = list(editable.values_list("indicator_id", flat=True))
        institution = (
            Institution.objects.filter(indicators__plan=self.plan)
            .annotate(
                editable=Count("indicators", filter=Q(indicators__pk__in=editable_ids)),
                total=Count("indicators"),
            )
            .order_by("-editable", "-total", "pk")
            .first()
        )
        indicator = (
            Indicator.objects.filter(
                plan=self.plan, responsible_institutions=institution, pk__in=editable_ids
            )
            .order_by("code")
            .first()
        )
        return institution, indicator

    def pages(self):
        slug = self.plan.slug
        base = f"/plans/{slug}"
        detail = (
            Indicator.objects.filter(
                plan=self.plan, unit_kind="count", aggregation="sum", dimensions__code="region"
            )
            .filter(dimensions__code="sex")
            .order_by("code")
            .first()
        )
        secretariat = self.clients["bench-secretariat"]
        staff = self.clients["bench-staff"]
        entry = f"{base}/periods/{ENTRY_YEAR}-Q{ENTRY_QUARTER}/"
        post_client, post_url, post_label = self.entry_poster(entry)
        figures = (year_figures_sql,)
        figures_label = "year_figures (tracker.figures)"
        with_breakdown = (year_figures_sql, breakdown_sql)
        breakdown_label = "year_figures: its aggregate query + its breakdown query"
        pages = [
            Page("dashboard", "Plan dashboard", secretariat, f"{base}/?year={YEAR}",
                 figures, figures_label, html=True),
            Page("table", "Indicator table, unit=count", secretariat,
                 f"{base}/indicators/?year={YEAR}&unit_kind=count", figures, figures_label,
                 html=True),
            Page("indicator", f"Indicator page ({detail.code})", secretariat,
                 f"{base}/indicators/{detail.code}/?year={YEAR}", with_breakdown,
                 breakdown_label, html=True),
            Page("entry_get", "Quarterly entry, GET", secretariat,
                 f"{entry}?institution={self.institution.pk}", (entry_values_sql,),
                 "period values (Indicator.objects.for_entry)", html=True),
            Page("entry_post", post_label, post_client, post_url, (entry_values_sql,),
                 "period values (Indicator.objects.for_entry)", method="post",
                 post_data=lambda: self.entry_post_data(post_client, post_url), expected=302),
            Page("validation", "Validation queue", secretariat, f"{base}/validation/",
                 (queue_sql,), "submitted values page", html=True),
            Page("report_html", "Annual report, HTML", staff,
                 f"{base}/reports/{YEAR}/?draft=1", with_breakdown, breakdown_label, html=True),
            Page("report_pdf", "Annual report, PDF", staff,
                 f"{base}/reports/{YEAR}.pdf?draft=1", with_breakdown, breakdown_label,
                 export=True),
            Page("report_xlsx", "Annual report, XLSX", staff,
                 f"{base}/reports/{YEAR}.xlsx?draft=1", with_breakdown, breakdown_label,
                 export=True),
            Page("report_csv", "Annual report, CSV", staff,
                 f"{base}/reports/{YEAR}.csv?draft=1", with_breakdown, breakdown_label,
                 export=True),
        ]  # fmt: skip
        version = self.published_version()
        if version:
            pages.append(
                Page("published_pdf", f"Published report v{version}, PDF", staff,
                     f"{base}/reports/{YEAR}.pdf?version={version}", (), "none")
            )  # fmt: skip
        return pages

    def published_version(self):
        """The latest published version of the measured report, or None."""
        report = AnnualReport.objects.filter(plan=self.plan, year=YEAR).first()
        latest = report.versions.order_by("-number").first() if report else None
        return latest.number if latest else None

    def entry_poster(self, entry):
        """Who posts the entry page: the institution's member when the application accepts
        the page as the member's browser sends it back; else the secretariat (nothing is
        locked for it), with the member's refusal kept as a note for RESULTS.md."""
        member = self.clients["bench-member"]
        response = member.post(entry, self.entry_post_data(member, entry))
        if response.status_code == 302:
            return member, entry, "Quarterly entry, POST"
        errors = sorted(set(re.findall(r"<strong>(.*?)</strong>", response.content.decode())))
        self.notes.append(
            f"The entry page POST is made as the secretariat (`?institution=`): posted back by "
            f"the member, unchanged except one numerator, it answers {response.status_code}: "
            f"{' / '.join(errors) or 'no message'}."
        )
        url = f"{entry}?institution={self.institution.pk}"
        return self.clients["bench-secretariat"], url, "Quarterly entry, POST (secretariat)"

    def entry_post_data(self, client, url):
        """The entry form as a browser would post it, read from a fresh GET (not timed), with
        one figure changed: the edited indicator's numerator moves by one, back and forth."""
        response = client.get(url)
        forms = FormParser.forms_of(response.content.decode())
        form = next(f for f in forms if any(re.match(r"i\d+-version$", n) for n, _v in f))
        data = {}
        for name, value in form:
            data.setdefault(name, []).append(value)
        prefix = f"i{self.edit_indicator.pk}-"
        numerator = number(data[prefix + "numerator"][0])
        denominator = number(data[prefix + "denominator"][0])
        changed = numerator - 1 if numerator % 2 or numerator + 1 > denominator else numerator + 1
        data[prefix + "numerator"] = [str(changed)]
        data["action"] = ["save"]
        return data
