"""The bucket away: streams, downloads and packs answer 503 problem+json, and a pack broken mid-way ends broken.

The app reaches the session's S3 server through a `TCPProxy` the test
kills, pauses and restores; nothing else is faked. A pack cut in the middle
is read by a real HTTP client from `live_server`, hence transactional tests
with their own small catalogue. Mid-pack the proxy is paused: the app's
connection is then open but silent, the hardest case, so the member's read
timeout is what ends the pack.
"""

import http.client
import io
import time
import zipfile

import pytest

from django.contrib.auth.models import Group
from django.core.cache import cache
from django.test import Client

from library.core.groups import PARTNERS_GROUP
from library.core.tiers import ConsentScope, Tier
from library.models import DownloadEvent
from tests.factories import (
    build_coordinations,
    build_home,
    make_consent,
    make_film,
    make_guide,
    make_partner,
    make_pdf,
    make_token,
    make_user,
    make_video,
)
from tests.faults import bucket_through_proxy
from tests.media import tiny_mp4

pytestmark = pytest.mark.django_db(transaction=True)

FRENCH_DETAIL = "Les fichiers ne peuvent pas être lus pour l'instant. Réessayez dans quelques secondes."
#: Larger than every buffer between the bucket and the client (loopback sockets, the proxy), so that a
#: pack is still reading its master from S3 when the bucket is cut.
BIG_MASTER = 40 * 1024 * 1024


@pytest.fixture
def bucket(s3_server, settings):
    with bucket_through_proxy(s3_server, settings) as proxy:
        yield proxy


def build(master=None):
    """A public film (video, renditions, a track, its guide with a PDF) and a partner's token."""
    cache.clear()
    home = build_home(slug="accueil-s3")
    _index, (coordination,) = build_coordinations(home, {"title": "Coordination Alpha", "slug": "alpha"})
    consent = make_consent(coordination, ConsentScope.PUBLIC)
    video = make_video(
        "Film public",
        data=tiny_mp4() if master is None else master,
        renditions=("720p", "360p"),
        tracks=("fr",),
        original_filename="master.mp4",
    )
    film = make_film(coordination, "Film public", Tier.PUBLIC, consent, video=video)
    guide = make_guide(
        coordination, "Guide public", Tier.PUBLIC, document=make_pdf("Livret", filename="livret.pdf"), films=[film]
    )
    user = make_user("portail", Group.objects.get_or_create(name=PARTNERS_GROUP)[0], email="", first_name="")
    organisation = make_partner(coordination, user, name="Cinéma Le Lux")
    return film, guide, organisation, make_token(user, organisation)


def requests_of(film, guide):
    document = guide.documents.get().document
    return {
        "download": (f"/api/v3/films/{film.pk}/download/", {}),
        "stream": (f"/api/v3/films/{film.pk}/stream/", {"rendition": "360p"}),
        "guide": (f"/api/v3/guides/{guide.pk}/download/", {"document": document.pk}),
        "pack": (f"/api/v3/films/{film.pk}/screening-pack/", {}),
    }


def get_all(client, requests, token, took=None):
    """`{key: response}` of each request; with `took`, a dict, the seconds each one took go there."""
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}", "HTTP_ACCEPT_LANGUAGE": "fr"}
    answers = {}
    for key, (path, query) in requests.items():
        started = time.monotonic()
        answers[key] = client.get(path, query, **auth)
        if took is not None:
            took[key] = time.monotonic() - started
    return answers


def assert_unavailable(response, key=""):
    assert response.status_code == 503, (key, response.content[:300])
    assert response["Content-Type"] == "application/problem+json"
    assert response["Retry-After"] == "5"
    assert "no-store" in response["Cache-Control"]
    problem = response.json()
    assert problem["status"] == 503
    assert problem["detail"] == FRENCH_DETAIL
    assert "127.0.0.1" not in response.content.decode()


def test_bucket_away_answers_503_records_nothing_and_serves_again_once_back(bucket):
    film, guide, organisation, token = build()
    # Three counted downloads during the outage, three after: a 503 that counted would exhaust this quota.
    organisation.download_rate_per_hour = 4
    organisation.save()
    requests = requests_of(film, guide)
    client = Client()

    bucket.kill()
    took = {}
    answers = get_all(client, requests, token, took)
    for key, response in answers.items():
        assert_unavailable(response, key)
    assert not DownloadEvent.objects.exists()
    assert max(took.values()) < 5, took  # connection refused: no timeout to wait for

    bucket.restore()
    answers = get_all(client, requests, token)
    assert {key: response.status_code for key, response in answers.items()} == {
        "download": 302,
        "stream": 302,
        "guide": 302,
        "pack": 200,
    }
    archive = zipfile.ZipFile(io.BytesIO(b"".join(answers["pack"].streaming_content)))
    assert archive.testzip() is None
    assert archive.read("film-public/master.mp4") == tiny_mp4()
    assert sorted(DownloadEvent.objects.values_list("rendition", flat=True)) == sorted(
        ["original", "screening_pack", f"document:{guide.documents.get().document_id}"]
    )


def test_bucket_black_holed_answers_503_within_seconds(bucket):
    film, guide, _organisation, token = build()
    requests = requests_of(film, guide)
    bucket.pause()
    took = {}
    try:
        answers = get_all(Client(), {key: requests[key] for key in ("download", "pack")}, token, took)
    finally:
        bucket.restore()
    for key, response in answers.items():
        assert_unavailable(response, key)
    # A HEAD of two attempts, two seconds per read (about 6 s with the backoff): not botocore's minute.
    assert max(took.values()) < 10, took
    assert not DownloadEvent.objects.exists()


def test_a_file_missing_from_the_bucket_is_a_clear_404(bucket, s3_server):
    film, guide, _organisation, token = build()
    client = s3_server.client()
    client.delete_object(Bucket="passeurs-test", Key=f"private/{film.video.file.name}")
    answers = get_all(Client(), requests_of(film, guide), token)
    for key in ("download", "pack"):
        assert answers[key].status_code == 404, key
        assert answers[key]["Content-Type"] == "application/problem+json"
        assert answers[key].json()["detail"] == "Le fichier de cet élément est introuvable."
    assert answers["stream"].status_code == 302  # the 360p rendition is still there
    assert DownloadEvent.objects.filter(rendition__in=["original", "screening_pack"]).count() == 0


def test_a_pack_the_bucket_stops_feeding_ends_broken_and_is_not_recorded(bucket, live_server):
    film, _guide, _organisation, token = build(master=b"\x00" * BIG_MASTER)
    connection = http.client.HTTPConnection(live_server.url.removeprefix("http://"), timeout=30)
    connection.request("GET", f"/api/v3/films/{film.pk}/screening-pack/", headers={"Authorization": f"Bearer {token}"})
    response = connection.getresponse()
    assert response.status == 200
    assert response.getheader("Content-Type") == "application/zip"
    received = response.read(64 * 1024)
    started = time.monotonic()
    bucket.pause()  # while the master is being read from S3: the bucket stops answering mid-object
    try:
        while chunk := response.read(1024 * 1024):
            received += chunk
    except http.client.IncompleteRead as error:  # a chunked answer ended without its last chunk
        received += error.partial
    connection.close()
    ended_in = time.monotonic() - started

    assert len(received) < BIG_MASTER
    assert ended_in < 30  # the member's read timeout (10 s), not botocore's minute
    with pytest.raises(zipfile.BadZipFile):
        zipfile.ZipFile(io.BytesIO(received))
    # The server stopped the answer when the read failed: nothing was logged after it.
    assert not DownloadEvent.objects.exists()

    bucket.restore()
    connection = http.client.HTTPConnection(live_server.url.removeprefix("http://"), timeout=60)
    connection.request("GET", f"/api/v3/films/{film.pk}/screening-pack/", headers={"Authorization": f"Bearer {token}"})
    whole = connection.getresponse().read()
    connection.close()
    archive = zipfile.ZipFile(io.BytesIO(whole))
    assert archive.getinfo("film-public/master.mp4").file_size == BIG_MASTER
    assert archive.testzip() is None
    assert DownloadEvent.objects.filter(rendition="screening_pack").count() == 1
