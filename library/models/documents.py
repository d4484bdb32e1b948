"""Guide documents: a custom Wagtail document model for pedagogical PDFs.

Files live in the private storage under a key the project generates; the
uploader's name is kept in `title` and for Content-Disposition only. Once a
new file is committed, its text, language and first-page thumbnail are
computed in the background (`library.assets.processing.documents`).
"""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.documents.models import AbstractDocument, Document

from library.core.storage import get_private_storage


def guide_document_key(instance, filename):
    return f"guides/{uuid.uuid4().hex}/document.pdf"


class GuideDocument(AbstractDocument):
    """A PDF of a pedagogical guide, in one language.

    Replaces Wagtail's document model (`WAGTAILDOCS_DOCUMENT_MODEL`) so guides
    keep their language and page count, and their extracted text for search.
    """

    file = models.FileField(_("file"), upload_to=guide_document_key, storage=get_private_storage, max_length=255)
    language = models.CharField(_("language"), max_length=8, blank=True)
    page_count = models.PositiveIntegerField(_("page count"), null=True, blank=True, editable=False)
    extracted_text = models.TextField(_("extracted text"), blank=True, editable=False)
    thumbnail = models.ForeignKey(
        "library.LibraryImage",
        verbose_name=_("thumbnail"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The first page, rendered in the background."),
    )
    processed_at = models.DateTimeField(
        _("text extracted at"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Empty while extraction is pending."),
    )

    admin_form_fields = Document.admin_form_fields + ("language",)

    def clean(self):
        """Wagtail's extension check (`WAGTAILDOCS_EXTENSIONS`), for a document that has a file.

        The multiple upload's "create from upload" form (a staged upload
        completed with its title and collection) validates a document whose
        file is attached only once the form is valid, and has no `file`
        field: Wagtail's error on the empty file had no field to go to and
        Django answered with a ValueError (a 500). The staged file was
        checked when it was uploaded; a document with no file at all is
        refused by the field itself.
        """
        if self.file:
            super().clean()

    class Meta(AbstractDocument.Meta):
        verbose_name = _("guide document")
        verbose_name_plural = _("guide documents")
