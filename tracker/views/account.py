"""The signed-in user's own settings: where the tracker's e-mails go and in what language
(tracker/reminders/ writes them)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from tracker.forms.account import EmailPreferencesForm


def email_preferences(request):
    """Every signed-in user, whatever their role: it is their own account, not a plan's page
    (LoginRequiredMiddleware turns visitors away)."""
    form = EmailPreferencesForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        user = form.save(commit=False)
        user._change_reason = "E-mail preferences"
        user.save(update_fields=form.Meta.fields)
        messages.success(request, _("Your e-mail preferences are saved."))
        return redirect("account-email")
    status = 200
    if form.errors:
        messages.error(request, _("Nothing was saved: correct the fields marked in red."))
        status = 400
    return render(request, "tracker/account_email.html", {"form": form}, status=status)
