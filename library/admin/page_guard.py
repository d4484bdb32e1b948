"""Every admin view that takes a page id, and every page title the admin shows, pass through `access.admin_visibility`.

Wagtail's page views check what the editor may *do* with a page, not whether
they may *see* it: the explorer, the page chooser, the move confirmation
(a destination in another coordination), the usage and history views answer
for any page id. Listing filters (`construct_*_page_queryset` hooks) do not
reach the page named in the URL itself, nor the title Wagtail shows for it,
which is the draft title (`Page.get_admin_display_title`).

`AdminPageGuardMiddleware` closes both for the whole admin at once, so a view
added by Wagtail, wagtail-localize or the project is covered without code of
its own:

- before any admin view runs, each page id among its URL arguments
  (`PAGE_ARGUMENTS`, and `pk` of Wagtail's page views and of the admin
  pages API) must name a page the editor may see, else 404, as for a page
  that does not exist;
- while an admin request is handled, `Page.get_admin_display_title` answers
  the live title for pages whose drafts the editor may not see. Wagtail
  offers no hook for that title and calls the method on plain `Page`
  objects too (breadcrumbs, ancestors), so the method itself is rebound
  once, by `library.wagtail_patches` at start-up, to `admin_display_title`,
  which calls Wagtail's for everyone else.
"""

from contextvars import ContextVar

from django.http import Http404
from django.urls import reverse
from django.utils.functional import cached_property

from wagtail.models import Page

from library.access import admin_visibility as visibility

#: URL arguments that always name a page.
PAGE_ARGUMENTS = ("page_id", "parent_page_id", "page_to_move_id", "destination_id", "page_pk")
#: URL namespaces whose `pk` names a page.
PAGE_NAMESPACES = ("wagtailadmin_pages",)

_admin_user = ContextVar("admin_user", default=None)


def _takes_pages_as_pk(resolver_match, view_func):
    if any(namespace in PAGE_NAMESPACES for namespace in resolver_match.namespaces):
        return True
    model = getattr(getattr(view_func, "cls", None), "model", None)  # the admin API's viewsets
    return isinstance(model, type) and issubclass(model, Page)


def page_ids(request, view_func, view_kwargs):
    """The page ids among an admin view's URL arguments."""
    names = list(PAGE_ARGUMENTS)
    if _takes_pages_as_pk(request.resolver_match, view_func):
        names.append("pk")
    ids = []
    for name in names:
        value = view_kwargs.get(name)
        if value is not None and str(value).isdigit():
            ids.append(int(value))
    return ids


class AdminPageGuardMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    @cached_property
    def admin_prefix(self):
        return reverse("wagtailadmin_home")

    def _is_admin(self, request):
        return request.path_info.startswith(self.admin_prefix)

    def __call__(self, request):
        if not self._is_admin(request):
            return self.get_response(request)
        token = _admin_user.set(request)
        try:
            return self.get_response(request)
        finally:
            _admin_user.reset(token)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not self._is_admin(request) or not request.user.is_authenticated or visibility.is_national(request.user):
            return None
        for page in Page.objects.filter(pk__in=page_ids(request, view_func, view_kwargs)):
            if not visibility.may_see_page(request.user, page):
                raise Http404
        return None


_wagtail_admin_display_title = Page.get_admin_display_title


def admin_display_title(page):
    """Wagtail's admin title (the draft's) for who may see the page's drafts, the live title for others."""
    request = _admin_user.get()
    if request is not None and request.user.is_authenticated and not visibility.shows_drafts_of(request.user, page):
        return page.title
    return _wagtail_admin_display_title(page)
