"""The API lists' read model: one narrow row per film or guide, and its card per language.

Listing films from the page tables joins four of them (page, film, locale,
consent) and scans their wide rows, then builds two hundred model instances
to serialise twenty items. These two tables hold what a list request needs
and nothing more: `ListingEntry` the columns the access rule, the filters and
the orderings read, `ListingCard` each item already serialised in each
content language. They are written when an item, its translation or
something its card shows changes (`library.listing`), never while answering.

Access is not precomputed: the tier is decided at request time from the
stored columns (`library.access.rules`), so a consent that expires today hides the
film today, whatever the cards say.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from library.core.tiers import Tier


class ListingKind(models.TextChoices):
    FILM = "film", _("Film")
    GUIDE = "guide", _("Guide")


class ListingEntry(models.Model):
    """A film or guide (its default-locale page) as the lists see it."""

    page = models.OneToOneField(
        "wagtailcore.Page", primary_key=True, on_delete=models.CASCADE, related_name="listing_entry"
    )
    kind = models.CharField(max_length=5, choices=ListingKind.choices)
    live = models.BooleanField(default=False)
    coordination = models.ForeignKey(
        "library.CoordinationPage", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    access_tier = models.CharField(max_length=10, choices=Tier.choices)
    #: The widest tier the film's consent allows while in force; null for guides (no consent applies).
    consent_cap = models.CharField(max_length=10, choices=Tier.choices, null=True, blank=True)
    #: The last day the consent is in force (expiry, or the day before a withdrawal); null: no end.
    consent_until = models.DateField(null=True, blank=True)
    title = models.CharField(max_length=255)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    first_published_at = models.DateTimeField(null=True, blank=True)
    refreshed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("listing entry")
        verbose_name_plural = _("listing entries")
        # One per ordering of the API (`library.api.filters.ORDERINGS`, read forwards or
        # backwards): a page is read in index order and the scan stops after it.
        indexes = [
            models.Index(fields=["kind", "first_published_at", "page"], name="listing_kind_date"),
            models.Index(fields=["kind", "title", "page"], name="listing_kind_title"),
            models.Index(fields=["kind", "year", "page"], name="listing_kind_year"),
        ]

    def __str__(self):
        return f"{self.kind} {self.page_id}"


class ListingCard(models.Model):
    """An item as the list endpoints show it in one language, minus its tier and image.

    `data` is the item's JSON text, sent as is: parsing and re-encoding twenty
    cards would cost more than the rest of the request. The image is kept
    apart because a private bucket's URLs are signed and expire: `image`
    holds its storage names, from which each answer signs fresh URLs, and
    `image_json` the image as the API shows it, used when URLs do not expire.
    """

    entry = models.ForeignKey(ListingEntry, on_delete=models.CASCADE, related_name="cards")
    language = models.CharField(max_length=8)
    data = models.TextField()
    image = models.JSONField(null=True, blank=True)
    image_json = models.TextField(default="null")

    class Meta:
        verbose_name = _("listing card")
        verbose_name_plural = _("listing cards")
        constraints = [models.UniqueConstraint(fields=["entry", "language"], name="listing_card_unique_language")]

    def __str__(self):
        return f"{self.entry_id} ({self.language})"
