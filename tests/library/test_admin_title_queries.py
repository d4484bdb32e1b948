"""The admin's page titles (`page_guard.admin_display_title`) cost no query per page in a listing.

The explorer and the page chooser ask each listed page for its admin title,
some more than once; the rule behind it (`visibility.shows_drafts_of`) needs
the editor's groups and page permissions, which are read once per request,
not once per page. The queries counted are those run while a title is
asked for: Wagtail's own listing costs (a row's status, its parent) are
Wagtail's and the same for every editor.

The explorer lists only pages an editor may explore (their own and their
ancestors), so it is measured on the editor's own coordination; the chooser
lists another coordination's live pages too, so it is measured on B's.
"""

import pytest

from django.db import connection
from django.urls import reverse

from wagtail.models import Locale, Page

from library.access.network import ensure_coordination_group
from library.core.tiers import Tier
from tests.factories import make_guide
from tests.library.network import build_network

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def network(module_db):
    with module_db.build():
        network = build_network(with_items=False)
        english = Locale.objects.get_or_create(language_code="en")[0]
        network.coord_a.copy_for_translation(english, copy_parents=True, exclude_fields=["editors_group"])
        ensure_coordination_group(network.coord_a)
    return network


class TitleQueries:
    """Counts the queries run while `Page.get_admin_display_title` is asked, and the titles asked."""

    def __init__(self, monkeypatch):
        self.depth = self.queries = self.titles = 0
        title = Page.get_admin_display_title

        def counted_title(page):
            self.depth += 1
            self.titles += 1
            try:
                return title(page)
            finally:
                self.depth -= 1

        monkeypatch.setattr(Page, "get_admin_display_title", counted_title)

    def __call__(self, execute, sql, params, many, context):
        if self.depth:
            self.queries += 1
        return execute(sql, params, many, context)

    def measure(self, client, url):
        self.queries = self.titles = 0
        with connection.execute_wrapper(self):
            response = client.get(url)
        assert response.status_code == 200
        return self.queries, self.titles, response.content.decode()


def _add_guides(coordination, first, last):
    for number in range(first, last):
        make_guide(coordination, f"Guide reseau {number:02d}", Tier.NETWORK)


@pytest.mark.parametrize(
    ("url_name", "coordination"),
    [("wagtailadmin_explore", "coord_a"), ("wagtailadmin_choose_page_child", "coord_b")],
    ids=["explorer-own-pages", "chooser-other-coordination"],
)
@pytest.mark.parametrize("who", ["editor_a", "national"])
def test_a_listings_titles_cost_the_same_queries_for_5_or_20_pages(
    client, network, monkeypatch, url_name, coordination, who
):
    parent = getattr(network, coordination)
    client.force_login(network.users[who])
    counter = TitleQueries(monkeypatch)
    url = reverse(url_name, args=[parent.pk])
    _add_guides(parent, 0, 5)
    with_5, titles_5, body = counter.measure(client, url)
    assert "Guide reseau 04" in body
    _add_guides(parent, 5, 20)
    with_20, titles_20, body = counter.measure(client, url)
    assert "Guide reseau 19" in body
    assert titles_20 >= titles_5 + 15  # each new page's title was asked for
    print(
        f"\n{url_name} as {who}: {with_5} title queries for 5 pages ({titles_5} titles), {with_20} for 20 ({titles_20})"
    )
    assert with_20 == with_5
