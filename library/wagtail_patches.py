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
  (`library.serving.wagtail_views`);
- wagtail-localize's "More" buttons of a page listing: the same buttons,
  without two queries per row in the films and guides listings
  (`library.admin.translation_buttons`). wagtail-localize registers its
  function as a hook, and a hook cannot be unregistered: the registry's entry
  is swapped.
"""

from wagtail import hooks
from wagtail.admin.views.bulk_action import BulkAction
from wagtail.api.v3 import querysets as v3_querysets
from wagtail.api.v3.routers import pages as v3_pages
from wagtail.models import Page

from library.access.privacy import public_pages_queryset
from library.admin import page_guard, translation_buttons, visibility_hooks
from library.serving import wagtail_views


def patch_wagtail():
    Page.get_admin_display_title = page_guard.admin_display_title
    BulkAction.get_actionable_objects = visibility_hooks.get_visible_actionable_objects
    v3_pages.get_pages_queryset = wagtail_views.filter_v3_pages
    # Anonymous v3 reads: Wagtail's rule without one query per view restriction.
    v3_querysets.get_public_pages_queryset = public_pages_queryset
    _swap_hook(
        "register_page_listing_more_buttons",
        translation_buttons.localize_page_listing_more_buttons,
        translation_buttons.page_listing_more_buttons,
    )


def _swap_hook(hook_name, original, replacement):
    """Put `replacement` where `original` is registered for `hook_name` (importing its module registered it)."""
    registered = hooks._hooks.get(hook_name, [])
    places = [index for index, (fn, _order) in enumerate(registered) if fn is original]
    if not places and any(fn is replacement for fn, _order in registered):
        return  # already swapped
    if len(places) != 1:
        raise RuntimeError(f"{original.__module__}.{original.__name__} is not registered once for {hook_name}")
    _fn, order = registered[places[0]]
    registered[places[0]] = (replacement, order)
