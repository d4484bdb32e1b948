"""Missing named renditions are queued once, after the response, never made while answering.

On the immediate task backend the generation runs in a thread of the web
process, on its own database connection, once the response is sent: the
tests commit their data (transactional tests), as a real request would find
it, and wait for that thread.
"""

import pytest

from django.core.cache import cache
from django.urls import reverse

from wagtail.models import Locale, Page, Site

from home.models import HomePage
from library.assets.processing import wait_for_background
from library.models.renditions import NAMED_RENDITIONS
from tests.factories import make_image

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def page_with_bare_image():
    cache.clear()
    image = make_image("Bannière sans rendus")
    image.renditions.all().delete()
    home = Page.get_first_root_node().add_child(
        instance=HomePage(title="Accueil", slug="accueil-rendus", locale=Locale.get_default(), hero_image=image)
    )
    home.save_revision().publish()
    Site.objects.filter(is_default_site=True).update(root_page=home)
    image.renditions.all().delete()
    return home, image


def test_a_request_answers_without_the_missing_renditions_and_queues_them_after(client, page_with_bare_image):
    home, image = page_with_bare_image
    url = reverse("wagtailapi_v3:detail_page", kwargs={"page_id": home.pk})

    response = client.get(url)
    wait_for_background()

    assert response.status_code == 200
    assert response.json()["hero_image"]["renditions"] == {}, "nothing was resized while answering"
    assert set(image.renditions.values_list("filter_spec", flat=True)) == set(NAMED_RENDITIONS.values())


def test_the_same_gap_is_queued_once(client, page_with_bare_image):
    home, image = page_with_bare_image
    url = reverse("wagtailapi_v3:detail_page", kwargs={"page_id": home.pk})

    client.get(url)
    wait_for_background()
    image.renditions.all().delete()
    second = client.get(url)
    wait_for_background()

    assert second.json()["hero_image"]["renditions"] == {}
    assert not image.renditions.exists(), "a generation queued minutes ago is not queued again"
