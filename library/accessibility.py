"""A film's accessibility flags, derived from its video's tracks and versions.

`FilmPage.has_captions` / `has_sdh` / `has_audio_description` /
`has_sign_language` are columns (so listings and the API filter on them)
but nobody edits them: they follow the video. They are recomputed when a
track is added or removed, when a video's renditions or sign-language
version change, and when a film is saved (it may point at another video).

- subtitles: a `subtitles` or `captions` track
- SDH: a `captions` track (captions for the deaf and hard of hearing)
- audio description: a `descriptions` track or an audio-description rendition
- sign language: a sign-language version attached to the video
"""

from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from library.models import FilmPage, TextTrack, Video, VideoRendition

FLAGS = ("has_captions", "has_sdh", "has_audio_description", "has_sign_language")


def flags_for(video):
    if video is None:
        return dict.fromkeys(FLAGS, False)
    kinds = set(video.text_tracks.values_list("kind", flat=True))
    return {
        "has_captions": bool(kinds & {TextTrack.Kind.SUBTITLES, TextTrack.Kind.CAPTIONS}),
        "has_sdh": TextTrack.Kind.CAPTIONS in kinds,
        "has_audio_description": TextTrack.Kind.DESCRIPTIONS in kinds
        or video.renditions.filter(name=VideoRendition.Name.AUDIO_DESCRIPTION).exists(),
        "has_sign_language": video.sign_language_video_id is not None,
    }


def update_films_of(video):
    """Write the flags on every film using the video (one UPDATE, whatever the count)."""
    if video is None or video.pk is None:
        return 0
    from library.listing.triggers import refresh_after_commit

    films = FilmPage.objects.filter(video=video)
    refresh_after_commit(films.values_list("pk", flat=True))
    return films.update(**flags_for(video))


@receiver(pre_save, sender=FilmPage)
def film_flags_follow_video(sender, instance, raw=False, **kwargs):
    if raw:
        return
    for name, value in flags_for(instance.video if instance.video_id else None).items():
        setattr(instance, name, value)


@receiver(post_save, sender=TextTrack)
@receiver(post_delete, sender=TextTrack)
@receiver(post_save, sender=VideoRendition)
@receiver(post_delete, sender=VideoRendition)
def track_changed(sender, instance, **kwargs):
    video = Video.objects.filter(pk=instance.video_id).first()
    update_films_of(video)


@receiver(post_save, sender=Video)
def video_saved(sender, instance, created=False, raw=False, **kwargs):
    if not created and not raw:
        update_films_of(instance)
