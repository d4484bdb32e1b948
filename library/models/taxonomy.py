"""Taxonomy: translatable snippets that describe films and guides."""

from django.db import models
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel
from wagtail.models import TranslatableMixin
from wagtail.search import index


class TaxonomyTerm(TranslatableMixin, index.Indexed, models.Model):
    """A named term, translated with wagtail-localize; the slug is shared by translations."""

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=120, help_text=_("Identifier used in API filters."))
    description = models.TextField(_("description"), blank=True)

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("description")]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name"), index.FilterField("locale_id")]

    class Meta(TranslatableMixin.Meta):
        abstract = True
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.name)[:120]
        super().save(*args, **kwargs)


class Theme(TaxonomyTerm):
    class Meta(TaxonomyTerm.Meta):
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        constraints = [models.UniqueConstraint(fields=["slug", "locale"], name="unique_theme_slug_locale")]


class Audience(TaxonomyTerm):
    class Meta(TaxonomyTerm.Meta):
        verbose_name = _("audience")
        verbose_name_plural = _("audiences")
        constraints = [models.UniqueConstraint(fields=["slug", "locale"], name="unique_audience_slug_locale")]


class ActionType(TaxonomyTerm):
    class Meta(TaxonomyTerm.Meta):
        verbose_name = _("action type")
        verbose_name_plural = _("action types")
        constraints = [models.UniqueConstraint(fields=["slug", "locale"], name="unique_actiontype_slug_locale")]


class Genre(TaxonomyTerm):
    class Meta(TaxonomyTerm.Meta):
        verbose_name = _("genre")
        verbose_name_plural = _("genres")
        constraints = [models.UniqueConstraint(fields=["slug", "locale"], name="unique_genre_slug_locale")]


class AgeGroup(TaxonomyTerm):
    min_age = models.PositiveSmallIntegerField(_("minimum age"), null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(_("maximum age"), null=True, blank=True)

    panels = TaxonomyTerm.panels + [FieldPanel("min_age"), FieldPanel("max_age")]

    class Meta(TaxonomyTerm.Meta):
        verbose_name = _("age group")
        verbose_name_plural = _("age groups")
        ordering = ["min_age", "name"]
        constraints = [models.UniqueConstraint(fields=["slug", "locale"], name="unique_agegroup_slug_locale")]
