"""The quarter in Excel (DESIGN.md §4): download an institution's pre-filled template for a
period, upload it filled in, see what it would change (a dry run) and confirm. The file is kept
server-side between the preview and the commit, and after it as evidence of the import."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tracker.access import Right, plan_view
from tracker.models import SpreadsheetImport
from tracker.reports.tabular import XLSX_TYPE
from tracker.spreadsheets import importing
from tracker.spreadsheets.errors import SpreadsheetRefused
from tracker.spreadsheets.template import template_bytes, template_filename
from tracker.views.entry import _institution_for, _locked_for, get_period
from tracker.views.plans import render_plan_page


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Filled template (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx," + XLSX_TYPE}),
    )


@plan_view(Right.ENTER)
def period_template(request, access, year, quarter=None):
    """The pre-filled template of the user's institution (the secretariat's ?institution=)."""
    period = get_period(access.plan, year, quarter)
    institution = _institution_for(request, access)
    if institution is None:
        return redirect(period.get_absolute_url())
    data = template_bytes(
        period=period,
        institution=institution,
        locked_for=lambda record: _locked_for(access, record) or record.status == "validated",
    )
    response = HttpResponse(data, content_type=XLSX_TYPE)
    filename = template_filename(period, institution)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@plan_view(Right.ENTER)
def period_import(request, access, year, quarter=None):
    """Upload a filled template: refused as a whole, previewed with its errors (nothing kept),
    or kept and previewed for confirmation."""
    period = get_period(access.plan, year, quarter)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method != "POST" or not form.is_valid():
        return _upload_page(request, access, period, form, status=400 if form.errors else 200)
    upload = form.cleaned_data["file"]
    try:
        data = _bounded_read(upload)
        plan = importing.plan_import(user=request.user, plan=access.plan, period=period, data=data)
    except (SpreadsheetRefused, PermissionDenied) as error:
        form.add_error("file", _refusal_text(error))
        return _upload_page(request, access, period, form, status=400)
    if plan.errors:
        context = {"period": period, "preview": plan, "form": UploadForm(), "name": upload.name}
        return render_plan_page(request, access, "tracker/import_preview.html", context, 400)
    kept = _keep(request.user, plan, upload.name, data)
    return redirect("import-preview", slug=access.plan.slug, pk=kept.pk)


def _upload_page(request, access, period, form, status):
    context = {"period": period, "form": form}
    return render_plan_page(request, access, "tracker/import_upload.html", context, status)


def _bounded_read(upload):
    """The upload's bytes; past the size limit only enough to refuse it."""
    if upload.size > settings.SPREADSHEET_MAX_BYTES:
        return upload.read(settings.SPREADSHEET_MAX_BYTES + 1)
    return upload.read()


def _refusal_text(error):
    return " ".join(getattr(error, "messages", [str(error)]))


@transaction.atomic
def _keep(user, plan, name, data):
    """Keeps the previewed file until it is committed; an earlier preview of the same user,
    period and institution that was never committed is dropped with its file."""
    earlier = SpreadsheetImport.objects.filter(
        uploaded_by=user,
        period=plan.period,
        institution=plan.institution,
        status=SpreadsheetImport.Status.PREVIEWED,
    )
    for old in earlier:
        old.file.delete(save=False)
        old.delete()
    kept = SpreadsheetImport(
        plan=plan.period.plan,
        period=plan.period,
        institution=plan.institution,
        uploaded_by=user,
        original_name=name[:255],
        size=len(data),
        sha256=importing.file_digest(data),
        summary=plan.summary(),
    )
    kept.file.save("import.xlsx", ContentFile(data), save=False)
    kept.save()
    return kept


@plan_view(Right.ENTER)
def import_preview(request, access, pk):
    """The preview of a kept upload, computed again from the stored file; a POST commits it."""
    upload = get_object_or_404(
        SpreadsheetImport.objects.select_related("period__plan", "institution"),
        pk=pk,
        plan=access.plan,
        uploaded_by=request.user,
    )
    status = 200
    if request.method == "POST" and upload.status == SpreadsheetImport.Status.PREVIEWED:
        try:
            saved = importing.commit_import(
                user=request.user, upload=upload, submit=request.POST.get("submit") == "on"
            )
        except (ValidationError, PermissionDenied) as error:
            _refuse(upload, _refusal_text(error))
            messages.error(request, _("Nothing was imported: %(why)s") % {"why": upload.refusal})
            status = 409
        else:
            messages.success(request, _committed_message(upload, saved))
            return redirect(_entry_url(access, upload))
    preview = None
    if upload.status == SpreadsheetImport.Status.PREVIEWED:
        try:
            preview = importing.plan_import(
                user=request.user,
                plan=access.plan,
                period=upload.period,
                data=importing.stored_bytes(upload),
            )
        except (SpreadsheetRefused, PermissionDenied) as error:
            upload.refusal = _refusal_text(error)
    context = {"period": upload.period, "upload": upload, "preview": preview, "form": UploadForm()}
    return render_plan_page(request, access, "tracker/import_preview.html", context, status)


def _refuse(upload, reason):
    upload.refresh_from_db()
    upload.status = SpreadsheetImport.Status.REFUSED
    upload.refusal = reason
    upload.save(update_fields=["status", "refusal"])


def _committed_message(upload, saved):
    text = _("%(count)s value(s) imported from %(file)s as drafts.")
    if upload.submit:
        text = _("%(count)s value(s) imported from %(file)s and submitted to the secretariat.")
    return text % {"count": len(saved), "file": upload.original_name}


def _entry_url(access, upload):
    url = upload.period.get_absolute_url()
    if access.can_enter_for_any_institution:
        url += f"?institution={upload.institution_id}"
    return url


@plan_view(Right.READ)
def import_file(request, access, pk):
    """The file of a committed import, linked from the history of the values it changed; an
    uploader may also fetch their own previewed file."""
    upload = get_object_or_404(SpreadsheetImport, pk=pk, plan=access.plan)
    if upload.status != SpreadsheetImport.Status.COMMITTED and upload.uploaded_by != request.user:
        raise Http404
    return FileResponse(upload.file.open("rb"), as_attachment=True, filename=upload.original_name)
