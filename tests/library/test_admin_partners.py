"""Taxonomy snippets, partner tokens and the downloads report in the admin."""

import csv
import datetime
import io

import pytest

from django.urls import reverse
from django.utils import timezone

from wagtail.models import APIToken, Locale

from library.core.tiers import ConsentScope, Tier
from library.models import DownloadEvent, PartnerOrganisation, PartnerToken, Theme
from tests.factories import make_consent, make_film, make_user
from tests.library.network import build_network

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def net(module_db):
    with module_db.build():
        network = build_network(with_items=False)
        a, b = network.coord_a, network.coord_b
        network.film_a = make_film(a, "Film Alpha", Tier.PUBLIC, make_consent(a, ConsentScope.PUBLIC))
        network.film_b = make_film(b, "Film Bêta", Tier.PUBLIC, make_consent(b, ConsentScope.PUBLIC))
        network.organisation = PartnerOrganisation.objects.get(name="Maison des jeunes")
        network.outsider = make_user("sans-structure")
        now = timezone.now()
        months = [now - datetime.timedelta(days=days) for days in (0, 0, 0, 40, 40, 75)]
        DownloadEvent.objects.bulk_create(
            [
                DownloadEvent(
                    organisation=network.organisation,
                    page=film,
                    coordination_id=film.coordination_id,
                    item_title=film.title,
                    rendition="720p",
                    created_at=when,
                )
                for film, when in [(network.film_a, when) for when in months] + [(network.film_b, now)]
            ]
        )
    return network


def login(client, net, who):
    client.force_login(net.users[who])
    return client


# --- Taxonomy -----------------------------------------------------------------------------


def test_taxonomy_crud_by_national_editor(client, net):
    login(client, net, "national")
    add_url = reverse("wagtailsnippets_library_theme:add")
    response = client.post(
        add_url, {"name": "Cinéma et citoyenneté", "slug": "cinema-et-citoyennete", "description": ""}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    theme = Theme.objects.get(name="Cinéma et citoyenneté")
    assert theme.slug == "cinema-et-citoyennete"
    assert theme.locale.language_code == "fr"

    Locale.objects.get_or_create(language_code="en")
    listing = client.get(reverse("wagtailsnippets_library_theme:list"))
    assert listing.status_code == 200 and "Cinéma et citoyenneté" in listing.content.decode()
    assert "Thèmes" in listing.content.decode()
    translate_url = reverse("wagtail_localize:submit_snippet_translation", args=["library", "theme", theme.pk])
    assert translate_url in listing.content.decode()  # national editors translate through wagtail-localize

    edit_url = reverse("wagtailsnippets_library_theme:edit", args=[theme.pk])
    response = client.post(edit_url, {"name": "Citoyenneté", "slug": theme.slug, "description": "Débats"})
    assert response.status_code == 302
    theme.refresh_from_db()
    assert (theme.name, theme.description) == ("Citoyenneté", "Débats")

    response = client.post(reverse("wagtailsnippets_library_theme:delete", args=[theme.pk]))
    assert response.status_code == 302
    assert not Theme.objects.filter(pk=theme.pk).exists()


def test_regional_editor_reads_taxonomy_but_cannot_add(client, net):
    login(client, net, "editor_a")
    assert client.get(reverse("wagtailsnippets_library_genre:list")).status_code == 200
    response = client.post(reverse("wagtailsnippets_library_genre:add"), {"name": "Opéra", "slug": ""})
    assert response.status_code in (302, 403)
    assert not Theme.objects.filter(name="Opéra").exists()


# --- Partner tokens -----------------------------------------------------------------------


def issue(client, net, user, **extra):
    data = {
        "organisation": net.organisation.pk,
        "user": user.pk,
        "name": "Portail de la Maison des jeunes",
        "expires_at": (timezone.now() + datetime.timedelta(days=90)).strftime("%Y-%m-%d %H:%M"),
        **extra,
    }
    return client.post(reverse("wagtailsnippets_library_partnertoken:add"), data)


def test_token_is_shown_once_then_revoked(client, net):
    login(client, net, "national")
    form = client.get(reverse("wagtailsnippets_library_partnertoken:add")).content.decode()
    for field in ("organisation", "user", "name", "expires_at"):
        assert f'name="{field}"' in form
    response = issue(client, net, net.users["partner_session"])
    assert response.status_code == 200, response.get("Location")
    body = response.content.decode()
    assert "il ne sera plus jamais affiché" in body
    plaintext = body.split('id="api-token-value" value="')[1].split('"')[0]
    assert APIToken.validate_token_format(plaintext)

    partner_token = PartnerToken.objects.get(api_token__name="Portail de la Maison des jeunes")
    assert partner_token.organisation == net.organisation
    assert partner_token.api_token.user == net.users["partner_session"]
    assert partner_token.api_token.key_hash == APIToken.hash_token(plaintext)
    assert partner_token.expires_at > timezone.now() + datetime.timedelta(days=89)
    assert partner_token.is_valid

    listing = client.get(reverse("wagtailsnippets_library_partnertoken:list")).content.decode()
    assert partner_token.api_token.prefix in listing
    assert plaintext not in listing  # never shown again

    revoke_url = reverse("wagtailsnippets_library_partnertoken:delete", args=[partner_token.pk])
    assert client.get(revoke_url).status_code == 200
    assert client.post(revoke_url).status_code == 302
    partner_token.refresh_from_db()
    partner_token.api_token.refresh_from_db()
    assert partner_token.api_token.revoked_at is not None
    assert not partner_token.is_valid
    assert "Révoqué" in client.get(reverse("wagtailsnippets_library_partnertoken:list")).content.decode()


def test_token_only_for_members_and_future_expiry(client, net):
    login(client, net, "national")
    before = PartnerToken.objects.count()
    response = issue(client, net, net.outsider)
    assert response.status_code == 200
    assert "wagtail_" not in response.content.decode()
    response = issue(client, net, net.users["partner_session"], expires_at="2001-01-01 00:00")
    assert "La date d’expiration doit être dans le futur." in response.content.decode()
    assert PartnerToken.objects.count() == before


def test_regional_editors_cannot_issue_tokens(client, net):
    login(client, net, "editor_a")
    before = PartnerToken.objects.count()
    response = issue(client, net, net.users["partner_session"])
    assert response.status_code in (302, 403)
    assert PartnerToken.objects.count() == before


# --- Downloads report ---------------------------------------------------------------------


REPORT = "library_downloads_report"


def test_report_shows_chart_and_table(client, net):
    response = login(client, net, "national").get(reverse(REPORT))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Téléchargements par mois (7)" in body
    assert body.count("<rect ") == 3  # three months
    assert "Film Alpha" in body and "Film Bêta" in body
    assert '<script src="http' not in body


def test_report_csv_export(client, net):
    response = login(client, net, "national").get(reverse(REPORT), {"export": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0] == ["Mois", "Coordination", "Film ou guide", "Téléchargements"]
    this_month = timezone.localtime().strftime("%Y-%m")
    assert [this_month, net.coord_a.title, "Film Alpha", "3"] in rows
    assert [this_month, net.coord_b.title, "Film Bêta", "1"] in rows
    assert sum(int(row[3]) for row in rows[1:]) == 7


def test_report_filters_by_coordination(client, net):
    response = login(client, net, "national").get(reverse(REPORT), {"coordination": net.coord_b.pk, "export": "csv"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [row[2] for row in rows[1:]] == ["Film Bêta"]


def test_regional_editor_sees_only_own_downloads(client, net):
    response = login(client, net, "editor_b").get(reverse(REPORT))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Film Bêta" in body
    assert "Film Alpha" not in body


def test_partners_have_no_report(client, net):
    response = login(client, net, "partner_session").get(reverse(REPORT))
    assert response.status_code in (302, 403)
