"""A film without a poster of its own is shown with its video's poster frame, on every surface, to who may see it."""

import pytest

from wagtail.images import get_image_model

from library.access.network import coordination_collection
from library.access.rules import ANONYMOUS, can_view_image
from library.core.tiers import ConsentScope, Tier
from library.models import Video
from library.models.renditions import NAMED_RENDITIONS
from tests.factories import build_coordinations, build_home, make_consent, make_film, make_image, make_video

pytestmark = pytest.mark.django_db

FILMS = "/api/v3/films/"


@pytest.fixture
def coordination():
    _index, (coordination,) = build_coordinations(
        build_home(), {"title": "Coordination Delta", "slug": "delta"}, network=False
    )
    return coordination


@pytest.fixture
def frame(coordination):
    return make_image(
        "Image du film", collection=coordination_collection(coordination), size=(1600, 900), named_renditions=True
    )


def film_with_video(coordination, title, tier, *, poster=None, video_poster=None):
    collection = coordination_collection(coordination)
    video = make_video(f"Vidéo de {title}", collection=collection, poster=video_poster)
    consent = make_consent(coordination, ConsentScope.PUBLIC, label=f"Consentement {title}")
    return make_film(coordination, title, tier, consent, poster=poster, video=video)


def listed(client, film):
    return next(item for item in client.get(FILMS).json()["items"] if item["id"] == film.pk)


def test_a_film_without_poster_takes_its_videos_poster_in_the_list_and_the_detail(client, coordination, frame):
    film = film_with_video(coordination, "Film sans affiche", Tier.PUBLIC, video_poster=frame)
    item = listed(client, film)
    assert item["poster"]["id"] == frame.pk
    assert set(item["poster"]["renditions"]) == {"thumbnail", "card", "card_2x"}
    detail = client.get(f"{FILMS}{film.pk}/").json()
    assert detail["poster"]["id"] == frame.pk
    assert set(detail["poster"]["renditions"]) == {"thumbnail", "card", "card_2x"}


def test_a_films_own_poster_wins_over_its_videos(client, coordination, frame):
    own = make_image("Affiche choisie", size=(1600, 900), named_renditions=True)
    film = film_with_video(coordination, "Film avec affiche", Tier.PUBLIC, poster=own, video_poster=frame)
    assert listed(client, film)["poster"]["id"] == own.pk
    assert client.get(f"{FILMS}{film.pk}/").json()["poster"]["id"] == own.pk


def test_a_film_with_neither_has_no_poster(client, coordination):
    film = film_with_video(coordination, "Film sans image", Tier.PUBLIC)
    assert listed(client, film)["poster"] is None
    assert client.get(f"{FILMS}{film.pk}/").json()["poster"] is None


def test_the_card_follows_a_poster_frame_made_after_the_film(client, coordination, django_capture_on_commit_callbacks):
    film = film_with_video(coordination, "Film en traitement", Tier.PUBLIC)
    assert listed(client, film)["poster"] is None
    # As processing leaves it: the frame saved, the video pointed at it with an UPDATE, its renditions made.
    with django_capture_on_commit_callbacks(execute=True):
        frame = make_image("Image extraite", collection=coordination_collection(coordination), size=(1600, 900))
        Video.objects.filter(pk=film.video_id).update(poster=frame)
    assert listed(client, film)["poster"]["id"] == frame.pk


def test_the_wagtail_pages_api_and_the_embed_player_show_the_videos_poster(client, coordination, frame):
    film = film_with_video(coordination, "Film intégré", Tier.PUBLIC, video_poster=frame)
    v2 = client.get(f"/api/v2/pages/{film.pk}/").json()
    assert v2["poster"]["id"] == frame.pk
    player = client.get(f"/embed/films/{film.pk}/").content.decode()
    hero = frame.renditions.get(filter_spec=NAMED_RENDITIONS["hero"])
    assert f'poster="{hero.file.url}' in player.replace("&amp;", "&") or hero.file.name in player


def test_the_poster_frame_of_an_internal_film_stays_hidden(client, coordination, frame):
    film = film_with_video(coordination, "Film interne sans affiche", Tier.INTERNAL, video_poster=frame)
    assert film.pk not in {item["id"] for item in client.get(FILMS).json()["items"]}
    assert client.get(f"{FILMS}{film.pk}/").status_code == 404
    assert client.get(f"/embed/films/{film.pk}/").status_code == 404
    assert not can_view_image(ANONYMOUS, get_image_model().objects.get(pk=frame.pk))
