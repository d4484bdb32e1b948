"""Views of the embeddable player, its text tracks and oEmbed."""

import re
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_GET

from library.access.rules import ANONYMOUS, Requester, can_view, filter_visible
from library.core.storage import private_storage
from library.models import FilmPage, TextTrack
from library.models.renditions import serialize_image

_EMBED_PATH = re.compile(r"/embed/films/(\d{1,10})/?$")
DEFAULT_WIDTH, DEFAULT_HEIGHT = 640, 360


def public_film(film_id):
    """The film if anonymous visitors may see it, else None (embeds never use credentials)."""
    if film_id > 2**31 - 1:
        return None
    return (
        filter_visible(FilmPage.objects.all(), ANONYMOUS)
        .select_related("video__poster", "poster", "coordination", "consent", "locale")
        .filter(pk=film_id)
        .first()
    )


def download_allowed(film):
    """The film's download switch, as its French source sets it (a translation's copy may lag behind).

    Off, the player offers no way to save the video: the browser's download
    button and its "save video" menu are hidden.
    """
    if film.locale.language_code == settings.LANGUAGE_CODE:
        return film.download_allowed
    source = (
        FilmPage.objects.filter(translation_key=film.translation_key, locale__language_code=settings.LANGUAGE_CODE)
        .values_list("download_allowed", flat=True)
        .first()
    )
    return film.download_allowed if source is None else source


def absolute_url(path):
    """`path` on the CMS's public address (WAGTAILAPI_BASE_URL), never on the request's Host header.

    Embed and oEmbed answers are cached (server cache, CDN) and pasted into
    other sites: built from the Host header, one host's URLs would be served
    to every other, and a forged Host would put its own address in them.
    """
    return settings.WAGTAILAPI_BASE_URL.rstrip("/") + path


@require_GET
@xframe_options_exempt
def player(request, film_id):
    film = public_film(film_id)
    if film is None or film.video is None:
        return render(request, "embed/unavailable.html", status=404)
    video = film.video
    renditions = {r.name for r in video.renditions.all()}
    stream_url = reverse("wagtailapi_v3:library_film_stream", args=[film.pk])
    qualities = [
        {"name": name, "label": label, "url": f"{stream_url}?rendition={name}"}
        for name, label in (("720p", _("Standard (720p)")), ("360p", _("Low bandwidth (360p)")))
        if name in renditions
    ]
    poster = serialize_image(film.shown_poster, names=("card", "hero")) if film.shown_poster else None
    poster_url = ""
    if poster and poster["renditions"]:
        poster_url = (poster["renditions"].get("hero") or poster["renditions"].get("card"))["url"]
    embed_url = absolute_url(reverse("library_embed:film", args=[film.pk]))
    context = {
        "film": film,
        "qualities": qualities,
        "poster_url": poster_url,
        "tracks": list(video.text_tracks.all()),
        "oembed_url": absolute_url(reverse("library_embed:oembed"))
        + "?"
        + urlencode({"url": embed_url, "format": "json"}),
        "embed_url": embed_url,
        "download_allowed": download_allowed(film),
    }
    response = render(request, "embed/player.html", context)
    response["Cache-Control"] = "public, max-age=60, stale-while-revalidate=300"
    # Content-Security-Policy: the player's own (any site may frame it), from cms.security.headers.
    return response


@require_GET
def track(request, film_id, track_id):
    """A WebVTT track of a film, same-origin for the player's `<track>` (streamed from private storage)."""
    film = FilmPage.objects.select_related("consent").filter(pk=film_id).first() if film_id <= 2**31 - 1 else None
    requester = Requester.from_request(request)
    if film is None or film.video_id is None or not can_view(requester, film):
        raise Http404(_("No item matches this id."))
    text_track = (
        TextTrack.objects.filter(pk=track_id, video_id=film.video_id).first() if track_id <= 2**31 - 1 else None
    )
    if text_track is None or not text_track.file:
        raise Http404(_("No item matches this id."))
    response = FileResponse(private_storage.open(text_track.file.name, "rb"), content_type="text/vtt; charset=utf-8")
    response["Cache-Control"] = "private, no-store" if request.user.is_authenticated else "public, max-age=300"
    return response


@require_GET
def oembed(request):
    """oEmbed 1.0 (https://oembed.com) for embed URLs of public films."""
    if request.GET.get("format", "json") != "json":
        return JsonResponse({"error": _("Only the JSON format is supported.")}, status=501)
    url = request.GET.get("url", "")
    match = _EMBED_PATH.search(urlsplit(url).path) if url else None
    film = public_film(int(match[1])) if match else None
    if film is None or film.video_id is None:
        return JsonResponse({"error": _("No embeddable film at this URL.")}, status=404)
    width, height = _size(request)
    src = absolute_url(reverse("library_embed:film", args=[film.pk]))
    data = {
        "version": "1.0",
        "type": "video",
        "provider_name": settings.WAGTAIL_SITE_NAME,
        "provider_url": absolute_url("/"),
        "title": film.title,
        "author_name": film.coordination.title if film.coordination else settings.WAGTAIL_SITE_NAME,
        "width": width,
        "height": height,
        "html": (
            f'<iframe src="{src}" width="{width}" height="{height}" title="{_escape(film.title)}" '
            'allow="fullscreen; picture-in-picture" allowfullscreen loading="lazy" style="border:0"></iframe>'
        ),
    }
    poster = serialize_image(film.shown_poster, names=("card",)) if film.shown_poster else None
    if poster and poster["renditions"].get("card"):
        card = poster["renditions"]["card"]
        data.update(thumbnail_url=card["url"], thumbnail_width=card["width"], thumbnail_height=card["height"])
    response = JsonResponse(data)
    response["Cache-Control"] = "public, max-age=300"
    return response


def _size(request):
    """The player's size: 16:9, within `maxwidth`/`maxheight` when given."""
    width, height = DEFAULT_WIDTH, DEFAULT_HEIGHT
    try:
        max_width = int(request.GET.get("maxwidth") or 0)
        max_height = int(request.GET.get("maxheight") or 0)
    except ValueError:
        max_width = max_height = 0
    if 0 < max_width < width:
        width, height = max_width, max_width * 9 // 16
    if 0 < max_height < height:
        width, height = max_height * 16 // 9, max_height
    return max(width, 16), max(height, 9)


def _escape(text):
    return escape(text)
