"""Streams, downloads and screening packs of films and guides.

Every decision goes through `library.access.rules`: streams follow `can_view`,
a film's files `can_download`, its video `can_download_video` (its download
switch), and a guide's PDF `can_download_guide` (whoever sees the guide). A hidden item answers the same 404 as a missing one; a
visible item that the caller may not download answers 401 (no credentials)
or 403. A film whose download switch is off answers 403 for its video, and
its screening pack holds everything but the video, with a `LISEZMOI.txt`
saying why. Each download is logged as a `DownloadEvent` and counts against
the organisation's hourly quota; a refusal counts for nothing.

Nothing is handed out that storage cannot serve: on S3 the file is asked
for first (`library.core.bucket`), and a bucket away answers 503
problem+json with `Retry-After`, which neither counts against the quota nor
is logged. A download counts, and is logged, once its transfer is known to
start: for a redirect, when the object answered and the signed URL is
handed out (what the client then does is not seen); for a screening pack,
the quota counts when the pack starts (its first stored member answered),
and the `DownloadEvent` is written only once its last byte went to the
server, so a pack broken by storage (or abandoned by the client) is never
recorded as downloaded.

A translation's id stands for its French source, as in the film's detail:
the switch, the tier and the files are the film's.
"""

import mimetypes
from typing import Literal

from ninja.errors import HttpError

from django.conf import settings
from django.http import StreamingHttpResponse
from django.utils.text import slugify
from django.utils.translation import gettext as _

from wagtail.api.v3.errors import ProblemDetail

from library.access.rules import can_download, can_download_guide, can_download_video, can_view, filter_visible
from library.api.auth import READ_AUTH, READ_SECURITY, requester_for
from library.api.films import router as films_router
from library.api.filters import ItemId
from library.api.guides import router as guides_router
from library.api.packs import InlineFile, stream_zip
from library.api.ratelimit import check_downloads
from library.api.responses import not_found
from library.core.bucket import checked
from library.core.ranged import content_disposition, deliver
from library.core.storage import is_s3, private_storage
from library.models import DownloadEvent, FilmPage, GuidePage
from library.models.partners import hash_ip

PROBLEMS = {
    401: ProblemDetail,
    403: ProblemDetail,
    404: ProblemDetail,
    422: ProblemDetail,
    429: ProblemDetail,
    503: ProblemDetail,
}
FILE_RESPONSES = {200: None, 206: None, 302: None, **PROBLEMS}
StreamRendition = Literal["720p", "360p"]
DownloadRendition = Literal["original", "720p", "360p"]


def _film(request, film_id):
    """The visible film `film_id`; a translation's id gives its (visible) French source."""
    requester = requester_for(request)
    visible = filter_visible(FilmPage.objects.all(), requester).select_related(
        "video", "video__poster", "consent", "coordination", "poster", "locale"
    )
    film = visible.filter(pk=film_id).first() if film_id <= 2**31 - 1 else None
    if film is not None and film.locale.language_code != settings.LANGUAGE_CODE:
        film = visible.filter(
            translation_key=film.translation_key, locale__language_code=settings.LANGUAGE_CODE
        ).first()
    if film is None:
        raise not_found()
    return requester, film


def _require_download(request, requester, item, video=False):
    """Refuse who may not download `item` (with `video`, the film's video too); the quota counts later (`_counted`)."""
    if not can_download(requester, item):
        if not request.user.is_authenticated:
            raise HttpError(401, _("Downloads are for partners: send your organisation's bearer token."))
        raise HttpError(403, _("Your account may not download this item."))
    if video and not can_download_video(requester, item):
        raise HttpError(
            403,
            _(
                "This film's rights holders do not allow it to be downloaded: "
                "stream it instead, from its player or its stream addresses (stream_urls)."
            ),
        )


def _counted(request, requester, item, rendition, log=True):
    """What `deliver` calls once the transfer starts: the quota counts it (or answers 429), then the log."""

    def started():
        check_downloads(requester.organisation)
        if log:
            _log(request, requester, item, rendition)

    return started


def _log(request, requester, item, rendition):
    DownloadEvent.objects.create(
        organisation=requester.organisation,
        user=request.user if request.user.is_authenticated else None,
        token=requester.api_token,
        page=item,
        coordination_id=item.coordination_id,
        item_title=item.title[:255],
        rendition=rendition,
        ip_hash=hash_ip(request.META.get("REMOTE_ADDR", "")),
    )


def _rendition_file(film, name):
    if film.video is None:
        raise not_found()
    if name == "original":
        video = film.video
        if not video.file:
            raise not_found()
        extension = video.file.name.rsplit(".", 1)[-1]
        filename = video.original_filename or f"{slugify(film.title) or 'film'}.{extension}"
        return video.file.name, filename
    rendition = film.video.renditions.filter(name=name).first()
    if rendition is None or not rendition.file:
        raise not_found()
    return rendition.file.name, f"{slugify(film.title) or 'film'}-{name}.mp4"


def guide_file_name(guide, link, suffix=""):
    """A guide's PDF is saved under the guide's name and language: its storage key is `document.pdf` in a
    random folder, which tells a partner's downloads folder nothing."""
    language = f"-{link.language}" if link.language else ""
    return f"{slugify(guide.title) or 'guide'}{language}{suffix}.pdf"


def _content_type(filename):
    return mimetypes.guess_type(filename)[0] or "application/octet-stream"


@films_router.get(
    "/{film_id}/stream/",
    response=FILE_RESPONSES,
    auth=READ_AUTH,
    openapi_extra=READ_SECURITY,
    url_name="library_film_stream",
    operation_id="streamFilm",
    summary="Stream a film",
)
def stream_film(request, film_id: ItemId, rendition: StreamRendition = "720p"):
    """The playable file of a rendition: a redirect to a signed URL, or a ranged stream."""
    requester, film = _film(request, film_id)
    if not can_view(requester, film):
        raise not_found()
    name, filename = _rendition_file(film, rendition)
    return deliver(request, private_storage, name, filename, "video/mp4", attachment=False)


@films_router.get(
    "/{film_id}/download/",
    response=FILE_RESPONSES,
    auth=READ_AUTH,
    openapi_extra=READ_SECURITY,
    url_name="library_film_download",
    operation_id="downloadFilm",
    summary="Download a film (partners)",
)
def download_film(request, film_id: ItemId, rendition: DownloadRendition = "original"):
    requester, film = _film(request, film_id)
    _require_download(request, requester, film, video=True)
    name, filename = _rendition_file(film, rendition)
    started = _counted(request, requester, film, rendition)
    return deliver(request, private_storage, name, filename, _content_type(filename), started=started)


@films_router.get(
    "/{film_id}/screening-pack/",
    response=FILE_RESPONSES,
    auth=READ_AUTH,
    openapi_extra=READ_SECURITY,
    url_name="library_film_screening_pack",
    operation_id="getScreeningPack",
    summary="Download a screening pack (partners)",
)
def screening_pack(request, film_id: int):
    """One zip: the master, the 360p rendition, every text track, the poster and the related guides.

    A film whose download switch is off gives the same pack without its
    video, and a `LISEZMOI.txt` that says why: the pack still serves a
    screening streamed from the catalogue.
    """
    requester, film = _film(request, film_id)
    _require_download(request, requester, film)
    if film.video is None or not film.video.file:
        raise not_found()
    base = slugify(film.title) or "film"
    video = film.video
    members = []
    if can_download_video(requester, film):
        members.append(
            (
                f"{base}/{video.original_filename or video.file.name.rsplit('/', 1)[-1]}",
                private_storage,
                video.file.name,
            )
        )
        low = video.renditions.filter(name="360p").first()
        if low is not None and low.file:
            members.append((f"{base}/{base}-360p.mp4", private_storage, low.file.name))
    else:
        members.append((f"{base}/LISEZMOI.txt", InlineFile(_without_video_readme(film)), ""))
    for track in video.text_tracks.all():
        members.append(
            (f"{base}/sous-titres/{base}.{track.language}.{track.kind}.vtt", private_storage, track.file.name)
        )
    shown_poster = film.shown_poster  # its own poster, else its video's poster frame, as everywhere
    if shown_poster is not None and shown_poster.file:
        poster = shown_poster.file
        members.append((f"{base}/affiche.{poster.name.rsplit('.', 1)[-1]}", poster.storage, poster.name))
    guides = filter_visible(GuidePage.objects.filter(related_films=film), requester).prefetch_related(
        "documents__document"
    )
    for guide in guides:
        if not can_download_guide(requester, guide):
            continue
        for link in guide.documents.all():
            document = link.document.file
            members.append(
                (
                    f"{base}/guides/{guide_file_name(guide, link, suffix=f'-{link.document.pk}')}",
                    document.storage,
                    document.name,
                )
            )
    # The bucket is asked before the answer starts: once a 200 is sent, an outage can only break the pack.
    first = next(((storage, name) for _arcname, storage, name in members if is_s3(storage)), None)
    refused = checked(request, *first) if first is not None else None
    if refused is not None:
        return refused
    check_downloads(requester.organisation)
    content = _logged_when_complete(stream_zip(members), lambda: _log(request, requester, film, "screening_pack"))
    response = StreamingHttpResponse(content, content_type="application/zip")
    response["Content-Disposition"] = content_disposition(f"{base}-dossier-projection.zip")
    response["Cache-Control"] = "private, no-store"
    return response


def _logged_when_complete(chunks, log):
    """`chunks`, then `log()` once the last one was taken by the server: a broken or abandoned pack is not logged."""
    yield from chunks
    log()


def _without_video_readme(film):
    """The text a pack without its film opens with, in the caller's language."""
    reason = _(
        "This pack does not hold the film itself: its rights holders do not allow it to be downloaded. "
        "The network's partners may screen it by streaming it from the catalogue."
    )
    return f"{film.title}\n\n{reason}\n".encode()


@guides_router.get(
    "/{guide_id}/download/",
    response=FILE_RESPONSES,
    auth=READ_AUTH,
    openapi_extra=READ_SECURITY,
    url_name="library_guide_download",
    operation_id="downloadGuide",
    summary="Download a guide document (anyone who may see the guide)",
)
def download_guide(request, guide_id: ItemId, document: ItemId):
    requester = requester_for(request)
    guide = (
        filter_visible(GuidePage.objects.all(), requester).filter(pk=guide_id).first()
        if guide_id <= 2**31 - 1
        else None
    )
    if guide is None:
        raise not_found()
    link = (
        guide.documents.select_related("document").filter(document_id=document).first()
        if document <= 2**31 - 1
        else None
    )
    if link is None:
        raise not_found()
    if not can_download_guide(requester, guide):
        raise not_found()
    file = link.document.file
    filename = guide_file_name(guide, link)
    # The public's reads are not recorded: the history and the bilan count partners' downloads.
    started = _counted(
        request, requester, guide, f"document:{link.document.pk}", log=requester.organisation is not None
    )
    return deliver(request, file.storage, file.name, filename, _content_type(filename), started=started)
