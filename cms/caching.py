"""HTTP caching of the library API: ETag, Cache-Control, Vary, 304, a server-side cache, CDN purge.

- Anonymous responses are the same for everyone, so they are cacheable:
  `Cache-Control: public, max-age=API_CACHE_MAX_AGE, stale-while-revalidate=...`,
  an `ETag` (a hash of the body), `Vary` on what changes the answer, and 304
  for a matching `If-None-Match`. They are also kept in the server's cache
  (Redis in production), keyed by URL and date, each with the generation
  number it was made under.
- Responses to a bearer token or a session (the admin's cookie, a partner's
  `X-Session-Token`) depend on who asked: they get
  `private, no-store` and never enter any cache. That holds for every answer
  under `/api/` (Wagtail's v2 and v3 routes too, cached or not), and every
  one of them carries `Vary: Authorization, Cookie, X-Session-Token`.
- Kept answers are keyed by host as well as URL. Absolute URLs are built
  from WAGTAILAPI_BASE_URL, never from the Host header (`library.embed`), so
  the host should not matter; the key keeps it that way should a view ever
  read the request's host.
- Publishing, unpublishing or deleting a page, a tier change (consent
  withdrawn) or a taxonomy edit bumps the generation, so every cached list
  containing the item is dropped at once, and asks Wagtail's frontend cache
  (`wagtail.contrib.frontend_cache`, configured by WAGTAILFRONTENDCACHE) to
  purge the API URLs from the CDN.

A request with `Cache-Control: no-cache` skips the server-side cache lookup
(clients and benchmarks use it to force a fresh answer).
"""

import hashlib
import logging
import re

from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.http import HttpResponse, HttpResponseNotModified
from django.utils import timezone
from django.utils.cache import patch_vary_headers

from wagtail.signals import page_published, page_unpublished

logger = logging.getLogger(__name__)

#: Paths whose anonymous answers are cached (library reads and oEmbed; not files).
CACHEABLE = re.compile(r"^/api/v3/(films|guides|coordinations)/(\d+/)?$|^/api/v3/taxonomy/[\w-]+/$|^/api/oembed/$")
VARY = ("Accept-Encoding", "Authorization", "Cookie", "Origin", "X-Session-Token")
#: Paths whose answers may depend on credentials: private when credentials come, always `Vary` on them.
API_PREFIX = "/api/"
CREDENTIALS_VARY = ("Authorization", "Cookie", "X-Session-Token")
_GENERATION_KEY = "api-cache:generation"
#: List roots purged from the CDN on every change (their query-string variants expire within max-age).
PURGED_PATHS = ("/api/v3/films/", "/api/v3/guides/", "/api/v3/coordinations/")


def max_age():
    return settings.API_CACHE_MAX_AGE


def public_cache_control():
    return f"public, max-age={max_age()}, stale-while-revalidate={settings.API_CACHE_STALE}"


def _lookup(key, with_answer=True):
    """`(generation, kept)`: the current generation, and the answer kept at `key` under it (or None).

    One round trip to the cache for both: the generation is stored with each
    answer instead of in its key. `with_answer=False` reads the generation only.
    """
    found = cache.get_many([_GENERATION_KEY, key] if with_answer else [_GENERATION_KEY])
    current = found.get(_GENERATION_KEY)
    if current is None:
        cache.add(_GENERATION_KEY, 1, None)
        current = cache.get(_GENERATION_KEY) or 1
    kept = found.get(key)
    return current, kept[1:] if kept and kept[0] == current else None


def invalidate(paths=()):
    """Drop every cached anonymous API answer, and purge the CDN's copies."""
    try:
        cache.incr(_GENERATION_KEY)
    except ValueError:
        cache.set(_GENERATION_KEY, 2, None)
    purge_frontend_cache(paths)


def purge_frontend_cache(paths=()):
    if not getattr(settings, "WAGTAILFRONTENDCACHE", None):
        return
    from wagtail.contrib.frontend_cache.utils import purge_urls_from_cache

    base = getattr(settings, "WAGTAILAPI_BASE_URL", "").rstrip("/")
    try:
        purge_urls_from_cache([base + path for path in (*PURGED_PATHS, *paths)])
    except Exception:  # a CDN outage must never fail a publish
        logger.exception("Frontend cache purge failed")


def _uses_credentials(request):
    # A bearer token, or a partner space's session token (django-allauth's headless API).
    if "HTTP_AUTHORIZATION" in request.META or "HTTP_X_SESSION_TOKEN" in request.META:
        return True
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        user = getattr(request, "user", None)
        return user is not None and user.is_authenticated
    return False


def _etag(content):
    return '"' + hashlib.blake2b(content, digest_size=16).hexdigest() + '"'


def _not_modified(request, etag):
    header = request.headers.get("If-None-Match", "")
    return header.strip() == "*" or etag in {tag.strip() for tag in header.split(",")}


def _finish(request, response, etag):
    response["ETag"] = etag
    response["Cache-Control"] = public_cache_control()
    patch_vary_headers(response, VARY)
    if _not_modified(request, etag):
        not_modified = HttpResponseNotModified()
        for header in ("ETag", "Cache-Control", "Vary"):
            not_modified[header] = response[header]
        return not_modified
    return response


class APICacheMiddleware:
    """Caching headers and the server-side cache for the library API (see the module docstring)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path_info.startswith(API_PREFIX):
            return self.get_response(request)
        if _uses_credentials(request):
            return self._private(self.get_response(request))
        if request.method not in ("GET", "HEAD") or not CACHEABLE.match(request.path_info):
            response = self.get_response(request)
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated:
                return self._private(response)
            patch_vary_headers(response, CREDENTIALS_VARY)
            return response
        # Today's date is part of the key: a consent that ends at midnight narrows its film's
        # tier without any write, and no answer kept from the day before may outlive it.
        digest = hashlib.md5(
            f"{request.get_host()}\n{request.get_full_path()}".encode(), usedforsecurity=False
        ).hexdigest()
        key = f"api-cache:{timezone.localdate().isoformat()}:{digest}"
        # Read before answering: a change while the answer is made leaves it under the old generation.
        current, kept = _lookup(key, with_answer="no-cache" not in request.headers.get("Cache-Control", ""))
        if kept is not None:
            content, content_type, etag = kept
            response = HttpResponse(content, content_type=content_type)
            response["X-Cache"] = "hit"
            return _finish(request, response, etag)
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return self._private(response)
        if response.status_code != 200 or response.streaming or "private" in response.get("Cache-Control", ""):
            return response
        etag = _etag(response.content)
        kept = (current, response.content, response["Content-Type"], etag)
        cache.set(key, kept, settings.API_CACHE_TIMEOUT)
        response["X-Cache"] = "miss"
        return _finish(request, response, etag)

    @staticmethod
    def _private(response):
        response["Cache-Control"] = "private, no-store"
        patch_vary_headers(response, VARY)
        return response


@receiver(page_published)
@receiver(page_unpublished)
def _page_changed(sender, instance, **kwargs):
    invalidate(_item_paths(instance))


@receiver(post_delete)
def _page_deleted(sender, instance, **kwargs):
    from wagtail.models import Page

    if isinstance(instance, Page):
        invalidate(_item_paths(instance))


def _item_paths(page):
    name = type(page).__name__
    if name == "FilmPage":
        return (f"/api/v3/films/{page.pk}/",)
    if name == "GuidePage":
        return (f"/api/v3/guides/{page.pk}/",)
    return ()


def _tier_changed(sender, film=None, **kwargs):
    invalidate(_item_paths(film) if film is not None else ())


def _taxonomy_changed(sender, **kwargs):
    invalidate()


def _listing_changed(sender, page_ids=(), **kwargs):
    invalidate()


def connect_library_signals():
    """A tier change (consent withdrawn or expired), a taxonomy edit and a rewrite of the lists'
    read model once committed (which a background task may do well after the edit that caused
    it) invalidate like a publish."""
    from library.core.signals import film_tier_changed, listing_changed
    from library.representation.localisation import TAXONOMY_MODELS

    film_tier_changed.connect(_tier_changed, dispatch_uid="cms.caching.tier_changed")
    listing_changed.connect(_listing_changed, dispatch_uid="cms.caching.listing_changed")
    for model in TAXONOMY_MODELS:
        post_save.connect(_taxonomy_changed, sender=model, dispatch_uid=f"cms.caching.{model.__name__}.saved")
        post_delete.connect(_taxonomy_changed, sender=model, dispatch_uid=f"cms.caching.{model.__name__}.deleted")
