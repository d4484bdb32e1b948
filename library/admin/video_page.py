"""What the video's edit page shows above its form: the 360p player, the text tracks, the films using it.

The player's source is `play`, an admin view that checks the editor's
permission on the video's collection, then answers as the API's stream
does (`library.core.ranged`): a short-lived signed URL on S3, a ranged
stream on local disk. The page never asks for a rendition to be made: a
video whose 360p rendition is not there yet says so, with its processing
state, and processing runs in the background as always.
"""

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from library.access.admin_visibility import may_see_page
from library.admin.collection_scope import get_permitted_object
from library.admin.film_from_video import create_film_url
from library.core.ranged import deliver
from library.core.storage import private_storage
from library.models import ProcessingStatus, Video, VideoRendition
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
        "films_using": films_using(video, request.user, pages),
        "create_film_url": create_film_url(video, request.user),
    }
