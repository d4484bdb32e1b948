"""Dates in the admin's listings, the consent register's filter, order and count, and the one token screen.

Dates read as dates in French (`15/11/2031`, `15/11/2031 15:05` in Paris
time), never as a time relative to now: Wagtail's `DateColumn` wrote every
future expiry "Il y a 0 minute". Expired rows carry a status tag. Wagtail's
own API token screen is gone: its menu item and its URLs; the partner token
screen is the only one.
"""

import csv
import datetime
import io
import re

import pytest

from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone, translation

from wagtail.admin.menu import settings_menu
from wagtail.models import APIToken

from library.core.tiers import ConsentScope
from library.models import ConsentRecord, DownloadEvent, PartnerOrganisation, PartnerToken
from tests.factories import make_consent, make_user
from tests.library.network import build_network

pytestmark = pytest.mark.django_db

REGISTER = "wagtailsnippets_library_consentrecord:list"
TOKENS = "wagtailsnippets_library_partnertoken:list"
PARIS = datetime.timezone(datetime.timedelta(hours=1))  # Paris in November


def _day(offset):
    return timezone.localdate() + datetime.timedelta(days=offset)


@pytest.fixture(scope="module")
def net(module_db):
    with module_db.build():
        network = build_network(with_items=False)
        a, b = network.coord_a, network.coord_b
        network.consents = {
            "far": make_consent(
                a, ConsentScope.PUBLIC, label="Atelier lointain", expires_on=datetime.date(2031, 11, 15)
            ),
            "expired": make_consent(a, ConsentScope.PUBLIC, label="Atelier échu", expires_on=_day(-3)),
            "expiring": make_consent(b, ConsentScope.NETWORK, label="Atelier bientôt échu", expires_on=_day(20)),
            "open": make_consent(b, ConsentScope.PUBLIC, label="Atelier sans échéance"),
            "withdrawn": make_consent(a, ConsentScope.PUBLIC, label="Atelier retiré", withdrawn=True),
        }
        organisation = PartnerOrganisation.objects.get(name="Cinéma Le Lux")
        user = organisation.members.get()
        network.tokens_by_kind = {}
        for kind, expires_at in [
            ("far", datetime.datetime(2031, 11, 15, 14, 5, tzinfo=PARIS)),
            ("expired", timezone.now() - datetime.timedelta(days=2)),
        ]:
            api_token, _plaintext = APIToken.create_token(user=user, name=f"Portail {kind}")
            network.tokens_by_kind[kind] = PartnerToken.objects.create(
                api_token=api_token, organisation=organisation, expires_at=expires_at
            )
        network.tokens_by_kind["open"] = PartnerToken.objects.exclude(
            pk__in=[token.pk for token in network.tokens_by_kind.values()]
        ).get()
        network.superuser = make_user("administratrice", is_superuser=True)
    return network


def _get(client, user, url, **params):
    client.force_login(user)
    response = client.get(url, params)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def _rows(body):
    """The listing's rows (`<tr>` of its table's `<tbody>`), as HTML."""
    tbody = body.split('<table class="listing', 1)[1].split("<tbody", 1)[1].split("</tbody>", 1)[0]
    return re.findall(r"<tr.*?</tr>", tbody, flags=re.S)


def _row(body, text):
    (row,) = [row for row in _rows(body) if text in row]
    return row


def _text(html):
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def _tag(row):
    """The status tag's words in a row, or None."""
    match = re.search(r'<span class="w-status w-status--label"[^>]*>(.*?)</span>', row, flags=re.S)
    return _text(match.group(1)) if match else None


# --- The consent register ------------------------------------------------------------------------


def test_register_writes_expiry_dates_as_french_dates(client, net):
    body = _get(client, net.users["national"], reverse(REGISTER))
    assert "Il y a" not in body
    far = _row(body, "Atelier lointain")
    assert '<time datetime="2031-11-15">15/11/2031</time>' in far
    expired = net.consents["expired"].expires_on
    assert f'<time datetime="{expired.isoformat()}">{expired:%d/%m/%Y}</time>' in _row(body, "Atelier échu")
    assert "<time" not in _row(body, "Atelier sans échéance")


def test_the_date_picker_shows_a_record_s_dates_day_first(client, net):
    record = net.consents["far"]
    url = reverse("wagtailsnippets_library_consentrecord:edit", args=[record.pk])
    (field,) = re.findall(r'<input[^>]*id="id_expires_on"[^>]*>', _get(client, net.users["national"], url))
    assert 'value="15/11/2031"' in field, field


@pytest.mark.parametrize("language", ["fr", "en", "de", "es", "it"])
def test_every_admin_language_reads_the_picker_s_dates_day_first(language):
    from django import forms

    with translation.override(language):
        assert forms.DateField().clean("03/04/2031") == datetime.date(2031, 4, 3)
        assert forms.DateField().clean("2031-04-03") == datetime.date(2031, 4, 3)
        moment = forms.DateTimeField().clean("03/04/2031 14:05")
    assert timezone.localtime(moment).replace(tzinfo=None) == datetime.datetime(2031, 4, 3, 14, 5)


def test_register_tags_the_records_that_need_attention(client, net):
    body = _get(client, net.users["national"], reverse(REGISTER))
    assert _tag(_row(body, "Atelier échu")) == "Expirée"
    assert _tag(_row(body, "Atelier bientôt échu")) == "Expire dans les 60 jours"
    assert _tag(_row(body, "Atelier retiré")) == "Retirée"
    far = _row(body, "Atelier lointain")
    assert _tag(far) is None and "En vigueur" in _text(far)


def test_register_filters_records_expiring_within_60_days(client, net):
    body = _get(client, net.users["national"], reverse(REGISTER))
    select = body.split('<select name="status"', 1)[1].split("</select>", 1)[0]
    choices = dict(re.findall(r'<option value="(\w+)"[^>]*>\s*([^<]*?)\s*</option>', select))
    assert choices == {
        "missing": "Aucune autorisation",
        "valid": "En vigueur",
        "expiring": "Expire dans les 60 jours",
        "expired": "Expirée",
        "withdrawn": "Retirée",
    }
    filtered = _get(client, net.users["national"], reverse(REGISTER), status="expiring")
    assert [_text(row) for row in _rows(filtered) if "Atelier" in row] == [_text(_row(filtered, "Atelier bientôt"))]
    assert "Statut : Expire dans les 60 jours" in _text(filtered.split('<table class="listing', 1)[0])  # active filter
    assert _tag(_row(filtered, "Atelier bientôt échu")) == "Expire dans les 60 jours"


def test_register_sorts_by_expiry_date_with_undated_records_last(client, net):
    body = _get(client, net.users["national"], reverse(REGISTER))
    assert "?ordering=expires_on" in body  # the column header sorts
    labels = [record.label for record in net.consents.values()]

    def order(ordering):
        rows = _rows(_get(client, net.users["national"], reverse(REGISTER), ordering=ordering))
        return [next(label for label in labels if label in _text(row)) for row in rows]

    undated = {"Atelier sans échéance", "Atelier retiré"}
    ascending = order("expires_on")
    assert ascending[:3] == ["Atelier échu", "Atelier bientôt échu", "Atelier lointain"]
    assert set(ascending[3:]) == undated
    descending = order("-expires_on")
    assert descending[:3] == ["Atelier lointain", "Atelier bientôt échu", "Atelier échu"]
    assert set(descending[3:]) == undated


def test_register_counts_authorisations_in_french(client, net):
    body = _get(client, net.users["national"], reverse(REGISTER))
    count = ConsentRecord.objects.count()
    assert count == 5
    assert "5 autorisations de droit à l’image" in _text(body)
    assert "registre des consentements" not in _text(body)  # the old plural: "5 registre des consentements"
    assert re.search(r"<h1[^>]*>\s*(<[^>]+>\s*)*Registre des consentements", body)
    one = _get(client, net.users["editor_b"], reverse(REGISTER), status="expiring")
    assert "1 autorisation de droit à l’image" in _text(one)


# --- Partner tokens -------------------------------------------------------------------------------


def test_register_exports_its_words_in_french(client, net):
    client.force_login(net.users["national"])
    response = client.get(reverse(REGISTER), {"export": "csv"})
    assert response.status_code == 200
    rows = {row["Intitulé"]: row for row in csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode()))}

    assert list(rows["Atelier lointain"]) == [
        "Intitulé",
        "Coordination",
        "Portée",
        "Date de l’autorisation",
        "Date d’expiration",
        "Retirée le",
        "Statut",
    ]
    assert rows["Atelier lointain"]["Portée"] == "Diffusion publique en ligne"
    assert rows["Atelier lointain"]["Statut"] == "En vigueur"
    assert rows["Atelier lointain"]["Date d’expiration"] == "2031-11-15"
    assert rows["Atelier échu"]["Statut"] == "Expirée"
    assert rows["Atelier bientôt échu"]["Statut"] == "Expire dans les 60 jours"
    assert rows["Atelier retiré"]["Statut"] == "Retirée"


def test_partner_tokens_show_dates_and_times_in_paris(client, net):
    body = _get(client, net.users["national"], reverse(TOKENS))
    assert "Il y a" not in body
    far = net.tokens_by_kind["far"]
    row = _row(body, far.api_token.prefix)
    assert "15/11/2031 14:05" in _text(row)
    created = timezone.localtime(far.api_token.created)
    assert f"{created:%d/%m/%Y %H:%M}" in _text(row)
    assert "Jamais" in _text(row)  # never used
    assert _tag(row) is None and "Actif" in _text(row)
    assert "Sans expiration" in _text(_row(body, net.tokens_by_kind["open"].api_token.prefix))
    for header in ("Créé le", "Dernière utilisation", "Expire le", "État"):
        assert header in _text(body.split('<table class="listing', 1)[1].split("<tbody", 1)[0])


def test_expired_partner_token_is_tagged(client, net):
    body = _get(client, net.users["national"], reverse(TOKENS))
    expired = net.tokens_by_kind["expired"]
    row = _row(body, expired.api_token.prefix)
    assert _tag(row) == "Expiré"
    assert f"{timezone.localtime(expired.expires_at):%d/%m/%Y %H:%M}" in _text(row)


# --- Downloads report -----------------------------------------------------------------------------


def test_downloads_report_names_months_in_french(client, net):
    organisation = PartnerOrganisation.objects.get(name="Cinéma Le Lux")
    DownloadEvent.objects.create(
        organisation=organisation,
        coordination_id=net.coord_a.pk,
        item_title="Film du futur",
        rendition="720p",
        created_at=datetime.datetime(2031, 11, 15, 14, 5, tzinfo=PARIS),
    )
    body = _get(client, net.users["national"], reverse("library_downloads_report"))
    assert "novembre 2031" in _text(_row(body, "Film du futur"))


# --- One token screen ------------------------------------------------------------------------------


def test_settings_menu_has_no_stock_api_token_item(client, net):
    request = RequestFactory().get("/admin/")
    request.user = net.superuser
    names = [item.name for item in settings_menu.menu_items_for_request(request)]
    assert "users" in names and "api_tokens" not in names
    body = _get(client, net.superuser, reverse("wagtailadmin_home"))
    assert "Jetons d'API" not in body and "Jetons d\\u0027API" not in body and "Jetons d’API" not in body
    assert "/admin/api-tokens/" not in body
    assert "Utilisateurs" in body  # the settings menu is there, without the token item


def test_stock_token_listing_and_form_lead_to_the_partner_tokens(client, net):
    client.force_login(net.superuser)
    listing = client.get(reverse("wagtailusers_api_tokens:index"))
    assert listing.status_code == 302 and listing["Location"] == reverse(TOKENS)
    add = client.get(reverse("wagtailusers_api_tokens:add"))
    assert add.status_code == 302 and add["Location"] == reverse("wagtailsnippets_library_partnertoken:add")
    before = APIToken.objects.count()
    posted = client.post(reverse("wagtailusers_api_tokens:add"), {"name": "Sans structure", "user": net.superuser.pk})
    assert posted.status_code == 302 and APIToken.objects.count() == before


@pytest.mark.parametrize("view", ["edit", "delete", "history", "usage"])
def test_stock_token_object_urls_answer_404_to_a_superuser(client, net, view):
    token = net.tokens_by_kind["far"].api_token
    client.force_login(net.superuser)
    url = reverse(f"wagtailusers_api_tokens:{view}", args=[token.pk])
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None and token.name == "Portail far"
    assert client.get(reverse("wagtailusers_api_tokens:index_results")).status_code == 404


def test_partner_token_screen_still_revokes(client, net):
    token = net.tokens_by_kind["far"]
    client.force_login(net.superuser)
    url = reverse("wagtailsnippets_library_partnertoken:delete", args=[token.pk])
    assert client.get(url).status_code == 200
    assert client.post(url).status_code == 302
    token.api_token.refresh_from_db()
    assert token.api_token.revoked_at is not None
