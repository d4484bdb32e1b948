"""What the video's edit page shows above its form: the 360p player, the text tracks, the films using it.

The player's source is `play`, an admin view that checks the editor's
permission on the video's collection, then answers as the API's stream
does (`library.core.ranged`): a short-lived signed URL on S3, a ranged
stream on local disk. The page never asks for a rendition to be made: a
video whose 360p rendition is not there yet says so, with its processing
state, and processing runs in the background as always.

The player carries the video's text tracks as `<track>` elements, French
first and on by default. Their files come through `track_file`, which checks
the same permission and answers the WebVTT text itself: a track is small, and
a track fetched from another origin (the S3 bucket) would need CORS.

The page describes each rendition as what it is: a picture size for a video,
a format and duration for the audio-description audio file.
"""

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from library.access.admin_visibility import may_see_page
from library.admin.collection_scope import get_permitted_object
from library.admin.film_from_video import create_film_url
from library.core.ranged import deliver
from library.core.storage import private_storage
from library.models import ProcessingStatus, TextTrack, Video, VideoRendition
from library.models.choices import LANGUAGE_CHOICES
from library.models.renditions import serialize_image

PLAYED = VideoRendition.Name.LOW_360P
#: The poster's named renditions, the first that exists is shown (the player is 640 pixels wide at most).
POSTER_NAMES = ("card", "thumbnail")


def played_rendition(video):
    return next((r for r in video.renditions.all() if r.name == PLAYED and r.file), None)


def play(request, pk):
    """The video's 360p rendition, for the editors who may change the video."""
    video = get_permitted_object(request, Video, pk, ["change"])
    rendition = played_rendition(video)
    if rendition is None:
        raise Http404(_("This video has no 360p version yet."))
    filename = f"{video.title}-{PLAYED}.mp4"
    return deliver(request, private_storage, rendition.file.name, filename, "video/mp4", attachment=False)


def track_file(request, pk, track_id):
    """A text track of the video, as WebVTT, for the editors who may change the video."""
    video = get_permitted_object(request, Video, pk, ["change"])
    track = get_object_or_404(TextTrack, pk=track_id, video=video)
    with track.file.open("rb") as handle:
        response = HttpResponse(handle.read(), content_type="text/vtt; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    return response


def player_tracks(video):
    """The `<track>` elements' attributes: French first, the first French subtitles or captions on by default."""
    names = dict(LANGUAGE_CHOICES)
    default_language = settings.LANGUAGE_CODE.split("-")[0]
    tracks = sorted(video.text_tracks.all(), key=lambda track: track.language != default_language)
    rows, chosen = [], False
    for track in tracks:
        shown = track.kind in (TextTrack.Kind.SUBTITLES, TextTrack.Kind.CAPTIONS)
        default = shown and not chosen and track.language == default_language
        chosen = chosen or default
        rows.append(
            {
                "src": reverse("library_videos:track_file", args=[video.pk, track.pk]),
                "kind": track.kind,
                "srclang": track.language,
                "label": track.label or names.get(track.language, track.language),
                "default": default,
            }
        )
    return rows


def rendition_rows(video):
    """Each rendition in words: "Web 720p — 1280×720, 4,2 Mio", "Audiodescription — audio MP3, 0:52, 800 Kio"."""
    rows = []
    order = list(VideoRendition.Name.values)  # the video renditions, largest first, then the audio
    renditions = sorted(
        video.renditions.all(),
        key=lambda r: (-(r.height or 0), order.index(r.name) if r.name in order else len(order)),
    )
    for rendition in renditions:
        if rendition.name == VideoRendition.Name.AUDIO_DESCRIPTION or not rendition.width:
            extension = rendition.file.name.rsplit(".", 1)[-1].upper() if "." in rendition.file.name else ""
            parts = [_("audio %(format)s") % {"format": extension} if extension else _("audio")]
            if rendition.duration:
                parts.append(format_seconds(rendition.duration))
        else:
            parts = [f"{rendition.width}×{rendition.height}"]
        if rendition.file_size:
            parts.append(filesizeformat(rendition.file_size))
        rows.append({"name": rendition.get_name_display(), "description": ", ".join(str(part) for part in parts)})
    return rows


def format_seconds(seconds):
    minutes, seconds = divmod(round(seconds), 60)
    return f"{minutes}:{seconds:02d}"


def picture(video):
    """The master's picture: "1920×1080, h264 / aac", with only the parts the probe found."""
    if not video.width:
        return ""
    codecs = " / ".join(codec for codec in (video.video_codec, video.audio_codec) if codec)
    size = f"{video.width}×{video.height}"
    return f"{size}, {codecs}" if codecs else size


def poster_url(video):
    """The URL of an existing named rendition of the video's poster, or "" (none is made here)."""
    if video.poster is None:
        return ""
    renditions = serialize_image(video.poster, names=POSTER_NAMES)["renditions"]
    shown = next((renditions[name] for name in POSTER_NAMES if name in renditions), None)
    return shown["url"] if shown else ""


def pending_message(video):
    if video.status == ProcessingStatus.FAILED:
        return _("The 360p version could not be made: processing failed.")
    if video.status == ProcessingStatus.READY:
        # A ready video whose 360p file is gone (deleted from storage, or left out by an import).
        return _("This video has no 360p version; upload its master again to make one.")
    return _("The 360p version is not ready yet (processing state: %(state)s); the player will appear here.") % {
        "state": video.get_status_display()
    }


def track_rows(video):
    """The video's text tracks as the page lists them: language named in French, kind in words, label."""
    names = dict(LANGUAGE_CHOICES)
    return [
        {"language": names.get(track.language, track.language), "kind": track.get_kind_display(), "label": track.label}
        for track in video.text_tracks.all()
    ]


def films_using(video, user, pages):
    """The pages using the video that the editor may see, each with its edit URL."""
    return [
        {"title": page.get_admin_display_title(), "url": reverse("wagtailadmin_pages:edit", args=[page.pk])}
        for page in pages
        if may_see_page(user, page)
    ]


def context(video, request, pages):
    """The template's `player` block: source and poster, or the message saying why there is none."""
    rendition = played_rendition(video)
    return {
        "player": {
            "src": reverse("library_videos:play", args=[video.pk]) if rendition else "",
            "poster": poster_url(video),
            "width": rendition.width if rendition else None,
            "height": rendition.height if rendition else None,
            "pending": "" if rendition else pending_message(video),
        },
        "track_rows": track_rows(video),
        "player_tracks": player_tracks(video) if rendition else [],
        "rendition_rows": rendition_rows(video),
        "picture": picture(video),
        "films_using": films_using(video, request.user, pages),
        "create_film_url": create_film_url(video, request.user),
    }
