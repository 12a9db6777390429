"""The account's API tokens: create one (its secret shown once, on the answer to the form, and
never again: only its digest is kept), see when each was last used, revoke one."""

from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from tracker.models import ApiToken
from tracker.models.api import TOKEN_LIFETIMES, TOKENS_PER_USER


class TokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("What is it for?"),
        max_length=100,
        help_text=gettext_lazy("A name you will recognise, such as “DHIS2 sync”."),
    )
    days = forms.TypedChoiceField(
        label=gettext_lazy("Valid for"),
        coerce=int,
        initial=90,
        choices=[
            (days, ngettext_lazy("%(count)d day", "%(count)d days", days) % {"count": days})
            for days in TOKEN_LIFETIMES
        ],
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean(self):
        if ApiToken.objects.filter(user=self.user).usable().count() >= TOKENS_PER_USER:
            raise forms.ValidationError(
                _("You hold %(count)s tokens already: revoke one you no longer use.")
                % {"count": TOKENS_PER_USER}
            )
        return super().clean()


@never_cache
@require_http_methods(["GET", "POST"])
def api_tokens(request):
    form = TokenForm(request.POST or None, user=request.user)
    secret = None
    if request.method == "POST" and form.is_valid():
        token, secret = ApiToken.issue(
            user=request.user, name=form.cleaned_data["name"], days=form.cleaned_data["days"]
        )
        form = TokenForm(user=request.user)
    context = {
        "form": form,
        "secret": secret,
        "tokens": ApiToken.objects.of_user(request.user),
    }
    return render(request, "tracker/api_tokens.html", context)


@require_POST
def api_token_revoke(request, pk):
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    token.revoke(by=request.user)
    messages.success(request, _("The token “%(name)s” is revoked.") % {"name": token.name})
    return redirect("api-tokens")
