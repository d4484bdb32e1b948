"""The few Wagtail names the library rebinds, because Wagtail offers no hook for them.

Applied once, from `LibraryConfig.ready()`, so importing a module never
changes Wagtail's behaviour as a side effect. Each replacement keeps and
calls Wagtail's own function, so Wagtail's rules still apply first; a Wagtail
upgrade that renames one of these fails here, at start-up, instead of leaking.

- `Page.get_admin_display_title`: the live title for editors who may not see
  a page's drafts (`library.admin.page_guard`);
- `BulkAction.get_actionable_objects`: bulk actions name no item the editor
  may not see (`library.admin.visibility_hooks`);
- the v3 pages API's base querysets: the access rule on every read
  (`library.serving.wagtail_views`).
"""

from wagtail.admin.views.bulk_action import BulkAction
from wagtail.api.v3 import querysets as v3_querysets
from wagtail.api.v3.routers import pages as v3_pages
from wagtail.models import Page

from library.access.privacy import public_pages_queryset
from library.admin import page_guard, visibility_hooks
from library.serving import wagtail_views


def patch_wagtail():
    Page.get_admin_display_title = page_guard.admin_display_title
    BulkAction.get_actionable_objects = visibility_hooks.get_visible_actionable_objects
    v3_pages.get_pages_queryset = wagtail_views.filter_v3_pages
    # Anonymous v3 reads: Wagtail's rule without one query per view restriction.
    v3_querysets.get_public_pages_queryset = public_pages_queryset
