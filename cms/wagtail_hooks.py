"""Wagtail hooks of the project: the editors' guide, in the admin's help menu, instead of Wagtail's guide links."""

from django.urls import reverse

from wagtail import hooks
from wagtail.admin.menu import MenuItem

from cms import editors_guide


@hooks.register("register_admin_urls")
def register_editors_guide_urls():
    return editors_guide.urls()


@hooks.register("register_help_menu_item")
def register_editors_guide_menu_item():
    """First in the help menu, ahead of Wagtail's own links (in English, on the internet)."""
    return MenuItem(
        editors_guide.GUIDE_LABEL,
        reverse(editors_guide.INDEX_URL_NAME),
        name="editors-guide",
        icon_name="help",
        order=900,
    )


@hooks.register("construct_help_menu")
def drop_wagtails_guide_links(request, menu_items):
    """Wagtail's "Editor Guide" and "What's new in Wagtail" open its English guide on the internet.

    The project's editors' guide, first in the menu, is the help editors read; the shortcuts stay.
    """
    menu_items[:] = [
        item for item in menu_items if item.name != "editor-guide" and not item.name.startswith("whats-new-in-wagtail")
    ]
