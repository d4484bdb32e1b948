"""The demo content, loaded once for this module: both APIs serve it in French
and English, and loading it a second time changes nothing.

Loading the demo is the slowest set-up of the suite, so these tests share one
load (see `demo_content` in conftest.py).
"""

import io

import pytest

from django.apps import apps
from django.core.management import call_command
from django.urls import reverse

from wagtail.models import Locale, Page, Revision

from home.models import ContentPage, HomePage

# The module's first test also loads the whole demo (its clips generated and transcoded): minutes on a busy
# 2-core machine, more than the suite's 300 s per test.
pytestmark = [pytest.mark.django_db, pytest.mark.timeout(900)]

FRENCH_TITLES = {"Les objectifs", "Les actions", "Les publics", "Les partenaires"}
ENGLISH_TITLES = {"Objectives", "Actions", "Audiences", "Partners"}


def _english(page):
    return page.get_translation(Locale.objects.get(language_code="en")).specific


@pytest.mark.parametrize(("locale", "titles"), [("fr", FRENCH_TITLES), ("en", ENGLISH_TITLES)])
def test_v3_lists_the_content_pages_in_each_language(client, demo_content, locale, titles):
    response = client.get(reverse("wagtailapi_v3:list_pages"), {"locale": locale, "type": "home.ContentPage"})
    assert response.status_code == 200
    items = response.json()["items"]
    assert {item["title"] for item in items} == titles
    assert {item["meta"]["locale"] for item in items} == {locale}


@pytest.mark.parametrize(("locale", "titles"), [("fr", FRENCH_TITLES), ("en", ENGLISH_TITLES)])
def test_v2_lists_the_content_pages_in_each_language(client, demo_content, locale, titles):
    response = client.get(
        reverse("wagtailapi:pages:listing"), {"locale": locale, "type": "home.ContentPage", "fields": "introduction"}
    )
    assert response.status_code == 200
    items = response.json()["items"]
    assert {item["title"] for item in items} == titles
    assert {item["meta"]["locale"] for item in items} == {locale}
    assert all(item["introduction"] for item in items)


@pytest.mark.parametrize("version", ["v2", "v3"])
def test_english_home_page_body_is_english_with_english_links(client, demo_content, version):
    french_home = HomePage.objects.get(locale__language_code="fr")
    english_home = _english(french_home)
    english_objectives = _english(ContentPage.objects.get(locale__language_code="fr", slug="objectifs"))

    response = client.get(f"/api/{version}/pages/{english_home.pk}/")
    assert response.status_code == 200
    data = response.json()
    assert data["meta"]["locale"] == "en"
    blocks = {block["type"]: block["value"] for block in data["body"]}
    assert blocks["heading"] == {"text": "A national network", "level": "h2"}
    assert blocks["paragraph"].startswith("<p>21 regional coordinations")
    assert blocks["quote"]["text"] == "We made our own film, and the whole cinema watched it."
    assert blocks["image"]["image"]["alt"] == "A projector beam over a film strip"
    assert set(blocks["image"]["image"]["renditions"]) == {"card", "hero"}
    assert blocks["call_to_action"] == {
        "label": "Discover the objectives",
        "url": english_objectives.url,
        "page_id": english_objectives.pk,
    }
    assert english_objectives.url.startswith("/en/")
    assert set(data["hero_image"]["renditions"]) == {"hero"}


def test_openapi_document_and_docs_are_served(client, demo_content):
    document = client.get("/api/v3/openapi.json")
    assert document.status_code == 200
    schema = document.json()
    assert schema["info"]["title"] == "Passeurs d'images API"
    assert "/api/v3/pages/" in schema["paths"]
    assert "/api/v3/pages/{id}/" in schema["paths"] or any(p.startswith("/api/v3/pages/{") for p in schema["paths"])
    docs = client.get("/api/v3/docs/")
    assert docs.status_code == 200
    assert b"/api/v3/openapi.json" in docs.content


def _row_counts():
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy
    }


def test_second_run_changes_nothing(demo_content, s3_server, django_capture_on_commit_callbacks):
    counts = _row_counts()
    latest_revisions = dict(Page.objects.values_list("pk", "latest_revision_id"))
    last_revision = Revision.objects.order_by("-pk").values_list("pk", flat=True).first()
    objects = set(s3_server.list_keys())

    output = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo_content", stdout=output)

    assert _row_counts() == counts
    assert dict(Page.objects.values_list("pk", "latest_revision_id")) == latest_revisions
    assert Revision.objects.order_by("-pk").values_list("pk", flat=True).first() == last_revision
    assert set(s3_server.list_keys()) == objects
    assert "Demo content ready." in output.getvalue()
    # Credentials are printed only when DEBUG is on; the test settings have it off.
    assert "passeurs-demo" not in output.getvalue()


def test_the_demo_partner_logs_in_to_the_partner_space_by_e_mail(client, demo_content):
    """`partenaire@mjc-exemple.fr`, verified, member of an organisation: the partner space's demo log-in."""
    from allauth.account.models import EmailAddress

    from library.demo.accounts import PARTNER_EMAIL, PARTNER_USER

    address = EmailAddress.objects.get(email=PARTNER_EMAIL)
    assert (address.verified, address.primary, address.user.username) == (True, True, PARTNER_USER[0])
    address.user.set_password("passeurs-demo")  # outside DEBUG the demo's passwords are random
    address.user.save()
    login = client.post(
        "/_allauth/app/v1/auth/login",
        {"email": PARTNER_EMAIL, "password": "passeurs-demo"},
        content_type="application/json",
    )
    assert login.status_code == 200, login.content
    me = client.get("/api/v3/partner/me/", HTTP_X_SESSION_TOKEN=login.json()["meta"]["session_token"])
    assert me.status_code == 200
    assert me.json()["organisation"]["name"] == "Cinéma de quartier des Lilas"
