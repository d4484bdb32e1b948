"""Pedagogical guides: pages that gather one or more guide documents per language."""

from modelcluster.fields import ParentalKey, ParentalManyToManyField

from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.api import APIField
from wagtail.models import Orderable, Page
from wagtail.search import index

from library.models.api_fields import NamedImageField
from library.models.films import LibraryItemMixin
from library.models.forms import GuidePageForm


class GuidePage(LibraryItemMixin, Page):
    summary = models.TextField(_("summary"))
    cover = models.ForeignKey(
        "library.LibraryImage",
        verbose_name=_("cover"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    audiences = ParentalManyToManyField(
        "library.Audience", verbose_name=_("audiences"), blank=True, related_name="guides"
    )
    age_groups = ParentalManyToManyField(
        "library.AgeGroup", verbose_name=_("age groups"), blank=True, related_name="guides"
    )
    themes = ParentalManyToManyField("library.Theme", verbose_name=_("themes"), blank=True, related_name="guides")
    related_films = ParentalManyToManyField(
        "library.FilmPage", verbose_name=_("related films"), blank=True, related_name="related_guides"
    )

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("cover"),
        FieldPanel("themes"),
        FieldPanel("audiences"),
        FieldPanel("age_groups"),
        FieldPanel("related_films"),
        InlinePanel("documents", heading=_("Guide documents"), label=_("guide document"), min_num=0),
    ]
    settings_panels = Page.settings_panels + [FieldPanel("access_tier")]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        # Taxonomy names, the coordination and the text extracted from the guide's PDFs.
        index.RelatedFields("themes", [index.SearchField("name")]),
        index.RelatedFields("audiences", [index.SearchField("name")]),
        index.RelatedFields("age_groups", [index.SearchField("name")]),
        index.RelatedFields("coordination", [index.SearchField("title")]),
        index.RelatedFields("documents", [index.RelatedFields("document", [index.SearchField("extracted_text")])]),
        index.AutocompleteField("title"),
        index.FilterField("effective_tier"),
        index.FilterField("coordination_id"),
    ]
    api_fields = [APIField("summary"), NamedImageField("cover", names=("card",))]
    base_form_class = GuidePageForm
    parent_page_types = ["library.CoordinationPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("guide")
        verbose_name_plural = _("guides")


class GuideDocumentLink(Orderable):
    """One document of a guide, in one language (a guide may have several per language)."""

    page = ParentalKey(GuidePage, on_delete=models.CASCADE, related_name="documents")
    document = models.ForeignKey(
        "library.GuideDocument", verbose_name=_("document"), on_delete=models.PROTECT, related_name="guide_links"
    )
    language = models.CharField(_("language"), max_length=8, default="fr")
    label = models.CharField(_("label"), max_length=120, blank=True)

    panels = [FieldPanel("document"), FieldPanel("language"), FieldPanel("label")]

    class Meta(Orderable.Meta):
        verbose_name = _("guide document")
        verbose_name_plural = _("guide documents")
