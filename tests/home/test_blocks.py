"""Each StreamField block's API representation, and the page language it is served in.

A small French tree with its English translation is built once for the
module: a home page, a content page it links to, and an image whose named
renditions are generated on the S3 server.
"""

import io
import json
from types import SimpleNamespace

import pytest
from PIL import Image as PILImage

from django.core.files.images import ImageFile
from django.utils import translation

from wagtail.blocks import StructBlockValidationError
from wagtail.images import get_image_model
from wagtail.models import Locale, Page, Site

from home.blocks import BodyBlock, CallToActionBlock, HeadingBlock, ImageBlock, QuoteBlock
from home.models import ContentPage, HomePage
from library.models.renditions import NAMED_RENDITIONS

pytestmark = pytest.mark.django_db


def _image(title, size=(2000, 1000)):
    buffer = io.BytesIO()
    PILImage.new("RGB", size, (200, 40, 40)).save(buffer, format="JPEG")
    image = get_image_model()(
        title=title,
        description="Un faisceau rouge",
        file=ImageFile(io.BytesIO(buffer.getvalue()), name="faisceau.jpg"),
    )
    image.save()
    return image


def _publish(page):
    page.save_revision().publish()
    return page


@pytest.fixture(scope="module")
def tree(module_db):
    with module_db.build():
        french = Locale.objects.get(language_code="fr")
        english, _ = Locale.objects.get_or_create(language_code="en")
        root = Page.get_first_root_node()
        home = root.add_child(instance=HomePage(title="Accueil", slug="accueil-blocs", locale=french))
        site = Site.objects.get(is_default_site=True)
        site.root_page = home
        site.save()
        target = _publish(home.add_child(instance=ContentPage(title="Objectifs", slug="objectifs", locale=french)))
        _publish(home)
        english_home = _publish(home.copy_for_translation(english))
        english_target = _publish(target.copy_for_translation(english))
        image = _image("Bloc image")
    return SimpleNamespace(
        home=home, target=target, english_home=english_home, english_target=english_target, image=image
    )


def _stream(*blocks):
    block = BodyBlock()
    return block.to_python([{"type": kind, "value": value} for kind, value in blocks])


def test_heading_gives_text_and_level():
    block = HeadingBlock()
    value = block.to_python({"text": "Un réseau national", "level": "h3"})
    assert block.get_api_representation(value) == {"text": "Un réseau national", "level": "h3"}


def test_rich_text_is_display_html_with_public_paths(tree):
    stream = _stream(("paragraph", f'<p>Lire <a linktype="page" id="{tree.target.pk}">les objectifs</a>.</p>'))
    with translation.override("fr"):
        french = BodyBlock().get_api_representation(stream)[0]["value"]
    with translation.override("en"):
        english = BodyBlock().get_api_representation(stream)[0]["value"]
    assert french == '<p>Lire <a href="/objectifs/">les objectifs</a>.</p>'
    # The same link, served in English, points at the English translation.
    assert english == f'<p>Lire <a href="{tree.english_target.url}">les objectifs</a>.</p>'
    assert tree.english_target.url.startswith("/en/")
    assert "linktype" not in french + english


def test_image_gives_named_renditions_with_size_and_alt(tree):
    block = ImageBlock()
    value = block.to_python({"image": tree.image.pk, "alt_text": "", "caption": "Une séance"})
    data = block.get_api_representation(value)
    assert data["caption"] == "Une séance"
    assert data["image"]["alt"] == "Un faisceau rouge"  # the image's description by default
    assert set(data["image"]["renditions"]) == {"card", "hero"}
    assert {k: v for k, v in data["image"]["renditions"]["card"].items() if k != "url"} == {
        "width": 640,
        "height": 360,
    }
    assert {k: v for k, v in data["image"]["renditions"]["hero"].items() if k != "url"} == {
        "width": 1600,
        "height": 800,
    }
    for rendition in data["image"]["renditions"].values():
        assert "X-Amz-Signature=" in rendition["url"]
    # The srcset lists the card-shaped renditions by width, nothing else.
    assert [part.rsplit(" ", 1)[1] for part in data["image"]["srcset"].split(", ")] == ["320w", "640w", "1280w"]

    value = block.to_python({"image": tree.image.pk, "alt_text": "Un projecteur", "caption": ""})
    assert block.get_api_representation(value)["image"]["alt"] == "Un projecteur"


def test_image_renditions_were_made_on_upload_not_on_request(tree, django_assert_num_queries):
    assert tree.image.renditions.count() == len(NAMED_RENDITIONS)
    block = ImageBlock()
    value = block.to_python({"image": tree.image.pk, "alt_text": "", "caption": ""})
    # to_python fetched the image; serialising reads its renditions in one query and generates nothing.
    with django_assert_num_queries(1):
        block.get_api_representation(value)
    assert tree.image.renditions.count() == len(NAMED_RENDITIONS)


def test_quote_gives_text_and_attribution():
    block = QuoteBlock()
    value = block.to_python({"text": "On a fait notre film.", "attribution": "Une participante"})
    assert block.get_api_representation(value) == {"text": "On a fait notre film.", "attribution": "Une participante"}


def test_call_to_action_to_a_page_gives_its_path_in_the_served_language(tree):
    block = CallToActionBlock()
    value = block.to_python({"label": "Découvrir", "page": tree.target.pk, "external_url": ""})
    with translation.override("fr"):
        assert block.get_api_representation(value) == {
            "label": "Découvrir",
            "url": "/objectifs/",
            "page_id": tree.target.pk,
        }
    with translation.override("en"):
        english = block.get_api_representation(value)
    assert english["url"] == tree.english_target.url
    assert english["page_id"] == tree.english_target.pk


def test_call_to_action_to_an_address_gives_the_address():
    block = CallToActionBlock()
    value = block.to_python({"label": "Le site national", "page": None, "external_url": "https://example.org/"})
    assert block.get_api_representation(value) == {
        "label": "Le site national",
        "url": "https://example.org/",
        "page_id": None,
    }


@pytest.mark.parametrize("page", [True, False])
def test_call_to_action_needs_exactly_one_destination(tree, page):
    block = CallToActionBlock()
    value = block.to_python(
        {
            "label": "Ici",
            "page": tree.target.pk if page else None,
            "external_url": "https://example.org/" if page else "",
        }
    )
    with pytest.raises(StructBlockValidationError):
        block.clean(value)


@pytest.fixture
def english_home_with_links(tree):
    """The English home page, whose body still links to the French target (not yet re-translated)."""
    page = HomePage.objects.get(pk=tree.english_home.pk)
    page.body = json.dumps(
        [
            {"type": "paragraph", "value": f'<p><a linktype="page" id="{tree.target.pk}">Objectives</a></p>'},
            {"type": "call_to_action", "value": {"label": "Go", "page": tree.target.pk, "external_url": ""}},
        ]
    )
    return _publish(page)


@pytest.mark.parametrize("version", ["v2", "v3"])
def test_api_serves_a_page_in_its_own_language_whatever_the_browser_asks(
    client, tree, english_home_with_links, version
):
    response = client.get(f"/api/{version}/pages/{english_home_with_links.pk}/", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 200
    body = response.json()["body"]
    assert body[0]["value"] == f'<p><a href="{tree.english_target.url}">Objectives</a></p>'
    assert body[1]["value"]["url"] == tree.english_target.url
