"""The API asks the one door (tracker.access) as the pages do: each view of a plan names the
Right of each of its actions, and receives the PlanAccess that the pages' views receive. A
visitor on a private plan is told to authenticate (401), a user without the right gets the
door's own refusal (403), an unknown plan is a 404."""

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions

from tracker.access import Right, SignInRequired, plan_access

SIGN_IN = _(
    "This plan is not public: send a personal token (Authorization: Bearer …), created on "
    "your account page."
)


def use_language_of(request):
    """Messages in the language the request asks for (Accept-Language, or the language
    cookie), else in the user's own."""
    if "HTTP_ACCEPT_LANGUAGE" in request.META or settings.LANGUAGE_COOKIE_NAME in request.COOKIES:
        return
    language = getattr(request.user, "language", "")
    if language:
        translation.activate(language)
        request.LANGUAGE_CODE = language


class UserLanguage:
    """Every API view: once the token says who asks, answer in their language."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        use_language_of(request)


class PlanDoor(UserLanguage):
    """A view of /api/plans/<plan_slug>/…. `rights` maps an action (a ViewSet's "list",
    "create", "submit"… or an APIView's method "get", "post") to the Right it needs; others
    need `default_right`."""

    default_right = Right.READ
    rights = {}

    def right_needed(self):
        action = getattr(self, "action", None) or self.request.method.lower()
        return self.rights.get(action, self.default_right)

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        try:
            self.access = plan_access(request, kwargs["plan_slug"], self.right_needed())
        except SignInRequired:
            raise exceptions.NotAuthenticated(SIGN_IN) from None

    @property
    def schema_only(self):
        """True while drf-spectacular builds the schema: no request, no plan."""
        return getattr(self, "swagger_fake_view", False)
