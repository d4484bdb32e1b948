"""The video's admin page: its 360p player, its text tracks, the films using it, and "Créer un film avec cette vidéo"."""

import html
import re
from urllib.parse import urlsplit

import pytest

from django.urls import reverse

from library.access.network import coordination_collection
from library.models import ProcessingStatus, VideoRendition
from library.models.renditions import NAMED_RENDITIONS
from tests.factories import make_film, make_image, make_track, make_video
from tests.library.network import build_network

pytestmark = pytest.mark.django_db


@pytest.fixture
def network():
    return build_network(with_items=False)


@pytest.fixture
def video(network):
    collection = coordination_collection(network.coord_a)
    frame = make_image("Image du film", collection=collection, size=(1600, 900), named_renditions=True)
    video = make_video(
        "Atelier au collège", collection=collection, poster=frame, renditions=("720p", "360p"), tracks=("fr",)
    )
    make_track(video, "en", kind="captions", label="English")
    return video


def edit_page(client, user, video):
    client.force_login(user)
    response = client.get(reverse("library_videos:edit", args=[video.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_a_ready_video_plays_its_360p_rendition_with_its_poster(client, network, video):
    body = edit_page(client, network.users["editor_a"], video)
    play_url = reverse("library_videos:play", args=[video.pk])
    player = re.search(r"<video[^>]*data-video-player[^>]*>", body)
    assert player, body
    assert f'src="{play_url}"' in player[0]
    card = video.poster.renditions.get(filter_spec=NAMED_RENDITIONS["card"])
    assert card.file.name in html.unescape(player[0])
    # The player's source: a short-lived signed URL of the 360p file, after the collection check.
    answer = client.get(play_url)
    assert answer.status_code == 302
    location = urlsplit(answer["Location"])
    rendition = video.renditions.get(name=VideoRendition.Name.LOW_360P)
    assert location.path.endswith(rendition.file.name)
    assert "X-Amz-Signature=" in location.query


def test_the_player_source_is_refused_to_another_coordination(client, network, video):
    url = reverse("library_videos:play", args=[video.pk])
    client.force_login(network.users["editor_b"])
    refused = client.get(url)  # Wagtail's refusal: back to the dashboard, never to the file
    assert refused.status_code == 302 and refused["Location"] == reverse("wagtailadmin_home")
    client.logout()
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith(reverse("wagtailadmin_login"))


def test_a_video_still_processing_says_so_in_french_and_runs_nothing(client, network):
    collection = coordination_collection(network.coord_a)
    video = make_video("Vidéo en traitement", collection=collection, data=b"not a video", uploaded=True)
    body = edit_page(client, network.users["editor_a"], video)
    assert "<video" not in body
    assert "La version 360p n’est pas encore prête" in body
    assert "En attente" in body
    video.refresh_from_db()
    assert video.status == ProcessingStatus.PENDING and not video.renditions.exists()
    assert client.get(reverse("library_videos:play", args=[video.pk])).status_code == 404


def test_a_ready_video_without_its_360p_file_says_what_to_do(client, network):
    video = make_video("Vidéo importée", collection=coordination_collection(network.coord_a), renditions=("720p",))
    assert video.status == ProcessingStatus.READY
    body = edit_page(client, network.users["editor_a"], video)
    assert "<video" not in body
    assert "Cette vidéo n’a pas de version 360p" in body
    assert "pas encore prête" not in body


def test_the_tracks_are_listed_in_french_with_a_link_to_the_tracks_page(client, network, video):
    body = edit_page(client, network.users["editor_a"], video)
    rows = re.findall(r"<li data-track[^>]*>(.*?)</li>", body, re.S)
    texts = [" ".join(re.sub(r"<[^>]+>", " ", row).split()) for row in rows]
    assert texts == [
        "Anglais — Sous-titres pour sourds et malentendants (SME) — English",
        "Français — Sous-titres — Français",
    ]
    assert f'href="{reverse("library_videos:tracks", args=[video.pk])}"' in body


def test_the_films_using_the_video_are_listed(client, network, video):
    film = make_film(network.coord_a, "Le film du collège", "internal", None, live=False, video=video)
    body = edit_page(client, network.users["editor_a"], video)
    assert f'href="{reverse("wagtailadmin_pages:edit", args=[film.pk])}"' in body
    assert "Le film du collège" in body


def create_link(body):
    match = re.search(r'<a href="([^"]+)"[^>]*data-create-film[^>]*>\s*Créer un film avec cette vidéo\s*</a>', body)
    assert match, "no « Créer un film avec cette vidéo » link"
    return html.unescape(match[1])


def test_create_a_film_opens_the_form_in_the_coordination_with_the_video_chosen(client, network, video):
    body = edit_page(client, network.users["editor_a"], video)
    url = create_link(body)
    add = reverse("films:add", args=[network.coord_a.pk])  # under the Films menu item
    assert url == f"{add}?video={video.pk}"
    form = client.get(url).content.decode()
    assert re.search(rf'<input type="hidden" name="video" value="{video.pk}"', form), "video not preselected"
    assert "Atelier au collège" in form
    assert re.search(r'name="title"[^>]*value="Atelier au collège"', form)


def test_another_coordinations_video_is_not_preselected(client, network, video):
    client.force_login(network.users["editor_b"])
    url = reverse("wagtailadmin_pages:add", args=["library", "filmpage", network.coord_b.pk])
    form = client.get(url, {"video": video.pk}).content.decode()
    assert not re.search(rf'name="video" value="{video.pk}"', form)
    assert "Atelier au collège" not in form
