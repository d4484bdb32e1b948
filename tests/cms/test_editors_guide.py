"""The editors' guide (docs/guide-editeurs/) is read inside the admin, from its help menu, by editors only."""

import json
import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest

from django.urls import reverse
from django.utils import translation

from cms import editors_guide
from tests.factories import build_coordinations, build_home, make_user

pytestmark = pytest.mark.django_db

INDEX = "/admin/guide-editeurs/"


class Links(HTMLParser):
    """The links of the guide's article and the ids of its elements."""

    def __init__(self):
        super().__init__()
        self.depth = 0
        self.hrefs = []
        self.ids = set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "data-editors-guide" in attrs:
            self.depth = 1
        elif self.depth and tag not in ("br", "hr", "img"):
            self.depth += 1
        if self.depth:
            if tag == "a" and attrs.get("href"):
                self.hrefs.append(attrs["href"])
            if attrs.get("id"):
                self.ids.add(attrs["id"])

    def handle_endtag(self, tag):
        if self.depth:
            self.depth -= 1


def parse(response):
    parser = Links()
    parser.feed(response.content.decode())
    return parser


@pytest.fixture
def editor():
    _index, (alpha, _beta) = build_coordinations(build_home())
    return make_user("redactrice", alpha.editors_group)


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def guide_urls():
    return [INDEX] + [f"{INDEX}{slug}/" for slug in editors_guide.guide_pages() if slug]


def menu_item(node, name):
    """The sidebar's menu item called `name`, anywhere in Wagtail's serialised sidebar."""
    if isinstance(node, dict):
        args = node.get("_args") or []
        if node.get("_type", "").endswith("MenuItem") and args and args[0].get("name") == name:
            return node
        node = list(node.values())
    if isinstance(node, list):
        for child in node:
            found = menu_item(child, name)
            if found is not None:
                return found
    return None


def test_the_help_menu_offers_the_editors_guide_first(editor_client):
    response = editor_client.get("/admin/", HTTP_ACCEPT_LANGUAGE="fr")
    props = re.search(r'id="wagtail-sidebar-props"[^>]*>(.*?)</script>', response.content.decode(), re.S).group(1)
    help_menu = menu_item(json.loads(props), "help")
    first = help_menu["_args"][1][0]["_args"][0]
    assert first["label"] == "Guide des éditeurs"
    assert first["url"] == INDEX


def test_the_guide_has_an_index_and_one_page_per_task():
    assert set(editors_guide.guide_pages()) == {
        "",
        "cataloguer-un-film",
        "enregistrer-le-consentement",
        "televerser-et-sous-titrer",
        "traduire",
        "circuit-de-validation",
        "jetons-des-partenaires",
    }


def test_every_page_renders_for_an_editor_under_its_title(editor_client):
    for slug, page in editors_guide.guide_pages().items():
        url = f"{INDEX}{slug}/" if slug else INDEX
        response = editor_client.get(url, HTTP_ACCEPT_LANGUAGE="fr")
        assert response.status_code == 200, url
        html = response.content.decode()
        assert f"<title>{page.title}" in html, url
        assert "data-editors-guide" in html, url
        if slug:
            assert re.search(r'href="/admin/guide-editeurs/">\s*Guide des éditeurs\s*<', html), url


def test_anonymous_visitors_are_sent_to_the_login(client):
    for url in guide_urls():
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("wagtailadmin_login")), url


def test_an_account_without_admin_access_is_refused(client):
    client.force_login(make_user("partenaire"))
    for url in guide_urls():
        response = client.get(url)
        assert response.status_code in (302, 403), url
        assert "data-editors-guide" not in response.content.decode(), url


def test_an_unknown_page_or_a_file_outside_the_guide_is_not_found(editor_client):
    for url in (f"{INDEX}absente/", f"{INDEX}README/", f"{INDEX}..%2Farchitecture/"):
        assert editor_client.get(url).status_code == 404, url


def test_every_page_linked_from_the_index_exists(editor_client):
    links = [href for href in parse(editor_client.get(INDEX)).hrefs if href.startswith(INDEX)]
    expected = {f"{INDEX}{slug}/" for slug in editors_guide.guide_pages() if slug}
    assert set(links) == expected
    for href in links:
        assert editor_client.get(href).status_code == 200, href


def test_every_relative_link_inside_the_guide_resolves(editor_client):
    """Relative links (and anchors) point at guide pages and ids that exist; no raw `.md` link is left."""
    for url in guide_urls():
        for href in parse(editor_client.get(url)).hrefs:
            parts = urlsplit(href)
            if parts.scheme:
                continue
            assert not parts.path.endswith(".md"), f"{url}: {href}"
            target = parts.path or url
            assert target.startswith(INDEX), f"{url}: {href}"
            response = editor_client.get(target)
            assert response.status_code == 200, f"{url}: {href}"
            if parts.fragment:
                assert parts.fragment in parse(response).ids, f"{url}: {href}"


def test_relative_markdown_links_become_admin_urls(tmp_path):
    (tmp_path / "README.md").write_text("# Sommaire\n\n[Film](cataloguer-un-film.md#avant) [Doc](../api.md)\n")
    (tmp_path / "cataloguer-un-film.md").write_text("# Cataloguer\n\n[Retour](README.md)\n")
    (tmp_path / "notes.txt").write_text("not a page")
    pages = editors_guide.guide_pages(tmp_path)
    assert set(pages) == {"", "cataloguer-un-film"}
    assert pages[""].title == "Sommaire"
    with translation.override("fr"):
        index_html = editors_guide.render(pages[""])
        page_html = editors_guide.render(pages["cataloguer-un-film"])
    assert 'href="/admin/guide-editeurs/cataloguer-un-film/#avant"' in index_html
    assert 'href="../api.md"' in index_html  # outside the guide: left as written
    assert 'href="/admin/guide-editeurs/"' in page_html
    assert "<h1" not in index_html  # the title is the admin header's
