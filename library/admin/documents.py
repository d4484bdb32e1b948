"""Guide documents in Wagtail's document admin: checked by content before they are saved.

`WAGTAILDOCS_DOCUMENT_FORM_BASE` points at `GuideDocumentForm`, so the
single and the multiple upload screens both refuse a file that is not a PDF
whatever its name, a PDF with JavaScript or a launch action (with a message
saying what to do), a damaged or password-protected PDF, or a name with a
path or control characters. The page count is recorded at once; the text,
language and thumbnail follow in the background. Wagtail's own delete view
already refuses to delete a document a guide uses (the link is PROTECT) and
lists the pages in its usage report. A collection the editor does not hold
is refused with a form error (`collection_forms`).
"""

import tempfile

from django import forms

from wagtail.documents.forms import BaseDocumentForm

from library.admin.collection_forms import CollectionScopedFormMixin
from library.assets.media.errors import MediaError
from library.assets.media.names import clean_original_name
from library.assets.media.pdf import inspect_pdf
from library.assets.media.sniff import check_pdf_head


def check_uploaded_pdf(upload):
    """Validate an uploaded PDF; return its `PdfInfo` or raise `MediaError`."""
    clean_original_name(upload.name)  # the size limit is Wagtail's field's (WAGTAILDOCS_MAX_UPLOAD_SIZE)
    upload.seek(0)
    check_pdf_head(upload.read(8))
    upload.seek(0)
    if hasattr(upload, "temporary_file_path"):
        return inspect_pdf(upload.temporary_file_path())
    with tempfile.NamedTemporaryFile(suffix=".pdf") as copy:
        for chunk in upload.chunks():
            copy.write(chunk)
        copy.flush()
        info = inspect_pdf(copy.name)
    upload.seek(0)
    return info


class GuideDocumentForm(CollectionScopedFormMixin, BaseDocumentForm):
    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if not upload or "file" not in self.changed_data or not hasattr(upload, "chunks"):
            return upload
        try:
            info = check_uploaded_pdf(upload)
        except MediaError as error:
            raise forms.ValidationError(str(error), code=error.code) from error
        self.instance.page_count = info.page_count
        self.instance.processed_at = None
        return upload
