"""Wagtail hooks of the project: the editors' guide, in the admin's help menu."""

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
