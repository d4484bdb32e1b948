"""A film's accessibility flags, derived from its video's tracks and versions.

`FilmPage.has_captions` / `has_sdh` / `has_audio_description` /
`has_sign_language` are columns (so listings and the API filter on them)
but nobody edits them: they follow the video. They are recomputed when a
track is added or removed, when a video's renditions or sign-language
version change, and when a film is saved (it may point at another video):
`library.receivers` calls these functions on those events.

- subtitles: a `subtitles` or `captions` track
- SDH: a `captions` track (captions for the deaf and hard of hearing)
- audio description: a `descriptions` track or an audio-description rendition
- sign language: a sign-language version attached to the video
"""

from library.models import FilmPage, TextTrack, VideoRendition

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
    """Write the flags on every film using the video (one UPDATE, whatever the count); their ids."""
    if video is None or video.pk is None:
        return []
    films = FilmPage.objects.filter(video=video)
    film_ids = list(films.values_list("pk", flat=True))
    films.update(**flags_for(video))
    return film_ids


def apply_to_film(film):
    """Set a film's flags from its video before it is saved (it may point at another video)."""
    for name, value in flags_for(film.video if film.video_id else None).items():
        setattr(film, name, value)
