"""Regional coordinations: the tree that carries the network's permissions.

Each CoordinationPage is the root of its coordination's films and guides;
its editors' group holds page permissions on that subtree only.
"""

from modelcluster.fields import ParentalKey

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index

from library.core.departements import DEPARTEMENTS
from library.models.api_fields import NamedImageField


def validate_departements(value):
    if not isinstance(value, list):
        raise ValidationError(_("The territory is a list of département codes."))
    unknown = [code for code in value if code not in DEPARTEMENTS]
    if unknown:
        raise ValidationError(
            _("Unknown département codes: %(codes)s"), params={"codes": ", ".join(map(str, unknown))}
        )


class CoordinationIndexPage(Page):
    introduction = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("introduction")]
    api_fields = [APIField("introduction")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["library.CoordinationPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("coordinations index")
        verbose_name_plural = _("coordinations indexes")


class CoordinationPage(Page):
    """A regional coordination, mandated by the DRAC and the regional council."""

    carrying_structure = models.CharField(_("carrying structure"), max_length=255, blank=True)
    region = models.CharField(_("region"), max_length=120, blank=True)
    territory = models.JSONField(
        _("territory"),
        default=list,
        blank=True,
        validators=[validate_departements],
        help_text=_("Codes of the départements covered, e.g. 67, 68 (several coordinations follow pre-2016 regions)."),
    )
    website = models.URLField(_("website"), blank=True)
    logo = models.ForeignKey(
        "library.LibraryImage",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    description = RichTextField(_("description"), blank=True, features=["bold", "italic", "link", "ul"])
    is_placeholder = models.BooleanField(
        _("placeholder"), default=False, help_text=_("Demo entry whose real name is not known yet.")
    )
    # Set by library.access.network, not by hand, on the French page. Not editable, so
    # wagtail-localize leaves translations without it (items of a translated tree
    # belong to the page that carries it, see library.models.coordinations.canonical_coordination).
    # A foreign key rather than one-to-one: Wagtail's aliases (created by locale
    # synchronisation) copy every field of their source, this one included.
    editors_group = models.ForeignKey(
        "auth.Group",
        verbose_name=_("editors' group"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="coordination_pages",
        related_query_name="coordination",
    )

    # Copies (and copies for translation) must not claim the source's group either.
    exclude_fields_in_copy = ["editors_group"]

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [FieldPanel("carrying_structure"), FieldPanel("region"), FieldPanel("territory"), FieldPanel("website")],
            heading=_("Identity"),
        ),
        FieldPanel("logo"),
        FieldPanel("description"),
        InlinePanel("contacts", heading=_("Contacts"), label=_("contact")),
    ]
    settings_panels = Page.settings_panels + [FieldPanel("is_placeholder")]
    search_fields = Page.search_fields + [
        index.SearchField("carrying_structure"),
        index.SearchField("region"),
        index.AutocompleteField("title"),
    ]
    api_fields = [
        APIField("carrying_structure"),
        APIField("region"),
        APIField("territory"),
        APIField("website"),
        NamedImageField("logo", names=("thumbnail",)),
        APIField("description"),
        APIField("is_placeholder"),
    ]
    parent_page_types = ["library.CoordinationIndexPage"]
    subpage_types = ["library.FilmPage", "library.GuidePage"]

    class Meta:
        verbose_name = _("coordination")
        verbose_name_plural = _("coordinations")


class CoordinationContact(Orderable):
    page = ParentalKey(CoordinationPage, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("name"), max_length=255)
    role = models.CharField(_("role"), max_length=255, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)

    panels = [FieldPanel("name"), FieldPanel("role"), FieldPanel("email"), FieldPanel("phone")]
    api_fields = [APIField("name"), APIField("role"), APIField("email"), APIField("phone")]


def canonical_coordination(item):
    """The coordination an item belongs to: its ancestor in the tree, or, in a translated tree,
    the language version that carries the editors' group (the group is one-to-one with a page)."""
    coordination = item.find_coordination()
    if coordination is None or coordination.editors_group_id:
        return coordination
    carrier = CoordinationPage.objects.filter(
        translation_key=coordination.translation_key, editors_group__isnull=False
    ).first()
    return carrier or coordination


def attach_to_tree_coordination(item):
    """Point `coordination` at the tree's coordination if it does not already; True if it moved.

    A copied or moved item belongs to the coordination it now sits under,
    whatever its original pointed at.
    """
    coordination = canonical_coordination(item)
    coordination_id = coordination.pk if coordination else None
    if item.coordination_id == coordination_id:
        return False
    type(item).objects.filter(pk=item.pk).update(coordination=coordination)
    item.coordination = coordination
    return True
