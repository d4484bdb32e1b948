"""Write checked rows: create or update each film, its consent record and its files.

A film is found by `legacy_id` in the default language, so a second run
updates what the first created. Unchanged rows save nothing (no empty
revision). Files go through the storage API (local disk or S3 alike), are
streamed from disk, and are reused when the film already holds the same file
(same hash for posters, same name and size for videos). Stored files are
remembered so a rolled-back import can delete them: no orphan file stays.
"""

from django.core.files import File
from django.db import transaction

from wagtail.images import get_image_model
from wagtail.models import Locale
from wagtail.utils.file import hash_filelike

from library.access.network import coordination_collection
from library.core.tiers import ConsentScope
from library.models import ConsentRecord, FilmPage, Video
from library.models.films import WORKSHOP_FIELDS
from library.models.publishing import publish_when_ready

SCALAR_FIELDS = (
    "title",
    "synopsis",
    "easy_read_summary",
    "year",
    "genre",
    "action_type",
    *WORKSHOP_FIELDS,
    "credits",
    "licence",
    "spoken_languages",
    "access_tier",
)


def file_hash(path):
    """The hash Wagtail stores in `file_hash` for images, computed by streaming the file."""
    with open(path, "rb") as handle:
        return hash_filelike(handle)


class Writer:
    def __init__(self, dry_run=False):
        self.dry_run = dry_run
        self.locale = Locale.get_default()
        self.stored_files = []  # (storage, name) saved by this run, deleted on rollback
        self.videos_to_process = []

    def existing(self, legacy_id):
        return FilmPage.objects.filter(locale=self.locale, legacy_id=legacy_id).first()

    def write(self, row):
        """Create or update the row's film; return "created", "updated" or "unchanged"."""
        values = row.values
        parent = values["coordination"]
        page = self.existing(row.legacy_id)
        created = page is None
        if created:
            film = FilmPage(legacy_id=row.legacy_id, locale=self.locale, slug=self._slug(values), live=False)
            before = None
        else:
            if page.get_parent().pk != parent.pk:
                page.move(parent, pos="last-child")
                page = FilmPage.objects.get(pk=page.pk)
            film = page.get_latest_revision_as_object() if page.has_unpublished_changes else page
            before = self._snapshot(film)
        for name in SCALAR_FIELDS:
            setattr(film, name, values[name])
        if values.get("download_allowed") is not None:
            film.download_allowed = values["download_allowed"]
        film.coordination = parent
        film.consent = self._consent(film, values, row)
        film.themes = [term for term in values["themes"] if term]
        film.audiences = [term for term in values["audiences"] if term]
        if not self.dry_run:
            if values["poster"]:
                film.poster = self._poster(film, values["poster"], parent)
            if values["video"]:
                film.video = self._video(film, values["video"], parent)
        if created:
            parent.add_child(instance=film)
        elif before == self._snapshot(film) and (film.live or not values["published"] or film.approved_schedule):
            return "unchanged"
        film.full_clean()
        revision = film.save_revision()
        if values["published"]:
            publish_when_ready(revision)  # a film whose video is still processing goes live once it is ready
        return "created" if created else "updated"

    def _slug(self, values):
        from django.utils.text import slugify

        base = slugify(values["title"])[:200] or "film"
        slug, n = base, 2
        siblings = set(FilmPage.objects.child_of(values["coordination"]).values_list("slug", flat=True))
        while slug in siblings:
            slug, n = f"{base}-{n}", n + 1
        return slug

    @staticmethod
    def _snapshot(film):
        data = {name: getattr(film, name) for name in SCALAR_FIELDS}
        data["download_allowed"] = film.download_allowed
        data["coordination"] = film.coordination_id
        data["consent"] = (
            (film.consent.scope, film.consent.granted_on, film.consent.expires_on) if film.consent_id else None
        )
        data["themes"] = sorted(term.pk for term in film.themes.all())
        data["audiences"] = sorted(term.pk for term in film.audiences.all())
        data["poster"] = film.poster_id
        data["video"] = film.video_id
        return data

    def _consent(self, film, values, row):
        """The film's consent record, created or brought in line with the row."""
        scope = values["consent_scope"]
        record = film.consent if film.consent_id else None
        if record is None and scope == ConsentScope.NONE and not values["consent_granted_on"]:
            return None  # no authorisation recorded: the film awaits consent, no empty record is made
        wanted = (scope, values["consent_granted_on"], values["consent_expires_on"])
        if record is not None and (record.scope, record.granted_on, record.expires_on) == wanted:
            return record
        if record is None:
            record = ConsentRecord(
                label=f"{values['title']} – {values['year']}"[:255], coordination=values["coordination"]
            )
        record.scope, record.granted_on, record.expires_on = wanted
        record.notes = record.notes or f"Importé du catalogue (identifiant {row.legacy_id})."
        record.full_clean()
        record.save()
        return record

    def _poster(self, film, path, coordination):
        digest = file_hash(path)
        if film.poster_id and film.poster.file_hash == digest:
            return film.poster
        image_model = get_image_model()
        existing = image_model.objects.filter(file_hash=digest).first()
        if existing is not None:
            return existing
        with open(path, "rb") as handle:
            image = image_model(
                title=f"Affiche – {film.title}"[:255],
                file=File(handle, name=path.name),
                collection=coordination_collection(coordination),
            )
            image._set_image_file_metadata()
            image.save()
        self.stored_files.append((image.file.storage, image.file.name))
        return image

    def _video(self, film, path, coordination):
        size = path.stat().st_size
        if film.video_id and film.video.original_filename == path.name and film.video.file_size == size:
            return film.video
        with open(path, "rb") as handle:
            video = Video(
                title=film.title,
                original_filename=path.name,
                file_size=size,
                collection=coordination_collection(coordination),
            )
            video.file.save(path.name, File(handle), save=False)
            self.stored_files.append((video.file.storage, video.file.name))
            video.save()
        self.videos_to_process.append(video.pk)
        return video

    def discard_files(self):
        """Delete what this run stored: called when its transaction is rolled back."""
        for storage, name in self.stored_files:
            storage.delete(name)
        self.stored_files = []

    def after_commit(self):
        """Start processing the imported videos, once their rows are committed."""
        from library.assets.processing.videos import schedule_video_processing

        for video_id in self.videos_to_process:
            transaction.on_commit(lambda video_id=video_id: schedule_video_processing(video_id))
