"""Content Security Policy per surface (django-csp), and the Permissions-Policy header.

django-csp sends CONTENT_SECURITY_POLICY (settings: the admin's policy, the
strictest Wagtail allows, with frame-ancestors 'self') on every answer. This
middleware, in its place in MIDDLEWARE, adds what is known only at request
time and swaps the policy for the surfaces that need another one:

- the embeddable player (`library_embed` URLs): framed by any site
  (EMBED_FRAME_ANCESTORS), loads its own script, style and media only;
- the API documentation (`/api/v3/docs/`, django-ninja's Swagger UI);
- file responses (uploaded images under `/media/`, Wagtail's document view,
  the API's streams, downloads and packs, the player's text tracks): no
  policy of a page but FILE_POLICY, so that a file the browser renders on
  the site's origin runs no script, loads nothing and gets an opaque origin;
- everywhere: the origins media are served from (the S3 endpoint of any S3
  storage, MEDIA_URL's host), which the admin needs for thumbnails and for
  uploading video parts straight to the bucket.
"""

from urllib.parse import urlsplit

from csp.constants import HEADER, NONE, SELF
from csp.middleware import CSPMiddleware

from django.conf import settings
from django.http import StreamingHttpResponse

EMBED_NAMESPACE = "library_embed"
DOCS_URL_NAME = "openapi-view"

#: Browser features no page of the CMS uses; the player keeps fullscreen and picture-in-picture for itself.
PERMISSIONS_POLICY = (
    "accelerometer=(), autoplay=(self), camera=(), display-capture=(), fullscreen=(self), geolocation=(), "
    "gyroscope=(), magnetometer=(), microphone=(), midi=(), payment=(), picture-in-picture=(self), "
    "publickey-credentials-get=(), screen-wake-lock=(), usb=(), xr-spatial-tracking=()"
)


#: Every file answer's policy; it replaces the one a view set (Wagtail's document view sends `default-src 'none'`).
FILE_POLICY = "default-src 'none'; sandbox"


def is_file_response(response):
    """A file handed out rather than a page: streamed (FileResponse included) or sent with a Content-Disposition."""
    return isinstance(response, StreamingHttpResponse) or response.has_header("Content-Disposition")


def _origin(url):
    parts = urlsplit(url or "")
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else None


def media_origins():
    """Origins media URLs point at: S3 endpoints (path-style addressing, `cms.storage`) and MEDIA_URL's host."""
    origins = {_origin(getattr(settings, "AWS_S3_ENDPOINT_URL", None)), _origin(settings.MEDIA_URL)}
    for alias in ("default", "private"):
        options = settings.STORAGES.get(alias, {}).get("OPTIONS", {})
        if "bucket_name" not in options:
            continue
        region = options.get("region_name")
        default = f"https://s3.{region}.amazonaws.com" if region else "https://s3.amazonaws.com"
        origins.add(_origin(options.get("endpoint_url")) or default)
    return sorted(origin for origin in origins if origin)


def embed_directives(media):
    return {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", *media],
        "media-src": [SELF, *media],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [NONE],
        "frame-ancestors": settings.EMBED_FRAME_ANCESTORS.split(),
    }


def docs_directives(media):
    return {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [SELF],
    }


def _surface(request):
    match = getattr(request, "resolver_match", None)
    if match is None:
        return None
    if EMBED_NAMESPACE in match.namespaces:
        return embed_directives
    if match.url_name == DOCS_URL_NAME:
        return docs_directives
    return None


class SecurityHeadersMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if report_only or parts.config is not None:
            return parts  # a view chose its own policy with django-csp's decorators
        media = media_origins()
        surface = _surface(request)
        if surface is not None:
            parts.config = surface(media)
        elif media:
            parts.update = {"img-src": media, "media-src": media, "connect-src": media, **(parts.update or {})}
        return parts

    def process_response(self, request, response):
        response = super().process_response(request, response)
        if is_file_response(response):
            response[HEADER] = FILE_POLICY
            response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response
