"""The admin screens editors use every day read right, in French, and link where they point.

- the page status panel says « Langue », not Wagtail's « Région »;
- "Ajouter un film" / "Ajouter un guide" open the creation form under the
  Films / Guides menu item (the sidebar highlights the longest menu URL the
  address starts with);
- the video page writes its picture without a dangling comma, its
  audio-description audio as audio, and plays the video's text tracks;
- the dashboard's expiring-consent counts open the register filtered so;
- the video listing writes its upload date as a date;
- the partner organisations' coordination filter offers the French coordinations,
  in dictionary order;
- the help menu has no link to Wagtail's guide on the internet;
- a guide's related films are a checkbox list of the films in the guide's language.
"""

import datetime
import html
import re

import pytest

from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from library.access.network import coordination_collection
from library.core.tiers import ConsentScope, Tier
from library.models import ConsentRecord, CoordinationPage, FilmPage, GuidePage, VideoRendition
from tests.factories import (
    locale,
    make_consent,
    make_film,
    make_guide,
    make_partner,
    make_track,
    make_user,
    make_video,
    publish,
)
from tests.library.admin_forms import edit_form_data
from tests.library.network import build_network
from tests.library.test_admin_french_crawl import BOTH_GENDERS

pytestmark = pytest.mark.django_db

UPLOADED_AT = datetime.datetime(2026, 11, 15, 13, 5, tzinfo=datetime.UTC)  # 14:05 in Paris


@pytest.fixture(scope="module")
def net(module_db):
    with module_db.build():
        network = build_network(with_items=False)
        a = network.coord_a
        network.ile = publish(network.index.add_child(instance=CoordinationPage(title="Île-de-France", slug="idf")))
        # Sorted by code point, "Île-de-France" would come after "Occitanie".
        network.occ = publish(network.index.add_child(instance=CoordinationPage(title="Occitanie", slug="occ")))
        english = locale("en")
        for coordination in (a, network.coord_b, network.ile, network.occ):
            copy = coordination.copy_for_translation(english, copy_parents=True, exclude_fields=["editors_group"])
            copy.title = f"{coordination.title} (English)"
            copy.save()
        network.film = make_film(a, "Le film du collège", Tier.INTERNAL, None)
        network.film_translation = network.film.copy_for_translation(english)
        network.film_translation.title = "The school film"
        network.film_translation.save()
        network.other_film = make_film(network.coord_b, "Écoles en fête", Tier.INTERNAL, None)
        network.guide = make_guide(a, "Guide du quartier", Tier.PUBLIC)
        network.consents = {
            "soon": make_consent(a, ConsentScope.PUBLIC, label="Atelier bientôt échu", expires_on=_day(20)),
            "far": make_consent(a, ConsentScope.PUBLIC, label="Atelier lointain", expires_on=_day(400)),
            "other": make_consent(network.coord_b, ConsentScope.PUBLIC, label="Bêta bientôt", expires_on=_day(10)),
            "ile": make_consent(network.ile, ConsentScope.PUBLIC, label="Paris bientôt", expires_on=_day(30)),
            "occ": make_consent(network.occ, ConsentScope.PUBLIC, label="Toulouse bientôt", expires_on=_day(30)),
        }
        collection = coordination_collection(a)
        network.video = make_video(
            "Atelier au collège", collection=collection, renditions=("360p",), width=320, height=180, duration=65
        )
        network.video.__class__.objects.filter(pk=network.video.pk).update(created_at=UPLOADED_AT)
        make_track(network.video, "en", kind="captions", label="English")
        network.french_track = make_track(network.video, "fr", label="Français")
        VideoRendition.objects.create(
            video=network.video,
            name=VideoRendition.Name.AUDIO_DESCRIPTION,
            file=ContentFile(b"ID3" + b"\0" * 2045, name="audio.mp3"),
            file_size=2048,
        )
        network.other_video = make_video("Vidéo de Bêta", collection=coordination_collection(network.coord_b))
        network.other_track = make_track(network.other_video, "fr", label="Français")
        make_partner(network.coord_b, make_user("membre-beta"), name="Cinéma Bêta")
        make_partner(network.ile, make_user("membre-idf"), name="MJC de Paris")
    return network


def _day(offset):
    return timezone.localdate() + datetime.timedelta(days=offset)


def get(client, user, url, **params):
    client.force_login(user)
    response = client.get(url, params)
    assert response.status_code == 200, (response.status_code, response.get("Location"))
    return response.content.decode()


def text(fragment):
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


# --- The status panel's locale ----------------------------------------------------------------


def test_the_status_panel_names_languages_not_regions(client, net):
    # The national editor may edit both versions, so the panel offers the switch.
    body = get(client, net.users["national"], reverse("wagtailadmin_pages:edit", args=[net.film.pk]))
    shown = text(body)
    assert "Disponible en 2 langues" in shown
    assert "Changer de langue" in shown
    assert "Langue :" in shown
    for region in ("Région :", "régions", "Changer les régions"):
        assert region not in shown


def test_the_status_panel_and_a_saved_record_need_no_gender(client, net):
    body = get(client, net.users["editor_a"], reverse("wagtailadmin_pages:edit", args=[net.film.pk]))
    shown = text(body)
    assert "Sans verrou" in shown and "Tout le monde peut modifier ce contenu" in shown
    assert "0 utilisation" in shown and "Première publication :" in shown
    assert not BOTH_GENDERS.search(shown), [
        shown[max(0, m.start() - 80) : m.end() + 40] for m in BOTH_GENDERS.finditer(shown)
    ]
    record = net.consents["far"]
    edit_url = reverse("wagtailsnippets_library_consentrecord:edit", args=[record.pk])
    form_class = ConsentRecord.snippet_viewset.get_edit_handler().get_form_class()
    form = form_class(instance=record, for_user=net.users["editor_a"])
    data = {bound.html_name: str(bound.value()) for bound in form if bound.value() is not None}
    for formset in form.formsets.values():
        data.update({bound.html_name: str(bound.value()) for bound in formset.management_form})
    saved = client.post(edit_url, data, follow=True)
    assert saved.status_code == 200
    message = text(saved.content.decode().split('class="messages"', 1)[1].split("</ul>", 1)[0])
    assert f"« {record.label} » : modifications enregistrées" in message, message
    assert not BOTH_GENDERS.search(message)


# --- "Ajouter un film" under the Films menu ----------------------------------------------------


@pytest.mark.parametrize("model, listing", [(FilmPage, "films"), (GuidePage, "guides")])
def test_the_creation_form_opens_under_the_listings_menu_url(client, net, model, listing):
    client.force_login(net.users["editor_a"])
    answer = client.get(reverse(f"{listing}:choose_parent"))
    assert answer.status_code == 302
    location = answer["Location"]
    assert location == reverse(f"{listing}:add", args=[net.coord_a.pk])
    assert location.startswith(reverse(f"{listing}:index")), (
        "the sidebar highlights the menu item whose URL it extends"
    )
    form = get(client, net.users["editor_a"], location)
    posted_to = reverse("wagtailadmin_pages:add", args=["library", model._meta.model_name, net.coord_a.pk])
    assert re.search(rf'<form\s+id="page-edit-form"\s+action="{re.escape(posted_to)}"', form)


def test_the_listing_creation_form_stays_closed_to_another_coordination(client, net):
    client.force_login(net.users["editor_b"])
    refused = client.get(reverse("films:add", args=[net.coord_a.pk]))
    assert refused.status_code == 302 and refused["Location"] == reverse("wagtailadmin_home")


def test_the_listing_creation_form_is_for_coordinations_only(client, net):
    client.force_login(net.users["national"])
    assert client.get(reverse("films:add", args=[net.index.pk])).status_code == 404


# --- The video page ----------------------------------------------------------------------------


def video_page(client, net):
    return get(client, net.users["editor_a"], reverse("library_videos:edit", args=[net.video.pk]))


def test_the_picture_has_no_dangling_comma_without_a_codec(client, net):
    body = video_page(client, net)
    picture = re.search(r"<dt>Image</dt>\s*<dd>(.*?)</dd>", body, flags=re.S)
    assert picture and text(picture[1]) == "320×180"


def test_the_audio_description_is_described_as_audio(client, net):
    renditions = re.findall(r"<li data-rendition[^>]*>(.*?)</li>", video_page(client, net), flags=re.S)
    shown = [text(row) for row in renditions]
    assert "Audiodescription — audio MP3, 2,0 Kio" in shown, shown
    assert not [row for row in shown if "None" in row]
    assert shown[0] == "Bas débit 360p — 320×180", "the video renditions first, the audio after"


def test_the_preview_player_carries_the_text_tracks_french_first_by_default(client, net):
    body = video_page(client, net)
    tracks = re.findall(r"<track\b[^>]*>", body)
    assert len(tracks) == 2, tracks
    attributes = [dict(re.findall(r'(\w+)(?:="([^"]*)")?', track[len("<track") : -1])) for track in tracks]
    by_language = {attrs["srclang"]: attrs for attrs in attributes}
    assert by_language["fr"]["kind"] == "subtitles" and by_language["fr"]["label"] == "Français"
    assert "default" in by_language["fr"]
    assert by_language["en"]["kind"] == "captions" and "default" not in by_language["en"]
    url = by_language["fr"]["src"]
    assert url == reverse("library_videos:track_file", args=[net.video.pk, net.french_track.pk])
    answer = client.get(url)
    assert answer.status_code == 200
    assert answer["Content-Type"] == "text/vtt; charset=utf-8"
    assert b"".join(answer).startswith(b"WEBVTT")


def test_a_track_file_is_served_only_to_the_videos_editors(client, net):
    url = reverse("library_videos:track_file", args=[net.video.pk, net.french_track.pk])
    client.force_login(net.users["editor_b"])
    refused = client.get(url)
    assert refused.status_code == 302 and refused["Location"] == reverse("wagtailadmin_home")
    client.force_login(net.users["editor_a"])
    # Another video's track, asked for through a video the editor may change.
    crossed = reverse("library_videos:track_file", args=[net.video.pk, net.other_track.pk])
    assert client.get(crossed).status_code == 404
    client.logout()
    assert client.get(url)["Location"].startswith(reverse("wagtailadmin_login"))


# --- The dashboard's expiring consents ---------------------------------------------------------


def register_rows(client, net, user, url):
    body = get(client, user, url)
    tbody = body.split('<table class="listing', 1)[1].split("<tbody", 1)[1].split("</tbody>", 1)[0]
    return [text(row) for row in re.findall(r"<tr.*?</tr>", tbody, flags=re.S)]


def expiring_link(body, coordination):
    register = reverse("wagtailsnippets_library_consentrecord:list")
    links = re.findall(rf'<a href="({re.escape(register)}\?[^"]+)"[^>]*data-expiring-consents[^>]*>(.*?)</a>', body)
    wanted = f"coordination={coordination.pk}"
    (found,) = [(html.unescape(href), text(label)) for href, label in links if wanted in html.unescape(href)]
    return found


def test_a_regional_editors_expiring_count_opens_the_filtered_register(client, net):
    editor = net.users["editor_a"]
    href, label = expiring_link(get(client, editor, reverse("wagtailadmin_home")), net.coord_a)
    assert label == "Consentements expirant dans les 60 jours (1)"
    assert "status=expiring" in href
    rows = register_rows(client, net, editor, href)
    assert len(rows) == 1 and "Atelier bientôt échu" in rows[0] and "Expire dans les 60 jours" in rows[0]


def test_the_national_summarys_expiring_counts_open_the_filtered_register(client, net):
    national = net.users["national"]
    body = get(client, national, reverse("wagtailadmin_home"))
    for coordination, label in ((net.coord_a, "Atelier bientôt échu"), (net.coord_b, "Bêta bientôt")):
        href, count = expiring_link(body, coordination)
        assert count == "1"
        rows = register_rows(client, net, national, href)
        assert len(rows) == 1 and label in rows[0]


def test_the_national_summary_lists_coordinations_in_dictionary_order(client, net):
    body = get(client, net.users["national"], reverse("wagtailadmin_home"))
    table = body.split('id="library-coordinations-section"', 1)[1].split("</table>", 1)[0]
    rows = re.findall(r"<tr>\s*<td><a [^>]*>(.*?)</a></td>", table, flags=re.S)
    assert [text(row) for row in rows] == ["Coordination Alpha", "Coordination Bêta", "Île-de-France", "Occitanie"]


# --- The video listing's upload date ----------------------------------------------------------


def test_the_video_listing_writes_the_upload_date_as_a_date(client, net):
    body = get(client, net.users["editor_a"], reverse("library_videos:index"))
    (row,) = [row for row in re.findall(r"<tr.*?</tr>", body, flags=re.S) if "Atelier au collège" in row]
    assert '<time datetime="2026-11-15T13:05:00+00:00">15/11/2026 14:05</time>' in row
    assert "Il y a" not in body
    assert "Envoyer des vidéos" in body and "un(e)" not in body, "the add button names the upload screen"


# --- The partner organisations' coordination filter ---------------------------------------------


def test_the_partner_organisations_filter_offers_french_coordinations_in_dictionary_order(client, net):
    body = get(client, net.users["national"], reverse("wagtailsnippets_library_partnerorganisation:list"))
    select = re.search(r'<select name="coordination"[^>]*>(.*?)</select>', body, flags=re.S)
    assert select, "a coordination filter"
    offered = [text(option) for option in re.findall(r"<option[^>]*>(.*?)</option>", select[1], flags=re.S)]
    french = ["Coordination Alpha", "Coordination Bêta", "Île-de-France", "Occitanie"]
    assert [name for name in offered if name != "---------"] == french


def test_the_partner_organisations_filter_still_filters(client, net):
    national = net.users["national"]
    body = get(client, national, reverse("wagtailsnippets_library_partnerorganisation:list"), coordination=net.ile.pk)
    assert "MJC de Paris" in body and "Cinéma Bêta" not in body


# --- The help menu ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "listing, label",
    [
        ("wagtailsnippets_library_theme:list", "Ajouter un thème"),
        ("wagtailsnippets_library_agegroup:list", "Ajouter une tranche d’âge"),
        ("wagtailsnippets_library_partnerorganisation:list", "Ajouter une structure partenaire"),
        ("wagtailsnippets_library_partnertoken:list", "Créer un jeton partenaire"),
    ],
)
def test_an_add_button_names_its_item_in_french(client, net, listing, label):
    shown = text(get(client, net.users["national"], reverse(listing)))
    assert label in shown
    assert not BOTH_GENDERS.search(shown)


def test_the_help_menu_and_dashboard_have_no_link_to_wagtails_guide(client, net):
    body = get(client, net.users["editor_a"], reverse("wagtailadmin_home"))
    assert "guide.wagtail.org" not in body
    assert "Guide du rédacteur" not in body
    assert "Ce qui est nouveau avec Wagtail" not in body
    assert re.search(rf'href="{reverse("editors_guide")}"[^>]*data-editors-guide-link', body), "the account summary"
    assert '"url": "/admin/guide-editeurs/"' in body, "the help menu keeps the project's guide"


# --- A guide's related films --------------------------------------------------------------------


def related_films_field(client, net, user, url):
    body = get(client, user, url)
    boxes = re.findall(r'<input type="checkbox" name="related_films" value="(\d+)"[^>]*>', body)
    labels = re.findall(
        r'<label[^>]*>\s*<input type="checkbox" name="related_films"[^>]*>\s*(.*?)</label>', body, flags=re.S
    )
    return body, [int(pk) for pk in boxes], [text(label) for label in labels]


def test_a_guides_related_films_are_a_checkbox_list_of_its_languages_films(client, net):
    url = reverse("wagtailadmin_pages:edit", args=[net.guide.pk])
    body, boxes, labels = related_films_field(client, net, net.users["national"], url)
    assert '<select name="related_films"' not in body
    assert boxes == [net.other_film.pk, net.film.pk]
    assert labels == ["Écoles en fête — Coordination Bêta", "Le film du collège — Coordination Alpha"]
    assert re.search(r'<input type="search"[^>]*data-checkbox-filter-input[^>]*placeholder="Filtrer les films…"', body)
    assert "library/js/checkbox_filter.js" in body
    assert net.film_translation.pk not in boxes


def test_a_guide_saves_its_related_films(client, net):
    url = reverse("wagtailadmin_pages:edit", args=[net.guide.pk])
    editor = net.users["editor_a"]
    client.force_login(editor)
    guide = GuidePage.objects.get(pk=net.guide.pk)
    data = edit_form_data(guide, editor, related_films=[str(net.film.pk)])
    answer = client.post(url, data)
    assert answer.status_code == 302, answer.content.decode()[:3000]
    guide = GuidePage.objects.get(pk=net.guide.pk).get_latest_revision_as_object()
    assert [film.pk for film in guide.related_films.all()] == [net.film.pk]
    data["related_films"] = [str(net.film_translation.pk)]
    refused = client.post(url, data)
    assert refused.status_code == 200
    assert "related_films" in refused.context["form"].errors
