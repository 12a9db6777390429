"""The one door (DESIGN.md §1, §8): every plan page gets its plan and the user's rights here.

Rights come from one mechanism, Django's permissions, which the data migrations grant to the
four roles (tracker/migrations/0003_roles.py and later): the admin checks the same ones. What a
role may do with one record (a member enters only what their institution is responsible for;
nobody validates a value they entered or submitted) is decided here too, so that views,
templates and services ask the same questions.

A view is wrapped in `plan_view(right)`: it receives a `PlanAccess` in place of the slug. A
visitor who is not signed in is sent to the login page, unless the plan is public and the page
shows public figures; a signed-in user without the right gets a 403 page that says what to do;
an unknown plan is a 404."""

import enum
import functools
from dataclasses import dataclass
from functools import cached_property

from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tracker.models import Plan


class Right(enum.Enum):
    """What a page or a service asks of the user, each backed by one permission."""

    # Validated figures and published reports. Anyone may, on a public plan.
    READ_PUBLISHED = "tracker.view_plan"
    # Everything else the committee sees: drafts, history, evidence, periods, meetings.
    READ = "tracker.view_indicatorvalue"
    ENTER = "tracker.change_indicatorvalue"
    ENTER_FOR_ANY_INSTITUTION = "tracker.enter_for_any_institution"
    VALIDATE = "tracker.validate_indicatorvalue"
    MANAGE_PERIODS = "tracker.change_reportingperiod"
    RECORD_MEETINGS = "tracker.add_committeemeeting"
    FOLLOW_COMPLETENESS = "tracker.follow_completeness"
    PREPARE_REPORTS = "tracker.change_annualreport"
    PUBLISH_REPORTS = "tracker.publish_annualreport"


NO_ROLE = gettext_lazy("Your account has no role yet. Ask the secretariat to give you one.")
NO_INSTITUTION = gettext_lazy(
    "Your account is not linked to an institution, so you cannot report values. "
    "Ask the secretariat to link it."
)
REPORTS_ARE_THE_STAFFS = gettext_lazy(
    "Only the reporting staff prepare and publish annual reports."
)

REFUSALS = {
    Right.READ_PUBLISHED: NO_ROLE,
    Right.READ: NO_ROLE,
    Right.ENTER: gettext_lazy("Only committee members and the secretariat enter values."),
    Right.ENTER_FOR_ANY_INSTITUTION: gettext_lazy(
        "Only the secretariat enters values for every institution."
    ),
    Right.VALIDATE: gettext_lazy(
        "Only the secretariat validates or returns submitted values. Your institution's "
        "values are on the quarterly entry page."
    ),
    Right.MANAGE_PERIODS: gettext_lazy("Only the secretariat opens and closes reporting periods."),
    Right.RECORD_MEETINGS: gettext_lazy("Only the secretariat records committee meetings."),
    Right.FOLLOW_COMPLETENESS: gettext_lazy(
        "Only the secretariat and the reporting staff follow who has reported."
    ),
    Right.PREPARE_REPORTS: REPORTS_ARE_THE_STAFFS,
    Right.PUBLISH_REPORTS: REPORTS_ARE_THE_STAFFS,
}


def has_right(user, right):
    return user.is_authenticated and user.has_perm(right.value)


def require(user, right, message=None):
    """Services call this first: the same refusal whichever path the request took."""
    if not has_right(user, right):
        raise PermissionDenied(message or REFUSALS[right])


# One record


def responsible_institution_ids(indicator_or_activity):
    ids = getattr(indicator_or_activity, "responsible_ids", None)
    if ids is not None:  # set by pages that list one institution's indicators
        return ids
    if hasattr(indicator_or_activity, "lead_institution_id"):
        return {indicator_or_activity.lead_institution_id}
    return set(indicator_or_activity.responsible_institutions.values_list("pk", flat=True))


def may_enter(user, indicator_or_activity):
    """Members enter what their institution is responsible for; the secretariat enters all."""
    if not has_right(user, Right.ENTER):
        return False
    if has_right(user, Right.ENTER_FOR_ANY_INSTITUTION):
        return True
    return bool(user.institution_id) and user.institution_id in responsible_institution_ids(
        indicator_or_activity
    )


def require_enter(user, indicator_or_activity):
    require(user, Right.ENTER)
    if may_enter(user, indicator_or_activity):
        return
    if not user.institution_id:
        raise PermissionDenied(NO_INSTITUTION)
    raise PermissionDenied(
        _("%(code)s is not one your institution reports.") % {"code": indicator_or_activity.code}
    )


def may_discuss(user, indicator):
    """A value's review page and its comment thread are for the secretariat and the members
    whose institution reports the indicator: the two parties of its review (issue 14)."""
    return has_right(user, Right.VALIDATE) or may_enter(user, indicator)


def require_discuss(user, indicator):
    require(user, Right.READ)
    if not may_discuss(user, indicator):
        raise PermissionDenied(
            _(
                "The review of %(code)s is between the secretariat and the institution that "
                "reports it. Its validated figures are on the indicator's page."
            )
            % {"code": indicator.code}
        )


def own_part_in(user, value):
    """Why `user` may not validate or return `value` under the four-eyes rule (nobody reviews
    a value they entered or submitted, DESIGN.md §1), or "" if they may."""
    if value.entered_by_id == user.pk:
        return _("You entered this value: another member of the secretariat reviews it.")
    if value.submitted_by_id == user.pk:
        return _("You submitted this value: another member of the secretariat reviews it.")
    return ""


# A plan


@dataclass
class PlanAccess:
    """A plan and what the request's user may do there. Templates ask it what to show."""

    plan: Plan
    user: object

    def can(self, right):
        return has_right(self.user, right)

    @cached_property
    def can_read(self):
        return self.can(Right.READ)

    @property
    def public_view(self):
        """Published figures only: a visitor, or an account without a role, on a public plan."""
        return not self.can_read

    @cached_property
    def can_enter(self):
        return self.can(Right.ENTER) and (
            bool(self.user.institution_id) or self.can(Right.ENTER_FOR_ANY_INSTITUTION)
        )

    @cached_property
    def can_enter_for_any_institution(self):
        return self.can(Right.ENTER_FOR_ANY_INSTITUTION)

    @cached_property
    def can_validate(self):
        return self.can(Right.VALIDATE)

    @property
    def can_read_internal_notes(self):
        """The secretariat's notes on a figure are for those who enter or validate figures;
        readers, exports and reports see citations only (DESIGN.md §2)."""
        return self.can_enter or self.can_validate

    @cached_property
    def can_manage_periods(self):
        return self.can(Right.MANAGE_PERIODS)

    @cached_property
    def can_record_meetings(self):
        return self.can(Right.RECORD_MEETINGS)

    @cached_property
    def can_follow_completeness(self):
        return self.can(Right.FOLLOW_COMPLETENESS)

    @cached_property
    def can_prepare_reports(self):
        return self.can(Right.PREPARE_REPORTS)

    def require(self, right, message=None):
        require(self.user, right, message)


class SignInRequired(Exception):
    """A visitor asked for something only the signed-in may see."""


def plan_access(request, slug, right):
    """The plan named by `slug` and the user's rights there, or the refusal the situation
    calls for: Http404 for an unknown plan, SignInRequired for a visitor, PermissionDenied
    (with what to do) for a signed-in user without `right`."""
    plan = get_object_or_404(Plan.objects.select_related("lead_institution"), slug=slug)
    access = PlanAccess(plan=plan, user=request.user)
    if right == Right.READ_PUBLISHED and plan.is_public:
        return access
    if not request.user.is_authenticated:
        raise SignInRequired
    access.require(right)
    return access


def plan_view(right):
    """Wraps a view `view(request, access, **kwargs)` of the URL `plans/<slug>/...`."""

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, slug, **kwargs):
            try:
                return view(request, plan_access(request, slug, right), **kwargs)
            except SignInRequired:
                return redirect_to_login(request.get_full_path())

        wrapped.plan_right = right
        # Visitors reach the door itself, which decides (public plans).
        return login_not_required(wrapped)

    return decorator
