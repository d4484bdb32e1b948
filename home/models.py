"""Home page and content pages."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel
from wagtail.api import APIField
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from home.blocks import BodyBlock
from library.models.api_fields import NamedImageField


class HomePage(Page):
    """The site root of one language: an introduction and the main sections."""

    introduction = models.TextField(_("introduction"), blank=True)
    hero_image = models.ForeignKey(
        "library.LibraryImage",
        verbose_name=_("banner image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = StreamField(BodyBlock(), verbose_name=_("body"), blank=True)

    content_panels = Page.content_panels + [
        FieldPanel("introduction"),
        FieldPanel("hero_image"),
        FieldPanel("body"),
    ]
    search_fields = Page.search_fields + [index.SearchField("introduction"), index.SearchField("body")]
    api_fields = [
        APIField("introduction"),
        NamedImageField("hero_image", names=("hero",)),
        APIField("body"),
    ]
    max_count_per_parent = 1
    subpage_types = ["home.ContentPage", "library.CoordinationIndexPage"]

    class Meta:
        verbose_name = _("home page")
        verbose_name_plural = _("home pages")


class ContentPage(Page):
    """A page presenting the programme: objectives, actions, audiences, partners."""

    introduction = models.TextField(_("introduction"), blank=True)
    body = StreamField(BodyBlock(), verbose_name=_("body"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("introduction"), FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("introduction"), index.SearchField("body")]
    api_fields = [APIField("introduction"), APIField("body")]
    parent_page_types = ["home.HomePage", "home.ContentPage"]
    subpage_types = ["home.ContentPage"]

    class Meta:
        verbose_name = _("content page")
        verbose_name_plural = _("content pages")
