"""Wagtail hooks of the catalogue import, imported by library/wagtail_hooks.py: its URLs and its Settings menu item."""

from django.urls import include, path, reverse

from wagtail import hooks
from wagtail.admin.menu import MenuItem

from library.importer.views import PAGE_TITLE, may_import


class CatalogueImportMenuItem(MenuItem):
    def is_shown(self, request):
        return may_import(request.user)


@hooks.register("register_admin_urls")
def register_catalogue_import_urls():
    return [path("library/catalogue-import/", include("library.importer.urls", namespace="library_catalogue_import"))]


@hooks.register("register_settings_menu_item")
def register_catalogue_import_menu_item():
    return CatalogueImportMenuItem(
        PAGE_TITLE, reverse("library_catalogue_import:upload"), name="catalogue-import", icon_name="upload", order=450
    )
