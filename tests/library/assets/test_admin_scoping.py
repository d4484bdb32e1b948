"""Asset admin views stay inside the editor's collections.

A regional editor of coordination A holds Wagtail collection permissions on
A's collection only (`library.access.network`). Every admin view that takes the id
of a video, an image or a guide document must refuse her B's item (no page,
no title, no change), and every asset form must refuse to move an item into
or out to a collection she does not hold. Her own items still work; the
national editor works on both.
"""

import json

import pytest

from django.urls import NoReverseMatch, reverse

from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection

from library.access.network import coordination_collection
from library.models import TextTrack, Video
from tests.factories import make_image, make_pdf, make_user, make_video
from tests.library.network import build_network

pytestmark = pytest.mark.django_db

TITLES = {
    "video": ("Video Alpha Atelier", "Video Beta Confidentielle"),
    "image": ("Image Alpha Atelier", "Image Beta Confidentielle"),
    "document": ("Document Alpha Atelier", "Document Beta Confidentiel"),
}
SIGN_LANGUAGE_TITLE = "Video Beta En LSF"


@pytest.fixture(scope="module")
def net(module_db):
    with module_db.build():
        network = build_network(with_items=False)
        network.collection_a = coordination_collection(network.coord_a)
        network.collection_b = coordination_collection(network.coord_b)
        network.assets = {}
        for kind, maker in (
            (
                "video",
                lambda title, collection: make_video(
                    title, data=b"not processed", uploaded=True, collection=collection
                ),
            ),
            ("image", make_image),
            ("document", make_pdf),
        ):
            title_a, title_b = TITLES[kind]
            network.assets[kind] = {
                "a": maker(title_a, collection=network.collection_a),
                "b": maker(title_b, collection=network.collection_b),
            }
        network.sign_language_b = make_video(
            SIGN_LANGUAGE_TITLE, data=b"lsf", uploaded=True, collection=network.collection_b
        )
        video_b = network.assets["video"]["b"]
        network.track_b = TextTrack.objects.create(video=video_b, language="fr", kind="subtitles", text="Bonjour")
        network.users["both"] = make_user("editrice-ab", network.coord_a.editors_group, network.coord_b.editors_group)
    return network


def login(client, net, who):
    client.force_login(net.users[who])
    return client


def refused(response, title):
    """Wagtail's permission_denied (a redirect to the dashboard), a 403 or a 404, and never the title."""
    body = response.content.decode()
    return response.status_code in (302, 403, 404) and title not in body


# URL names of the views that take an asset id, per kind; each with the HTTP method it answers.
GET_VIEWS = {
    "video": [
        "library_videos:edit",
        "library_videos:delete",
        "library_videos:history",
        "library_videos:history_results",
        "library_videos:usage",
        "library_videos:tracks",
        "library_video_chooser:chosen",
    ],
    "image": [
        "wagtailimages:edit",
        "wagtailimages:delete",
        "wagtailimages:image_usage",
        "wagtailimages:url_generator",
        "wagtailimages_chooser:chosen",
        "wagtailimages_chooser:select_format",
    ],
    "document": [
        "wagtaildocs:edit",
        "wagtaildocs:delete",
        "wagtaildocs:document_usage",
        "wagtaildocs_chooser:chosen",
    ],
}


def get_cases():
    return [(kind, name) for kind, names in GET_VIEWS.items() for name in names]


@pytest.mark.parametrize(("kind", "url_name"), get_cases())
def test_regional_editor_gets_no_view_of_another_collections_asset(client, net, kind, url_name):
    login(client, net, "editor_a")
    item = net.assets[kind]["b"]
    try:
        url = reverse(url_name, args=[item.pk])
    except NoReverseMatch:
        pytest.fail(f"{url_name} is not routed")
    assert refused(client.get(url), TITLES[kind][1])
    assert refused(client.get(url, headers={"x-requested-with": "XMLHttpRequest"}), TITLES[kind][1])


@pytest.mark.parametrize(("kind", "url_name"), get_cases())
def test_regional_editor_keeps_every_view_of_her_own_asset(client, net, kind, url_name):
    login(client, net, "editor_a")
    item = net.assets[kind]["a"]
    response = client.get(reverse(url_name, args=[item.pk]))
    assert response.status_code == 200, (url_name, response.status_code)
    if not url_name.endswith("history_results") and not url_name.endswith("url_generator"):
        assert TITLES[kind][0] in response.content.decode()


@pytest.mark.parametrize(("kind", "url_name"), get_cases())
def test_national_editor_sees_both_coordinations_assets(client, net, kind, url_name):
    login(client, net, "national")
    for side in ("a", "b"):
        response = client.get(reverse(url_name, args=[net.assets[kind][side].pk]))
        assert response.status_code == 200, (url_name, side, response.status_code)


def test_chosen_multiple_lists_only_choosable_videos(client, net):
    login(client, net, "editor_a")
    videos = net.assets["video"]
    url = reverse("library_video_chooser:chosen_multiple")
    response = client.get(url, {"id": [videos["a"].pk, videos["b"].pk]})
    body = response.content.decode()
    assert response.status_code == 200
    assert TITLES["video"][0] in body and TITLES["video"][1] not in body
    results = json.loads(body)["result"]
    assert [item["id"] for item in results] == [str(videos["a"].pk)]


def test_video_copy_view_is_not_routed(net):
    """Videos come from the upload screen only: a copy would be a video without a file."""
    with pytest.raises(NoReverseMatch):
        reverse("library_videos:copy", args=[net.assets["video"]["a"].pk])


def test_video_chooser_has_no_create_url_and_still_opens(client, net):
    """The chooser has no creation form, so its `create/` URL is not routed (a POST there used to fail with a 500)."""
    with pytest.raises(NoReverseMatch):
        reverse("library_video_chooser:create")
    login(client, net, "editor_a")
    response = client.get(reverse("library_video_chooser:choose"))
    assert response.status_code == 200
    assert net.assets["video"]["a"].title in response.json()["html"]


# --- Writes refused on another coordination's item --------------------------------------------


def test_posting_the_edit_form_of_another_collections_video_changes_nothing(client, net):
    login(client, net, "editor_a")
    video = net.assets["video"]["b"]
    response = client.post(
        reverse("library_videos:edit", args=[video.pk]), {"title": "Prise", "collection": net.collection_a.pk}
    )
    assert refused(response, TITLES["video"][1])
    video.refresh_from_db()
    assert (video.title, video.collection_id) == (TITLES["video"][1], net.collection_b.pk)


def test_posting_delete_of_another_collections_video_changes_nothing(client, net):
    login(client, net, "editor_a")
    video = net.assets["video"]["b"]
    assert refused(client.post(reverse("library_videos:delete", args=[video.pk])), TITLES["video"][1])
    assert Video.objects.filter(pk=video.pk, collection=net.collection_b).exists()


def test_retry_and_tracks_of_another_collections_video_change_nothing(client, net):
    login(client, net, "editor_a")
    video = net.assets["video"]["b"]
    before = Video.objects.values("status", "attempts").get(pk=video.pk)
    assert refused(client.post(reverse("library_videos:retry", args=[video.pk])), TITLES["video"][1])
    assert Video.objects.values("status", "attempts").get(pk=video.pk) == before
    delete_track = reverse("library_videos:delete_track", args=[video.pk, net.track_b.pk])
    assert refused(client.post(delete_track), TITLES["video"][1])
    assert TextTrack.objects.filter(pk=net.track_b.pk).exists()
    assert refused(client.post(reverse("library_videos:tracks", args=[video.pk]), {}), TITLES["video"][1])


@pytest.mark.parametrize(
    ("kind", "edit_name", "delete_name", "edit_multiple", "delete_multiple"),
    [
        (
            "image",
            "wagtailimages:edit",
            "wagtailimages:delete",
            "wagtailimages:edit_multiple",
            "wagtailimages:delete_multiple",
        ),
        (
            "document",
            "wagtaildocs:edit",
            "wagtaildocs:delete",
            "wagtaildocs:edit_multiple",
            "wagtaildocs:delete_multiple",
        ),
    ],
)
def test_posting_edit_or_delete_of_another_collections_image_or_document_changes_nothing(
    client, net, kind, edit_name, delete_name, edit_multiple, delete_multiple
):
    login(client, net, "editor_a")
    item = net.assets[kind]["b"]
    model = item._meta.model
    title = TITLES[kind][1]
    assert refused(
        client.post(reverse(edit_name, args=[item.pk]), {"title": "Prise", "collection": net.collection_a.pk}), title
    )
    prefix = f"{'image' if kind == 'image' else 'doc'}-{item.pk}"
    xhr = {"x-requested-with": "XMLHttpRequest"}
    multiple = client.post(
        reverse(edit_multiple, args=[item.pk]),
        {f"{prefix}-title": "Prise", f"{prefix}-collection": net.collection_a.pk},
        headers=xhr,
    )
    assert refused(multiple, title)
    assert refused(client.post(reverse(delete_multiple, args=[item.pk]), headers=xhr), title)
    assert refused(client.post(reverse(delete_name, args=[item.pk])), title)
    item = model.objects.get(pk=item.pk)
    assert (item.title, item.collection_id) == (title, net.collection_b.pk)


# --- Asset forms: the collection and the sign-language version stay within reach -------------


def edit_urls(net, kind, side):
    item = net.assets[kind][side]
    name = {"video": "library_videos:edit", "image": "wagtailimages:edit", "document": "wagtaildocs:edit"}[kind]
    return item, reverse(name, args=[item.pk])


def form_data(client, url):
    """The edit form's own initial data, as the browser would post it back (files left out)."""
    form = client.get(url).context["form"]
    data = {}
    for name, field in form.fields.items():
        if name == "file":
            continue
        value = form.initial.get(name, field.initial)
        if value is None:
            continue
        if hasattr(value, "pk"):
            value = value.pk
        if isinstance(value, (list, tuple)):
            value = ",".join(str(getattr(part, "name", part)) for part in value)
        data[name] = value
    return data


@pytest.mark.parametrize("kind", ["video", "image", "document"])
def test_moving_ones_own_asset_to_another_collection_is_a_form_error(client, net, kind):
    login(client, net, "editor_a")
    item, url = edit_urls(net, kind, "a")
    data = form_data(client, url)
    data.update(title="Déplacée", collection=net.collection_b.pk)
    response = client.post(url, data)
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors, "the move was not refused"
    item.refresh_from_db()
    assert (item.title, item.collection_id) == (TITLES[kind][0], net.collection_a.pk)


@pytest.mark.parametrize("kind", ["video", "image", "document"])
def test_an_editor_of_two_coordinations_may_not_move_an_asset_to_a_third_collection(client, net, kind):
    login(client, net, "both")
    item, url = edit_urls(net, kind, "a")
    data = form_data(client, url)
    root = Collection.get_first_root_node()
    data.update(collection=root.pk)
    response = client.post(url, data)
    assert response.status_code == 200
    assert "collection" in response.context["form"].errors
    item.refresh_from_db()
    assert item.collection_id == net.collection_a.pk


def test_national_editor_moves_a_video_between_collections(client, net):
    login(client, net, "national")
    video, url = edit_urls(net, "video", "a")
    data = form_data(client, url)
    data.update(collection=net.collection_b.pk)
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    video.refresh_from_db()
    assert video.collection_id == net.collection_b.pk


@pytest.mark.parametrize("kind", ["video", "image", "document"])
def test_own_asset_is_saved_in_its_own_collection(client, net, kind):
    login(client, net, "editor_a")
    item, url = edit_urls(net, kind, "a")
    data = form_data(client, url)
    data.update(title="Titre revu", collection=net.collection_a.pk)
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    item.refresh_from_db()
    assert (item.title, item.collection_id) == ("Titre revu", net.collection_a.pk)


def test_sign_language_version_is_chosen_among_ones_own_videos(client, net):
    login(client, net, "editor_a")
    video, url = edit_urls(net, "video", "a")
    page = client.get(url).content.decode()
    assert SIGN_LANGUAGE_TITLE not in page and TITLES["video"][1] not in page
    data = form_data(client, url)
    data.update(sign_language_video=net.sign_language_b.pk)
    response = client.post(url, data)
    assert response.status_code == 200
    assert "sign_language_video" in response.context["form"].errors
    video.refresh_from_db()
    assert video.sign_language_video_id is None


def test_image_and_document_models_are_the_projects(net):
    """The checks above exercise the project's own image and document models."""
    assert get_image_model()._meta.label == "library.LibraryImage"
    assert get_document_model()._meta.label == "library.GuideDocument"


# --- Wagtail's admin API and bulk actions on images and documents --------------------------


@pytest.mark.parametrize("kind", ["image", "document"])
def test_admin_api_gives_only_the_editors_own_images_and_documents(client, net, kind):
    login(client, net, "editor_a")
    endpoint = {"image": "/admin/api/main/images/", "document": "/admin/api/main/documents/"}[kind]
    own, other = net.assets[kind]["a"], net.assets[kind]["b"]
    rendition_model = get_image_model().get_rendition_model()
    renditions_before = rendition_model.objects.filter(image_id=other.pk).count() if kind == "image" else 0
    detail = client.get(f"{endpoint}{other.pk}/")
    assert detail.status_code == 404 and TITLES[kind][1] not in detail.content.decode()
    if kind == "image":
        assert rendition_model.objects.filter(image_id=other.pk).count() == renditions_before
    listing = client.get(endpoint).content.decode()
    assert TITLES[kind][0] in listing and TITLES[kind][1] not in listing
    assert TITLES[kind][0] in client.get(f"{endpoint}{own.pk}/").content.decode()
    login(client, net, "national")
    assert client.get(f"{endpoint}{other.pk}/").status_code == 200


BULK_ACTIONS = [
    (kind, model, action)
    for kind, model in (("image", "libraryimage"), ("document", "guidedocument"))
    for action in ("delete", "add_tags", "add_to_collection")
]


@pytest.mark.parametrize(("kind", "model_name", "action"), BULK_ACTIONS)
def test_bulk_action_confirmation_names_no_item_of_another_collection(client, net, kind, model_name, action):
    login(client, net, "editor_a")
    own, other = net.assets[kind]["a"], net.assets[kind]["b"]
    url = reverse("wagtail_bulk_action", args=["library", model_name, action])
    page = client.get(url, {"id": [own.pk, other.pk]})
    body = page.content.decode()
    assert page.status_code == 200
    assert TITLES[kind][0] in body and TITLES[kind][1] not in body
    submitted = client.post(f"{url}?id={other.pk}", {"tags": "prise", "collection": net.collection_a.pk})
    assert TITLES[kind][1] not in submitted.content.decode()
    item = type(other).objects.get(pk=other.pk)
    assert (item.title, item.collection_id, list(item.tags.names())) == (TITLES[kind][1], net.collection_b.pk, [])
