"""Wagtail hooks of the catalogue admin, imported by library/wagtail_hooks.py.

Taxonomy, consent register, partners and their tokens, film and guide
listings, the coordinations' dashboard panel and the downloads report, and
the admin stylesheet that keeps the listings' columns readable.
"""

from django.templatetags.static import static
from django.utils.html import format_html

from wagtail import hooks
from wagtail.snippets.models import register_snippet

from library.admin.consent import ConsentRecordViewSet
from library.admin.dashboard import add_coordination_panel
from library.admin.listings import FilmListingViewSet, GuideListingViewSet
from library.admin.partners import PartnerOrganisationViewSet, PartnerTokenViewSet
from library.admin.reports import report_menu_item, report_urls
from library.admin.taxonomy import TaxonomyGroup

register_snippet(TaxonomyGroup)
register_snippet(ConsentRecordViewSet)
register_snippet(PartnerOrganisationViewSet)
register_snippet(PartnerTokenViewSet)


@hooks.register("register_admin_viewset")
def register_listing_viewsets():
    return [FilmListingViewSet("films"), GuideListingViewSet("guides")]


hooks.register("construct_homepage_panels", add_coordination_panel)
hooks.register("register_admin_urls", report_urls)
hooks.register("register_reports_menu_item", report_menu_item)


@hooks.register("insert_global_admin_css")
def library_admin_css():
    return format_html('<link rel="stylesheet" href="{}">', static("library/css/admin.css"))
