"""The admin's catalogue upload form: the file is checked, then dry-run, before anything is stored.

Refused here, with the reason on the form and nothing stored: a name that
is neither `.csv` nor `.xlsx`, content that contradicts the name, an empty
or oversize file (`LIBRARY_MAX_UPLOAD_SIZE["catalogue"]`), a header with
missing or unknown columns, a file with no data row. A file that passes
has been run through the whole import in a rolled-back transaction: its
report (`self.report`) says row by row what the import will do.
"""

import shutil
import tempfile
from pathlib import Path

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from library.importer import FileFormatError
from library.importer.jobs import dry_run
from library.importer.sources import check_content, format_of

HEAD_SIZE = 8192


class CatalogueUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Catalogue file"),
        help_text=_("CSV (UTF-8, comma-separated) or XLSX workbook (first sheet), one row per film, header first."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
        error_messages={"empty": _("The file is empty.")},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        file_format = format_of(upload.name)
        if file_format is None:
            raise forms.ValidationError(_("Unsupported file type: choose a .csv or .xlsx file."))
        if upload.size == 0:
            raise forms.ValidationError(_("The file is empty."))
        limit = settings.LIBRARY_MAX_UPLOAD_SIZE["catalogue"]
        if upload.size > limit:
            raise forms.ValidationError(
                _("The file is too large (%(size)s; %(limit)s at most).")
                % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)}
            )
        head = upload.read(HEAD_SIZE)
        upload.seek(0)
        try:
            check_content(head, file_format)
            report = self._dry_run(upload, file_format)
        except FileFormatError as error:
            raise forms.ValidationError(str(error)) from None
        if report.rows == 0:
            raise forms.ValidationError(_("The file holds no film: only a header, or nothing under it."))
        self.file_format = file_format
        self.report = report
        return upload

    @staticmethod
    def _dry_run(upload, file_format):
        """Run the dry run on a local copy: the readers stream from a path."""
        directory = tempfile.mkdtemp(prefix="catalogue-check-")
        try:
            path = Path(directory) / f"catalogue.{file_format}"
            with open(path, "wb") as handle:
                for chunk in upload.chunks():
                    handle.write(chunk)
            upload.seek(0)
            return dry_run(path, file_format)
        finally:
            shutil.rmtree(directory, ignore_errors=True)
