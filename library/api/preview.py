"""Previewing drafts on the public site: a short-lived preview token and v3 draft reads.

Chosen over wagtail-headless-preview because the public site is a separate
front end that already reads `/api/v3/`: a token in a URL needs no shared
cookie, no extra app and no iframe, and works for films, guides and every
other page type alike.

Flow:
1. In the admin, the editor clicks "Preview on the public site" (a page
   header button). `preview_on_site` checks that they may edit the page,
   signs a token (page id, user id; valid PREVIEW_TOKEN_SECONDS) and
   redirects to `PUBLIC_SITE_URL/preview/?type=<app.Model>&token=<token>`.
2. The front end calls `/api/v3/preview/films/`, `/guides/` or `/pages/`
   with `?token=`, and renders the latest revision (the draft) with the same
   schema as the live endpoints.
3. Every read re-checks that the user is still active and may still edit the
   page; answers are `private, no-store`. An expired or tampered token is a
   401; a token for another page type is a 404.
"""

from ninja import Router
from ninja.errors import HttpError

from django.conf import settings
from django.core import signing
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wagtail import hooks
from wagtail.admin import widgets as admin_widgets
from wagtail.api.v3.errors import ProblemDetail
from wagtail.api.v3.routers.pages import PageDetailSchema
from wagtail.models import Page

from library.representation.schemas import FilmDetail, GuideDetail

PREVIEW_TOKEN_SECONDS = 600
_SALT = "library.api.preview"

router = Router(tags=["preview"])
PROBLEMS = {401: ProblemDetail, 404: ProblemDetail, 422: ProblemDetail}


def make_token(page, user):
    return signing.dumps({"page": page.pk, "user": user.pk}, salt=_SALT, compress=True)


def may_preview(user, page):
    """Editors who may edit the page (Wagtail's page permissions, i.e. their coordination's subtree)."""
    return user.is_active and page.permissions_for_user(user).can_edit()


def read_token(token):
    """The draft page and user of a valid token; 401 otherwise (never says why)."""
    from django.contrib.auth import get_user_model

    try:
        data = signing.loads(
            token, salt=_SALT, max_age=getattr(settings, "PREVIEW_TOKEN_SECONDS", PREVIEW_TOKEN_SECONDS)
        )
    except signing.BadSignature:
        raise HttpError(401, _("This preview link has expired or is invalid.")) from None
    user = get_user_model().objects.filter(pk=data.get("user")).first()
    page = Page.objects.filter(pk=data.get("page")).first()
    if user is None or page is None or not may_preview(user, page):
        raise HttpError(401, _("This preview link has expired or is invalid."))
    return page, user


def _draft(token, model_label, response):
    page, user = read_token(token)
    if model_label and page.specific_class._meta.label != model_label:
        raise Http404(_("No item matches this id."))
    response["Cache-Control"] = "private, no-store"
    return page.get_latest_revision_as_object(), user


@router.get(
    "/films/",
    response={200: FilmDetail, **PROBLEMS},
    url_name="preview_film",
    operation_id="previewFilm",
    summary="Preview a film draft",
)
def preview_film(request, token: str, response: HttpResponse):
    from library.access.rules import Requester
    from library.representation import serializers

    film, user = _draft(token, "library.FilmPage", response)
    return serializers.film_detail(film, film.locale.language_code, Requester(user=user))


@router.get(
    "/guides/",
    response={200: GuideDetail, **PROBLEMS},
    url_name="preview_guide",
    operation_id="previewGuide",
    summary="Preview a guide draft",
)
def preview_guide(request, token: str, response: HttpResponse):
    from library.access.rules import Requester
    from library.representation import serializers

    guide, user = _draft(token, "library.GuidePage", response)
    return serializers.guide_detail(guide, guide.locale.language_code, Requester(user=user))


@router.get(
    "/pages/",
    response={200: PageDetailSchema, **PROBLEMS},
    url_name="preview_page",
    operation_id="previewPage",
    summary="Preview any page draft",
)
def preview_page(request, token: str, response: HttpResponse):
    page, _user = _draft(token, None, response)
    return page


def preview_on_site(request, page_id):
    """Admin view: sign a preview token and send the editor to the public site's preview route."""
    page = get_object_or_404(Page, pk=page_id).specific
    if not may_preview(request.user, page):
        raise Http404
    query = urlencode({"type": page._meta.label, "token": make_token(page, request.user)})
    base = getattr(settings, "PUBLIC_SITE_URL", "").rstrip("/")
    if base:
        return redirect(f"{base}/preview/?{query}")
    # No public site configured: show the draft as the API returns it.
    kind = {"library.FilmPage": "films", "library.GuidePage": "guides"}.get(page._meta.label, "pages")
    return redirect(f"{reverse('wagtailapi_v3:openapi-json').rsplit('/openapi.json', 1)[0]}/preview/{kind}/?{query}")


@hooks.register("register_admin_urls")
def register_preview_url():
    return [path("preview-on-site/<int:page_id>/", preview_on_site, name="library_preview_on_site")]


@hooks.register("register_page_header_buttons")
def preview_button(page, user, view_name, next_url=None):
    if not page.is_root() and page.depth > 1 and may_preview(user, page):
        yield admin_widgets.Button(
            gettext_lazy("Preview on the public site"),
            reverse("library_preview_on_site", args=[page.pk]),
            icon_name="view",
            priority=85,
        )
