"""Wagtail and wagtail-localize admin surfaces that show objects by id, narrowed by `access.admin_visibility`.

Imported by library/wagtail_hooks.py. Each surface is closed where Wagtail
builds its objects, so every view built on it is covered:

- the page chooser and the explorer (`construct_page_chooser_queryset`,
  `construct_explorer_page_queryset`);
- the admin pages API (`/admin/api/main/pages/`): the endpoint is
  registered again, after Wagtail's (`construct_admin_api`), as a subclass
  whose queryset leaves out the pages the editor may not see (its images and
  documents endpoints are narrowed to the user's collections by
  `library.admin.asset_api`);
- wagtail-localize's snippet API (`/admin/localize/api/snippets/...`) lists
  and returns any snippet of any model to anyone in the admin; the same URLs
  are mounted first (`register_admin_urls`, lower order: Django's resolver
  takes the first match) with a subclass that asks the snippet's viewset;
  its translations report, mounted the same way, lists translations of what
  the editor may see only (`library.admin.translations_report`);
- bulk actions (`/admin/bulk/<app>/<model>/<action>/?id=`): Wagtail's
  confirmation pages list by title the items the editor may not act on;
  `BulkAction.get_actionable_objects`, which every bulk action inherits and
  no hook reaches, is rebound (by `library.wagtail_patches`, at start-up)
  to a wrapper that drops the ones they may not see at all.
"""

from django.urls import include, path

from wagtail import hooks
from wagtail.admin.api.views import PagesAdminAPIViewSet
from wagtail.admin.views.bulk_action import BulkAction
from wagtail_localize.views import snippets_api

from library.access import admin_visibility as visibility
from library.admin.translations_report import VisibleTranslationsReportView


@hooks.register("construct_page_chooser_queryset")
def hide_others_items_from_chooser(pages, request):
    """Other coordinations' drafts and internal items are left out for regional editors."""
    return visibility.filter_pages(pages, request.user)


@hooks.register("construct_explorer_page_queryset")
def hide_others_items_from_explorer(parent_page, pages, request):
    return visibility.filter_pages(pages, request.user)


class VisiblePagesAdminAPIViewSet(PagesAdminAPIViewSet):
    def get_base_queryset(self):
        return visibility.filter_pages(super().get_base_queryset(), self.request.user)


@hooks.register("construct_admin_api", order=100)
def register_visible_admin_api(router):
    router.register_endpoint("pages", VisiblePagesAdminAPIViewSet)


class VisibleSnippetsAPIViewSet(snippets_api.SnippetViewSet):
    def get_queryset(self):
        return visibility.filter_objects(self.request, super().get_queryset())


@hooks.register("register_admin_urls", order=-100)
def shadow_localize_snippets_api():
    urls = [
        path(
            "api/snippets/<slug:app_label>/<slug:model_name>/",
            VisibleSnippetsAPIViewSet.as_view({"get": "list"}),
            name="snippets_api_listing",
        ),
        path(
            "api/snippets/<slug:app_label>/<slug:model_name>/<str:pk>/",
            VisibleSnippetsAPIViewSet.as_view({"get": "retrieve"}),
            name="snippets_api_detail",
        ),
        path("reports/translations/", VisibleTranslationsReportView.as_view(), name="translations_report"),
        path(
            "reports/translations/results/",
            VisibleTranslationsReportView.as_view(results_only=True),
            name="translations_report_results",
        ),
    ]
    return [path("localize/", include((urls, "library_localize"), namespace="library_localize"))]


_wagtail_get_actionable_objects = BulkAction.get_actionable_objects


def get_visible_actionable_objects(self):
    """Wagtail's (objects, {"items_with_no_access": [...]}), less what the editor may not see."""
    objects, context = _wagtail_get_actionable_objects(self)
    objects = visibility.visible_among(self.request, objects)
    no_access = visibility.visible_among(self.request, context.get("items_with_no_access", []))
    return objects, {**context, "items_with_no_access": no_access}
