"""Checks on an uploaded workbook's raw bytes, before any spreadsheet library opens it: a file
the tracker cannot read safely is refused in bounded time and memory, with what to do.

In order: the size; an OLE compound file (a password-protected workbook, or the old .xls
format); a zip at all; macros; the sizes the zip declares for its parts (their sum, and how
much each part expands: a zip bomb declares its real size, since Python's zipfile never
inflates past it, or fails its checksum); then each XML part streamed once: no document type
declaration (entity tricks), and in the sheets at most SPREADSHEET_MAX_ROWS rows and
SPREADSHEET_MAX_COLUMNS columns, no text longer than a spreadsheet cell holds. Every limit is
a setting."""

import io
import re
import zipfile
import zlib
from xml.etree.ElementTree import ParseError, XMLPullParser

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from .errors import SpreadsheetRefused

OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# The stream an encrypted Office document keeps inside its OLE container (UTF-16 name).
ENCRYPTION_INFO = "EncryptionInfo".encode("utf-16-le")
# Excel's own limit for the text of one cell.
CELL_TEXT_LIMIT = 32_767
CHUNK = 64 * 1024
RATIO_FLOOR = 1024 * 1024  # parts smaller than this are not judged by their ratio
MACRO_MARKERS = ("vbaproject", "macroenabled", "xl/macrosheets/", "activex")
SHEET_PART = re.compile(r"xl/worksheets/[^/]+\.xml", re.IGNORECASE)
DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="[A-Z]*(\d+)?:?[A-Z]*(\d+)"')
COLUMN = re.compile(r"[A-Z]*")
UNSAFE_XML = (b"<!DOCTYPE", b"<!ENTITY")


def _whole(number):
    return number_format(number, force_grouping=True)


def check_workbook(data):
    """Refuses (SpreadsheetRefused) a file the tracker will not open; returns None when the
    bytes may be handed to openpyxl."""
    limit = settings.SPREADSHEET_MAX_BYTES
    if not data:
        raise SpreadsheetRefused(_("The file is empty. Choose the filled template and upload it."))
    if len(data) > limit:
        raise SpreadsheetRefused(
            _("This file is %(size)s; the tracker accepts workbooks up to %(limit)s.")
            % {"size": filesizeformat(len(data)), "limit": filesizeformat(limit)}
        )
    if data.startswith(OLE_SIGNATURE):
        if ENCRYPTION_INFO in data:
            raise SpreadsheetRefused(
                _(
                    "This workbook is protected by a password, so the tracker cannot read it. "
                    "Remove the password (File › Info › Protect workbook in Excel), save it "
                    "and upload it again."
                )
            )
        raise SpreadsheetRefused(
            _(
                "This file is in the old Excel 97-2003 format (.xls). Save it as an Excel "
                "workbook (.xlsx) and upload it again."
            )
        )
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise not_a_workbook()
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            _check_archive(archive)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, ValueError):
        raise SpreadsheetRefused(
            _(
                "This workbook is damaged and cannot be read. Open it in your spreadsheet, "
                "save it again as an Excel workbook (.xlsx) and upload it."
            )
        ) from None


def not_a_workbook():
    return SpreadsheetRefused(
        _(
            "This file is not an Excel workbook (.xlsx). Save it from Excel or LibreOffice as "
            "an Excel workbook (.xlsx) and upload it again."
        )
    )


def _check_archive(archive):
    parts = archive.infolist()
    unpacked = sum(part.file_size for part in parts)
    if len(parts) > settings.SPREADSHEET_MAX_PARTS:
        raise _too_big(unpacked)
    names = {part.filename.lower() for part in parts}
    if "[content_types].xml" not in names or "xl/workbook.xml" not in names:
        raise not_a_workbook()
    content_types = archive.read("[Content_Types].xml")[: CHUNK * 16].lower()
    if any(marker in name for name in names for marker in MACRO_MARKERS) or any(
        marker.encode() in content_types for marker in MACRO_MARKERS
    ):
        raise SpreadsheetRefused(
            _(
                "This workbook contains macros (.xlsm); the tracker does not accept them. "
                "Save it as a plain Excel workbook (.xlsx) and upload it again."
            )
        )
    if any(part.flag_bits & 0x1 for part in parts):
        raise SpreadsheetRefused(
            _(
                "Parts of this workbook are encrypted, so the tracker cannot read it. Save it "
                "without a password and upload it again."
            )
        )
    if unpacked > settings.SPREADSHEET_MAX_UNPACKED_BYTES or any(
        part.file_size > RATIO_FLOOR
        and part.file_size > settings.SPREADSHEET_MAX_RATIO * max(part.compress_size, 1)
        for part in parts
    ):
        raise _too_big(unpacked)
    for part in parts:
        if part.filename.lower().endswith((".xml", ".rels", ".vml")):
            _check_xml_part(archive, part)


def _too_big(unpacked):
    message = _(
        "This workbook unpacks to far more data than a quarterly template holds "
        "(%(size)s; the limit is %(limit)s). It was not made from the tracker's "
        "template: download the template, fill it in and upload it."
    )
    return SpreadsheetRefused(
        message
        % {
            "size": filesizeformat(unpacked),
            "limit": filesizeformat(settings.SPREADSHEET_MAX_UNPACKED_BYTES),
        }
    )


def _check_xml_part(archive, part):
    """Streams the part once: refuses a document type declaration anywhere, and, in a sheet,
    rows or columns past the limits and over-long texts, stopping at the first."""
    sheet = SHEET_PART.fullmatch(part.filename) is not None
    counter = _SheetLimits() if sheet else None
    parser = XMLPullParser(events=("end",))
    tail = b""
    with archive.open(part) as stream:
        while chunk := stream.read(CHUNK):
            window = tail + chunk
            if any(marker in window for marker in UNSAFE_XML):
                raise not_a_workbook()
            if counter and not tail:
                counter.check_dimension(chunk)
            tail = chunk[-16:]
            if counter or part.filename.lower().endswith("sharedstrings.xml"):
                try:
                    parser.feed(chunk)
                except ParseError:
                    raise not_a_workbook() from None
                _check_elements(parser, counter)


def _check_elements(parser, counter):
    for _event, element in parser.read_events():
        tag = element.tag.rsplit("}", 1)[-1]
        if tag in ("t", "v", "f") and element.text and len(element.text) > CELL_TEXT_LIMIT:
            raise SpreadsheetRefused(
                _(
                    "This workbook holds a text of %(length)s characters, more than a "
                    "spreadsheet cell can hold (%(limit)s). It was not made from the tracker's "
                    "template: download the template, fill it in and upload it."
                )
                % {"length": _whole(len(element.text)), "limit": _whole(CELL_TEXT_LIMIT)}
            )
        if counter and tag == "row":
            counter.check_row(element)
        elif counter and tag == "c":
            counter.check_cell(element)
        if tag in ("row", "si", "sheetData"):
            element.clear()  # memory stays flat however long the sheet


class _SheetLimits:
    def __init__(self):
        self.rows = 0

    def refuse(self):
        return SpreadsheetRefused(
            _(
                "This workbook has more than %(rows)s rows or %(columns)s columns in a sheet; "
                "a quarterly template has far fewer. Download the template, fill it in and "
                "upload it."
            )
            % {
                "rows": _whole(settings.SPREADSHEET_MAX_ROWS),
                "columns": _whole(settings.SPREADSHEET_MAX_COLUMNS),
            }
        )

    def check_dimension(self, head):
        """The sheet's declared extent (<dimension ref="A1:N1300"/>), read before its rows."""
        found = DIMENSION.search(head)
        if found and int(found.group(2)) > settings.SPREADSHEET_MAX_ROWS:
            raise self.refuse()

    def check_row(self, row):
        self.rows += 1
        number = row.get("r", "")
        if self.rows > settings.SPREADSHEET_MAX_ROWS or (
            number.isdigit() and int(number) > settings.SPREADSHEET_MAX_ROWS
        ):
            raise self.refuse()

    def check_cell(self, cell):
        letters = COLUMN.match(cell.get("r", "")).group()
        index = 0
        for letter in letters[:4]:
            index = index * 26 + ord(letter) - ord("A") + 1
        if index > settings.SPREADSHEET_MAX_COLUMNS:
            raise self.refuse()
