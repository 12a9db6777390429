"""The API's writes, each handed to the service the pages call (tracker.services): the same
checks of the door, the figures, closed periods, versions and four eyes, and the same history.
What is added here is only what JSON needs: finding the indicator, the period and the version
the client read."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tracker import access, services
from tracker.exchange.common import parse_period
from tracker.models import Indicator, IndicatorValue

try:  # tracker/services/comments.py is written beside this branch; see README "API".
    from tracker.services import add_comment
except ImportError:
    add_comment = None


def _indicator(plan, code):
    indicator = Indicator.objects.filter(plan=plan, code=code).first() if code else None
    if indicator is None:
        raise ValidationError(
            {"indicator": _("Name one of the plan's indicators by its code, such as 1.1-a.")}
        )
    return indicator


def _period(plan, text):
    try:
        year, quarter = parse_period(text)
    except ValueError as error:
        raise ValidationError({"period": str(error)}) from None
    period = plan.reporting_periods.filter(year=year, quarter=quarter).first()
    if period is None:
        raise ValidationError(
            {
                "period": _("The plan has no such period: it runs from %(start)s to %(end)s.")
                % {"start": plan.start_year, "end": plan.end_year}
            }
        )
    return period


def create_value(*, user, plan, write):
    """A new draft (version 0 expected: a value that already exists is a stale write)."""
    given = write.validated_data
    return services.save_value(
        user=user,
        indicator=_indicator(plan, given.get("indicator")),
        period=_period(plan, given.get("period")),
        data=write.value_input(),
        expected_version=given["version"],
        reason=given["reason"],
    )


def change_value(*, user, record, write):
    given = write.validated_data
    if "version" not in write.initial_data:
        raise ValidationError({"version": _("Give the version of the value you read.")})
    return services.save_value(
        user=user,
        indicator=record.indicator,
        period=record.period,
        data=write.value_input(record),
        expected_version=given["version"],
        reason=given["reason"],
    )


@transaction.atomic
def submit_value(*, user, record, version):
    """services.submit, for the version the client read."""
    access.require_enter(user, record.indicator)
    locked = IndicatorValue.objects.select_for_update().select_related("indicator", "period")
    locked = locked.get(pk=record.pk)
    if locked.version != version:
        raise services.stale_version(record=locked)
    if not services.submit(user=user, values=[locked]):
        raise ValidationError(
            _("Only a draft or a returned value is submitted; this one is %(status)s.")
            % {"status": locked.get_status_display()},
            code="not_a_draft",
        )
    return locked


def validate_value(*, user, record, version):
    return services.validate(user=user, seen_versions={record.pk: version})[0]


def return_value(*, user, record, version, reason):
    return services.return_for_correction(
        user=user, record=record, reason=reason, seen_version=version
    )


def comment_on(*, user, record, text):
    return add_comment(user=user, value=record, text=text)
