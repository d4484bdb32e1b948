"""`manage.py backup` and `restore` against PostgreSQL and the S3 server: everything comes back, by hash.

The restore runs `pg_restore` on the database Django is connected to, which under pytest-django is the
test database (`test_...`); every test checks that name before restoring.
"""

import hashlib
import shutil
import sqlite3
import uuid

import pytest

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import override_settings

from wagtail.images import get_image_model
from wagtail.models import Page

from cms.backups import database, files
from cms.backups.manifest import HashingWriter
from library.core.tiers import ConsentScope, Tier
from library.models import (
    ConsentForm,
    ConsentRecord,
    DownloadEvent,
    FilmPage,
    GuideDocument,
    GuidePage,
    ListingCard,
    ListingEntry,
    TextTrack,
    Video,
    VideoRendition,
)
from tests.factories import (
    build_coordinations,
    build_home,
    make_consent,
    make_film,
    make_guide,
    make_image,
    make_pdf,
    make_video,
)
from tests.faults import TCPProxy
from tests.media import pdf_bytes

#: Every model whose rows must come back, compared field by field.
MODELS = (
    Page,
    FilmPage,
    GuidePage,
    Video,
    VideoRendition,
    TextTrack,
    ConsentRecord,
    ConsentForm,
    DownloadEvent,
    GuideDocument,
    ListingEntry,
    ListingCard,
)


def _rows():
    models = (*MODELS, get_image_model(), get_image_model().get_rendition_model())
    return {model._meta.label: list(model.objects.order_by("pk").values()) for model in models}


@pytest.fixture
def own_bucket(s3_server, settings):
    """A bucket of the test's own for both storages: the backup copies it whole, and the test empties it.

    The session's bucket holds every file the suite made so far: copying it would
    grow with the suite, and emptying it would take other tests' files away.
    """
    name = f"backup-test-{uuid.uuid4().hex[:8]}"
    s3_server.client().create_bucket(Bucket=name)
    storages = s3_server.storage_settings(settings.STORAGES)
    for alias in ("default", "private"):
        storages[alias]["OPTIONS"]["bucket_name"] = name
    settings.STORAGES = storages
    yield name
    _empty_bucket(s3_server, name)
    s3_server.client().delete_bucket(Bucket=name)


def _bucket(s3_server, bucket):
    """Every object of the bucket: key -> (sha256, content type)."""
    client = s3_server.client()
    objects = {}
    for key in s3_server.list_keys(bucket=bucket):
        answer = client.get_object(Bucket=bucket, Key=key)
        digest = hashlib.sha256()
        for chunk in answer["Body"].iter_chunks(65536):
            digest.update(chunk)
        objects[key] = (digest.hexdigest(), answer["ContentType"])
    return objects


def _empty_bucket(s3_server, bucket):
    client = s3_server.client()
    for key in s3_server.list_keys(bucket=bucket):
        client.delete_object(Bucket=bucket, Key=key)
    assert s3_server.list_keys(bucket=bucket) == []


def _assert_test_database():
    assert connection.settings_dict["NAME"].startswith("test_"), connection.settings_dict["NAME"]


@pytest.fixture
def catalogue(own_bucket):
    """A film with a poster, a video with renditions and a track, a consent with its form, a guide with a PDF."""
    home = build_home()
    _index, (coordination, _other) = build_coordinations(home, network=False)
    consent = make_consent(coordination, ConsentScope.PUBLIC, label="Autorisation atelier 2024")
    form = ConsentForm.objects.create(record=consent, file=ContentFile(pdf_bytes(), name="formulaire-signe.pdf"))
    poster = make_image("Affiche atelier", named_renditions=True)
    video = make_video("Atelier vidéo", poster=poster, renditions=("720p", "360p"), tracks=("fr",))
    film = make_film(coordination, "Le film de l'atelier", Tier.PUBLIC, consent, video=video, poster=poster)
    document = make_pdf("Guide pédagogique")
    guide = make_guide(coordination, "Guide de l'atelier", Tier.PUBLIC, document=document, films=[film])
    event = DownloadEvent.objects.create(
        page=film, coordination=coordination, item_title=film.title, rendition="720p", ip_hash="0" * 32
    )
    return {"film": film, "video": video, "form": form, "guide": guide, "document": document, "event": event}


@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_every_row_and_every_file_by_hash(catalogue, own_bucket, s3_server, tmp_path, capsys):
    video = catalogue["video"]
    stored_names = [
        f"private/{video.file.name}",
        *(f"private/{rendition.file.name}" for rendition in video.renditions.all()),
        *(f"private/{track.file.name}" for track in video.text_tracks.all()),
        f"private/{catalogue['form'].file.name}",
        f"private/{catalogue['document'].file.name}",
        f"media/{video.poster.file.name}",
    ]
    assert ListingEntry.objects.filter(page=catalogue["film"]).exists()
    rows, objects = _rows(), _bucket(s3_server, own_bucket)
    assert set(stored_names) <= set(objects), "every file a row names is in the bucket"
    assert len(rows["library.VideoRendition"]) == 2 and len(rows["library.TextTrack"]) == 1

    call_command("backup", str(tmp_path / "backup"))
    assert (tmp_path / "backup" / "manifest.json").is_file()
    output = capsys.readouterr().out
    assert "Every file the rows name is in the backup." in output and "Backup written to" in output

    _assert_test_database()
    call_command("flush", interactive=False, inhibit_post_migrate=True, reset_sequences=False)
    _empty_bucket(s3_server, own_bucket)
    assert Page.objects.count() == 0 and FilmPage.objects.count() == 0 and DownloadEvent.objects.count() == 0

    call_command("restore", str(tmp_path / "backup"), interactive=False)
    output = capsys.readouterr().out
    assert f"{len(objects) + 1} files match the manifest" in output  # the bucket's objects and the dump
    assert "Caches cleared.\nEvery file the rows name is in the backup." in output

    assert _rows() == rows
    assert _bucket(s3_server, own_bucket) == objects
    film = FilmPage.objects.get(pk=catalogue["film"].pk)
    assert film.video.renditions.count() == 2 and film.consent.forms.count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_damaged_backup_is_refused_before_anything_changes(catalogue, own_bucket, s3_server, tmp_path, capsys):
    lost = catalogue["video"].renditions.get(name="360p").file.name
    s3_server.client().delete_object(Bucket=own_bucket, Key=f"private/{lost}")
    call_command("backup", str(tmp_path / "backup"))
    assert f"Warning: 1 file(s) named by rows are not in the backup: private:{lost}." in capsys.readouterr().out
    track = catalogue["video"].text_tracks.get()
    copy = tmp_path / "backup" / "files" / "private" / track.file.name
    copy.write_bytes(copy.read_bytes().replace(b"Bonjour", b"Bonsoir"))
    track.delete()
    objects = _bucket(s3_server, own_bucket)

    _assert_test_database()
    with pytest.raises(CommandError, match=rf"damaged; nothing was restored.\n  private:{track.file.name} differs"):
        call_command("restore", str(tmp_path / "backup"), interactive=False)
    assert not TextTrack.objects.exists()
    assert _bucket(s3_server, own_bucket) == objects


@pytest.mark.django_db(transaction=True)
def test_an_interrupted_backup_has_no_manifest_and_is_refused(catalogue, own_bucket, s3_server, tmp_path):
    with TCPProxy("127.0.0.1", s3_server.port) as proxy:
        proxy.kill()
        storages = s3_server.storage_settings({})
        for alias in storages:
            storages[alias]["OPTIONS"]["endpoint_url"] = f"http://{proxy.address}"
            storages[alias]["OPTIONS"]["bucket_name"] = own_bucket
        with (
            override_settings(STORAGES=storages),
            pytest.raises(CommandError, match="stopped while copying storage default"),
        ):
            call_command("backup", str(tmp_path / "backup"))
    assert (tmp_path / "backup" / "database.dump").is_file(), "the database was dumped before the files"
    assert not (tmp_path / "backup" / "manifest.json").exists()

    _assert_test_database()
    with pytest.raises(CommandError, match="has no manifest.json: the backup did not finish"):
        call_command("restore", str(tmp_path / "backup"), interactive=False)
    assert FilmPage.objects.filter(pk=catalogue["film"].pk).exists()


def test_backup_refuses_a_directory_that_is_not_empty(tmp_path):
    (tmp_path / "earlier.dump").write_bytes(b"...")
    with pytest.raises(CommandError, match="is not an empty directory"):
        call_command("backup", str(tmp_path))
    assert [path.name for path in tmp_path.iterdir()] == ["earlier.dump"]


def test_local_disk_files_are_copied_by_name_and_put_back(tmp_path):
    local = {
        alias: {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path / alias}}
        for alias in ("default", "private")
    }
    with override_settings(STORAGES=local):
        storages["private"].save("consents/1/formulaire.pdf", ContentFile(pdf_bytes()))
        storages["private"].save("videos/2/master.mp4", ContentFile(b"master" * 1000))
        entries, vanished = files.back_up("private", tmp_path / "backup" / "private")
        assert [entry["key"] for entry in entries] == ["consents/1/formulaire.pdf", "videos/2/master.mp4"]
        assert entries[0]["sha256"] == hashlib.sha256(pdf_bytes()).hexdigest()
        assert vanished == [] and files.back_up("default", tmp_path / "backup" / "default") == ([], [])

        shutil.rmtree(tmp_path / "private")
        files.restore("private", tmp_path / "backup" / "private", entries)
        assert (tmp_path / "private" / "consents" / "1" / "formulaire.pdf").read_bytes() == pdf_bytes()
        assert (tmp_path / "private" / "videos" / "2" / "master.mp4").read_bytes() == b"master" * 1000


@pytest.mark.parametrize("alias", ["private", "local"])
def test_a_file_deleted_after_its_listing_is_reported_not_fatal(alias, tmp_path):
    """The site runs during a backup: a file listed and then deleted is skipped, and said so."""
    local = {"local": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path}}}
    with override_settings(STORAGES={**settings.STORAGES, **local}):
        with HashingWriter(tmp_path / "copy") as writer:
            assert files._download(storages[alias], "videos/0/deleted.mp4", writer) is files._VANISHED
        assert writer.size == 0


@pytest.mark.parametrize("name", ["../escape.pdf", "/etc/passwd", "videos/../../escape", "videos//x", ""])
def test_a_file_name_that_would_leave_the_backup_is_refused(tmp_path, name):
    with pytest.raises(CommandError, match="not a plain relative path"):
        files.local_path(tmp_path, name)


def test_sqlite_is_copied_with_its_backup_api_and_put_back(tmp_path):
    path = tmp_path / "site.sqlite3"
    with sqlite3.connect(path) as site:
        site.execute("CREATE TABLE film (title TEXT)")
        site.execute("INSERT INTO film VALUES ('Le film de l''atelier')")
    settings_dict = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(path)}
    (tmp_path / "backup").mkdir()
    dumped = database.dump(settings_dict, tmp_path / "backup")
    assert dumped["engine"] == "sqlite"
    with sqlite3.connect(path) as site:
        site.execute("DELETE FROM film")

    database.restore(settings_dict, tmp_path / "backup" / dumped["file"], "sqlite")
    with sqlite3.connect(path) as site:
        assert site.execute("SELECT title FROM film").fetchall() == [("Le film de l'atelier",)]
    with pytest.raises(CommandError, match="holds a postgresql database; the site runs on sqlite"):
        database.restore(settings_dict, tmp_path / "backup" / dumped["file"], "postgresql")


def test_postgresql_tools_get_the_password_from_the_environment_and_no_statement_timeout():
    environment = database._environment(
        {
            "NAME": "cms",
            "USER": "passeurs",
            "PASSWORD": "mot-de-passe",
            "HOST": "db.internal",
            "PORT": 5433,
            "OPTIONS": {"sslmode": "require", "options": "-c statement_timeout=15000"},
        }
    )
    assert environment["PGPASSWORD"] == "mot-de-passe"
    assert (environment["PGHOST"], environment["PGPORT"], environment["PGDATABASE"]) == ("db.internal", "5433", "cms")
    assert environment["PGSSLMODE"] == "require"
    assert "PGOPTIONS" not in environment or "statement_timeout" not in environment["PGOPTIONS"]
