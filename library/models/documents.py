"""Guide documents: a custom Wagtail document model for pedagogical PDFs."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.documents.models import AbstractDocument, Document


class GuideDocument(AbstractDocument):
    """A PDF of a pedagogical guide, in one language.

    Replaces Wagtail's document model (`WAGTAILDOCS_DOCUMENT_MODEL`) so guides
    keep their language and page count, and their extracted text for search.
    """

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
        _("text extracted at"), null=True, blank=True, editable=False, help_text=_("Empty while extraction is pending.")
    )

    admin_form_fields = Document.admin_form_fields + ("language",)

    class Meta(AbstractDocument.Meta):
        verbose_name = _("guide document")
        verbose_name_plural = _("guide documents")
