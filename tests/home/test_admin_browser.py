"""In real Chromium: an editor logs into the French admin, creates a content
page under the home page, publishes it, and the v3 API then returns it.
"""

import json
import re
import urllib.request

import pytest

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission

from wagtail.models import GroupPagePermission, Locale, Page, Site

from home.models import ContentPage, HomePage

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "mot-de-passe-editeur"


@pytest.fixture
def home():
    french = Locale.objects.get(language_code="fr")
    home = Page.get_first_root_node().add_child(instance=HomePage(title="Accueil", slug="accueil", locale=french))
    Site.objects.filter(is_default_site=True).update(root_page=home)
    return home


@pytest.fixture
def editor(home):
    """An editor of the home page's subtree: admin access, add, change and publish pages."""
    group = Group.objects.create(name="Rédaction")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    for codename in ("add_page", "change_page", "publish_page"):
        GroupPagePermission.objects.create(
            group=group,
            page=home,
            permission=Permission.objects.get(content_type__app_label="wagtailcore", codename=codename),
        )
    user = get_user_model().objects.create_user("camille", "camille@example.org", PASSWORD, first_name="Camille")
    user.groups.add(group)
    return user


def _api_titles(live_server):
    with urllib.request.urlopen(f"{live_server.url}/api/v3/pages/?type=home.ContentPage", timeout=10) as response:
        return [item["title"] for item in json.load(response)["items"]]


def test_editor_creates_and_publishes_a_content_page(live_server, browser_page, home, editor):
    page = browser_page
    assert _api_titles(live_server) == []

    page.goto(f"{live_server.url}/admin/login/")
    assert page.locator("html").get_attribute("lang") == "fr"
    page.fill("#id_username", editor.username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="S'identifier").click()
    page.wait_for_url(re.compile(r"/admin/$"))
    assert page.get_by_role("heading", name="Sommaire du site").is_visible()

    # From the home page's listing, add a child page of type "content page".
    page.goto(f"{live_server.url}/admin/pages/{home.pk}/")
    page.get_by_role("link", name="Ajouter une sous-page").first.click()
    page.get_by_role("link", name="Page de contenu", exact=True).click()
    page.wait_for_url(re.compile(r"/admin/pages/add/home/contentpage/"))

    page.fill("#id_title", "Nos ateliers d'été")
    page.fill("#id_introduction", "Des ateliers de pratique dans les quartiers, tout l'été.")
    page.locator("footer [data-w-dropdown-target='toggle']").first.click()
    page.get_by_role("button", name="Publier").click()
    page.wait_for_url(re.compile(rf"/admin/pages/{home.pk}/$"))
    assert page.get_by_text("Page « Nos ateliers d'été » créée et publiée.").is_visible()

    created = ContentPage.objects.get(title="Nos ateliers d'été")
    assert created.live and created.get_parent().pk == home.pk
    assert created.owner == editor
    assert _api_titles(live_server) == ["Nos ateliers d'été"]
