"""Demo step: a playable video for every public and network film, with its captions and versions.

Nothing binary is committed. A handful of clips (a few seconds of test
pattern and tone written by PyAV, small enough that both renditions keep
their size) are generated once per run and reused: each film still gets its
own video, stored and processed like an upload (renditions, poster), because
processing such a clip takes well under a second while a video per film is
what editors and the API see. The cues of each film come from
`catalogue.toml`: French captions for the deaf and hard of hearing and
English subtitles. The films marked so get an audio-description
version (an audio file, as editors upload one) or a sign-language version
(a video of its own, attached to the film's). The English translation of a
film is synchronised from the French one, so it shows the same video.

Idempotent: a film that already has a video is left alone.
"""

import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.core.files import File
from django.db import transaction

from wagtail.models import Locale

from library.access.network import coordination_collection
from library.admin.tracks import save_audio_description, save_track
from library.assets.media.generate import make_test_audio, make_test_video
from library.assets.media.tracks import cues_to_vtt, parse_track
from library.assets.processing.videos import process_video
from library.demo.records import demo_films, english_table
from library.demo.translation import update_translation
from library.models import FilmPage, TextTrack, Video

SECONDS = 4
WIDTH, HEIGHT = 320, 180
TONES = (330.0, 440.0, 550.0)  # one clip per tone, shared by the films in turn
DESCRIPTION_TONE = 220.0
CAPTIONS_LABEL = "Français (SME)"
SUBTITLES_LABEL = "English"


@dataclass(frozen=True)
class Clips:
    """The generated files, one of each kind, reused by every film."""

    films: tuple[Path, ...]
    sign_language: Path
    audio_description: Path


def make_clips(directory):
    directory = Path(directory)
    films = tuple(
        make_test_video(directory / f"clip-{index}.mp4", seconds=SECONDS, width=WIDTH, height=HEIGHT, tone=tone)
        for index, tone in enumerate(TONES)
    )
    # The sign-language version is a picture of its own: narrower, and silent.
    sign_language = make_test_video(directory / "lsf.mp4", seconds=SECONDS, width=240, height=180, tone=0)
    description = make_test_audio(directory / "description.m4a", seconds=SECONDS, tone=DESCRIPTION_TONE)
    return Clips(films=films, sign_language=sign_language, audio_description=description)


def processed_video(title, slug, source, collection):
    """A video made from `source` the way an upload is: stored as a master, then processed."""
    video = Video(title=title, original_filename=f"{slug}.mp4")
    if collection is not None:
        video.collection = collection
    with open(source, "rb") as handle:
        video.file_size = Path(source).stat().st_size
        video.file.save("master.mp4", File(handle), save=False)
        video.save()
    process_video.call(video.pk)
    video.refresh_from_db()
    return video


def add_tracks(video, cues):
    french = [(cue.start, cue.end, cue.fr) for cue in cues]
    english = [(cue.start, cue.end, cue.en) for cue in cues if cue.en]
    save_track(
        video, parse_track(cues_to_vtt(french)), language="fr", kind=TextTrack.Kind.CAPTIONS, label=CAPTIONS_LABEL
    )
    save_track(
        video, parse_track(cues_to_vtt(english)), language="en", kind=TextTrack.Kind.SUBTITLES, label=SUBTITLES_LABEL
    )


def add_video(film, spec, clip, clips):
    collection = coordination_collection(film.coordination) if film.coordination_id else None
    video = processed_video(film.title, film.slug, clip, collection)
    add_tracks(video, spec.captions)
    if spec.audio_description:
        with open(clips.audio_description, "rb") as handle:
            save_audio_description(video, File(handle, name=f"{film.slug}-audiodescription.m4a"))
    if spec.sign_language:
        title = f"{film.title} (LSF)"
        video.sign_language_video = processed_video(title, f"{film.slug}-lsf", clips.sign_language, collection)
        video.save(update_fields=["sign_language_video"])
    film.video = video
    film.save_revision().publish()
    return video


def films_without_video():
    """The live French films the catalogue gives captions, in catalogue order, with their entries."""
    specs = {(spec.coordination, spec.title.fr): spec for spec in demo_films() if spec.captions}
    films = (
        FilmPage.objects.live()
        .filter(locale__language_code="fr", video__isnull=True)
        .select_related("coordination")
        .order_by("pk")
    )
    for film in films:
        spec = specs.get((film.coordination.slug if film.coordination_id else None, film.title))
        if spec is not None:
            yield film, spec


def build_videos(stdout):
    english = Locale.objects.filter(language_code="en").first()
    table = english_table()
    count = versions = 0
    with tempfile.TemporaryDirectory(prefix="demo-videos-") as directory:
        clips = None
        for index, (film, spec) in enumerate(films_without_video()):
            clips = clips or make_clips(directory)
            with transaction.atomic():
                add_video(film, spec, clips.films[index % len(clips.films)], clips)
                if english is not None and film.has_translation(english):
                    update_translation(film, english, table)
            count += 1
            versions += spec.audio_description + spec.sign_language
    stdout.write(f"Videos: {count} films with French captions and English subtitles, {versions} accessible versions.")
