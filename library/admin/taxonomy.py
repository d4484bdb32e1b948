"""Taxonomy snippets, grouped under one menu item.

They are TranslatableMixin models, so Wagtail adds the locale filter and
wagtail-localize its "Translate" action; the slug is shared by translations
and is what API filters use.
"""

from django.utils.translation import gettext_lazy as _

from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from library.admin.add_button import NamedAddButtonMixin
from library.models import ActionType, AgeGroup, Audience, Genre, Theme


class TaxonomyViewSet(NamedAddButtonMixin, SnippetViewSet):
    icon = "tag"
    list_display = ["name", "slug"]
    list_export = ["name", "slug", "locale"]
    copy_view_enabled = False


class ThemeViewSet(TaxonomyViewSet):
    model = Theme
    add_item_label = _("Add a theme")
    menu_label = _("Themes")


class AudienceViewSet(TaxonomyViewSet):
    model = Audience
    add_item_label = _("Add an audience")
    menu_label = _("Audiences")


class ActionTypeViewSet(TaxonomyViewSet):
    model = ActionType
    add_item_label = _("Add an action type")
    menu_label = _("Action types")


class GenreViewSet(TaxonomyViewSet):
    model = Genre
    add_item_label = _("Add a genre")
    menu_label = _("Genres")


class AgeGroupViewSet(TaxonomyViewSet):
    model = AgeGroup
    add_item_label = _("Add an age group")
    menu_label = _("Age groups")
    list_display = ["name", "slug", "min_age", "max_age"]


class TaxonomyGroup(SnippetViewSetGroup):
    menu_label = _("Taxonomy")
    menu_icon = "tag"
    menu_name = "taxonomy"
    menu_order = 220
    items = (ThemeViewSet, AudienceViewSet, ActionTypeViewSet, GenreViewSet, AgeGroupViewSet)
