"""Every image and document surface, asked by id for every item of the permission matrix.

Each film of the matrix has an editorial poster and a video whose poster
frame processing derived; each guide a cover and a document with its
first-page thumbnail. Every requester asks every surface that takes an image
or document id for each of them, on S3 and on local disk:

- Wagtail's v2 images and documents APIs (detail, listing, find);
- the image serve view, with a valid signature, and the file it redirects to;
- the file URLs of the original and of every rendition: on local disk the
  app serves `/media/`, on S3 the bare object URL (without a signature)
  must be refused by the bucket, and `/media/` serves nothing;
- document serving, and the document's own storage URL.

A requester who may not see any item using an image gets no 200 anywhere;
one who may see an item gets it everywhere (so the sweep fails both ways).
The surfaces come from the URL resolver: a new image or document URL fails
`test_every_image_and_document_url_is_swept` until it is swept here.

Expectations are written out from DESIGN.md's table (`EXPECTED_VISIBLE`),
not asked of `library.access.rules`. These surfaces identify the requester by the
Django session; a cell where a bearer token could change the answer (a
network item asked with a partner's token) is left to the matrix.
"""

from contextlib import nullcontext
from urllib.parse import urlsplit, urlunsplit

import pytest
import requests

from django.conf import settings
from django.db import transaction
from django.test import override_settings
from django.urls import URLResolver, get_resolver, reverse

from wagtail.images.views.serve import generate_signature

from cms.settings import test as test_settings
from library.models import FilmPage, GuideDocument, Video
from library.models.renditions import NAMED_RENDITIONS
from tests.factories import make_guide, make_image, make_pdf, make_video
from tests.library.network import EXPECTED_VISIBLE, MATRIX_TIERS, REQUESTERS, build_network

SERVE_SPEC = "fill-32x18"
RENDITION_SPECS = (SERVE_SPEC, NAMED_RENDITIONS["thumbnail"], NAMED_RENDITIONS["card"])
EDITORS_OF_A = {"editor_a", "national"}

#: URL names (outside the admin) that take an image or document, and the surface sweeping each.
SWEPT_URLS = {
    "wagtailapi:images:detail": "v2_image_detail",
    "wagtailapi:images:listing": "v2_image_listing",
    "wagtailapi:images:find": "v2_image_find",
    "wagtailimages_serve": "image_serve",
    "library_media": "image_files",
    "wagtailapi:documents:detail": "v2_document_detail",
    "wagtailapi:documents:listing": "v2_document_listing",
    "wagtailapi:documents:find": "v2_document_find",
    "wagtaildocs_serve": "document_serve",
}
#: URL names that match the resolver scan but take no image or document id.
NOT_BY_ID = {
    "wagtaildocs_authenticate_with_password": "takes a view restriction's id; document_serve is swept",
}
#: Surfaces that apply the requester's drafts (serving URLs answer editors' previews); the APIs list live items.
WITH_DRAFTS = {"image_serve", "image_files", "document_serve"}


def _local_storages():
    """The project's local-disk storages (the test settings' own, before the suite points them at S3)."""
    return {
        **settings.STORAGES,
        "default": test_settings.STORAGES["default"],
        "private": test_settings.STORAGES["private"],
    }


@pytest.fixture(scope="module", params=["s3", "local"])
def network(request, django_db_setup, django_db_blocker):
    """The matrix with derived images and a few renditions each, on one storage; rolled back at the end."""
    storage = override_settings(STORAGES=_local_storages()) if request.param == "local" else nullcontext()
    with storage, django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            network = build_network(derived_images=True)
            network.storage = request.param
            for item in network.items:
                for _label, image in _images(item):
                    image.get_renditions(*RENDITION_SPECS)
            yield network
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def _images(item):
    return [("editorial", item.image), *item.derived.items()]


def _login(client, network, requester):
    headers = {}
    if requester == "partner_token":
        headers["HTTP_AUTHORIZATION"] = f"Bearer {network.tokens['partner_token']}"
    elif requester != "anonymous":
        client.force_login(network.users[requester])
    return headers


def _may_see(who, state, drafts):
    if state == "draft":
        return drafts and who in EDITORS_OF_A
    return who in EXPECTED_VISIBLE[state]


def expected(surface, requester, state):
    """True, False, or None where the answer depends on whether the surface reads bearer tokens."""
    identities = {"anonymous", "partner_session"} if requester == "partner_token" else {requester}
    answers = {_may_see(who, state, surface in WITH_DRAFTS) for who in identities}
    return answers.pop() if len(answers) == 1 else None


# --- fetching files ------------------------------------------------------------------------------


def _is_remote(url):
    """Whether `url` is the S3 test server's (on loopback); the app's own URLs, absolute or not, are not."""
    return bool(settings.AWS_S3_ENDPOINT_URL) and urlsplit(url).netloc == urlsplit(settings.AWS_S3_ENDPOINT_URL).netloc


def _get_file(client, url, headers):
    """(status, body) of a file URL: the S3 server over HTTP, the app's own URLs through the test client."""
    if _is_remote(url):
        response = requests.get(url, timeout=10)
        return response.status_code, response.content
    parts = urlsplit(url)
    assert parts.netloc in {"", "testserver", urlsplit(settings.WAGTAILAPI_BASE_URL).netloc}, url
    response = client.get(urlunsplit(parts._replace(scheme="", netloc="")), **headers)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response.status_code, body


def _unsigned(url):
    return urlunsplit(urlsplit(url)._replace(query=""))


def _stored(field_file):
    with field_file.storage.open(field_file.name, "rb") as handle:
        return handle.read()


def _assert_loads(client, url, headers, field_file):
    status, body = _get_file(client, url, headers)
    assert status == 200, (url, status)
    assert body == _stored(field_file), url


# --- image surfaces: each answers whether it reveals the image -----------------------------------


def v2_image_detail(client, headers, image, network):
    response = client.get(reverse("wagtailapi:images:detail", args=[image.pk]), **headers)
    assert response.status_code in {200, 404}, response.status_code
    if response.status_code == 200:
        _assert_loads(client, response.json()["meta"]["download_url"], headers, image.file)
    return response.status_code == 200


def v2_image_listing(client, headers, image, network):
    response = client.get(reverse("wagtailapi:images:listing"), {"id": image.pk}, **headers)
    assert response.status_code == 200, response.status_code
    return image.pk in {row["id"] for row in response.json()["items"]}


def v2_image_find(client, headers, image, network):
    response = client.get(reverse("wagtailapi:images:find"), {"id": image.pk}, **headers)
    assert response.status_code in {302, 404}, response.status_code
    return response.status_code == 302


def image_serve(client, headers, image, network):
    signature = generate_signature(image.pk, SERVE_SPEC)
    response = client.get(reverse("wagtailimages_serve", args=[signature, image.pk, SERVE_SPEC]), **headers)
    assert response.status_code in {302, 404}, response.status_code
    if response.status_code == 302:
        _assert_loads(client, response["Location"], headers, image.get_rendition(SERVE_SPEC).file)
    return response.status_code == 302


def image_files(client, headers, image, network):
    """The original's and every rendition's file URL, fetched."""
    files = [image.file] + [rendition.file for rendition in image.renditions.all()]
    assert len(files) == 1 + len(RENDITION_SPECS)
    if network.storage == "s3":
        # Every object is private: the bare URL is refused, and the app's /media/ serves nothing.
        for field_file in files:
            status, _body = _get_file(client, _unsigned(field_file.url), headers)
            assert status >= 400, (field_file.name, status)  # rclone answers 400, AWS 403
            status, _body = _get_file(client, settings.MEDIA_URL + field_file.name, headers)
            assert status == 404, (field_file.name, status)
        return None
    served = set()
    for field_file in files:
        assert field_file.url == settings.MEDIA_URL + field_file.name
        status, body = _get_file(client, field_file.url, headers)
        assert status in {200, 404}, (field_file.name, status)
        if status == 200:
            assert body == _stored(field_file)
        served.add(status == 200)
    assert len(served) == 1, f"some files of {image} are served, others not"
    return served.pop()


# --- document surfaces ---------------------------------------------------------------------------


def v2_document_detail(client, headers, document, network):
    response = client.get(reverse("wagtailapi:documents:detail", args=[document.pk]), **headers)
    assert response.status_code in {200, 404}, response.status_code
    if response.status_code == 200:
        _assert_loads(client, response.json()["meta"]["download_url"], headers, document.file)
    return response.status_code == 200


def v2_document_listing(client, headers, document, network):
    response = client.get(reverse("wagtailapi:documents:listing"), {"id": document.pk}, **headers)
    assert response.status_code == 200, response.status_code
    return document.pk in {row["id"] for row in response.json()["items"]}


def v2_document_find(client, headers, document, network):
    response = client.get(reverse("wagtailapi:documents:find"), {"id": document.pk}, **headers)
    assert response.status_code in {302, 404}, response.status_code
    return response.status_code == 302


def document_serve(client, headers, document, network):
    response = client.get(reverse("wagtaildocs_serve", args=[document.pk, document.filename]), **headers)
    assert response.status_code in {200, 302, 403, 404}, response.status_code
    if response.status_code == 200:
        assert b"".join(response.streaming_content) == _stored(document.file)
    return response.status_code == 200


def document_file(client, headers, document, network):
    """The document's own storage URL: private storage, never served by URL."""
    url = document.file.url
    status, _body = _get_file(client, _unsigned(url) if _is_remote(url) else url, headers)
    assert status >= 400, (url, status)
    return None


IMAGE_SURFACES = (v2_image_detail, v2_image_listing, v2_image_find, image_serve, image_files)
DOCUMENT_SURFACES = (v2_document_detail, v2_document_listing, v2_document_find, document_serve, document_file)


def cells():
    """Every requester and state, less those where every answer depends on reading tokens."""
    surfaces = IMAGE_SURFACES + DOCUMENT_SURFACES
    for requester in REQUESTERS:
        for state in MATRIX_TIERS:
            if any(expected(surface.__name__, requester, state) is not None for surface in surfaces):
                yield pytest.param(requester, state, id=f"{requester}-{state}")


@pytest.mark.django_db
@pytest.mark.parametrize(("requester", "state"), list(cells()))
def test_images_and_documents_follow_their_items(network, client, requester, state):
    headers = _login(client, network, requester)
    items = [item for item in network.items if item.state == state]
    assert items and all(item.derived for item in items)
    want, got = {}, {}
    for item in items:
        targets = [(IMAGE_SURFACES, f"{item.key}/{label}", image) for label, image in _images(item)]
        if item.document is not None:
            targets.append((DOCUMENT_SURFACES, f"{item.key}/document", item.document))
        for surfaces, label, target in targets:
            for surface in surfaces:
                expectation = expected(surface.__name__, requester, state)
                answer = surface(client, headers, target, network)
                if expectation is None or answer is None:
                    continue
                key = f"{label} on {surface.__name__}"
                want[key], got[key] = expectation, answer
    assert want, "some cell applies"
    assert got == want


def _url_patterns(patterns=None, route="", namespace=()):
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace + ((pattern.namespace,) if pattern.namespace else ())
            yield from _url_patterns(pattern.url_patterns, route + str(pattern.pattern), inner)
        else:
            yield route + str(pattern.pattern), ":".join(namespace + (pattern.name or "",)), pattern.callback


def _takes_images_or_documents(route, name, callback):
    view = getattr(callback, "view_class", None) or getattr(callback, "cls", None) or callback
    module = getattr(view, "__module__", "") or ""
    words = f"{route} {name}".lower()
    return (
        any(word in words for word in ("image", "document", "media", "rendition", "poster", "thumbnail"))
        or route.startswith(settings.MEDIA_URL.lstrip("/"))
        or module.startswith(("wagtail.images", "wagtail.documents"))
    )


def test_every_image_and_document_url_is_swept():
    """The resolver's image and document URLs (the admin's aside) are exactly the ones swept above."""
    found = {
        name
        for route, name, callback in _url_patterns()
        if not route.startswith("admin/") and _takes_images_or_documents(route, name, callback)
    }
    assert found - set(NOT_BY_ID) == set(SWEPT_URLS), "sweep the new URL in this module"
    swept = {surface.__name__ for surface in IMAGE_SURFACES + DOCUMENT_SURFACES}
    assert set(SWEPT_URLS.values()) <= swept


# --- the rule's edges ----------------------------------------------------------------------------


def _v2_image_status(client, image, user=None):
    if user is not None:
        client.force_login(user)
    return client.get(reverse("wagtailapi:images:detail", args=[image.pk])).status_code


@pytest.mark.django_db
def test_derived_image_of_an_asset_no_item_uses_is_for_editors_only(network, client):
    """A fresh upload's poster frame and first page: its editors' work in progress, hidden from everyone else."""
    collection = network.items[0].image.collection
    poster = make_image("Image d'une vidéo seule", collection=collection)
    make_video("Vidéo seule", collection=collection, poster=poster)
    thumbnail = make_image("Première page seule", collection=collection)
    document = make_pdf("Document seul", collection=collection)
    GuideDocument.objects.filter(pk=document.pk).update(thumbnail=thumbnail)
    for image in (poster, thumbnail):
        assert _v2_image_status(client, image) == 404
        assert _v2_image_status(client, image, network.users["partner_session"]) == 404
        assert _v2_image_status(client, image, network.users["editor_b"]) == 404
        assert _v2_image_status(client, image, network.users["editor_a"]) == 200
        assert _v2_image_status(client, image, network.users["national"]) == 200
        client.logout()


def _answers(client, network, surfaces, target, who):
    """{surface: whether it reveals `target` to `who`}, for the surfaces that answer on this storage."""
    client.force_login(network.users[who])
    answers = {surface.__name__: surface(client, {}, target, network) for surface in surfaces}
    client.logout()
    return {name: answer for name, answer in answers.items() if answer is not None}


@pytest.mark.django_db
def test_unused_poster_frame_and_unlinked_document_stay_in_their_coordination(network, client):
    """Another coordination's editor sees neither: the frame's title names an unreleased video."""
    collection = network.items[0].image.collection
    poster = make_image("Poster of “Vidéo inédite de A”", collection=collection)
    poster.get_renditions(*RENDITION_SPECS)
    make_video("Vidéo inédite de A", collection=collection, poster=poster)
    document = make_pdf("Guide inédit de A", collection=collection)
    for surfaces, target in ((IMAGE_SURFACES, poster), (DOCUMENT_SURFACES, document)):
        for who, visible in (("editor_b", False), ("editor_a", True), ("national", True)):
            answers = _answers(client, network, surfaces, target, who)
            assert answers and set(answers.values()) == {visible}, (who, target, answers)


@pytest.mark.django_db
def test_an_image_used_by_a_visible_item_is_shown_whatever_hides_its_asset(network, client):
    """The widest access wins: an internal film's poster frame chosen as a public guide's cover is public."""
    internal = next(item for item in network.items if item.key == "film-internal")
    frame = internal.derived["video_poster"]
    assert _v2_image_status(client, frame) == 404
    make_guide(network.coord_a, "Guide illustré", "public", cover=frame)
    assert _v2_image_status(client, frame) == 200


@pytest.mark.django_db
def test_plain_editorial_images_stay_public(network, client):
    """An image no item uses is ordinary media, even beside films without video and documents without thumbnail."""
    collection = network.items[0].image.collection
    make_guide(
        network.coord_a, "Guide sans vignette", "public", document=make_pdf("Sans vignette", collection=collection)
    )
    FilmPage.objects.filter(pk=network.items[0].page.pk).update(video=None)
    plain = make_image("Bandeau d'accueil", collection=collection)
    assert _v2_image_status(client, plain) == 200


@pytest.mark.django_db
def test_deleting_an_asset_deletes_its_derived_images(network, client):
    """Else a deleted internal video's poster frame would become an ordinary, public image."""
    collection = network.items[0].image.collection
    poster = make_image("Image d'une vidéo supprimée", collection=collection)
    video = make_video("Vidéo supprimée", collection=collection, poster=poster)
    thumbnail = make_image("Première page supprimée", collection=collection)
    document = make_pdf("Document supprimé", collection=collection)
    GuideDocument.objects.filter(pk=document.pk).update(thumbnail=thumbnail)
    Video.objects.get(pk=video.pk).delete()
    GuideDocument.objects.get(pk=document.pk).delete()
    assert not type(poster).objects.filter(pk__in=[poster.pk, thumbnail.pk]).exists()


@pytest.mark.django_db
def test_a_derived_image_a_film_shows_outlives_its_asset(network, client):
    """Chosen as a film's poster, a frame follows that film once its video is gone."""
    film = next(item for item in network.items if item.key == "film-internal")
    frame = make_image("Image choisie comme affiche", collection=film.image.collection)
    video = make_video("Vidéo remplacée", collection=film.image.collection, poster=frame)
    FilmPage.objects.filter(pk=film.page.pk).update(poster=frame)
    Video.objects.get(pk=video.pk).delete()
    assert type(frame).objects.filter(pk=frame.pk).exists()
    assert _v2_image_status(client, frame) == 404
    assert _v2_image_status(client, frame, network.users["editor_a"]) == 200


@pytest.mark.django_db
def test_media_files_of_restricted_images_are_never_cached_publicly(network, client):
    internal = next(item for item in network.items if item.key == "film-internal").derived["video_poster"]
    public = next(item for item in network.items if item.key == "film-public").derived["video_poster"]
    client.force_login(network.users["editor_a"])
    for image, private in ((internal, True), (public, False)):
        response = client.get(settings.MEDIA_URL + image.file.name)
        if network.storage == "s3":
            assert response.status_code == 404  # nothing under /media/: files are signed S3 URLs
            continue
        assert response.status_code == 200
        assert ("private" in response.get("Cache-Control", "")) is private
