"""Wagtail's own surfaces, made to ask `library.access.rules` before they show a film or guide.

Page privacy (`library.access.privacy`) already closes most of them for stale-free
tiers; these checks run at request time, so a consent that expired at
midnight hides its film at once, before `lapse_consents` updates stored state.

- page serving: `before_serve_page` answers 404 for a film or guide the
  requester may not see (Wagtail's own restriction check asks for a login);
- `/documents/<id>/<file>`: `before_serve_document` serves a guide document
  only to who may see one of its guides;
- the admin's own views follow `library.access.admin_visibility` instead
  (`library.admin.visibility_hooks`, `library.admin.page_guard`);
- v2 pages, images and documents APIs, the image serve URL and the sitemap: Wagtail has
  no hook there, so the project mounts the subclasses below instead of
  Wagtail's classes (`cms.api`, `cms.urls`);
- v3 pages API: Wagtail's router takes its base queryset from
  `wagtail.api.v3.routers.pages.get_pages_queryset` and offers no hook or
  subclass point, so that one name is rebound to a wrapper that adds the
  access filter (`filter_v3_pages`). The wrapper calls Wagtail's function
  first, so Wagtail's own rules (site scoping, view restrictions, a token
  user's edit permissions) still apply; a Wagtail upgrade that renames the
  function fails loudly at start-up instead of leaking. Its anonymous branch
  reads `get_public_pages_queryset`, rebound the same way to
  `privacy.public_pages_queryset` (same rule, constant query count). Both
  are rebound by `library.wagtail_patches`, from `LibraryConfig.ready()`.

Images are public media unless films or guides use them (posters, covers,
a video's poster frame, a guide document's first page) or processing derived
them from an asset: then they follow those items (`access.visible_images_q`),
so a hidden film's poster is neither listed nor served by its permanent URL.
On local disk, `/media/` goes through the same check (`library.serving.media_files`).
"""

from django.http import Http404
from django.utils.cache import patch_cache_control

from wagtail import hooks
from wagtail.api.v2.utils import BadRequestError
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.api.v3.routers import pages as v3_pages
from wagtail.contrib.sitemaps import Sitemap
from wagtail.documents.api.v2.views import DocumentsAPIViewSet
from wagtail.images.api.v2.views import ImagesAPIViewSet
from wagtail.images.views.serve import ServeView

from library.access import rules as access
from library.access.privacy import public_pages_queryset
from library.access.rules import Requester


def _is_library_item(page):
    from library.models import FilmPage, GuidePage

    return isinstance(page, FilmPage | GuidePage)


@hooks.register("before_serve_page", order=-10)
def refuse_hidden_library_item(page, request, serve_args, serve_kwargs):
    """A 404 rather than a login prompt: a hidden film's existence is itself private."""
    if _is_library_item(page) and not access.can_view(Requester.from_request(request), page):
        raise Http404


@hooks.register("before_serve_document", order=-10)
def refuse_hidden_document(document, request):
    if not access.can_read_document(Requester.from_request(request), document):
        raise Http404


class AccessPagesAPIViewSet(PagesAPIViewSet):
    """Wagtail's v2 pages endpoint, with films and guides filtered by their tier today.

    The base queryset is `privacy.public_pages_queryset`: Wagtail's rule, in
    a constant number of queries however many pages carry a restriction.
    """

    def get_base_queryset(self):
        try:
            queryset = public_pages_queryset(self.request)
        except ValueError as error:  # ?site= matched several sites
            raise BadRequestError(str(error)) from error
        # As one id subquery, so that `?search=` can combine with the access filter.
        return access.searchable_pages(access.filter_visible_pages(queryset, Requester.from_request(self.request)))

    def get_queryset(self):
        # Each item's `meta.locale` would otherwise cost one query.
        return super().get_queryset().select_related("locale")


class AccessImagesAPIViewSet(ImagesAPIViewSet):
    """Wagtail's v2 images endpoint, without the images of hidden items (posters, covers, frames, first pages)."""

    def get_queryset(self):
        return super().get_queryset().filter(access.visible_images_q(Requester.from_request(self.request)))


class AccessDocumentsAPIViewSet(DocumentsAPIViewSet):
    """Wagtail's v2 documents endpoint: only documents of guides the requester may see."""

    def get_queryset(self):
        return super().get_queryset().filter(access.visible_documents_q(Requester.from_request(self.request)))


class AccessSitemap(Sitemap):
    """Wagtail's sitemap (live, unrestricted pages) less the films whose consent lapsed since the last sync."""

    def items(self):
        return access.filter_visible_pages(super().items(), access.ANONYMOUS)


class AccessImageServeView(ServeView):
    """Wagtail's signed image URL, refused for a hidden item's image and never cached publicly for a restricted one."""

    def get(self, request, signature, image_id, filter_spec, filename=None):
        requester = Requester.from_request(request)
        image = self.model.objects.filter(pk=image_id).first()
        if image is not None and not access.can_view_image(requester, image, include_drafts=True):
            raise Http404
        response = super().get(request, signature, image_id, filter_spec, filename)
        if image is not None and not access.can_view_image(access.ANONYMOUS, image):
            patch_cache_control(response, private=True)
        return response


_wagtail_v3_pages_queryset = v3_pages.get_pages_queryset


def filter_v3_pages(request, *args, **kwargs):
    """Wagtail's v3 base queryset, less the films and guides the requester may not see today.

    Token users get Wagtail's "pages you may edit" set, drafts included, so
    their own drafts stay; anonymous readers get live items of their tier.
    """
    queryset = _wagtail_v3_pages_queryset(request, *args, **kwargs)
    requester = Requester.from_request(request)
    visible = access.filter_visible_pages(queryset, requester, include_drafts=request.user.is_authenticated)
    # As one id subquery, so that `?search=` can combine with the access filter; Wagtail's joins and order kept.
    return access.searchable_pages(visible).select_related("content_type", "locale").order_by("pk")
