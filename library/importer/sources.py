"""Read a catalogue file, CSV or XLSX, as the same stream of rows.

The checking pass (`rows.parse_row`) sees one kind of record whatever the
file: `(line number, {column: text})`, the header being line 1. A CSV file
is read with the `csv` module; an XLSX workbook with openpyxl in read-only
mode, so its first sheet is streamed row by row rather than loaded whole.
Cells are turned into the text a CSV export would hold (dates as
`YYYY-MM-DD`, whole numbers without `.0`), so both formats obey one set of
rules. The header is checked before any row is given out: a missing or
unknown column stops the import with its name.
"""

import csv
import datetime
import zipfile
from pathlib import Path

from django.utils.translation import gettext as _

from library.importer.rows import COLUMNS, REQUIRED, FileFormatError

CSV = "csv"
XLSX = "xlsx"
FORMATS = (CSV, XLSX)
#: An XLSX workbook is a zip archive; a CSV file is text.
ZIP_SIGNATURE = b"PK\x03\x04"


def format_of(name):
    """The format a file name announces ("csv" or "xlsx"), or None."""
    suffix = Path(name).suffix.lower().lstrip(".")
    return suffix if suffix in FORMATS else None


def check_content(head, file_format):
    """Refuse a file whose first bytes contradict its announced format."""
    if file_format == XLSX and not head.startswith(ZIP_SIGNATURE):
        raise FileFormatError(_("This file is not an XLSX workbook (its content does not match its name)."))
    if file_format == CSV and (head.startswith(ZIP_SIGNATURE) or b"\x00" in head):
        raise FileFormatError(_("This file is not a CSV text file (its content does not match its name)."))


def check_header(header):
    """Stop on a header that lacks a required column or names an unknown one."""
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        raise FileFormatError(_("Missing columns in the header: %(columns)s") % {"columns": ", ".join(missing)})
    unknown = [name or _("(no name)") for name in header if name not in COLUMNS]
    if unknown:
        raise FileFormatError(_("Unknown columns in the header: %(columns)s") % {"columns": ", ".join(unknown)})


def read_rows(path, file_format=None):
    """Yield (line number, record) for each data row of a CSV or XLSX file; the header is line 1.

    `file_format` defaults to the one the file's name announces, CSV when it
    announces neither (the command's historical input).
    """
    file_format = file_format or format_of(path) or CSV
    if file_format == XLSX:
        return _read_xlsx(path)
    return _read_csv(path)


def _open(path, **text):
    """The file, opened for streaming (binary, or text with `text` options); closed by the caller."""
    try:
        return open(path, "r" if text else "rb", **text)
    except OSError as error:
        raise FileFormatError(
            _("Cannot open %(path)s: %(reason)s") % {"path": path, "reason": error.strerror}
        ) from None


def _read_csv(path):
    with _open(path, newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        try:
            header = reader.fieldnames or []
        except UnicodeDecodeError:
            raise FileFormatError(_("The file is not UTF-8 text.")) from None
        except csv.Error as error:
            raise FileFormatError(_("Line %(line)s: %(error)s") % {"line": 1, "error": error}) from None
        check_header(header)
        try:
            for record in reader:
                yield reader.line_num, record
        except UnicodeDecodeError:
            raise FileFormatError(
                _("The file is not UTF-8 text (after line %(line)s).") % {"line": reader.line_num}
            ) from None
        except csv.Error as error:
            raise FileFormatError(_("Line %(line)s: %(error)s") % {"line": reader.line_num, "error": error}) from None


def cell_text(value):
    """A cell's value as the text a CSV export of it would hold."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat(sep=" ")
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _workbook(handle):
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        # A file object, not a path: openpyxl would otherwise judge the file by its name.
        return load_workbook(handle, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError, TypeError):
        raise FileFormatError(_("This file is not a readable XLSX workbook.")) from None


def _read_xlsx(path):
    with _open(path) as handle:
        workbook = _workbook(handle)
        try:
            sheet = workbook.worksheets[0]
            rows = sheet.iter_rows(values_only=True)
            header = [cell_text(value) for value in next(rows, ())]
            while header and not header[-1]:
                header.pop()  # formatted but empty columns at the right
            check_header(header)
            width = len(header)
            for line, values in enumerate(rows, start=2):
                cells = [cell_text(value) for value in values]
                if not any(cells):
                    continue  # an empty row, as csv skips a blank line
                record = dict(zip(header, cells[:width], strict=False))
                for name in header[len(cells) :]:
                    record[name] = ""
                extra = [cell for cell in cells[width:] if cell]
                if extra:
                    record[None] = extra  # as csv.DictReader: parse_row reports the extra cells
                yield line, record
        finally:
            workbook.close()


def count_rows(path, file_format=None):
    """Data rows, roughly, for a progress bar's total (CSV: quoted line breaks count twice)."""
    file_format = file_format or format_of(path) or CSV
    if file_format == XLSX:
        with _open(path) as handle:
            workbook = _workbook(handle)
            try:
                return max((workbook.worksheets[0].max_row or 1) - 1, 0)
            finally:
                workbook.close()
    with open(path, "rb") as handle:
        return max(sum(1 for _line in handle) - 1, 0)
