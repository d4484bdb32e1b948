"""Signed image URLs in API answers: reused for a while, valid for as long as any copy of the answer.

Media are on the S3 test server for the whole session, so every rendition
URL here is signed, and the server checks the signature when it is loaded.
"""

import calendar
import time
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from django.conf import settings
from django.core.cache import cache
from django.core.files.storage import FileSystemStorage

from library.core import signed_urls
from library.models import renditions
from tests.library.network import build_network

FILMS = "/api/v3/films/"


@pytest.fixture(scope="module")
def network(module_db):
    with module_db.build():
        return build_network()


def _public_film(network):
    return next(item.page for item in network.items if item.key == "film-public")


def _answer(client, path=FILMS):
    response = client.get(path, {"limit": 100}, HTTP_CACHE_CONTROL="no-cache")  # past the server's answer cache
    assert response.status_code == 200, response.content
    return response


def _poster_urls(response):
    body = response.json()
    items = body.get("items", [body])
    urls = [url["url"] for item in items if item.get("poster") for url in item["poster"]["renditions"].values()]
    assert urls, "the answer shows posters"
    return urls


def _valid_until(url):
    query = parse_qs(urlsplit(url).query)
    signed_at = calendar.timegm(time.strptime(query["X-Amz-Date"][0], "%Y%m%dT%H%M%SZ"))
    return signed_at + int(query["X-Amz-Expires"][0])


def _loads(url):
    return requests.get(url, timeout=10).status_code == 200


def test_two_answers_carry_the_same_urls_and_the_same_etag(client, db, network):
    first = _answer(client)
    time.sleep(1.1)  # a URL signed again would now differ: X-Amz-Date counts whole seconds
    second = _answer(client)

    assert _poster_urls(first) == _poster_urls(second)
    assert first["ETag"] == second["ETag"], "a client can revalidate the list and get a 304"


def test_a_url_outlives_every_cached_copy_of_its_answer(client, db, network):
    urls = _poster_urls(_answer(client))
    # Kept by the server, then reused by a client or CDN and served stale, then loaded.
    needed = (
        settings.API_CACHE_TIMEOUT
        + settings.API_CACHE_MAX_AGE
        + settings.API_CACHE_STALE
        + settings.AWS_QUERYSTRING_EXPIRE
    )

    assert all(_valid_until(url) >= time.time() + needed for url in urls)
    assert all(_loads(url) for url in urls), "the S3 server accepts the signatures"


def test_a_url_is_signed_once_for_every_answer_that_shows_it(client, db, network, monkeypatch):
    storage_class = renditions.rendition_storage().__class__
    signed = []
    sign = storage_class.url

    def counting_url(self, name, *args, **kwargs):
        signed.append(name)
        return sign(self, name, *args, **kwargs)

    monkeypatch.setattr(storage_class, "url", counting_url)
    shown = set(_poster_urls(_answer(client)))
    signed_for_the_list = set(signed)
    _answer(client)
    after_second_answer = len(signed)
    _answer(client, f"{FILMS}{_public_film(network).pk}/")

    assert len(signed_for_the_list) == len(shown)
    assert after_second_answer == len(signed_for_the_list), "the second answer reuses every URL"
    assert not set(signed[after_second_answer:]) & signed_for_the_list, "the detail signs only what lists do not show"


def test_after_the_reuse_period_a_fresh_url_is_signed(client, db, network):
    before = _poster_urls(_answer(client))
    time.sleep(1.1)  # X-Amz-Date counts whole seconds
    cache.clear()  # what the end of the reuse period does to the kept URLs
    after = _poster_urls(_answer(client))

    assert before != after
    assert all(_loads(url) for url in after)


def test_without_the_cache_urls_are_still_signed_and_load(db, network, monkeypatch):
    # Redis down: django-redis ignores the error and finds nothing, keeps nothing.
    monkeypatch.setattr(cache, "get_many", lambda keys: {})
    monkeypatch.setattr(cache, "set_many", lambda values, timeout=None: list(values))
    files = list(_public_film(network).poster.renditions.values_list("file", flat=True))

    urls = renditions.rendition_urls(files)

    assert set(urls) == set(files)
    assert all(_loads(url) for url in urls.values())


def test_files_on_local_disk_have_plain_urls_and_nothing_is_kept(tmp_path, monkeypatch):
    kept = []
    monkeypatch.setattr(cache, "set_many", lambda values, timeout=None: kept.append(values))
    storage = FileSystemStorage(location=tmp_path, base_url="/media/")

    urls = signed_urls.urls_for(storage, ["images/a.webp", "images/b.webp"])

    assert urls == {"images/a.webp": "/media/images/a.webp", "images/b.webp": "/media/images/b.webp"}
    assert kept == []
