"""Uploaded files: evidence behind a value and a meeting's minutes are checked by extension,
size and first bytes before anything is stored."""

from pathlib import Path

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

# Accepted evidence, by extension, with the first bytes each kind of file starts with, so that
# a renamed executable is not stored as "report.pdf".
ZIP = (b"PK\x03\x04",)
OLE = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)
EVIDENCE_SIGNATURES = {
    ".pdf": (b"%PDF-",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".docx": ZIP,
    ".xlsx": ZIP,
    ".pptx": ZIP,
    ".odt": ZIP,
    ".ods": ZIP,
    ".doc": OLE,
    ".xls": OLE,
    ".ppt": OLE,
}


def check_evidence_file(upload):
    extension = Path(upload.name).suffix.lower()
    if extension not in EVIDENCE_SIGNATURES:
        raise ValidationError(
            _(
                "%(name)s: this type of file is not accepted. Send a PDF, an image (PNG, JPEG) "
                "or an office document (Word, Excel, PowerPoint, OpenDocument)."
            )
            % {"name": upload.name},
            code="file_type",
        )
    if upload.size > settings.EVIDENCE_MAX_BYTES:
        raise ValidationError(
            _("%(name)s is %(size)s; the limit is %(limit)s. Compress it or split it.")
            % {
                "name": upload.name,
                "size": filesizeformat(upload.size),
                "limit": filesizeformat(settings.EVIDENCE_MAX_BYTES),
            },
            code="file_size",
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not head.startswith(EVIDENCE_SIGNATURES[extension]):
        raise ValidationError(
            _("%(name)s does not look like a %(kind)s file; it may be damaged or renamed.")
            % {"name": upload.name, "kind": extension[1:].upper()},
            code="file_content",
        )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class EvidenceField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        uploads = data if isinstance(data, list | tuple) else [data] if data else []
        cleaned = [super(EvidenceField, self).clean(upload, initial) for upload in uploads]
        for upload in cleaned:
            check_evidence_file(upload)
        return cleaned

    def has_changed(self, initial, data):
        return not self.disabled and bool(data)
