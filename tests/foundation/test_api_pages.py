"""The v2 and v3 APIs return the demo pages in French and English."""

import pytest
from django.core.management import call_command
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db, django_capture_on_commit_callbacks):
    # wagtail-localize publishes translations on commit.
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo_content", verbosity=0)


def test_v3_lists_demo_pages_in_each_language(client, demo):
    url = reverse("wagtailapi_v3:list_pages")
    french = client.get(url, {"locale": "fr", "type": "home.ContentPage"}).json()
    english = client.get(url, {"locale": "en", "type": "home.ContentPage"}).json()
    assert {item["title"] for item in french["items"]} >= {"Les objectifs", "Les actions", "Les publics", "Les partenaires"}
    assert {item["title"] for item in english["items"]} >= {"Objectives", "Actions", "Audiences", "Partners"}
    assert all(item["meta"]["locale"] == "en" for item in english["items"])


def test_v2_lists_demo_pages_in_each_language(client, demo):
    url = reverse("wagtailapi:pages:listing")
    english = client.get(url, {"locale": "en", "type": "home.ContentPage", "fields": "introduction"}).json()
    titles = {item["title"] for item in english["items"]}
    assert "Objectives" in titles
    assert all(item["introduction"] for item in english["items"])
