"""The per-film download switch, from the outside: with it off, partners stream the film but take no file of it.

A film whose rights holders do not allow downloads (`FilmPage.download_allowed`
off) keeps every stream, but its detail gives no download URL, its download
endpoint answers a 403 problem in French, as the API does, for every rendition,
and its screening pack leaves the video out and says why in a `LISEZMOI.txt`.
Lists and details say `download_allowed` so a site can write "Téléchargement
non autorisé". A translation's id follows its French source's switch, even when
the translation's own copy of the field says otherwise. A film with the switch
on is unchanged, and the admin shows the switch in French, among the rights.
"""

import io
import re
import zipfile

import pytest

from django.test import TestCase
from django.urls import reverse

from library.core.tiers import Tier
from library.models import DownloadEvent, FilmPage
from tests.factories import make_film, make_guide, make_image, make_pdf, make_video, publish
from tests.library.admin_forms import edit_form_data
from tests.library.api.catalogue import module_catalogue
from tests.media import tiny_mp4

catalogue = module_catalogue()
pytestmark = pytest.mark.django_db

FILMS = "/api/v3/films/"
TITLE = "Film sans téléchargement"
BASE = "film-sans-telechargement"
REFUSED_FR = (
    "Les ayants droit de ce film n’en autorisent pas le téléchargement : "
    "il se regarde en streaming, depuis son lecteur ou ses adresses de lecture (stream_urls)."
)
README_FR = (
    "Ce dossier ne contient pas le film lui-même : ses ayants droit n’en autorisent pas le téléchargement. "
    "Les partenaires du réseau peuvent le projeter en streaming, depuis le catalogue."
)


@pytest.fixture(scope="module")
def switched(catalogue, django_db_blocker):
    """A public film with the switch off (real video, tracks, poster, a guide), and its English translation.

    The translation's own copy of the switch is left on, as a translation
    whose synchronisation was stopped before the French film was switched off.
    """
    with django_db_blocker.unblock(), TestCase.captureOnCommitCallbacks(execute=True):
        master = tiny_mp4()
        video = make_video(
            TITLE,
            tracks=("fr",),
            original_filename="Film sans téléchargement – master.mp4",
            data=master,
            renditions=("720p", "360p"),
            file_size=len(master),
            duration=4.0,
            width=320,
            height=180,
        )
        film = make_film(
            catalogue.coord_a,
            TITLE,
            Tier.PUBLIC,
            catalogue.films["public"].consent,
            slug=BASE,
            poster=catalogue.poster,
            video=video,
            year=2023,
            download_allowed=False,
        )
        make_guide(
            catalogue.coord_a,
            "Guide du film protégé",
            Tier.PUBLIC,
            document=make_pdf("Livret du film protégé", filename="livret-protege.pdf"),
            films=[film],
        )
        english = film.copy_for_translation(catalogue.english)
        english.title = "Film without downloads"
        english.slug = "film-without-downloads"
        english.download_allowed = True
        english.save()
        english = publish(english)
    return film, english


def partner(catalogue, bearer):
    return bearer(catalogue.tokens["partner"])


def detail(client, film, **headers):
    response = client.get(f"{FILMS}{film.pk}/", **headers)
    assert response.status_code == 200
    return response.json()


def list_items(client, **headers):
    response = client.get(FILMS, {"limit": 100}, **headers)
    assert response.status_code == 200
    return {item["id"]: item for item in response.json()["items"]}


def pack_names(response):
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert archive.testzip() is None
    return archive


# --- The API: detail and list ---------------------------------------------------------------


def test_detail_says_so_and_gives_no_download_url_but_every_stream(client, catalogue, bearer, switched):
    film, _english = switched
    data = detail(client, film, **partner(catalogue, bearer))

    assert data["download_allowed"] is False
    assert data["download_urls"] == {}
    assert set(data["stream_urls"]) == {"720p", "360p"}
    # The pack still exists: tracks, poster and guides, without the film.
    assert data["screening_pack_url"] == f"{FILMS}{film.pk}/screening-pack/"


def test_a_translation_id_shows_the_french_switch(client, catalogue, bearer, switched):
    _film, english = switched
    data = detail(client, english, **partner(catalogue, bearer))

    assert data["title"] == "Film without downloads"
    assert data["download_allowed"] is False
    assert data["download_urls"] == {}


def test_the_list_says_which_films_may_be_downloaded(client, catalogue, bearer, switched):
    film, _english = switched
    for headers in ({}, partner(catalogue, bearer)):
        items = list_items(client, **headers)
        assert items[film.pk]["download_allowed"] is False
        assert items[catalogue.films["public"].pk]["download_allowed"] is True
        assert not any("download_urls" in item for item in items.values())


def test_a_film_with_the_switch_on_is_unchanged(client, catalogue, bearer):
    film = catalogue.films["public"]
    data = detail(client, film, **partner(catalogue, bearer))

    assert data["download_allowed"] is True
    assert set(data["download_urls"]) == {"original", "720p", "360p"}
    assert data["screening_pack_url"] == f"{FILMS}{film.pk}/screening-pack/"
    response = client.get(data["download_urls"]["original"], **partner(catalogue, bearer))
    assert response.status_code == 302


def test_wagtails_pages_api_says_whether_a_film_may_be_downloaded(client, catalogue, switched):
    film, _english = switched
    assert client.get(f"/api/v2/pages/{film.pk}/").json()["download_allowed"] is False
    assert client.get(f"/api/v2/pages/{catalogue.films['public'].pk}/").json()["download_allowed"] is True
    listed = client.get("/api/v2/pages/", {"type": "library.FilmPage", "fields": "download_allowed"}).json()
    assert {item["id"]: item["download_allowed"] for item in listed["items"]}[film.pk] is False


# --- The API: the download endpoint ---------------------------------------------------------


@pytest.mark.parametrize("rendition", ["original", "720p", "360p"])
def test_download_is_refused_with_a_french_problem(client, catalogue, bearer, switched, rendition):
    film, _english = switched
    response = client.get(f"{FILMS}{film.pk}/download/", {"rendition": rendition}, **partner(catalogue, bearer))

    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["detail"] == REFUSED_FR
    assert not DownloadEvent.objects.exists()


def test_download_by_the_translation_id_is_refused(client, catalogue, bearer, switched):
    _film, english = switched
    response = client.get(f"{FILMS}{english.pk}/download/", **partner(catalogue, bearer))

    assert response.status_code == 403
    assert response.json()["detail"] == REFUSED_FR
    assert not DownloadEvent.objects.exists()


def test_editors_download_nothing_through_the_api_either(client, catalogue, switched):
    film, _english = switched
    client.force_login(catalogue.users["national"])

    response = client.get(f"{FILMS}{film.pk}/download/")

    assert response.status_code == 403
    assert detail(client, film)["download_urls"] == {}


def test_anonymous_callers_are_still_asked_for_a_token(client, switched):
    film, _english = switched
    response = client.get(f"{FILMS}{film.pk}/download/")

    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"


def test_refusals_do_not_use_the_hourly_quota(client, catalogue, bearer, switched):
    film, _english = switched
    catalogue.organisation.download_rate_per_hour = 1
    catalogue.organisation.save()
    auth = partner(catalogue, bearer)
    try:
        refused = [client.get(f"{FILMS}{film.pk}/download/", **auth).status_code for _ in range(3)]
        allowed = client.get(f"{FILMS}{catalogue.films['public'].pk}/download/", **auth)
    finally:
        catalogue.organisation.download_rate_per_hour = 120
        catalogue.organisation.save()
    assert refused == [403, 403, 403]
    assert allowed.status_code == 302


# --- The API: streams -----------------------------------------------------------------------


@pytest.mark.parametrize("rendition", ["720p", "360p"])
def test_the_film_still_streams(client, catalogue, bearer, switched, rendition):
    film, _english = switched
    for headers in ({}, partner(catalogue, bearer)):
        response = client.get(f"{FILMS}{film.pk}/stream/", {"rendition": rendition}, **headers)
        assert response.status_code == 302
        assert "attachment" not in response["Location"]


# --- The screening pack ---------------------------------------------------------------------


def test_the_pack_leaves_the_film_out_and_says_why(client, catalogue, bearer, switched):
    film, _english = switched
    response = client.get(f"{FILMS}{film.pk}/screening-pack/", **partner(catalogue, bearer))

    archive = pack_names(response)
    names = archive.namelist()
    assert not [name for name in names if name.endswith(".mp4")], names
    assert f"{BASE}/sous-titres/{BASE}.fr.subtitles.vtt" in names
    assert any(name.startswith(f"{BASE}/affiche.") for name in names)
    assert any(name.startswith(f"{BASE}/guides/guide-du-film-protege-fr-") for name in names)
    readme = archive.read(f"{BASE}/LISEZMOI.txt").decode("utf-8")
    assert readme.startswith(f"{TITLE}\n")
    assert README_FR in readme
    assert DownloadEvent.objects.filter(rendition="screening_pack", page=film).count() == 1


def test_the_pack_of_a_film_with_the_switch_on_keeps_its_film_and_has_no_readme(client, catalogue, bearer):
    response = client.get(f"{FILMS}{catalogue.films['public'].pk}/screening-pack/", **partner(catalogue, bearer))

    names = pack_names(response).namelist()
    assert "film-public/Film public – master élève.mp4" in names
    assert "film-public/film-public-360p.mp4" in names
    assert not [name for name in names if name.endswith("LISEZMOI.txt")]


def test_the_pack_of_a_film_without_poster_carries_its_videos_poster_frame(client, catalogue, bearer):
    """As on every other surface (`FilmPage.shown_poster`), the video's poster frame stands in for the poster."""
    frame = make_image("Image du film sans affiche", colour=(90, 160, 40))
    video = make_video("Vidéo sans affiche", poster=frame, data=tiny_mp4(), renditions=("360p",))
    film = make_film(
        catalogue.coord_a,
        "Film sans affiche",
        Tier.PUBLIC,
        catalogue.films["public"].consent,
        slug="film-sans-affiche",
        video=video,
    )
    assert film.poster_id is None

    archive = pack_names(client.get(f"{FILMS}{film.pk}/screening-pack/", **partner(catalogue, bearer)))
    posters = [name for name in archive.namelist() if name.startswith("film-sans-affiche/affiche.")]
    assert posters == [f"film-sans-affiche/affiche.{frame.file.name.rsplit('.', 1)[-1]}"]
    with frame.file.open("rb") as stored:
        assert archive.read(posters[0]) == stored.read()


def test_the_pack_by_the_translation_id_leaves_the_film_out(client, catalogue, bearer, switched):
    _film, english = switched
    response = client.get(f"{FILMS}{english.pk}/screening-pack/", **partner(catalogue, bearer))

    names = pack_names(response).namelist()
    assert not [name for name in names if name.endswith(".mp4")], names


# --- The site: the film page and the player ------------------------------------------------


def test_the_film_page_says_the_film_cannot_be_downloaded(client, catalogue, switched):
    film, _english = switched
    client.force_login(catalogue.users["national"])

    switched_off = client.get(film.url)
    switched_on = client.get(catalogue.films["public"].url)

    assert switched_off.status_code == 200
    assert "Téléchargement non autorisé : ce film se regarde uniquement en streaming." in switched_off.text
    assert "Téléchargement non autorisé" not in switched_on.text
    assert "/download/" not in switched_off.text and "screening-pack" not in switched_off.text


def test_the_player_offers_no_download(client, catalogue, switched):
    film, english = switched
    for page in (film, english):
        html = client.get(reverse("library_embed:film", args=[page.pk])).text
        video = re.search(r"<video [^>]*>", html).group(0)
        assert 'controlslist="nodownload"' in video
        assert 'data-download="off"' in video
    allowed = client.get(reverse("library_embed:film", args=[catalogue.films["public"].pk])).text
    assert "nodownload" not in allowed and "data-download" not in allowed


# --- The admin ------------------------------------------------------------------------------


def test_the_admin_shows_the_switch_in_french_and_saves_it_off(client, catalogue):
    film = catalogue.films["public"]
    national = catalogue.users["national"]
    client.force_login(national)
    url = reverse("wagtailadmin_pages:edit", args=[film.pk])

    html = client.get(url, HTTP_ACCEPT_LANGUAGE="fr").text
    rights = html[html.index("Générique et droits") :]
    assert re.search(r'<input type="checkbox" name="download_allowed"[^>]*checked', rights)
    assert "Les partenaires peuvent télécharger le fichier maître" in rights
    assert "Décochez pour que les partenaires regardent ce film en streaming" in rights

    data = edit_form_data(film, national, **{"action-publish": "publish"})
    assert data.pop("download_allowed") == "on"
    response = client.post(url, data)

    assert response.status_code == 302
    assert FilmPage.objects.get(pk=film.pk).download_allowed is False
    client.logout()
    after = detail(client, film, **{"HTTP_AUTHORIZATION": f"Bearer {catalogue.tokens['partner']}"})
    assert after["download_allowed"] is False
    assert after["download_urls"] == {}
