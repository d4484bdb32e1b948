"""Taxonomy snippets, grouped under one menu item.

They are TranslatableMixin models, so Wagtail adds the locale filter and
wagtail-localize its "Translate" action; the slug is shared by translations
and is what API filters use.
"""

from django.utils.translation import gettext_lazy as _

from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from library.models import ActionType, AgeGroup, Audience, Genre, Theme


class TaxonomyViewSet(SnippetViewSet):
    icon = "tag"
    list_display = ["name", "slug"]
    list_export = ["name", "slug", "locale"]
    copy_view_enabled = False


class ThemeViewSet(TaxonomyViewSet):
    model = Theme
    menu_label = _("Themes")


class AudienceViewSet(TaxonomyViewSet):
    model = Audience
    menu_label = _("Audiences")


class ActionTypeViewSet(TaxonomyViewSet):
    model = ActionType
    menu_label = _("Action types")


class GenreViewSet(TaxonomyViewSet):
    model = Genre
    menu_label = _("Genres")


class AgeGroupViewSet(TaxonomyViewSet):
    model = AgeGroup
    menu_label = _("Age groups")
    list_display = ["name", "slug", "min_age", "max_age"]


class TaxonomyGroup(SnippetViewSetGroup):
    menu_label = _("Taxonomy")
    menu_icon = "tag"
    menu_name = "taxonomy"
    menu_order = 220
    items = (ThemeViewSet, AudienceViewSet, ActionTypeViewSet, GenreViewSet, AgeGroupViewSet)
