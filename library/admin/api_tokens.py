"""One token screen: the partner tokens'.

Wagtail 8 adds its own API token admin whenever `wagtail.api.v3` is installed
(`wagtail.users`' `APITokenViewSet`, mounted at `api-tokens/`, "API tokens" in
the Settings menu). It issues tokens to any account, with no partner
organisation and no expiry, beside the project's partner tokens
(`library.admin.partners`). Wagtail has no setting to leave it out, so two
hooks take it away:

- `construct_settings_menu` drops its menu item;
- `register_admin_urls`, ordered ahead of the hook that mounts Wagtail's
  viewsets, mounts `api-tokens/` first: its listing and its "add" page send
  to the partner tokens' own, every other URL under it (a token's edit,
  revoke, history pages) answers 404, whoever asks.

Wagtail's URL names still reverse (to these URLs). The partner token screen
only borrows Wagtail's revoke confirmation template, no view or URL.
"""

from django.http import Http404
from django.shortcuts import redirect
from django.urls import path, re_path

from wagtail import hooks

#: The stock viewset's `menu_name` (`wagtail.users.views.api_tokens.APITokenViewSet`).
STOCK_MENU_NAME = "api_tokens"
#: The stock viewset's `url_prefix`.
STOCK_URL_PREFIX = "api-tokens/"

PARTNER_TOKENS_LIST = "wagtailsnippets_library_partnertoken:list"
PARTNER_TOKENS_ADD = "wagtailsnippets_library_partnertoken:add"


def _to(url_name):
    def view(request):
        return redirect(url_name)

    return view


def gone(request):
    raise Http404


@hooks.register("construct_settings_menu")
def remove_stock_token_menu_item(request, menu_items):
    menu_items[:] = [item for item in menu_items if item.name != STOCK_MENU_NAME]


@hooks.register("register_admin_urls", order=-100)
def shadow_stock_token_urls():
    # Unnamed: these answer for Wagtail's patterns, which keep their names.
    return [
        path(STOCK_URL_PREFIX, _to(PARTNER_TOKENS_LIST)),
        path(f"{STOCK_URL_PREFIX}new/", _to(PARTNER_TOKENS_ADD)),
        re_path(rf"^{STOCK_URL_PREFIX}.*$", gone),
    ]
