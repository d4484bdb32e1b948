"""The video admin: listing, chooser, upload screen, edit panel, text tracks, delete, publish guard."""

import re

import pytest

from django.contrib.messages import get_messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from django.urls import reverse

from wagtail import hooks
from wagtail.models import Collection

from library.assets.accessibility_flags import flags_for
from library.core.storage import private_storage
from library.models import FilmPage, ProcessingStatus, TextTrack, Video
from tests.factories import build_coordinations, build_home, make_film, make_video

pytestmark = pytest.mark.django_db

SRT = "1\n00:00:00,500 --> 00:00:01,500\nBonjour à toutes et à tous\n\n2\n00:00:02,000 --> 00:00:02,900\n[Musique]\n"


@pytest.fixture
def coordination(db):
    gamma = {"title": "Coordination Gamma", "slug": "gamma", "region": "Test"}
    _index, (coordination,) = build_coordinations(build_home(), gamma, revision=False, network=False)
    return coordination


@pytest.fixture
def video(root_collection):
    return make_video("Vidéo de test", data=b"not processed in these tests", uploaded=True, collection=root_collection)


@pytest.fixture
def film(coordination, video):
    film = make_film(coordination, "Film de Gamma", "internal", None, live=False)
    film.video = video
    film.save()
    return film


def test_listing_chooser_upload_and_edit_screens_render(editor_client, video):
    listing = editor_client.get(reverse("library_videos:index"))
    assert listing.status_code == 200
    assert "Vidéo de test" in listing.content.decode()
    filtered = editor_client.get(reverse("library_videos:index"), {"status": "ready"})
    assert "Vidéo de test" not in filtered.content.decode()
    assert editor_client.get(reverse("library_video_chooser:choose")).status_code == 200
    upload = editor_client.get(reverse("library_videos:add"))
    assert upload.status_code == 200
    assert b"library/js/uploader.js" in upload.content
    assert b"library-uploader-config" in upload.content
    edit = editor_client.get(reverse("library_videos:edit", args=[video.pk]))
    assert edit.status_code == 200
    assert b'data-video-status="pending"' in edit.content


def test_the_upload_screen_is_headed_by_its_own_title_and_sizes_read_in_french(editor_client, settings):
    settings.LIBRARY_MAX_UPLOAD_SIZE = {**settings.LIBRARY_MAX_UPLOAD_SIZE, "video": 20 * 1024**3}
    html = editor_client.get(reverse("library_videos:add")).content.decode()
    header = html[html.index("<header") : html.index("</header>")]
    assert "Envoyer des vidéos" in header  # not Wagtail's default trail, "Accueil" alone
    assert reverse("library_videos:index") in header
    assert re.search(r"Taille maximale\s*:\s*20,0\s*Gio\.", html)  # as filesizeformat writes sizes elsewhere


def test_publishing_a_film_waits_for_its_video(film, video, editor):
    request = RequestFactory().post("/")
    request.user = editor
    request._messages = CookieStorage(request)
    responses = [hook(request, film) for hook in hooks.get_hooks("before_publish_page")]
    refusals = [response for response in responses if response is not None]
    assert refusals and refusals[0].status_code == 302
    assert "avant que sa vidéo soit prête" in str(list(get_messages(request))[0])
    Video.objects.filter(pk=video.pk).update(status=ProcessingStatus.READY)
    assert all(hook(request, film) is None for hook in hooks.get_hooks("before_publish_page"))


def test_publish_through_the_admin_is_refused_until_ready(editor_client, film, video):
    url = reverse("wagtailadmin_pages:edit", args=[film.pk])
    form = editor_client.get(url).context["form"]
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if value is None:
            continue
        if hasattr(value, "pk"):
            value = value.pk
        if isinstance(value, list | tuple):
            value = [getattr(item, "pk", item) for item in value]
        data[form.add_prefix(name)] = value
    for formset in form.formsets.values():
        management = formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = management.initial.get(name, 0)
    data["video"] = video.pk
    data["action-publish"] = "action-publish"
    response = editor_client.post(url, data)
    assert response.status_code == 302
    film.refresh_from_db()
    assert not film.live
    Video.objects.filter(pk=video.pk).update(status=ProcessingStatus.READY)
    editor_client.post(url, data)
    film.refresh_from_db()
    assert film.live


def test_delete_is_blocked_while_a_page_uses_the_video(editor_client, film, video):
    url = reverse("library_videos:delete", args=[video.pk])
    page = editor_client.get(url)
    assert page.status_code == 200
    assert b"data-delete-blocked" in page.content
    assert "Film de Gamma" in page.content.decode()
    assert b"Yes, delete" not in page.content and b"Oui, supprimer" not in page.content
    response = editor_client.post(url)
    assert response.status_code == 302
    assert Video.objects.filter(pk=video.pk).exists()


def test_deleting_an_unused_video_removes_its_files_after_commit(
    editor_client, video, django_capture_on_commit_callbacks
):
    TextTrack.objects.create(video=video, language="fr", kind="subtitles", file=ContentFile(b"WEBVTT\n", "t.vtt"))
    names = [video.file.name, video.text_tracks.get().file.name]
    assert all(private_storage.exists(name) for name in names)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = editor_client.post(reverse("library_videos:delete", args=[video.pk]))
    assert response.status_code == 302
    assert not Video.objects.filter(pk=video.pk).exists()
    assert all(private_storage.exists(name) for name in names), "files stay until the transaction commits"
    for callback in callbacks:
        callback()
    assert not any(private_storage.exists(name) for name in names)


def test_the_tracks_page_shows_no_error_before_a_submit_nor_after_a_track_is_added(editor_client, video):
    url = reverse("library_videos:tracks", args=[video.pk])
    assert "Champ requis" not in editor_client.get(url).content.decode()
    added = editor_client.post(
        url,
        {"file": SimpleUploadedFile("sous-titres.srt", SRT.encode()), "language": "fr", "kind": "captions"},
        follow=True,
    )
    page = added.content.decode()
    assert "Piste de texte ajoutée" in page
    assert "Champ requis" not in page
    # The track's language by its name, as the form offers it.
    assert "<td data-track-language-name>Français</td>" in page


def test_text_tracks_srt_converted_errors_named_and_flags_follow(editor_client, film, video):
    url = reverse("library_videos:tracks", args=[video.pk])
    assert editor_client.get(url).status_code == 200
    response = editor_client.post(
        url,
        {"file": SimpleUploadedFile("sous-titres.srt", SRT.encode()), "language": "fr", "kind": "captions"},
    )
    assert response.status_code == 302, response.context["form"].errors if response.context else ""
    track = video.text_tracks.get()
    with track.file.open("rb") as stored:
        assert stored.read().decode().startswith("WEBVTT\n\n1\n00:00:00.500 --> 00:00:01.500\n")
    assert track.text == "Bonjour à toutes et à tous\n[Musique]"
    film.refresh_from_db()
    assert (film.has_captions, film.has_sdh, film.has_audio_description, film.has_sign_language) == (
        True,
        True,
        False,
        False,
    )

    bad = editor_client.post(
        url,
        {"file": SimpleUploadedFile("faux.vtt", b"WEBVTT\n\n00:01.000 -> 00:02.000\nx\n"), "language": "en"},
    )
    assert bad.status_code == 200
    assert "Ligne 3" in str(bad.context["form"].errors)
    html = editor_client.post(
        url, {"file": SimpleUploadedFile("page.vtt", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64), "language": "fr"}
    )
    assert html.status_code == 200 and html.context["form"].errors

    TextTrack.objects.create(video=video, language="fr", kind="descriptions", file=ContentFile(b"WEBVTT\n", "d.vtt"))
    signed = make_video("Version LSF", data=b"lsf", uploaded=True)
    video.sign_language_video = signed
    video.save()
    film.refresh_from_db()
    assert film.has_audio_description and film.has_sign_language

    editor_client.post(reverse("library_videos:delete_track", args=[video.pk, track.pk]))
    film.refresh_from_db()
    assert not film.has_sdh and not film.has_captions
    assert flags_for(None) == dict.fromkeys(
        ("has_captions", "has_sdh", "has_audio_description", "has_sign_language"), False
    )
    assert FilmPage.objects.filter(video=video).count() == 1


def audio_file(path):
    """Two seconds of AAC in an M4A container, written by PyAV."""
    from fractions import Fraction

    import av

    with av.open(str(path), "w", format="mp4") as output:
        stream = output.add_stream("aac", rate=48000)
        stream.layout = "mono"
        for start in range(0, 96000, 1024):
            frame = av.AudioFrame(format="s16", layout="mono", samples=1024)
            frame.planes[0].update(b"\x10\x00" * 1024)
            frame.sample_rate, frame.pts, frame.time_base = 48000, start, Fraction(1, 48000)
            for packet in stream.encode(frame):
                output.mux(packet)
        for packet in stream.encode():
            output.mux(packet)
    return path.read_bytes()


def test_audio_description_version_sets_the_flag(editor_client, film, video, tmp_path):
    url = reverse("library_videos:tracks", args=[video.pk])
    refused = editor_client.post(url, {"audio": SimpleUploadedFile("ad.mp3", b"<html>not audio</html>")})
    assert refused.status_code == 200 and refused.context["audio_form"].errors
    response = editor_client.post(
        url, {"audio": SimpleUploadedFile("description.m4a", audio_file(tmp_path / "ad.m4a"))}
    )
    assert response.status_code == 302
    rendition = video.renditions.get(name="audio_description")
    assert rendition.file.name == f"videos/{video.storage_prefix}/audio_description.m4a"
    film.refresh_from_db()
    assert film.has_audio_description
    assert b"data-audio-description" in editor_client.get(url).content


def test_the_national_collection_is_named_in_french(editor_client):
    """Wagtail names its root collection "Root"; here it is the national media library, offered in every upload."""
    root = Collection.get_first_root_node()
    assert root.name == "Médiathèque nationale"
    assert "Médiathèque nationale" in editor_client.get(reverse("library_videos:add")).content.decode()
