"""The reads behind the review of submitted values (issue 14): the validation queue, one value's
review page and the values it is compared with. They are IndicatorValue QuerySet methods
(IndicatorValueQuerySet inherits them, and its `validated()`), kept in their own file so that
tracker/models/values.py stays short enough to read."""

from django.db import models
from django.db.models import Prefetch, Q

from .periods import chronological_key, chronological_order
from .reference import Dimension, Institution

# How many earlier values an outlier warning measures a figure against (Plan.outlier_factor).
RECENT_VALUES = 4


class ValueReviewQuerySet(models.QuerySet):
    def awaiting_validation(self, plan):
        """The plan's submitted values with what a row of the validation queue shows: the
        indicator and its institutions (`indicator.responsible`, a list: a related manager for
        every row cost more than the query), the period, who entered it (two queries). The
        scales' levels are read for the rows shown: tracker.figures.read_scale_levels."""
        return (
            self.filter(period__plan=plan, status=self.model.Status.SUBMITTED)
            .select_related("indicator", "period", "entered_by")
            .prefetch_related(
                Prefetch(
                    "indicator__responsible_institutions",
                    queryset=Institution.objects.order_by("acronym", "name"),
                    to_attr="responsible",
                ),
            )
        )

    def for_review(self):
        """Values with everything their review page shows: indicator (its institutions, scale
        levels, dimensions and their categories), period, the people of its workflow, the
        publication it cites, its breakdown, evidence and comments (nine queries for one)."""

        def related(name, *select):
            model = self.model._meta.get_field(name).related_model
            return Prefetch(name, queryset=model.objects.select_related(*select))

        return self.select_related(
            "indicator", "period", "entered_by", "submitted_by", "validated_by", "citation"
        ).prefetch_related(
            Prefetch(
                "indicator__responsible_institutions",
                queryset=Institution.objects.order_by("acronym", "name"),
            ),
            "indicator__scale_levels",
            Prefetch(
                "indicator__dimensions", queryset=Dimension.objects.prefetch_related("values")
            ),
            related("breakdown_rows", "category", "cross_category"),
            related("evidence_files", "uploaded_by"),
            related("comments", "author__institution"),
        )

    def validated_before(self, value, count=RECENT_VALUES):
        """The last `count` validated values of `value`'s indicator before its period, in
        periods of the same kind (quarters, or whole years), oldest first, with their period:
        what its outlier warning is measured against (one query, whatever the history)."""
        period = value.period
        earlier = Q(period__year__lt=period.year)
        if period.quarter is not None:
            earlier |= Q(period__year=period.year, period__quarter__lt=period.quarter)
        recent = (
            self.validated()
            .filter(indicator_id=value.indicator_id)
            .filter(earlier, period__quarter__isnull=period.quarter is None)
            .select_related("period")
            .order_by(*chronological_order("period__"))
            .reverse()[:count]
        )
        return list(reversed(recent))

    def validated_figures(self, indicator_ids):
        """{indicator id: [(year, quarter, figure)]} of every validated value of these
        indicators, oldest first (one query): the validation queue measures each of its rows
        against the values before it without a query per row."""
        rows = (
            self.validated()
            .filter(indicator_id__in=indicator_ids)
            .order_by()
            .values_list("indicator_id", "period__year", "period__quarter", "value")
        )
        figures = {}
        for indicator_id, year, quarter, figure in sorted(
            rows, key=lambda row: chronological_key(row[1], row[2])
        ):
            figures.setdefault(indicator_id, []).append((year, quarter, figure))
        return figures

    def beside(self, value):
        """The values of `value`'s indicator in the periods it is read against
        (`periods_beside`), as {(year, quarter): value}, with their period (one query)."""
        wanted = Q(pk__in=[])
        for _role, (year, quarter) in periods_beside(value.period):
            wanted |= Q(period__year=year, period__quarter=quarter)  # None: IS NULL
        found = self.filter(wanted, indicator_id=value.indicator_id).select_related("period")
        return {(other.period.year, other.period.quarter): other for other in found}


def periods_beside(period):
    """[(role, (year, quarter))] of the periods a value is read against: the previous quarter
    and the same quarter a year earlier; for a whole-year value, the previous year."""
    year, quarter = period.year, period.quarter
    if quarter is None:
        return [("previous_year", (year - 1, None))]
    previous = (year, quarter - 1) if quarter > 1 else (year - 1, 4)
    return [("previous_quarter", previous), ("same_quarter_last_year", (year - 1, quarter))]
