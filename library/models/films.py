"""Workshop films: the catalogue's main page type."""

from modelcluster.fields import ParentalManyToManyField

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList, TabbedInterface
from wagtail.api import APIField
from wagtail.models import Locale, Page, Revision
from wagtail.search import index

from library.core.tiers import TIER_RANK, Tier, lower_tier
from library.models.api_fields import NamedImageField
from library.models.choices import DEPARTEMENT_CHOICES, LANGUAGE_CODES, Licence
from library.models.forms import FilmPageForm
from library.models.page_permissions import LeafPagePermissionTester
from library.models.publishing import SCHEDULED_PUBLISH_ACTION, FilmPublicationGuard


class LibraryItemMixin(models.Model):
    """What films and guides share: the coordination they belong to and their tier.

    `coordination` is derived from the tree on save (the page's ancestor), so
    listings filter on a column instead of walking paths.
    """

    access_tier = models.CharField(
        _("access tier"),
        max_length=16,
        choices=Tier.choices,
        default=Tier.INTERNAL,
        help_text=_("Who may see it. A film can never be shown wider than its consent allows."),
    )
    effective_tier = models.CharField(
        _("effective tier"), max_length=16, choices=Tier.choices, default=Tier.INTERNAL, editable=False, db_index=True
    )
    coordination = models.ForeignKey(
        "library.CoordinationPage",
        verbose_name=_("coordination"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        abstract = True

    def permissions_for_user(self, user):
        """Wagtail's permission rules, without a query per row for a page that has no children."""
        return LeafPagePermissionTester(user, self)

    def find_coordination(self):
        from library.models.coordinations import CoordinationPage

        parent = self.get_parent() if self.path else None
        if parent is None:
            return None
        if isinstance(parent.specific_deferred, CoordinationPage):
            return parent.specific_deferred
        return CoordinationPage.objects.ancestor_of(parent, inclusive=True).first()

    def compute_effective_tier(self):
        return Tier(self.access_tier)

    def save(self, *args, **kwargs):
        self.effective_tier = self.compute_effective_tier()
        if self.coordination_id is None and self.path:
            self.coordination = self.find_coordination()
        super().save(*args, **kwargs)


#: The workshop record, as regional centres publish it: the order of the admin
#: tab, the API's `workshop` object and the import columns.
WORKSHOP_FIELDS = (
    "carrying_structure",
    "social_partner",
    "partner_cinema",
    "facilitators",
    "participants_count",
    "participants_age_min",
    "participants_age_max",
    "workshop_start",
    "workshop_end",
    "commune",
    "departement",
)


class FilmPage(FilmPublicationGuard, LibraryItemMixin, Page):
    synopsis = models.TextField(_("synopsis"))
    easy_read_summary = models.TextField(
        _("easy-to-read summary"), blank=True, help_text=_("A summary in easy-to-read French (FALC).")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    genre = models.ForeignKey(
        "library.Genre", verbose_name=_("genre"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    themes = ParentalManyToManyField("library.Theme", verbose_name=_("themes"), blank=True, related_name="films")
    audiences = ParentalManyToManyField(
        "library.Audience", verbose_name=_("audiences"), blank=True, related_name="films"
    )
    action_type = models.ForeignKey(
        "library.ActionType",
        verbose_name=_("action type"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    # The workshop record, as regional centres publish it.
    carrying_structure = models.CharField(_("carrying structure"), max_length=255, blank=True)
    social_partner = models.CharField(_("social partner"), max_length=255, blank=True)
    partner_cinema = models.CharField(_("partner cinema"), max_length=255, blank=True)
    facilitators = models.CharField(_("facilitators"), max_length=500, blank=True)
    participants_count = models.PositiveSmallIntegerField(_("number of participants"), null=True, blank=True)
    participants_age_min = models.PositiveSmallIntegerField(_("youngest participant's age"), null=True, blank=True)
    participants_age_max = models.PositiveSmallIntegerField(_("oldest participant's age"), null=True, blank=True)
    workshop_start = models.DateField(_("workshop start"), null=True, blank=True)
    workshop_end = models.DateField(_("workshop end"), null=True, blank=True)
    commune = models.CharField(_("commune"), max_length=120, blank=True)
    departement = models.CharField(_("département"), max_length=3, choices=DEPARTEMENT_CHOICES, blank=True)

    credits = models.TextField(_("credits"), blank=True)
    licence = models.CharField(
        _("licence"), max_length=24, choices=Licence.choices, default=Licence.ALL_RIGHTS_RESERVED
    )
    spoken_languages = models.JSONField(_("spoken languages"), default=list, blank=True)

    download_allowed = models.BooleanField(
        _("partners may download the master"),
        default=True,
        help_text=_(
            "Untick to let partners stream this film without downloading its master file "
            "(the rights holder's or the participants' wish)."
        ),
    )

    video = models.ForeignKey(
        "library.Video", verbose_name=_("video"), null=True, blank=True, on_delete=models.PROTECT, related_name="films"
    )
    poster = models.ForeignKey(
        "library.LibraryImage",
        verbose_name=_("poster"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    consent = models.ForeignKey(
        "library.ConsentRecord",
        verbose_name=_("consent record"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="films",
    )

    legacy_id = models.CharField(
        _("legacy identifier"),
        max_length=64,
        blank=True,
        db_index=True,
        help_text=_("Identifier in the catalogue this film was imported from (see import_catalogue)."),
    )

    # Derived from the video's tracks and versions (see library.assets.accessibility_flags).
    has_captions = models.BooleanField(_("subtitles"), default=False, editable=False)
    has_sdh = models.BooleanField(_("captions for the deaf and hard of hearing"), default=False, editable=False)
    has_audio_description = models.BooleanField(_("audio description"), default=False, editable=False)
    has_sign_language = models.BooleanField(_("sign language"), default=False, editable=False)

    content_panels = Page.content_panels + [
        FieldPanel("synopsis"),
        FieldPanel("easy_read_summary"),
        FieldRowPanel([FieldPanel("year"), FieldPanel("genre"), FieldPanel("action_type")]),
        FieldPanel("themes"),
        FieldPanel("audiences"),
        FieldPanel("video"),
        FieldPanel("poster"),
        MultiFieldPanel(
            [
                FieldPanel("credits"),
                FieldPanel("licence"),
                FieldPanel("download_allowed"),
                FieldPanel("spoken_languages"),
            ],
            heading=_("Credits and rights"),
        ),
    ]
    workshop_panels = [
        MultiFieldPanel(
            [
                FieldPanel("carrying_structure"),
                FieldPanel("social_partner"),
                FieldPanel("partner_cinema"),
                FieldPanel("facilitators"),
                FieldRowPanel(
                    [
                        FieldPanel("participants_count"),
                        FieldPanel("participants_age_min"),
                        FieldPanel("participants_age_max"),
                    ]
                ),
                FieldRowPanel([FieldPanel("workshop_start"), FieldPanel("workshop_end")]),
                FieldRowPanel([FieldPanel("commune"), FieldPanel("departement")]),
            ],
            heading=_("Workshop record"),
        )
    ]
    access_panels = [FieldPanel("access_tier"), FieldPanel("consent")]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading=_("Film")),
            ObjectList(workshop_panels, heading=_("Workshop")),
            ObjectList(access_panels, heading=_("Access and consent")),
            ObjectList(Page.promote_panels, heading=_("Promote")),
            ObjectList(Page.settings_panels, heading=_("Settings")),
        ]
    )

    search_fields = Page.search_fields + [
        index.SearchField("synopsis"),
        index.SearchField("easy_read_summary"),
        index.SearchField("credits"),
        index.SearchField("carrying_structure"),
        index.SearchField("social_partner"),
        index.SearchField("partner_cinema"),
        index.SearchField("facilitators"),
        index.SearchField("commune"),
        # Taxonomy names, the coordination, caption and transcript text: read by
        # Wagtail's index and by the search app's own documents alike.
        index.RelatedFields("themes", [index.SearchField("name")]),
        index.RelatedFields("audiences", [index.SearchField("name")]),
        index.RelatedFields("genre", [index.SearchField("name")]),
        index.RelatedFields("action_type", [index.SearchField("name")]),
        index.RelatedFields("coordination", [index.SearchField("title")]),
        index.RelatedFields("video", [index.RelatedFields("text_tracks", [index.SearchField("text")])]),
        index.AutocompleteField("title"),
        index.FilterField("effective_tier"),
        index.FilterField("coordination_id"),
        index.FilterField("year"),
    ]
    api_fields = [
        APIField("synopsis"),
        APIField("easy_read_summary"),
        APIField("year"),
        APIField("licence"),
        APIField("spoken_languages"),
        #: Off when the rights holders allow streaming only (the site writes "Téléchargement non autorisé").
        APIField("download_allowed"),
        NamedImageField("poster", names=("card",), source="shown_poster"),
        APIField("has_captions"),
        APIField("has_sdh"),
        APIField("has_audio_description"),
        APIField("has_sign_language"),
    ]
    base_form_class = FilmPageForm
    parent_page_types = ["library.CoordinationPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("film")
        verbose_name_plural = _("films")

    def compute_effective_tier(self):
        cap = self.consent.tier_cap() if self.consent_id else Tier.INTERNAL
        return lower_tier(self.access_tier, cap)

    @property
    def shown_poster(self):
        """The poster the film is shown with: its own, else its video's poster frame.

        Most films are catalogued straight from an upload, and a card without a
        picture reads as a broken one; the frame processing took from the video
        stands in until an editor chooses a poster.
        """
        if self.poster_id:
            return self.poster
        return self.video.poster if self.video_id else None

    def clean(self):
        super().clean()
        errors = {}
        unknown = [code for code in self.spoken_languages or [] if code not in LANGUAGE_CODES]
        if unknown:
            errors["spoken_languages"] = _("Unknown language codes: %(codes)s") % {"codes": ", ".join(unknown)}
        if (
            self.participants_age_min
            and self.participants_age_max
            and self.participants_age_min > self.participants_age_max
        ):
            errors["participants_age_max"] = _("The oldest participant cannot be younger than the youngest.")
        if self.workshop_start and self.workshop_end and self.workshop_end < self.workshop_start:
            errors["workshop_end"] = _("The workshop cannot end before it starts.")
        # Translations mirror their French source's tier, which was checked when it
        # was saved; checking again would stop wagtail-localize from re-syncing a
        # film whose consent lapsed since (its effective tier is capped anyway).
        is_translation = self.locale_id and self.locale_id != Locale.get_default().pk
        if not is_translation and TIER_RANK[Tier(self.access_tier)] > TIER_RANK[Tier.INTERNAL]:
            cap = self.consent.tier_cap() if self.consent_id else Tier.INTERNAL
            if TIER_RANK[Tier(self.access_tier)] > TIER_RANK[cap]:
                errors["access_tier"] = _(
                    "The participants' consent does not allow this tier: the widest it allows today is "
                    "“%(cap)s”. Record a wider authorisation in the consent register first."
                ) % {"cap": Tier(cap).label}
        if errors:
            raise ValidationError(errors)


def publish_films_waiting_for(video_id):
    """Publish the films whose scheduled publication fell due while this video was processing."""
    due = Revision.objects.filter(
        content_type=ContentType.objects.get_for_model(FilmPage),
        approved_go_live_at__lte=timezone.now(),
        content__video=video_id,
    ).order_by("approved_go_live_at")
    published = 0
    for revision in due:
        revision.publish(log_action=SCHEDULED_PUBLISH_ACTION)
        published += 1
    return published
